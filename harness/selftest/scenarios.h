// The scenarios of the detector controls (`harness detectors`): tiny
// workloads that exist only so that each detector of the harness has a
// seeded bug it alone must catch. Their entries are controls (never
// benchmarked, never listed as strategies); see README.md beside this file.
#ifndef HARNESS_SELFTEST_SCENARIOS_H_
#define HARNESS_SELFTEST_SCENARIOS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "harness/core/strategy.h"

namespace harness::selftest {

// The sum 1 + 2 + ... + items, computed by `workers` threads. The size is
// odd and divisible by no worker count in 2..6 (1001 = 7 * 11 * 13), so a
// strategy that drops the remainder of items / workers is wrong there.
struct SumScenario {
  struct Params {
    int64_t items = 0;
    int workers = 1;
  };
  using Result = int64_t;
  using Input = NoInput;
  static const ScenarioInfo& Info() {
    static const ScenarioInfo info{
        "selftest_sum",
        "controls of the answer check: workers threads sum 1..items",
        {IntParam("items", "numbers summed", {1001}, {1001}, 1, 1'000'000)}};
    return info;
  }
  static Params MakeParams(const ParamValues& v) { return {v.Int("items"), v.workers()}; }
  static Result Reference(const Params& p) { return p.items * (p.items + 1) / 2; }
  static std::string Check(const Params&, const Result& expected, const Result& got) {
    return got == expected ? "" : absl::StrCat("sum is ", got, ", expected ", expected);
  }
  static int64_t Items(const Params& p) { return p.items; }
};

// `rounds` hand-offs between a writer and a reader thread (the worker count
// is ignored: always these two). The result is the number of rounds in
// which the reader saw a stale record (0 when correct).
struct HandoffScenario {
  struct Params {
    int64_t rounds = 0;
  };
  using Result = int64_t;
  using Input = NoInput;
  static const ScenarioInfo& Info() {
    // min = max: stress draws no other value.
    static const ScenarioInfo info{
        "selftest_handoff",
        "control of stress perturbation: a writer hands rounds to a reader",
        {IntParam("rounds", "hand-offs per run", {1024}, {1024}, 1024, 1024)}};
    return info;
  }
  static Params MakeParams(const ParamValues& v) { return {v.Int("rounds")}; }
  static Result Reference(const Params&) { return 0; }
  static std::string Check(const Params&, const Result& expected, const Result& got) {
    return got == expected ? "" : absl::StrCat("the reader saw a stale record in ", got, " rounds");
  }
  static int64_t Items(const Params& p) { return p.rounds; }
};

// `messages` values sent by `workers` producers to one consumer over a
// runtime channel; the result is their sum (never reached by the control).
struct HangScenario {
  struct Params {
    int64_t messages = 0;
    int workers = 1;
  };
  using Result = int64_t;
  using Input = NoInput;
  static const ScenarioInfo& Info() {
    static const ScenarioInfo info{
        "selftest_hang",
        "controls of the watchdog: runs that never finish",
        {IntParam("messages", "values sent over all producers", {101}, {101}, 0, 1'000'000)}};
    return info;
  }
  static Params MakeParams(const ParamValues& v) { return {v.Int("messages"), v.workers()}; }
  static Result Reference(const Params& p) { return p.messages * (p.messages + 1) / 2; }
  static std::string Check(const Params&, const Result& expected, const Result& got) {
    return got == expected ? "" : absl::StrCat("sum is ", got, ", expected ", expected);
  }
  static int64_t Items(const Params& p) { return p.messages; }
};

}  // namespace harness::selftest

#endif  // HARNESS_SELFTEST_SCENARIOS_H_
