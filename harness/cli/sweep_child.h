// One repetition of one case of a sweep, run in a child process (this
// harness binary, or the other binary of a paired A/B sweep) pinned to the
// case's CPUs, with `harness run --sweep_child --repetitions=1`; its Google
// Benchmark JSON is read back.
#ifndef HARNESS_CLI_SWEEP_CHILD_H_
#define HARNESS_CLI_SWEEP_CHILD_H_

#include <string>
#include <vector>

#include "harness/cli/child_process.h"
#include "nlohmann/json.hpp"

namespace harness::cli {

struct ChildResult {
  // kMissing: the binary refused the case as bad usage (exit status 2 and
  // no result): another revision's harness that does not have it.
  enum Outcome { kOk, kFailed, kHung, kCrashed, kMissing } outcome = kOk;
  nlohmann::json benchmarks = nlohmann::json::array();  // the case's entries
  nlohmann::json context;
  std::string detail;  // why it failed, hung or crashed
};

// Runs the child described by `args` and `options` (cpus, executable,
// environment); `json_out` is the --benchmark_out file the child writes, read
// and then removed. The child's own watchdog ends it after `limit_seconds`
// (printing its stacks); options.limit_seconds is set here to a backstop 30 s
// later, for a child too broken to do that.
ChildResult RunSweepChild(const std::vector<std::string>& args, ChildOptions options,
                          const std::string& json_out, double limit_seconds);

// "1.23e+06 items/s" from the first entry with items_per_second; "" if none.
std::string ThroughputText(const nlohmann::json& benchmarks);

}  // namespace harness::cli

#endif  // HARNESS_CLI_SWEEP_CHILD_H_
