// Copyright: the concurrency-harness authors.
//
// Parking primitives shared by the runtime: thin wrappers over the Linux futex
// system call (a thread sleeps on a 32-bit atomic word until another thread
// changes it and wakes it), and a one-shot Latch built on them.
//
// A futex wait returns when the word no longer holds `expected`, when woken,
// or spuriously; every caller re-checks its condition in a loop. Waking an
// address nobody waits on is harmless, which is what lets a Latch be
// destroyed as soon as its waiter has returned.
//
// Injection points (injection.h): park.futex_wait before every futex wait,
// park.futex_wake before every wake, park.latch_set in Latch::Set.
//
// Memory ordering: the futex calls themselves order nothing. All data hand-off
// goes through the atomic word (or other atomics) with acquire/release
// operations, which ThreadSanitizer models. Latch::Set() is a release and a
// Wait()/IsSet() that observes it is an acquire: everything written before
// Set() is visible after Wait() returns.
#ifndef HARNESS_RUNTIME_PARK_H_
#define HARNESS_RUNTIME_PARK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include "harness/runtime/injection.h"

namespace harness::runtime {

// Sleeps while `*word == expected` (checked atomically by the kernel).
void FutexWait(std::atomic<uint32_t>* word, uint32_t expected);

// As FutexWait, but gives up at `deadline` (steady clock). Returns false iff
// the deadline passed.
bool FutexWaitUntil(std::atomic<uint32_t>* word, uint32_t expected,
                    std::chrono::steady_clock::time_point deadline);

// Wakes up to `count` threads sleeping on `word`.
void FutexWake(std::atomic<uint32_t>* word, int count);
inline void FutexWakeAll(std::atomic<uint32_t>* word) {
  FutexWake(word, 0x7fffffff);
}

// A one-shot event: Set() once, any number of threads Wait(). Spins briefly
// before sleeping, so a hand-off between two running threads costs no system
// call.
class Latch {
 public:
  Latch() = default;
  Latch(const Latch&) = delete;
  Latch& operator=(const Latch&) = delete;

  // Sets the latch and wakes every waiter. Must be called at most once.
  // Touches no member after the state change except through a futex wake on
  // its address, so the owner may destroy the latch as soon as a waiter
  // returns.
  void Set() {
    inject::At(inject::Point::kLatchSet);
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

#endif  // HARNESS_RUNTIME_PARK_H_
