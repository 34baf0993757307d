// Notification: a one-shot event on a futex (park.h). One thread Set()s it
// once; any number of threads Wait() for it.
//
// Injection point (injection.h): notification.set in Notification::Set.
//
// Memory ordering: Set() is a release and a Wait()/WaitUntil()/IsSet() that
// observes it is an acquire: everything written before Set() is visible
// after Wait() returns.
#ifndef HARNESS_RUNTIME_NOTIFICATION_H_
#define HARNESS_RUNTIME_NOTIFICATION_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include "harness/runtime/injection.h"
#include "harness/runtime/park.h"

namespace harness::runtime {

// A one-shot event (like absl::Notification; not a countdown like std::latch):
// Set() once, any number of threads Wait(). Spins briefly
// before sleeping, so a hand-off between two running threads costs no system
// call.
class Notification {
 public:
  Notification() = default;
  Notification(const Notification&) = delete;
  Notification& operator=(const Notification&) = delete;

  // Sets the notification and wakes every waiter. Must be called at most once.
  // Touches no member after the state change except through a futex wake on
  // its address, so the owner may destroy the notification as soon as a waiter
  // returns.
  void Set() {
    inject::At(inject::Point::kNotificationSet);
    if (state_.exchange(kSet, std::memory_order_acq_rel) == kSleeping) {
      FutexWakeAll(&state_);
    }
  }

  bool IsSet() const { return state_.load(std::memory_order_acquire) == kSet; }

  // Blocks until Set() has been called.
  void Wait();

  // Blocks until Set() or `deadline`; returns IsSet().
  bool WaitUntil(std::chrono::steady_clock::time_point deadline);

 private:
  static constexpr uint32_t kUnset = 0;
  static constexpr uint32_t kSleeping = 1;  // unset, a waiter may sleep
  static constexpr uint32_t kSet = 2;
  std::atomic<uint32_t> state_{kUnset};
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_NOTIFICATION_H_
