// async_tasks (seed 001 `async fn` / `.await` on a runtime such as tokio):
// spawn `tasks` asynchronous tasks on a runtime of `workers` threads; each
// task awaits another async function `awaits` times, threading a value
// through the calls, and returns it; the root awaits every task and sums.
//
// Kinds: `compute` (the awaited function returns at once) and `wait` (the
// awaited function first waits `wait_us` microseconds, standing in for I/O:
// a timer where the runtime has one, a blocking sleep where it has not).
// Check, per task id: it completed exactly once, returned exactly the
// reference's value for that id, and (kind wait) the time from its start to
// its completion, two clock reads per task, was at least awaits * wait_us.
// Figure: bytes_per_task, the heap a task holds while it is live (suspended
// inside an awaited call), measured untimed by each strategy (see README).
#ifndef SCENARIOS_ASYNC_TASKS_SCENARIO_H_
#define SCENARIOS_ASYNC_TASKS_SCENARIO_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "harness/core/strategy.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/job.h"
#include "harness/runtime/notification.h"
#include "harness/runtime/timer.h"

namespace async_tasks {

enum class Kind { kCompute, kWait };

struct Params {
  Kind kind = Kind::kCompute;
  int64_t tasks = 0;
  int64_t awaits = 0;
  int64_t wait_us = 0;  // kind wait
  int workers = 1;
};

struct Result {
  std::vector<uint64_t> values;     // values[id]: what task `id` returned
  std::vector<uint32_t> done;       // done[id]: how many times task `id` completed
  std::vector<int64_t> elapsed_ns;  // kind wait: task `id`'s start to completion
  double bytes_per_task = 0;        // a figure, not checked
};

// The awaited async function's work: one mixing step of the value threaded
// through a task's awaits. Out of line, so every strategy runs the same
// machine code for it.
[[gnu::noinline]] inline uint64_t Step(uint64_t x, int64_t k) {
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9ull;
  return x + static_cast<uint64_t>(k);
}

// Task `id`'s first value.
inline uint64_t Seed(int64_t id) { return static_cast<uint64_t>(id) * 0x9E3779B97F4A7C15ull + 1; }

// What task `id` returns: Step applied `awaits` times to Seed(id).
inline uint64_t TaskValue(int64_t id, int64_t awaits) {
  uint64_t x = Seed(id);
  for (int64_t k = 0; k < awaits; ++k) x = Step(x, k);
  return x;
}

// A monotonic clock in nanoseconds (task start and completion, kind wait).
inline int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Per-task records of one run, written by the task itself (each task only
// its own slots; the strategy's completion countdown publishes them to the
// root): the value it returned, a completion count, and in kind wait its
// start and completion times (two clock reads per task, nothing else in the
// timed path).
class TaskLog {
 public:
  TaskLog(const Params& p, int64_t n)
      : values_(n),
        done_(n),
        start_ns_(p.kind == Kind::kWait ? n : 0),
        elapsed_ns_(p.kind == Kind::kWait ? n : 0) {}
  // Task `id` begins (before its first await).
  void Start(int64_t id) {
    if (!start_ns_.empty()) start_ns_[id] = NowNs();
  }
  // Task `id` completes with `value`.
  void Finish(int64_t id, uint64_t value) {
    values_[id] = value;
    ++done_[id];
    if (!elapsed_ns_.empty()) elapsed_ns_[id] = NowNs() - start_ns_[id];
  }
  // Call after every task completed.
  Result Take(double bytes_per_task) && {
    return Result{std::move(values_), std::move(done_), std::move(elapsed_ns_), bytes_per_task};
  }

 private:
  std::vector<uint64_t> values_;
  std::vector<uint32_t> done_;
  std::vector<int64_t> start_ns_;
  std::vector<int64_t> elapsed_ns_;
};

// Returns once the default timer's thread has finished handing every job
// already due to its executor. A strategy whose pool receives timer jobs calls
// this before destroying the pool: the timer thread hands the last job to the
// pool (ThreadPool::Execute) and may still be inside that call (waking a
// worker) after the job ran and the root returned; destroying the pool then
// would be a use after free. The timer fires jobs one at a time, in deadline
// order, so a sentinel due now runs after every such call returned.
inline void DrainDefaultTimer() {
  harness::runtime::Notification fired;
  harness::runtime::InlineExecutor on_timer_thread;
  harness::runtime::Timer::Default().Schedule(
      harness::runtime::Timer::Clock::now(), on_timer_thread,
      harness::runtime::JobRef{
          [](void* n) noexcept { static_cast<harness::runtime::Notification*>(n)->Set(); },
          &fired});
  fired.Wait();
}

struct Scenario {
  using Params = async_tasks::Params;
  using Result = async_tasks::Result;
  using Input = harness::NoInput;

  static const harness::ScenarioInfo& Info() {
    static const harness::ScenarioInfo info{
        "async_tasks",
        "`tasks` async tasks on `workers` threads, each awaiting an async function "
        "`awaits` times; the root awaits all and sums",
        {harness::WordParam("kind",
                            "compute: the awaited function returns at once; wait: it "
                            "first waits wait_us (a timer, standing in for I/O)",
                            {"compute", "wait"}, {"compute", "wait"}, {"compute", "wait"}),
         // Odd sizes, divisible by no common worker count.
         harness::IntParam("tasks", "number of tasks spawned", {2003}, {101}, 0, 100'000),
         harness::IntParam("awaits", "awaited calls per task", {23}, {5}, 0, 1'000'000),
         harness::IntParam("wait_us", "microseconds each awaited call waits (kind wait)", {1009},
                           {101}, 0, 10'000'000)},
        "kind",
        {{"compute", "compute"}, {"wait", "wait"}}};
    return info;
  }
  static Params MakeParams(const harness::ParamValues& v) {
    Params p;
    p.kind = v.Word("kind") == "wait" ? Kind::kWait : Kind::kCompute;
    p.tasks = v.Int("tasks");
    p.awaits = v.Int("awaits");
    p.wait_us = v.Int("wait_us");
    p.workers = v.workers();
    return p;
  }
  // Sequentially: every task's value, in id order.
  static Result Reference(const Params& p) {
    Result r;
    r.done.assign(p.tasks, 1);
    r.values.resize(p.tasks);
    for (int64_t id = 0; id < p.tasks; ++id) r.values[id] = TaskValue(id, p.awaits);
    return r;
  }
  static std::string Check(const Params& p, const Result& expected, const Result& got) {
    const size_t n = static_cast<size_t>(p.tasks);
    if (got.done.size() != n || got.values.size() != n) {
      return absl::StrCat("results for ", got.values.size(), " tasks (completion counts for ",
                          got.done.size(), "), expected ", p.tasks);
    }
    for (size_t id = 0; id < n; ++id) {
      if (got.done[id] != 1) {
        return absl::StrCat("task ", id, " completed ", got.done[id], " times, expected once");
      }
    }
    for (size_t id = 0; id < n; ++id) {
      if (got.values[id] != expected.values[id]) {
        return absl::StrCat("task ", id, " returned ", got.values[id], ", expected ",
                            expected.values[id]);
      }
    }
    if (p.kind == Kind::kWait) {
      if (got.elapsed_ns.size() != n) {
        return absl::StrCat("start/completion times for ", got.elapsed_ns.size(),
                            " tasks, expected ", n);
      }
      const int64_t min_ns = p.awaits * p.wait_us * 1000;
      for (size_t id = 0; id < n; ++id) {
        if (got.elapsed_ns[id] < min_ns) {
          return absl::StrCat("task ", id, " took ", got.elapsed_ns[id], " ns, less than its ",
                              p.awaits, " waits of ", p.wait_us, " us");
        }
      }
    }
    return "";
  }
  static int64_t Items(const Params& p) { return p.tasks; }
  static void AddFigures(const Params&, const Result& r, harness::RunFigures& f) {
    f.values["bytes_per_task"] += r.bytes_per_task;  // summed here, averaged per run by the harness
  }
};

}  // namespace async_tasks

#endif  // SCENARIOS_ASYNC_TASKS_SCENARIO_H_
