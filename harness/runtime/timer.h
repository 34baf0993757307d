// Copyright: the concurrency-harness authors.
//
// Timer: one thread and a min-heap of deadlines; runs each registered job on
// its executor when its deadline passes. Sleeping coroutines hold no thread.
//
//   co_await SleepFor(ex, 10ms);                  // the process-wide timer
//   co_await timer.SleepFor(ex, 10ms);            // a specific timer
//   timer.Schedule(deadline, ex, job);            // low level
//
// A job is handed to its executor (never run on the timer thread), no earlier
// than its deadline; jobs with equal deadlines fire in registration order.
// Destroying a Timer fires every pending job at once (early) and joins the
// thread, so no sleeping coroutine is lost. Timer::Default() is created on
// first use and never destroyed.
//
// Schedule() touches nothing of the Timer after releasing its lock, so the
// Timer may be destroyed as soon as the job has fired (signalling a condition
// variable after the unlock was a use-after-free: issue 10, item 2). The
// thread sleeps on a futex word; Schedule bumps it under the lock (only when
// the new entry is the earliest and the thread sleeps) and issues the futex
// wake after the unlock, which needs the word's address only. Injection
// points (injection.h): timer.scheduled, executor.wake, timer.fire.
//
// Memory ordering: Schedule() and the timer thread synchronize through the
// timer's mutex, and the executor publishes the job to the thread that runs
// it: everything written before Schedule() / co_await SleepFor() is visible
// when the job / coroutine runs.
#ifndef HARNESS_RUNTIME_TIMER_H_
#define HARNESS_RUNTIME_TIMER_H_

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <queue>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/job.h"

namespace harness::runtime {

class Timer {
 public:
  using Clock = std::chrono::steady_clock;

  Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  ~Timer();

  static Timer& Default();

  // Hands `job` to `ex` at or after `deadline`.
  void Schedule(Clock::time_point deadline, Executor& ex, JobRef job);

  // Awaitables: resume on `ex` at or after the deadline.
  auto SleepUntil(Executor& ex, Clock::time_point deadline) {
    struct Awaiter {
      Timer* timer;
      Executor* ex;
      Clock::time_point deadline;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) {
        timer->Schedule(deadline, *ex, JobRef::Resume(h));
      }
      void await_resume() const noexcept {}
    };
    return Awaiter{this, &ex, deadline};
  }
  template <typename Rep, typename Period>
  auto SleepFor(Executor& ex, std::chrono::duration<Rep, Period> d) {
    return SleepUntil(ex, Clock::now() + std::chrono::duration_cast<Clock::duration>(d));
  }

  // Jobs waiting to fire.
  size_t pending() const;

 private:
  struct Entry {
    Clock::time_point deadline;
    uint64_t seq;
    Executor* ex;
    JobRef job;
    bool operator>(const Entry& o) const {
      return deadline != o.deadline ? deadline > o.deadline : seq > o.seq;
    }
  };
  void Loop();
  // Sleeps on wake_seq_ until woken or `deadline` (max(): no deadline).
  void Sleep(Clock::time_point deadline) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable Mutex mu_;
  bool waiting_ ABSL_GUARDED_BY(mu_) = false;  // the thread sleeps on wake_seq_
  // Futex word the thread sleeps on; changed only under mu_.
  std::atomic<uint32_t> wake_seq_{0};
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_ ABSL_GUARDED_BY(mu_);
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_) = 0;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// co_await SleepFor(ex, d): sleeps on Timer::Default().
template <typename Rep, typename Period>
auto SleepFor(Executor& ex, std::chrono::duration<Rep, Period> d) {
  return Timer::Default().SleepFor(ex, d);
}

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_TIMER_H_
