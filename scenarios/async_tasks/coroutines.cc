// The project's C++20 coroutines (harness/runtime/task.h) on a PoolExecutor
// over a ThreadPool of `workers` threads, started untimed: one Task per task,
// the root awaits them all with WhenAll. Each await is `co_await Awaited(...)`,
// a second coroutine: in kind compute it returns at once (symmetric transfer
// there and back, no trip through the pool); in kind wait it first suspends
// on the runtime's timer (harness/runtime/timer.h), holding no thread, so
// thousands of tasks wait at once on `workers` threads.
//
// bytes_per_task: untimed, in the constructor, the same code runs with
// min(tasks, 1000) tasks, each suspended inside its first Awaited call on a
// gate instead of the timer; the growth of the heap while they all wait,
// divided by their number, is the figure. It counts both coroutine frames
// (task and awaited call) and the root's WhenAll bookkeeping for the task.
#include <atomic>
#include <chrono>
#include <coroutine>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/timer.h"
#include "harness/runtime/when_all.h"
#include "scenarios/async_tasks/heap_probe.h"
#include "scenarios/async_tasks/scenario.h"

namespace async_tasks {
namespace {

using harness::runtime::Mutex;
using harness::runtime::MutexLock;
using harness::runtime::Task;

// Holds suspended coroutines until Open(); used only by the memory probe.
class Gate {
 public:
  auto Wait() {
    struct Awaiter {
      Gate* gate;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<> h) {
        MutexLock l(&gate->mu_);
        gate->waiting_.push_back(h);
        gate->count_.store(gate->waiting_.size(), std::memory_order_release);
      }
      void await_resume() const noexcept {}
    };
    return Awaiter{this};
  }
  size_t count() const { return count_.load(std::memory_order_acquire); }
  void Open(harness::runtime::Executor& ex) {
    std::vector<std::coroutine_handle<>> waiting;
    {
      MutexLock l(&mu_);
      waiting.swap(waiting_);
    }
    for (std::coroutine_handle<> h : waiting) ex.Resume(h);
  }

 private:
  Mutex mu_;
  std::vector<std::coroutine_handle<>> waiting_ ABSL_GUARDED_BY(mu_);
  std::atomic<size_t> count_{0};
};

class CoroutinesStrategy {
 public:
  explicit CoroutinesStrategy(const Params& p) : pool_(p.workers), ex_(pool_) {
    harness::runtime::Timer::Default();  // start the timer thread untimed
    bytes_per_task_ = ProbeBytesPerTask(p);
  }
  // The timer may still be inside pool_.Execute for the last wait.
  ~CoroutinesStrategy() { DrainDefaultTimer(); }

  Result Run(const Params& p) { return RunTasks(p, p.tasks, nullptr).Take(bytes_per_task_); }

 private:
  // The awaited async function.
  Task<uint64_t> Awaited(const Params& p, uint64_t x, int64_t k, Gate* gate) {
    if (gate != nullptr) {
      co_await gate->Wait();
    } else if (p.kind == Kind::kWait) {
      co_await harness::runtime::SleepFor(ex_, std::chrono::microseconds(p.wait_us));
    }
    co_return Step(x, k);
  }

  Task<void> OneTask(const Params& p, int64_t id, TaskLog& log, Gate* gate) {
    co_await ex_.Schedule();  // onto the pool: tasks run in parallel
    log.Start(id);
    uint64_t x = Seed(id);
    for (int64_t k = 0; k < p.awaits; ++k) {
      x = co_await Awaited(p, x, k, k == 0 ? gate : nullptr);
    }
    log.Finish(id, x);
  }

  TaskLog RunTasks(const Params& p, int64_t n, Gate* gate) {
    TaskLog log(p, n);
    std::vector<Task<void>> tasks;
    tasks.reserve(n);
    for (int64_t id = 0; id < n; ++id) tasks.push_back(OneTask(p, id, log, gate));
    // WhenAll resumes the root on the thread that completes the last task;
    // its acq_rel countdown publishes every task's writes to the log.
    harness::runtime::SyncWait(harness::runtime::WhenAll(std::move(tasks)));
    return log;
  }

  double ProbeBytesPerTask(const Params& p) {
    Gate gate;
    return MeasureBytesPerTask(
        p, [&](int64_t n) { (void)RunTasks(p, n, &gate); }, [&] { return gate.count(); },
        [&] { gate.Open(ex_); });
  }

  harness::runtime::ThreadPool pool_;
  harness::runtime::PoolExecutor ex_;
  double bytes_per_task_ = 0;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "coroutines",
                          "project Task<T> coroutines on a pool executor, WhenAll; waits "
                          "suspend on the runtime timer",
                          CoroutinesStrategy, harness::StrategyTraits{.baseline = true});

}  // namespace async_tasks
