// One coroutine per task, all awaited with WhenAll on an executor over a pool
// of `workers` threads (started untimed). A `wait` task suspends on the
// runtime's timer instead of blocking a thread, so every wait overlaps even
// with one worker: concurrency without parallelism.
#include <chrono>
#include <vector>

#include "harness/runtime/executor.h"
#include "harness/runtime/job.h"
#include "harness/runtime/notification.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/timer.h"
#include "harness/runtime/when_all.h"
#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {
namespace {

using harness::runtime::Task;

class CoroutinesStrategy {
 public:
  explicit CoroutinesStrategy(const Params& p) : pool_(p.workers), ex_(pool_) {
    harness::runtime::Timer::Default();  // start the timer thread untimed
  }

  // The timer thread hands each woken coroutine to the pool (pool.Execute)
  // and may still be inside that call after the coroutine finished and Run
  // returned; destroying the pool then would race with it. A fence job
  // scheduled now fires after every earlier deadline, on the same timer
  // thread, so once it ran no hand-off to this pool is in progress.
  ~CoroutinesStrategy() {
    harness::runtime::Notification fenced;
    harness::runtime::InlineExecutor on_timer_thread;
    harness::runtime::Timer::Default().Schedule(
        harness::runtime::Timer::Clock::now(), on_timer_thread,
        harness::runtime::JobRef{
            [](void* n) noexcept { static_cast<harness::runtime::Notification*>(n)->Set(); },
            &fenced});
    fenced.Wait();
  }

  Result Run(const Params& p) {
    Slots slots(p);
    std::vector<Task<void>> tasks;
    tasks.reserve(p.tasks);
    for (int64_t id = 0; id < p.tasks; ++id) tasks.push_back(OneTask(p, id, slots));
    // WhenAll's countdown publishes every task's slots to this thread.
    harness::runtime::SyncWait(harness::runtime::WhenAll(std::move(tasks)));
    return std::move(slots).Take();
  }

 private:
  Task<void> OneTask(const Params& p, int64_t id, Slots& slots) {
    co_await ex_.Schedule();  // onto the pool: the tasks run in parallel
    if (p.kind == Kind::kWait) {
      const int64_t start = NowNs();
      co_await harness::runtime::SleepFor(ex_, std::chrono::microseconds(p.wait_us));
      slots.RecordWait(id, NowNs() - start);
      slots.Record(id, static_cast<uint64_t>(id));
      co_return;
    }
    slots.Record(id, CpuWork(id, p.work_iters));
  }

  harness::runtime::ThreadPool pool_;
  harness::runtime::PoolExecutor ex_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "coroutines",
                          "a coroutine per task, WhenAll on a pool executor; waits suspend",
                          CoroutinesStrategy);

}  // namespace spawn_join
