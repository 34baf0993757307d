// Copyright: the concurrency-harness authors.
#include "harness/runtime/timer.h"

#include "harness/runtime/injection.h"
#include "harness/runtime/park.h"

namespace harness::runtime {

Timer::Timer() : thread_([this] { Loop(); }) {}

Timer::~Timer() {
  {
    MutexLock l(&mu_);
    stop_ = true;
    wake_seq_.fetch_add(1, std::memory_order_relaxed);
  }
  FutexWake(&wake_seq_, 1);
  thread_.join();
}

Timer& Timer::Default() {
  static Timer* timer = new Timer;  // never destroyed: may be used at exit
  return *timer;
}

void Timer::Schedule(Clock::time_point deadline, Executor& ex, JobRef job) {
  // Read once: the seeded fault must not change sides between the checks.
  const bool late = inject::FaultOn(inject::Fault::kSignalAfterUnlock);
  std::atomic<uint32_t>* const word = &wake_seq_;  // its address outlives *this
  bool earliest;
  bool wake = false;
  {
    MutexLock l(&mu_);
    earliest = heap_.empty() || deadline < heap_.top().deadline;
    heap_.push(Entry{deadline, next_seq_++, &ex, job});
    // Under the lock: once it is released the timer thread may fire the job
    // and its owner destroy this Timer (issue 10, item 2).
    if (earliest && waiting_ && !late) {
      inject::At(inject::Point::kExecutorWake);
      wake_seq_.fetch_add(1, std::memory_order_relaxed);
      wake = true;
    }
  }
  inject::At(inject::Point::kTimerScheduled);
  if (earliest && late) [[unlikely]] {  // seeded bug: writes *this after the unlock
    inject::At(inject::Point::kExecutorWake);
    wake_seq_.fetch_add(1, std::memory_order_relaxed);
    wake = true;
  }
  if (wake) FutexWake(word, 1);  // no access to *this: harmless if it is gone
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
      Sleep(Clock::time_point::max());
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
    Sleep(top.deadline);
  }
  mu_.Unlock();
}

void Timer::Sleep(Clock::time_point deadline) {
  // Announce the sleep and read the wake word under the lock: a Schedule()
  // that sees waiting_ bumps the word under the lock, so the futex wait
  // returns at once if it came in between.
  waiting_ = true;
  const uint32_t seen = wake_seq_.load(std::memory_order_relaxed);
  mu_.Unlock();
  FutexWaitUntil(&wake_seq_, seen, deadline);
  mu_.Lock();
  waiting_ = false;
}

}  // namespace harness::runtime
