// spawn_join (seed 000 "Threads"; seed 001 `thread::spawn` + `join`): spawn
// `tasks` independent tasks, wait for all of them, combine their results.
//
// Kinds: `cpu` (a deterministic integer computation of `work_iters` steps,
// returning its final state) and `wait` (the task blocks or suspends for
// `wait_us` microseconds, the article's `thread::sleep`, and returns its id).
// Check: the sum and the xor of the per-task results equal the sequential
// reference, and every task ran exactly once (a run count per task id).
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

// What a run produced: the combination of the task results and how often
// each task id ran.
struct Result {
  uint64_t sum = 0;
  uint64_t xor_all = 0;
  std::vector<uint32_t> runs;  // runs[id]: how many times task `id` ran
};

// The cpu work of task `id`: `iters` rounds of a xorshift-multiply mix seeded
// by the id. Each round depends on the previous one, so the compiler cannot
// fold or vectorize the loop away.
inline uint64_t CpuWork(int64_t id, int64_t iters) {
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

// The work of task `id` done by a thread that may block: the cpu loop, or a
// blocking sleep of wait_us.
inline uint64_t RunTaskBlocking(const Params& p, int64_t id) {
  if (p.kind == Kind::kWait) {
    std::this_thread::sleep_for(std::chrono::microseconds(p.wait_us));
    return static_cast<uint64_t>(id);
  }
  return CpuWork(id, p.work_iters);
}

// Per-task result slots, written by whichever thread runs the task (each
// task writes only its own slot; the strategy's join publishes them), then
// combined by the caller.
class Slots {
 public:
  explicit Slots(int64_t tasks) : values_(tasks), runs_(tasks) {}
  void Record(int64_t id, uint64_t value) {
    values_[id] = value;
    ++runs_[id];  // a second run of the same id shows as 2 (or as a race)
  }
  // Call after every task finished (after the join).
  Result Combine() && {
    Result r;
    for (uint64_t v : values_) {
      r.sum += v;
      r.xor_all ^= v;
    }
    r.runs = std::move(runs_);
    return r;
  }

 private:
  std::vector<uint64_t> values_;
  std::vector<uint32_t> runs_;
};

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
         harness::IntParam("tasks", "number of tasks", {100}, {10}, 0, 100'000),
         harness::IntParam("work_iters", "mixing steps per task (kind cpu)", {400'000},
                           {1000}, 0, int64_t{1} << 40),
         harness::IntParam("wait_us", "microseconds each task waits (kind wait)", {1000},
                           {100}, 0, 10'000'000)}};
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
  // Sequentially: every task once, in id order.
  static Result Reference(const Params& p) {
    Result r;
    r.runs.assign(p.tasks, 1);
    for (int64_t id = 0; id < p.tasks; ++id) {
      const uint64_t v = TaskValue(p, id);
      r.sum += v;
      r.xor_all ^= v;
    }
    return r;
  }
  static std::string Check(const Params& p, const Result& expected, const Result& got) {
    if (got.runs.size() != static_cast<size_t>(p.tasks)) {
      return absl::StrCat("run counts for ", got.runs.size(), " tasks, expected ", p.tasks);
    }
    for (size_t id = 0; id < got.runs.size(); ++id) {
      if (got.runs[id] != 1) {
        return absl::StrCat("task ", id, " ran ", got.runs[id], " times, expected once");
      }
    }
    if (got.sum != expected.sum || got.xor_all != expected.xor_all) {
      return absl::StrCat("sum ", got.sum, " xor ", got.xor_all, ", expected sum ",
                          expected.sum, " xor ", expected.xor_all);
    }
    return "";
  }
  static int64_t Items(const Params& p) { return p.tasks; }
};

}  // namespace spawn_join

#endif  // SCENARIOS_SPAWN_JOIN_SCENARIO_H_
