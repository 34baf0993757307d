// Copyright: the concurrency-harness authors.
#include "harness/runtime/timer.h"

namespace harness::runtime {

Timer::Timer() : thread_([this] { Loop(); }) {}

Timer::~Timer() {
  {
    MutexLock l(&mu_);
    stop_ = true;
  }
  cv_.SignalAll();
  thread_.join();
}

Timer& Timer::Default() {
  static Timer* timer = new Timer;  // never destroyed: may be used at exit
  return *timer;
}

void Timer::Schedule(Clock::time_point deadline, Executor& ex, JobRef job) {
  bool earliest;
  {
    MutexLock l(&mu_);
    earliest = heap_.empty() || deadline < heap_.top().deadline;
    heap_.push(Entry{deadline, next_seq_++, &ex, job});
  }
  if (earliest) cv_.Signal();
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
      top.ex->Execute(top.job);
      mu_.Lock();
      continue;
    }
    cv_.WaitUntil(&mu_, top.deadline);
  }
  mu_.Unlock();
}

}  // namespace harness::runtime
