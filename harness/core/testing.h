// Helpers for the scenarios' GoogleTest files: run a registered case once
// and check its answer, outside Google Benchmark.
#ifndef HARNESS_CORE_TESTING_H_
#define HARNESS_CORE_TESTING_H_

#include <string>
#include <vector>

#include "harness/core/registry.h"

namespace harness::testing {

// The strategy names of `scenario` (skipped ones included, controls not), for
// INSTANTIATE_TEST_SUITE_P: a new strategy file is tested with no edit here.
std::vector<std::string> StrategyNames(const std::string& scenario);

// Builds the case (`values` must hold every parameter and `workers`), runs it
// `runs` times (Prepare, Run, Check each time) and returns "" when every
// answer matched, else the first difference. A strategy that this build
// skips returns its skip reason prefixed with "skipped: ".
std::string RunAndCheck(const std::string& scenario, const std::string& strategy,
                        const ParamValues& values, int runs = 1);

}  // namespace harness::testing

#endif  // HARNESS_CORE_TESTING_H_
