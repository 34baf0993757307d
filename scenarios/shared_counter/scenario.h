// shared_counter (seed 000 "Shared State": Arc<Mutex<i32>>, 10 threads):
// `workers` threads together add `increments` to one counter.
// Check: the final value equals the reference exactly, a count made by a
// plain sequential loop of single increments (CountSequentially).
#ifndef SCENARIOS_SHARED_COUNTER_SCENARIO_H_
#define SCENARIOS_SHARED_COUNTER_SCENARIO_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "harness/core/strategy.h"

namespace shared_counter {

struct Params {
  int64_t increments = 0;
  int workers = 1;
};

// Counts to `n` one increment at a time on this thread. The empty asm keeps
// one increment per step: without it the compiler folds the loop into one
// addition. The reference, and the per-thread work of `sequential`,
// `raw_threads` and `thread_pool` (one kernel: the same machine code).
[[gnu::noinline]] inline int64_t CountSequentially(int64_t n) {
  int64_t local = 0;
  for (int64_t i = 0; i < n; ++i) {
    ++local;
    asm volatile("" : "+r"(local));
  }
  return local;
}

// Why a strategy that synchronizes every increment has a 1-worker overhead
// near 95% against `sequential` (StrategyTraits::overhead_reason): its
// per-increment synchronization, the very cost this scenario measures,
// against one register increment per step.
inline constexpr char kLockPerIncrement[] =
    "a lock and an unlock per increment (atomic read-modify-writes, tens of cycles even "
    "uncontended) against sequential's one-cycle register increment: the cost this strategy "
    "measures";
inline constexpr char kAtomicPerIncrement[] =
    "one atomic fetch_add (lock xadd, tens of cycles even uncontended) per increment against "
    "sequential's one-cycle register increment: the cost this strategy measures";
inline constexpr char kMessagePerIncrement[] =
    "one message per increment handed to an owner thread (a queue push and pop, a wake-up "
    "when the owner sleeps) against sequential's one-cycle register increment: the cost this "
    "strategy measures";

struct Scenario {
  using Params = shared_counter::Params;
  using Result = int64_t;  // the counter's final value
  using Input = harness::NoInput;

  static const harness::ScenarioInfo& Info() {
    static const harness::ScenarioInfo info{
        "shared_counter",
        "workers threads together add `increments` to one counter",
        // Primes: no worker count divides them, so a dropped remainder
        // fails. The default makes the fastest strategy's run a few ms
        // (thread start-up a few % of it); the quick size is above the
        // thread_pool strategy's reduce grain (1024), so its Join runs.
        {harness::IntParam("increments", "total increments over all workers", {10'000'019}, {5003},
                           0, int64_t{1} << 40)}};
    return info;
  }
  static Params MakeParams(const harness::ParamValues& v) {
    return {v.Int("increments"), v.workers()};
  }
  // Sequentially: a plain loop of `increments` single increments.
  static Result Reference(const Params& p) { return CountSequentially(p.increments); }
  static std::string Check(const Params&, const Result& expected, const Result& got) {
    if (got == expected) return "";
    return absl::StrCat("counter is ", got, ", expected ", expected, " (",
                        got < expected ? "lost " : "extra ",
                        got < expected ? expected - got : got - expected, " increments)");
  }
  static int64_t Items(const Params& p) { return p.increments; }
};

}  // namespace shared_counter

#endif  // SCENARIOS_SHARED_COUNTER_SCENARIO_H_
