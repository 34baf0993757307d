// Copyright: the concurrency-harness authors.
//
// Mutex, MutexLock, CondVar: a std::mutex / std::condition_variable pair with
// clang thread-safety annotations, so that `ABSL_GUARDED_BY(mu_)` fields are
// checked by the `tsa` preset (-Wthread-safety -Werror).
//
// Why not absl::Mutex: the runtime is meant to build header-first with nothing
// but Abseil's headers, and std::mutex is understood natively by both
// ThreadSanitizer and the C++ library. The API follows absl::Mutex's spelling
// (Lock/Unlock, MutexLock, CondVar::Wait(&mu)) so switching is mechanical.
//
// Memory ordering: Lock() acquires and Unlock() releases, as for std::mutex:
// everything written inside one critical section is visible in every later
// critical section on the same mutex. CondVar::Wait releases the mutex while
// it sleeps and re-acquires it before returning.
#ifndef HARNESS_RUNTIME_ANNOTATED_MUTEX_H_
#define HARNESS_RUNTIME_ANNOTATED_MUTEX_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/injection.h"

namespace harness::runtime {

class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  // Lock() is a perturbation point for `harness stress` (injection.h).
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    inject::At(inject::Point::kMutexLock);
    mu_.lock();
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }
  bool TryLock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) { return mu_.try_lock(); }

  // BasicLockable spelling.
  void lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { Lock(); }
  void unlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Scoped holder of a Mutex.
class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// Condition variable bound to a Mutex at each Wait call. Waits may wake
// spuriously; callers loop on their predicate.
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void Wait(Mutex* mu) ABSL_EXCLUSIVE_LOCKS_REQUIRED(*mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }

  // Returns true if `deadline` passed (the wait timed out).
  template <typename Clock, typename Duration>
  bool WaitUntil(Mutex* mu, const std::chrono::time_point<Clock, Duration>& deadline)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(*mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    const bool timed_out = cv_.wait_until(lock, deadline) == std::cv_status::timeout;
    lock.release();
    return timed_out;
  }

  // Injection point condvar.signal (a hand-off to a waiting thread).
  void Signal() {
    inject::At(inject::Point::kCondVarSignal);
    cv_.notify_one();
  }
  void SignalAll() {
    inject::At(inject::Point::kCondVarSignal);
    cv_.notify_all();
  }

 private:
  std::condition_variable cv_;
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_ANNOTATED_MUTEX_H_
