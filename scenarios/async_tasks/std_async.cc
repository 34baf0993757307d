// std::async + std::future: each task is std::async(std::launch::async, ...),
// which in libstdc++ starts a new thread per task; the root get()s every
// future and sums. Each await is a call of an "async function" returning a
// std::future, made with std::launch::deferred, and awaited with get(): the
// deferred function runs on the awaiting task's thread, as `.await` runs the
// callee inside the caller's task. In kind wait the awaited function sleeps
// (std::this_thread::sleep_for): it blocks its thread, since futures have no
// way to suspend; that is the point of this strategy. There is no runtime of
// `workers` threads: the OS schedules one thread per task, so `workers` plays
// no part.
//
// bytes_per_task: untimed, in the constructor, min(tasks, 1000) tasks are
// started and each blocks inside its first awaited call on a shared gate;
// the heap growth while all of them wait, divided by their number, is the
// figure (async and deferred shared states, the thread's bookkeeping). Each
// live task also holds a thread whose stack (8 MiB reserved by default, a few
// pages touched) is mapped memory, not heap, and is not in the figure.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "scenarios/async_tasks/heap_probe.h"
#include "scenarios/async_tasks/scenario.h"

namespace async_tasks {
namespace {

// Blocks the probe's tasks until opened.
struct ProbeGate {
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
  std::atomic<int64_t> arrived{0};
};

// The awaited async function.
std::future<uint64_t> Awaited(const Params& p, uint64_t x, int64_t k, ProbeGate* gate) {
  return std::async(std::launch::deferred, [&p, x, k, gate] {
    if (gate != nullptr) {
      gate->arrived.fetch_add(1, std::memory_order_release);
      gate->opened.wait();
    } else if (p.kind == Kind::kWait) {
      std::this_thread::sleep_for(std::chrono::microseconds(p.wait_us));
    }
    return Step(x, k);
  });
}

TaskLog RunTasks(const Params& p, int64_t n, ProbeGate* gate) {
  TaskLog log(p, n);
  std::vector<std::future<void>> futures;
  futures.reserve(n);
  for (int64_t id = 0; id < n; ++id) {
    futures.push_back(std::async(std::launch::async, [&p, &log, id, gate] {
      log.Start(id);
      uint64_t x = Seed(id);
      for (int64_t k = 0; k < p.awaits; ++k) {
        x = Awaited(p, x, k, k == 0 ? gate : nullptr).get();
      }
      log.Finish(id, x);  // each task its own slots; get() publishes them
    }));
  }
  for (std::future<void>& f : futures) f.get();
  return log;
}

class StdAsyncStrategy {
 public:
  explicit StdAsyncStrategy(const Params& p) {
    ProbeGate gate;
    bytes_per_task_ = MeasureBytesPerTask(
        p, [&](int64_t n) { (void)RunTasks(p, n, &gate); },
        [&] { return gate.arrived.load(std::memory_order_acquire); },
        [&] { gate.open.set_value(); });
  }

  Result Run(const Params& p) { return RunTasks(p, p.tasks, nullptr).Take(bytes_per_task_); }

 private:
  double bytes_per_task_ = 0;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "std_async",
                          "std::async(launch::async) per task, deferred futures for awaits; "
                          "waits block a thread",
                          StdAsyncStrategy,
                          harness::StrategyTraits{
                              .ignores = {"workers"},
                              .overhead_reason = "a new OS thread per task (libstdc++'s "
                                                 "launch::async: clone and join, tens of "
                                                 "microseconds) against a coroutine frame "
                                                 "per task"});

}  // namespace async_tasks
