// Test-only helpers for driving a bad interleaving deterministically through
// the runtime's injection points (injection.h). Used by the *_fault_test.cc
// and *_wake_test.cc regression tests; never linked into the runtime.
//
//   Script script([&](inject::Point p) {
//     if (p == inject::Point::kPoolWake && tls_role == kSubmitter) {
//       state.Set([&] { blocked = true; });
//       state.WaitFor([&] { return pushed; }, kBound);  // hold this thread here
//     }
//   });
//
// Script installs a hook that forwards every injection point to a closure.
// Monitor is a mutex + condition variable (std::, not the runtime's, so a
// hook never re-enters an injection point) on which hooks publish events and
// test bodies wait with a bound: a missed event fails the test instead of
// hanging it.
//
// Memory ordering: every event is written and read under Monitor's mutex.
// The hook's closure pointer is an atomic (acquire/release), installed before
// and removed after the threads that run through the points of interest; a
// Script must outlive every runtime object whose threads can reach a point
// (declare it first).
#ifndef HARNESS_RUNTIME_INJECTION_TEST_UTIL_H_
#define HARNESS_RUNTIME_INJECTION_TEST_UTIL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <utility>

#include "harness/runtime/injection.h"

namespace harness::runtime::injection_test {

// How long a test waits for an event that the fixed runtime produces at
// once; only a bug (or a grossly overloaded machine) reaches it.
inline constexpr std::chrono::milliseconds kEventBound{5000};
// How long a test lets a blocked job wait for work that a lost wake-up
// strands; the faulted runtime always reaches it, the fixed one never.
inline constexpr std::chrono::milliseconds kStrandBound{1500};

// The role of the calling thread in a scripted interleaving (0: none).
inline thread_local int tls_role = 0;

class Monitor {
 public:
  // Runs `f` under the lock and wakes every waiter, still under the lock: a
  // waiter may destroy the Monitor as soon as the lock is released.
  template <typename F>
  void Set(F&& f) {
    std::lock_guard<std::mutex> l(mu_);
    f();
    cv_.notify_all();
  }
  // Waits until `pred()` (evaluated under the lock) or `bound`; returns it.
  template <typename P>
  bool WaitFor(P&& pred, std::chrono::milliseconds bound) {
    std::unique_lock<std::mutex> l(mu_);
    return cv_.wait_for(l, bound, pred);
  }
  // Evaluates `f()` under the lock.
  template <typename F>
  auto Read(F&& f) {
    std::lock_guard<std::mutex> l(mu_);
    return f();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
};

class Script {
 public:
  explicit Script(std::function<void(inject::Point)> fn) : fn_(std::move(fn)) {
    current().store(&fn_, std::memory_order_release);
    previous_ = inject::SetHook(&Trampoline);
  }
  ~Script() {
    inject::SetHook(previous_);
    current().store(nullptr, std::memory_order_release);
  }
  Script(const Script&) = delete;
  Script& operator=(const Script&) = delete;

 private:
  static std::atomic<std::function<void(inject::Point)>*>& current() {
    static std::atomic<std::function<void(inject::Point)>*> fn{nullptr};
    return fn;
  }
  static void Trampoline(inject::Point p) {
    if (auto* fn = current().load(std::memory_order_acquire)) (*fn)(p);
  }

  std::function<void(inject::Point)> fn_;
  inject::Hook previous_ = nullptr;
};

// Sets or clears a fault for a scope (`on` false: leaves it off).
class MaybeFault {
 public:
  MaybeFault(inject::Fault f, bool on) : fault_(f), on_(on) {
    if (on_) inject::SetFault(fault_, true);
  }
  ~MaybeFault() {
    if (on_) inject::SetFault(fault_, false);
  }
  MaybeFault(const MaybeFault&) = delete;
  MaybeFault& operator=(const MaybeFault&) = delete;

 private:
  inject::Fault fault_;
  bool on_;
};

}  // namespace harness::runtime::injection_test

#endif  // HARNESS_RUNTIME_INJECTION_TEST_UTIL_H_
