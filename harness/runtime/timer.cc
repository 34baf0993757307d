// Copyright: the concurrency-harness authors.
#include "harness/runtime/timer.h"

#include "harness/runtime/injection.h"

namespace harness::runtime {

Timer::Timer() : thread_([this] { Loop(); }) {}

Timer::~Timer() {
  {
    MutexLock l(&mu_);
    stop_ = true;
    cv_.SignalAll();
  }
  thread_.join();
}

Timer& Timer::Default() {
  static Timer* timer = new Timer;  // never destroyed: may be used at exit
  return *timer;
}

void Timer::Schedule(Clock::time_point deadline, Executor& ex, JobRef job) {
  // Read once: the seeded fault must not change sides between the checks.
  const bool signal_late = inject::FaultOn(inject::Fault::kSignalAfterUnlock);
  bool earliest;
  {
    MutexLock l(&mu_);
    earliest = heap_.empty() || deadline < heap_.top().deadline;
    heap_.push(Entry{deadline, next_seq_++, &ex, job});
    // Under the lock: once it is released the timer thread may fire the job
    // and its owner destroy this Timer (issue 10, item 2).
    if (earliest && !signal_late) cv_.Signal();
  }
  inject::At(inject::Point::kTimerScheduled);
  if (earliest && signal_late) [[unlikely]] cv_.Signal();  // seeded bug: use-after-free
}

size_t Timer::pending() const {
  MutexLock l(&mu_);
  return heap_.size();
}

void Timer::Loop() {
  mu_.Lock();
  for (;;) {
    if (heap_.empty()) {
      if (stop_) break;
      cv_.Wait(&mu_);
      continue;
    }
    const Entry top = heap_.top();
    if (stop_ || top.deadline <= Clock::now()) {
      heap_.pop();
      mu_.Unlock();
      inject::At(inject::Point::kTimerFire);
      top.ex->Execute(top.job);
      mu_.Lock();
      continue;
    }
    cv_.WaitUntil(&mu_, top.deadline);
  }
  mu_.Unlock();
}

}  // namespace harness::runtime
