// Helpers for the scenarios' GoogleTest files (scenarios/*/*_test.cc): run a
// registered case once and check its answer, outside Google Benchmark.
// Test-only: built into the harness_scenario_test library, which the
// `harness` binary does not link.
//
// A scenario's parameterized test over every strategy reads:
//
//   TEST_P(SharedCounterTest, CountsExactly) {
//     const auto& [strategy, workers, increments] = GetParam();
//     HARNESS_EXPECT_CASE_MATCHES(
//         "shared_counter", strategy,
//         CaseValues({{"increments", increments}, {"workers", workers}}), 2);
//   }
//   INSTANTIATE_TEST_SUITE_P(AllStrategies, SharedCounterTest,
//       ::testing::Combine(::testing::ValuesIn(StrategyNames("shared_counter")), ...),
//       CaseNamer<Case>({"", "w", "n"}));
#ifndef HARNESS_CORE_TESTING_H_
#define HARNESS_CORE_TESTING_H_

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/core/registry.h"

namespace harness::scenario_test {

// The strategy names of `scenario` (skipped ones included, controls not), for
// INSTANTIATE_TEST_SUITE_P: a new strategy file is tested with no edit here.
std::vector<std::string> StrategyNames(const std::string& scenario);

// One parameter value as a test writes it: a word or an integer.
struct CaseValue {
  CaseValue(const char* word) : text(word) {}             // NOLINT: implicit on purpose
  CaseValue(std::string word) : text(std::move(word)) {}  // NOLINT
  CaseValue(int n) : text(absl::StrCat(n)) {}             // NOLINT
  CaseValue(int64_t n) : text(absl::StrCat(n)) {}         // NOLINT
  std::string text;
};

// A case's parameter values from name/value pairs; they must hold every
// parameter of the scenario and `workers`.
ParamValues CaseValues(std::initializer_list<std::pair<std::string, CaseValue>> values);

// What RunAndCheck found.
enum class CheckVerdict {
  kMatched,      // every run's answer equalled the reference
  kSkipped,      // this build cannot run the strategy (detail: the reason)
  kWrongAnswer,  // a run's answer differed (detail: "run <i>: <difference>")
  kError,        // no such strategy, or the case threw (detail: what happened)
};

struct CheckResult {
  CheckVerdict verdict = CheckVerdict::kError;
  std::string detail;  // "" when matched
};

// "matched", "skipped: <reason>", "wrong answer: <detail>", "error: <detail>"
// (for failure messages).
std::string Describe(const CheckResult& result);
std::ostream& operator<<(std::ostream& out, const CheckResult& result);

// Builds the case (`values` must hold every parameter and `workers`), runs it
// `runs` times (Prepare, Run, Check each time) and says whether every answer
// matched; stops at the first difference.
CheckResult RunAndCheck(const std::string& scenario, const std::string& strategy,
                        const ParamValues& values, int runs = 1);

// Success when `result` is a wrong answer whose description contains `part`
// (a check control's seeded bug, named by the scenario's Check()).
::testing::AssertionResult CheckNames(const CheckResult& result, std::string_view part);

// Expects every one of `names` to be a registered control of `scenario`
// aimed at `detector`.
void ExpectControls(const std::string& scenario, const std::vector<std::string>& names,
                    const std::string& detector);

// One run of a check control (a seeded bookkeeping bug, detector "check") and
// what the scenario's Check() must say about it.
struct CheckControlRun {
  std::string control;
  ParamValues values;
  std::vector<std::string> parts;  // each must appear in the wrong answer
};

// For each run: the control is registered for the "check" detector, and one
// run of it with its values is a wrong answer naming every part. The body of
// a scenario's check_controls_test.cc.
void ExpectCheckControlsCaught(const std::string& scenario,
                               const std::vector<CheckControlRun>& runs);

// A name generator for INSTANTIATE_TEST_SUITE_P over a tuple parameter:
// element i printed after prefixes[i], joined by '_'. For example prefixes
// {"", "", "w", "n"} name (mutex, cpu, 2, 13) "mutex_cpu_w2_n13".
template <class Tuple>
auto CaseNamer(std::vector<std::string> prefixes) {
  return [prefixes](const ::testing::TestParamInfo<Tuple>& info) {
    std::string name;
    size_t i = 0;
    std::apply(
        [&](const auto&... element) {
          ((absl::StrAppend(&name, i == 0 ? "" : "_", i < prefixes.size() ? prefixes[i] : "",
                            element),
            ++i),
           ...);
        },
        info.param);
    return name;
  };
}

}  // namespace harness::scenario_test

// In a TEST or TEST_P body: runs the case `runs` times (RunAndCheck) and
// skips the test when this build cannot run the strategy; otherwise expects
// every answer to match, printing the first difference when one does not.
#define HARNESS_EXPECT_CASE_MATCHES(scenario, strategy, values, runs)                         \
  do {                                                                                        \
    const ::harness::scenario_test::CheckResult harness_check_result =                        \
        ::harness::scenario_test::RunAndCheck((scenario), (strategy), (values), (runs));      \
    if (harness_check_result.verdict == ::harness::scenario_test::CheckVerdict::kSkipped) {   \
      GTEST_SKIP() << harness_check_result.detail;                                            \
    }                                                                                         \
    EXPECT_EQ(harness_check_result.verdict, ::harness::scenario_test::CheckVerdict::kMatched) \
        << ::harness::scenario_test::Describe(harness_check_result);                          \
  } while (0)

#endif  // HARNESS_CORE_TESTING_H_
