// Seeded race (control for the ThreadSanitizer check, never benchmarked): the
// coroutines strategy, but each task also adds its value into a plain shared
// sum (a running total nobody synchronized), so tasks running on different
// pool workers update the same word with no synchronization between them.
// It adds its seed when it starts and the rest when it ends, so the race is
// there both while tasks start together (every kind) and while they resume
// from the timer (kind wait). TSan must report two unsynchronized
// read-modify-writes of the sum. So that two pool threads really run tasks at
// once in kind compute too (tiny tasks, otherwise one worker may run them
// all), tasks 0 and 1 first meet at a rendezvous of relaxed atomics (which
// order nothing, so the race stays a race), bounded to 200 ms so that a pool
// of one thread never hangs on it.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

#include "harness/runtime/executor.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/timer.h"
#include "harness/runtime/when_all.h"
#include "scenarios/async_tasks/scenario.h"

namespace async_tasks {
namespace {

using harness::runtime::PoolExecutor;
using harness::runtime::Task;

Task<uint64_t> Awaited(const Params& p, PoolExecutor& ex, uint64_t x, int64_t k) {
  if (p.kind == Kind::kWait) {
    co_await harness::runtime::SleepFor(ex, std::chrono::microseconds(p.wait_us));
  }
  co_return Step(x, k);
}

// Records its value in its own slot, and also adds it into `shared_sum` (the
// bug: a plain variable every task writes).
void Rendezvous(std::atomic<int>& arrived) {
  arrived.fetch_add(1, std::memory_order_relaxed);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  while (arrived.load(std::memory_order_relaxed) < 2 &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::yield();
  }
}

Task<void> OneTask(const Params& p, PoolExecutor& ex, int64_t id, TaskLog& log,
                   uint64_t* shared_sum, std::atomic<int>& arrived) {
  co_await ex.Schedule();  // onto the pool: tasks run in parallel
  if (id < 2) Rendezvous(arrived);
  log.Start(id);
  uint64_t x = Seed(id);
  *shared_sum += x;  // the race: tasks on other workers do the same
  for (int64_t k = 0; k < p.awaits; ++k) x = co_await Awaited(p, ex, x, k);
  *shared_sum += x - Seed(id);  // and again here
  log.Finish(id, x);
}

Result RunRacy(const Params& p) {
  TaskLog log(p, p.tasks);
  uint64_t shared_sum = 0;
  std::atomic<int> arrived{0};
  {
    harness::runtime::ThreadPool pool(p.workers);
    PoolExecutor ex(pool);
    std::vector<Task<void>> tasks;
    tasks.reserve(p.tasks);
    for (int64_t id = 0; id < p.tasks; ++id) {
      tasks.push_back(OneTask(p, ex, id, log, &shared_sum, arrived));
    }
    harness::runtime::SyncWait(harness::runtime::WhenAll(std::move(tasks)));
    DrainDefaultTimer();  // the timer may still be inside pool.Execute
  }
  // Read once more, so the racy updates stay (no Google Benchmark here for
  // DoNotOptimize: scenarios compile against the registry only).
  [[maybe_unused]] volatile uint64_t keep = shared_sum;
  return std::move(log).Take(0);
}

}  // namespace

HARNESS_REGISTER_CONTROL(Scenario, "racy", "tasks also add their values into a plain shared sum",
                         RunRacy);

}  // namespace async_tasks
