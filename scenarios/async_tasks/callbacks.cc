// Callbacks (continuation-passing style) on the project's ThreadPool of
// `workers` threads, started untimed: no coroutines, no futures. A task is a
// heap record (its id, the value so far, the next await index) submitted to
// the pool as a JobRef. The awaited async function takes a continuation;
// in kind compute it completes inline (it returns true with the value, and
// the task loops on, a trampoline, so a long chain of awaits does not grow
// the stack); in kind wait it registers a callback with the runtime's timer
// (Timer::Schedule, harness/runtime/timer.h), which hands the callback to the
// pool when the deadline passes, and the callback resumes the task. The root
// waits on a countdown + Notification instead of awaiting.
//
// bytes_per_task: untimed, in the constructor, min(tasks, 1000) tasks run
// until their first awaited call, which parks its callback on a gate instead
// of the timer; the heap growth while all of them wait, divided by their
// number, is the figure (the task record plus the pending callback record).
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/job.h"
#include "harness/runtime/notification.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/timer.h"
#include "scenarios/async_tasks/heap_probe.h"
#include "scenarios/async_tasks/scenario.h"

namespace async_tasks {
namespace {

using harness::runtime::JobRef;
using harness::runtime::Mutex;
using harness::runtime::MutexLock;

class CallbacksStrategy;

// Where the root collects the results.
struct Root {
  Root(const Params& p, int64_t n) : remaining(n), log(p, n) {}
  std::atomic<int64_t> remaining;
  harness::runtime::Notification all_done;
  TaskLog log;  // each slot written by its own task only
};

// Parked callbacks (probe only): released by Open().
class Gate {
 public:
  void Park(JobRef job) {
    MutexLock l(&mu_);
    parked_.push_back(job);
    count_.store(parked_.size(), std::memory_order_release);
  }
  size_t count() const { return count_.load(std::memory_order_acquire); }
  void Open(harness::runtime::ThreadPool& pool) {
    std::vector<JobRef> parked;
    {
      MutexLock l(&mu_);
      parked.swap(parked_);
    }
    for (JobRef j : parked) pool.Execute(j);
  }

 private:
  Mutex mu_;
  std::vector<JobRef> parked_ ABSL_GUARDED_BY(mu_);
  std::atomic<size_t> count_{0};
};

// One task: its state between callbacks.
struct TaskState {
  CallbacksStrategy* self;
  const Params* p;
  Root* root;
  Gate* gate;  // probe only: the first await parks here
  int64_t id;
  int64_t k = 0;  // awaits done
  uint64_t x;     // the value so far

  static void Start(void* data) noexcept;
  // Runs awaits until one goes asynchronous or the task is finished.
  void Continue();
  // The continuation of an awaited call that completed asynchronously.
  void OnValue(uint64_t value) {
    x = value;
    ++k;
    Continue();
  }
};

// A pending awaited call that completes later (its "closure").
struct PendingCall {
  TaskState* task;
  uint64_t x;
  int64_t k;
  static void Fire(void* data) noexcept {
    auto* call = static_cast<PendingCall*>(data);
    TaskState* task = call->task;
    const uint64_t value = Step(call->x, call->k);
    delete call;
    task->OnValue(value);  // the continuation
  }
};

class CallbacksStrategy {
 public:
  explicit CallbacksStrategy(const Params& p) : pool_(p.workers), ex_(pool_) {
    harness::runtime::Timer::Default();  // start the timer thread untimed
    bytes_per_task_ = ProbeBytesPerTask(p);
  }
  // The timer may still be inside pool_.Execute for the last wait.
  ~CallbacksStrategy() { DrainDefaultTimer(); }

  Result Run(const Params& p) { return RunTasks(p, p.tasks, nullptr).Take(bytes_per_task_); }

  // The awaited async function: true (and *out) when it completed inline;
  // false when `task->OnValue` will be called later, on the pool.
  bool AwaitedAsync(TaskState* task, Gate* gate, uint64_t* out) {
    if (gate == nullptr && task->p->kind == Kind::kCompute) {
      *out = Step(task->x, task->k);
      return true;
    }
    auto* call = new PendingCall{task, task->x, task->k};
    if (gate != nullptr) {
      gate->Park(JobRef{&PendingCall::Fire, call});
    } else {
      harness::runtime::Timer::Default().Schedule(
          harness::runtime::Timer::Clock::now() + std::chrono::microseconds(task->p->wait_us), ex_,
          JobRef{&PendingCall::Fire, call});
    }
    return false;
  }

 private:
  TaskLog RunTasks(const Params& p, int64_t n, Gate* gate) {
    Root root(p, n);
    for (int64_t id = 0; id < n; ++id) {
      pool_.Execute(
          JobRef{&TaskState::Start, new TaskState{this, &p, &root, gate, id, 0, Seed(id)}});
    }
    // The last task's acq_rel countdown and the Notification publish every slot.
    if (n > 0) root.all_done.Wait();
    return std::move(root.log);
  }

  double ProbeBytesPerTask(const Params& p) {
    Gate gate;
    return MeasureBytesPerTask(
        p, [&](int64_t n) { (void)RunTasks(p, n, &gate); }, [&] { return gate.count(); },
        [&] { gate.Open(pool_); });
  }

  harness::runtime::ThreadPool pool_;
  harness::runtime::PoolExecutor ex_;
  double bytes_per_task_ = 0;
};

void TaskState::Start(void* data) noexcept {
  auto* task = static_cast<TaskState*>(data);
  task->root->log.Start(task->id);
  task->Continue();
}

void TaskState::Continue() {
  while (k < p->awaits) {
    uint64_t value;
    Gate* g = (k == 0) ? gate : nullptr;
    if (!self->AwaitedAsync(this, g, &value)) return;  // resumes in OnValue
    x = value;
    ++k;
  }
  Root* r = root;
  r->log.Finish(id, x);
  const bool last = r->remaining.fetch_sub(1, std::memory_order_acq_rel) == 1;
  delete this;
  if (last) r->all_done.Set();
}

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "callbacks",
                          "continuation callbacks on the thread pool; waits are runtime "
                          "timer callbacks",
                          CallbacksStrategy);

}  // namespace async_tasks
