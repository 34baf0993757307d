// shared_counter (seed 000 "Shared State": Arc<Mutex<i32>>, 10 threads):
// `workers` threads together add `increments` to one counter.
// Check: the final value equals `increments` exactly.
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

struct Scenario {
  using Params = shared_counter::Params;
  using Result = int64_t;  // the counter's final value
  using Input = harness::NoInput;

  static const harness::ScenarioInfo& Info() {
    static const harness::ScenarioInfo info{
        "shared_counter",
        "workers threads together add `increments` to one counter",
        {harness::IntParam("increments", "total increments over all workers",
                           {1'000'000}, {1000}, 0, int64_t{1} << 40)}};
    return info;
  }
  static Params MakeParams(const harness::ParamValues& v) {
    return {v.Int("increments"), v.workers()};
  }
  // Sequentially, adding one `increments` times gives `increments`.
  static Result Reference(const Params& p) { return p.increments; }
  static std::string Check(const Params&, const Result& expected, const Result& got) {
    if (got == expected) return "";
    return absl::StrCat("counter is ", got, ", expected ", expected, " (",
                        got < expected ? "lost " : "extra ",
                        got < expected ? expected - got : got - expected,
                        " increments)");
  }
  static int64_t Items(const Params& p) { return p.increments; }
};

}  // namespace shared_counter

#endif  // SCENARIOS_SHARED_COUNTER_SCENARIO_H_
