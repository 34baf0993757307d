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
// Implementations:
//   InlineExecutor   runs the job immediately on the calling thread.
//   PoolExecutor     ThreadPool::Execute (worker-local deque when called from
//                    a worker, else the injector); ExecuteLater uses the FIFO
//                    injector so a yielding coroutine lets other work run.
//   ThreadExecutor   owns one thread and a FIFO queue (used for actors that
//                    run on their own thread). Its destructor runs the jobs
//                    still queued, then joins the thread.
//
// Memory ordering: everything written before Execute(job) is visible to the
// job when it runs (the queues publish with release/acquire).
#ifndef HARNESS_RUNTIME_EXECUTOR_H_
#define HARNESS_RUNTIME_EXECUTOR_H_

#include <coroutine>
#include <deque>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/job.h"
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

  // Awaitable: `co_await ex.Schedule()` suspends and resumes on `ex`.
  auto Schedule() {
    struct Awaiter {
      Executor* ex;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) { ex->Resume(h); }
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
    void await_suspend(std::coroutine_handle<> h) {
      ex->ExecuteLater(JobRef::Resume(h));
    }
    void await_resume() const noexcept {}
  };
  return Awaiter{&ex};
}

class InlineExecutor final : public Executor {
 public:
  void Execute(JobRef job) override { job.Run(); }
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
    }
    cv_.Signal();
    thread_.join();
  }
  void Execute(JobRef job) override {
    {
      MutexLock l(&mu_);
      queue_.push_back(job);
    }
    cv_.Signal();
  }
  // True on the executor's own thread.
  bool IsCurrent() const { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  void Loop() {
    mu_.Lock();
    for (;;) {
      while (!queue_.empty()) {
        JobRef job = queue_.front();
        queue_.pop_front();
        mu_.Unlock();
        job.Run();
        mu_.Lock();
      }
      if (stop_) break;
      cv_.Wait(&mu_);
    }
    mu_.Unlock();
  }

  Mutex mu_;
  CondVar cv_;
  std::deque<JobRef> queue_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: starts after the fields above exist
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_EXECUTOR_H_
