// Copyright: the concurrency-harness authors.
//
// Spinlock: Lock() tries one test-and-set first (the uncontended case costs a
// single exchange); while the lock is held it waits test-and-test-and-set
// style, reading the word with a pause instruction and bounded exponential
// backoff, and retries the exchange only once the lock looks free. Annotated as a capability so
// that clang's thread-safety analysis (the `tsa` preset) checks every field it guards.
//
// Use it only for very short critical sections: a waiter burns its core. Under
// oversubscription (more threads than cores) a preempted holder stalls every
// waiter for a scheduler quantum; after a short exponential backoff the waiter
// yields its core to let the holder run (the policy is kLockBackoff in
// backoff.h).
//
// Memory ordering: Lock() is an acquire operation and Unlock() a release
// operation on the lock word, so everything written before Unlock() in one
// thread is visible after the next successful Lock() in another.
#ifndef HARNESS_RUNTIME_SPINLOCK_H_
#define HARNESS_RUNTIME_SPINLOCK_H_

#include <atomic>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/backoff.h"
#include "harness/runtime/injection.h"

namespace harness::runtime {

class ABSL_LOCKABLE Spinlock {
 public:
  Spinlock() = default;
  Spinlock(const Spinlock&) = delete;
  Spinlock& operator=(const Spinlock&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    inject::At(inject::Point::kSpinlockLock);
    Backoff backoff(kLockBackoff);
    for (;;) {
      // The exchange runs first, then again only after the lock was seen free:
      // waiting readers share the cache line instead of bouncing it with
      // failed writes.
      if (!locked_.exchange(true, std::memory_order_acquire)) return;
      while (locked_.load(std::memory_order_relaxed)) backoff.Snooze();
    }
  }

  bool TryLock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }

  void Unlock() ABSL_UNLOCK_FUNCTION() { locked_.store(false, std::memory_order_release); }

  // BasicLockable spelling, so std::lock_guard / std::scoped_lock work.
  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { Lock(); }
  void unlock() ABSL_UNLOCK_FUNCTION() { Unlock(); }

 private:
  std::atomic<bool> locked_{false};
};

// Scoped holder, annotated so the analysis sees the critical section. Takes
// a pointer, as absl::MutexLock does: `SpinlockHolder l(&lock);`.
class ABSL_SCOPED_LOCKABLE SpinlockHolder {
 public:
  explicit SpinlockHolder(Spinlock* lock) ABSL_EXCLUSIVE_LOCK_FUNCTION(lock) : lock_(lock) {
    lock_->Lock();
  }
  ~SpinlockHolder() ABSL_UNLOCK_FUNCTION() { lock_->Unlock(); }
  SpinlockHolder(const SpinlockHolder&) = delete;
  SpinlockHolder& operator=(const SpinlockHolder&) = delete;

 private:
  Spinlock* const lock_;
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_SPINLOCK_H_
