// Control toy_event_lost_wakeup: a stand-in protocol bug in a component of
// its own (not the runtime), so the explorer has a control that needs no
// runtime fault. A one-shot event whose waiter checks the flag outside the
// lock and then waits without re-checking it under the lock: a Set() that
// lands between the check and the wait is lost and the waiter sleeps
// forever. The delay that exposes it is one at the waiter's Mutex::Lock
// (injection point mutex.lock). With faults muted the event is the correct
// protocol (flag set and checked under the lock), which must survive every
// schedule.
#include <chrono>
#include <thread>

#include "harness/controls/scenario.h"
#include "harness/runtime/annotated_mutex.h"

namespace harness::controls {
namespace {

using runtime::CondVar;
using runtime::Mutex;
using runtime::MutexLock;

class ToyEvent {
 public:
  explicit ToyEvent(bool buggy) : buggy_(buggy) {}

  void Set() {
    if (buggy_) {
      set_.store(true, std::memory_order_release);  // no lock: the bug's half
    } else {
      MutexLock l(&mu_);
      set_.store(true, std::memory_order_release);
    }
    cv_.SignalAll();
  }

  void Wait() {
    if (buggy_) {
      if (set_.load(std::memory_order_acquire)) return;
      MutexLock l(&mu_);  // an injected delay here opens the window
      cv_.Wait(&mu_);     // no re-check: a Set() in the window is lost
      return;
    }
    MutexLock l(&mu_);
    while (!set_.load(std::memory_order_acquire)) cv_.Wait(&mu_);
  }

 private:
  const bool buggy_;
  Mutex mu_;
  CondVar cv_;
  std::atomic<bool> set_{false};
};

struct ToyEventLostWakeup {
  explicit ToyEventLostWakeup(const Scenario::Params&) {}
  Scenario::Result Run(const Scenario::Params&) {
    constexpr int kRounds = 8;
    int woken = 0;
    for (int r = 0; r < kRounds; ++r) {
      ToyEvent event(/*buggy=*/!FaultsMuted());
      std::thread setter([&] {
        // Let the waiter reach its wait first (most of the time). A sleep,
        // not a yield loop: on a loaded machine each yield may cost a slice.
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        event.Set();
      });
      event.Wait();
      ++woken;
      setter.join();
    }
    return woken == kRounds ? "" : "a waiter returned without the event";
  }
};

}  // namespace
}  // namespace harness::controls

HARNESS_REGISTER_CONTROL_FOR(harness::controls::Scenario, "toy_event_lost_wakeup",
                             "stand-in: a one-shot event that checks its flag outside the lock "
                             "(a Set() between check and wait is lost)",
                             "explore", harness::controls::ToyEventLostWakeup);
