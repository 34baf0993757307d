// spawn_join (seed 000 "Threads"; seed 001 `thread::spawn` + `join`): spawn
// `tasks` independent tasks, wait for all of them, combine their results.
//
// Kinds: `cpu` (a deterministic integer computation of `work_iters` steps,
// returning its final state) and `wait` (the task blocks or suspends for
// `wait_us` microseconds, the article's `thread::sleep`, and returns its id).
// Check, per task id: it ran exactly once, returned exactly the reference's
// value for that id, and (kind wait) its wait, timed by two clock reads
// around it, lasted at least wait_us.
#ifndef SCENARIOS_SPAWN_JOIN_SCENARIO_H_
#define SCENARIOS_SPAWN_JOIN_SCENARIO_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "harness/core/strategy.h"

namespace spawn_join {

enum class Kind { kCpu, kWait };

struct Params {
  Kind kind = Kind::kCpu;
  int64_t tasks = 0;
  int64_t work_iters = 0;  // kind cpu
  int64_t wait_us = 0;     // kind wait
  int workers = 1;
};

// What a run produced, per task id (each written only by the thread that
// ran that task; the strategy's join publishes them).
struct Result {
  std::vector<uint64_t> values;    // values[id]: what task `id` returned
  std::vector<uint32_t> runs;      // runs[id]: how many times task `id` ran
  std::vector<int64_t> waited_ns;  // kind wait: how long task `id`'s wait lasted
};

// The cpu work of task `id`: `iters` rounds of a xorshift-multiply mix seeded
// by the id. Each round depends on the previous one, so the compiler cannot
// fold or vectorize the loop away. Out of line, so every strategy runs the
// same machine code for it (see parallel_map's ApplyRange).
[[gnu::noinline]] inline uint64_t CpuWork(int64_t id, int64_t iters) {
  uint64_t x = static_cast<uint64_t>(id) * 0x9E3779B97F4A7C15ull + 1;
  for (int64_t i = 0; i < iters; ++i) {
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x += static_cast<uint64_t>(i);
  }
  return x;
}

// What task `id` returns (for both kinds), computed without doing the wait.
inline uint64_t TaskValue(const Params& p, int64_t id) {
  return p.kind == Kind::kCpu ? CpuWork(id, p.work_iters) : static_cast<uint64_t>(id);
}

// A monotonic clock in nanoseconds, for the start and end of a task's wait.
inline int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Per-task result slots, written by whichever thread runs the task (each
// task writes only its own slots; the strategy's join publishes them), then
// handed to the caller. Sized untimed-cheap: three vectors of `tasks`.
class Slots {
 public:
  explicit Slots(const Params& p)
      : values_(p.tasks), runs_(p.tasks), waited_ns_(p.kind == Kind::kWait ? p.tasks : 0) {}
  void Record(int64_t id, uint64_t value) {
    values_[id] = value;
    ++runs_[id];  // a second run of the same id shows as 2 (or as a race)
  }
  // Kind wait: task `id`'s wait took `ns` (its end minus its start).
  void RecordWait(int64_t id, int64_t ns) { waited_ns_[id] = ns; }
  // Call after every task finished (after the join).
  Result Take() && { return Result{std::move(values_), std::move(runs_), std::move(waited_ns_)}; }

 private:
  std::vector<uint64_t> values_;
  std::vector<uint32_t> runs_;
  std::vector<int64_t> waited_ns_;
};

// Runs task `id` on this thread, which may block, and records it: the cpu
// loop, or a blocking sleep of wait_us between two clock reads.
inline void RunTaskBlocking(const Params& p, int64_t id, Slots& slots) {
  if (p.kind == Kind::kWait) {
    const int64_t start = NowNs();
    std::this_thread::sleep_for(std::chrono::microseconds(p.wait_us));
    slots.RecordWait(id, NowNs() - start);
    slots.Record(id, static_cast<uint64_t>(id));
    return;
  }
  slots.Record(id, CpuWork(id, p.work_iters));
}

struct Scenario {
  using Params = spawn_join::Params;
  using Result = spawn_join::Result;
  using Input = harness::NoInput;

  static const harness::ScenarioInfo& Info() {
    static const harness::ScenarioInfo info{
        "spawn_join",
        "spawn `tasks` independent tasks (cpu work or a wait), join, combine results",
        {harness::WordParam("kind", "cpu: work_iters mixing steps; wait: sleep wait_us",
                            {"cpu", "wait"}, {"cpu", "wait"}, {"cpu", "wait"}),
         // Odd sizes, divisible by no common worker count (a dropped
         // remainder fails the check).
         harness::IntParam("tasks", "number of tasks", {101}, {11}, 0, 100'000),
         harness::IntParam("work_iters", "mixing steps per task (kind cpu)", {400'009}, {1001}, 0,
                           int64_t{1} << 40),
         harness::IntParam("wait_us", "microseconds each task waits (kind wait)", {1009}, {101}, 0,
                           10'000'000)},
        "kind",
        {{"cpu", "compute"}, {"wait", "wait"}}};
    return info;
  }
  static Params MakeParams(const harness::ParamValues& v) {
    Params p;
    p.kind = v.Word("kind") == "wait" ? Kind::kWait : Kind::kCpu;
    p.tasks = v.Int("tasks");
    p.work_iters = v.Int("work_iters");
    p.wait_us = v.Int("wait_us");
    p.workers = v.workers();
    return p;
  }
  // Sequentially: every task's value in id order (without doing the waits).
  static Result Reference(const Params& p) {
    Result r;
    r.runs.assign(p.tasks, 1);
    r.values.resize(p.tasks);
    for (int64_t id = 0; id < p.tasks; ++id) r.values[id] = TaskValue(p, id);
    return r;
  }
  // Per task: ran once, returned its own value, and (kind wait) its wait
  // lasted at least wait_us.
  static std::string Check(const Params& p, const Result& expected, const Result& got) {
    const size_t n = static_cast<size_t>(p.tasks);
    if (got.runs.size() != n || got.values.size() != n) {
      return absl::StrCat("results for ", got.values.size(), " tasks (run counts for ",
                          got.runs.size(), "), expected ", p.tasks);
    }
    for (size_t id = 0; id < n; ++id) {
      if (got.runs[id] != 1) {
        return absl::StrCat("task ", id, " ran ", got.runs[id], " times, expected once");
      }
    }
    for (size_t id = 0; id < n; ++id) {
      if (got.values[id] != expected.values[id]) {
        return absl::StrCat("task ", id, " returned ", got.values[id], ", expected ",
                            expected.values[id]);
      }
    }
    if (p.kind == Kind::kWait) {
      if (got.waited_ns.size() != n) {
        return absl::StrCat("wait times for ", got.waited_ns.size(), " tasks, expected ", n);
      }
      for (size_t id = 0; id < n; ++id) {
        if (got.waited_ns[id] < p.wait_us * 1000) {
          return absl::StrCat("task ", id, " waited ", got.waited_ns[id], " ns, less than ",
                              p.wait_us, " us");
        }
      }
    }
    return "";
  }
  static int64_t Items(const Params& p) { return p.tasks; }
};

}  // namespace spawn_join

#endif  // SCENARIOS_SPAWN_JOIN_SCENARIO_H_
