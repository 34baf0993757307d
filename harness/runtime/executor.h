// Copyright: the concurrency-harness authors.
//
// Executor: where coroutines (task.h) and pool-multiplexed actors (actor.h)
// run. An executor takes JobRefs (job.h) and runs each exactly once, on some
// thread of its choosing.
//
//   PoolExecutor ex(pool);          // runs jobs on a ThreadPool
//   co_await ex.Schedule();         // continue this coroutine on `ex`
//   co_await Yield(ex);             // re-queue behind other work
//
// Coroutine resumption: Schedule() and Yield() hand the coroutine over with
// Transfer(), which an executor may answer with the handle itself, to be
// resumed by symmetric transfer (await_suspend returns it): the inline
// executor does, so a loop of `co_await Yield(inline)` runs in constant stack
// (resuming inside await_suspend grew the stack per co_await and overflowed
// it after ~10^5 iterations: issue 10, item 4).
//
// Implementations:
//   InlineExecutor   runs the job immediately on the calling thread; resumes
//                    coroutines by symmetric transfer.
//   PoolExecutor     ThreadPool::Execute (worker-local deque when called from
//                    a worker, else the injector); ExecuteLater uses the FIFO
//                    injector so a yielding coroutine lets other work run.
//   ThreadExecutor   owns one thread and a FIFO queue (used for actors that
//                    run on their own thread). Its destructor runs the jobs
//                    still queued, then joins the thread. Execute() touches
//                    nothing of the executor after releasing the queue's
//                    lock: the job may run, and its owner destroy the
//                    executor, at once (signalling a condition variable after
//                    the unlock was a use-after-free: issue 10, item 2). The
//                    thread sleeps on a futex word instead; Execute bumps the
//                    word under the lock (only if the thread sleeps) and
//                    issues the futex wake after the unlock, which needs the
//                    word's address only, not its memory (as Notification::Set).
//
// Injection points (injection.h): executor.queued, executor.wake,
// executor.run, executor.inline, task.resume (job.h).
//
// Memory ordering: everything written before Execute(job) is visible to the
// job when it runs (the queues publish with release/acquire).
#ifndef HARNESS_RUNTIME_EXECUTOR_H_
#define HARNESS_RUNTIME_EXECUTOR_H_

#include <atomic>
#include <coroutine>
#include <deque>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/injection.h"
#include "harness/runtime/job.h"
#include "harness/runtime/park.h"
#include "harness/runtime/thread_pool.h"

namespace harness::runtime {

class Executor {
 public:
  virtual ~Executor() = default;

  // Runs `job` once, on a thread of this executor.
  virtual void Execute(JobRef job) = 0;
  // As Execute, but behind the work already queued (used by Yield).
  virtual void ExecuteLater(JobRef job) { Execute(job); }

  // Resumes `h` on this executor.
  void Resume(std::coroutine_handle<> h) { Execute(JobRef::Resume(h)); }

  // Hands the suspended coroutine `h` to this executor from inside an
  // await_suspend; returns the coroutine the caller must transfer to (return
  // it from await_suspend). The default queues `h` (Execute, or ExecuteLater
  // when `later`) and returns std::noop_coroutine().
  virtual std::coroutine_handle<> Transfer(std::coroutine_handle<> h, bool later) {
    if (later) {
      ExecuteLater(JobRef::Resume(h));
    } else {
      Execute(JobRef::Resume(h));
    }
    return std::noop_coroutine();
  }

  // Awaitable: `co_await ex.Schedule()` suspends and resumes on `ex`.
  auto Schedule() {
    struct Awaiter {
      Executor* ex;
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) {
        return ex->Transfer(h, /*later=*/false);
      }
      void await_resume() const noexcept {}
    };
    return Awaiter{this};
  }
};

// Awaitable: suspends and re-queues the coroutine behind other work of `ex`.
inline auto Yield(Executor& ex) {
  struct Awaiter {
    Executor* ex;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) {
      return ex->Transfer(h, /*later=*/true);
    }
    void await_resume() const noexcept {}
  };
  return Awaiter{&ex};
}

class InlineExecutor final : public Executor {
 public:
  void Execute(JobRef job) override { job.Run(); }
  // Symmetric transfer: constant stack however many times a coroutine
  // awaits Schedule()/Yield() on this executor.
  std::coroutine_handle<> Transfer(std::coroutine_handle<> h, bool) override {
    inject::At(inject::Point::kExecutorInline);
    if (inject::FaultOn(inject::Fault::kInlineResumeNested)) [[unlikely]] {
      h.resume();  // seeded bug: nested resumption, one stack level per await
      return std::noop_coroutine();
    }
    return h;
  }
};

class PoolExecutor final : public Executor {
 public:
  explicit PoolExecutor(ThreadPool& pool) : pool_(&pool) {}
  void Execute(JobRef job) override { pool_->Execute(job); }
  void ExecuteLater(JobRef job) override { pool_->ExecuteGlobal(job); }
  ThreadPool& pool() const { return *pool_; }

 private:
  ThreadPool* pool_;
};

class ThreadExecutor final : public Executor {
 public:
  ThreadExecutor() : thread_([this] { Loop(); }) {}
  ~ThreadExecutor() override {
    {
      MutexLock l(&mu_);
      stop_ = true;
      wake_seq_.fetch_add(1, std::memory_order_relaxed);
    }
    FutexWake(&wake_seq_, 1);
    thread_.join();
  }
  void Execute(JobRef job) override {
    // Read once: the seeded fault must not change sides between the checks.
    const bool late = inject::FaultOn(inject::Fault::kSignalAfterUnlock);
    std::atomic<uint32_t>* const word = &wake_seq_;  // its address outlives *this
    bool wake = false;
    {
      MutexLock l(&mu_);
      queue_.push_back(job);
      // Under the lock: once it is released the thread may run the job and
      // the owner destroy *this. Only a sleeping thread needs waking.
      if (waiting_ && !late) {
        inject::At(inject::Point::kExecutorWake);
        wake_seq_.fetch_add(1, std::memory_order_relaxed);
        wake = true;
      }
    }
    inject::At(inject::Point::kExecutorQueued);
    if (late) [[unlikely]] {  // seeded bug: writes *this after the unlock
      inject::At(inject::Point::kExecutorWake);
      wake_seq_.fetch_add(1, std::memory_order_relaxed);
      wake = true;
    }
    if (wake) FutexWake(word, 1);  // no access to *this: harmless if it is gone
  }
  // True on the executor's own thread. The thread records its own id before
  // running anything; reading the std::thread member here raced with the
  // constructor writing it (issue 10, item 5).
  bool IsCurrent() const {
    return std::this_thread::get_id() == loop_id_.load(std::memory_order_relaxed);
  }

 private:
  void Loop() {
    loop_id_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    mu_.Lock();
    for (;;) {
      while (!queue_.empty()) {
        JobRef job = queue_.front();
        queue_.pop_front();
        mu_.Unlock();
        inject::At(inject::Point::kExecutorRun);
        job.Run();
        mu_.Lock();
      }
      if (stop_) break;
      // Sleep: announce it and read the wake word under the lock; a waker
      // bumps the word under the lock after seeing waiting_, so the futex
      // wait returns at once if it came in between.
      waiting_ = true;
      const uint32_t seen = wake_seq_.load(std::memory_order_relaxed);
      mu_.Unlock();
      FutexWait(&wake_seq_, seen);
      mu_.Lock();
      waiting_ = false;
    }
    mu_.Unlock();
  }

  Mutex mu_;
  std::deque<JobRef> queue_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool waiting_ ABSL_GUARDED_BY(mu_) = false;  // the thread sleeps on wake_seq_
  // Futex word the thread sleeps on; changed only under mu_.
  std::atomic<uint32_t> wake_seq_{0};
  // Written by the executor's thread only (relaxed: any other thread reads
  // either the default id or the executor's, neither equal to its own).
  std::atomic<std::thread::id> loop_id_{};
  std::thread thread_;  // last: starts after the fields above exist
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_EXECUTOR_H_
