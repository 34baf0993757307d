// Every registered async_tasks strategy (a new strategy file is picked up
// with no edit here) at workers 1..64 and edge sizes, both kinds, checked
// exactly. Sizes stay small so the binary is quick under ThreadSanitizer.
#include <tuple>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/async_tasks/scenario.h"

namespace async_tasks {
namespace {

using ::harness::scenario_test::CaseNamer;
using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::CheckResult;
using ::harness::scenario_test::CheckVerdict;
using ::harness::scenario_test::RunAndCheck;
using ::harness::scenario_test::StrategyNames;

// strategy, kind, workers, tasks
using Case = std::tuple<std::string, std::string, int, int64_t>;

class AsyncTasksTest : public ::testing::TestWithParam<Case> {};

TEST_P(AsyncTasksTest, SumsEveryTaskOnce) {
  const auto& [strategy, kind, workers, tasks] = GetParam();
  HARNESS_EXPECT_CASE_MATCHES("async_tasks", strategy,
                              CaseValues({{"kind", kind},
                                          {"tasks", tasks},
                                          {"awaits", "3"},
                                          {"wait_us", "50"},
                                          {"workers", workers}}),
                              2);
}

INSTANTIATE_TEST_SUITE_P(AllStrategies, AsyncTasksTest,
                         ::testing::Combine(::testing::ValuesIn(StrategyNames("async_tasks")),
                                            ::testing::Values("compute", "wait"),
                                            ::testing::Values(1, 2, 3, 4, 7, 16, 64),
                                            // 0, 1, fewer than most worker counts, a prime.
                                            ::testing::Values<int64_t>(0, 1, 5, 211)),
                         CaseNamer<Case>({"", "", "w", "n"}));

// Zero awaits (a task returns its seed) and a long chain of awaits (the
// callbacks trampoline must not grow the stack).
TEST(AsyncTasksScenario, AwaitCountEdges) {
  for (const std::string& strategy : StrategyNames("async_tasks")) {
    for (const char* awaits : {"0", "2000"}) {
      const CheckResult r = RunAndCheck("async_tasks", strategy,
                                        CaseValues({{"kind", "compute"},
                                                    {"tasks", 7},
                                                    {"awaits", awaits},
                                                    {"wait_us", 0},
                                                    {"workers", 3}}));
      if (r.verdict == CheckVerdict::kSkipped) continue;
      EXPECT_EQ(r.verdict, CheckVerdict::kMatched) << strategy << " awaits " << awaits << ": " << r;
    }
  }
}

TEST(AsyncTasksScenario, CheckNamesTheDifference) {
  Params p;
  p.tasks = 2;
  p.awaits = 1;
  Result expected = Scenario::Reference(p);
  EXPECT_EQ(Scenario::Check(p, expected, expected), "");
  Result twice = expected;
  twice.done[1] = 2;
  EXPECT_EQ(Scenario::Check(p, expected, twice), "task 1 completed 2 times, expected once");
  Result wrong = expected;
  wrong.values[0] += 1;
  EXPECT_EQ(
      Scenario::Check(p, expected, wrong),
      absl::StrCat("task 0 returned ", expected.values[0] + 1, ", expected ", expected.values[0]));
  p.kind = Kind::kWait;
  p.wait_us = 3;
  Result waited = expected;
  waited.elapsed_ns = {3000, 2999};
  EXPECT_EQ(Scenario::Check(p, expected, waited),
            "task 1 took 2999 ns, less than its 1 waits of 3 us");
  waited.elapsed_ns[1] = 3000;
  EXPECT_EQ(Scenario::Check(p, expected, waited), "");
}

TEST(AsyncTasksScenario, HasTheIssuesStrategies) {
  for (const char* s : {"coroutines", "asio", "std_async", "callbacks"}) {
    EXPECT_NE(harness::Registry::Global().Find("async_tasks", s), nullptr) << s;
  }
}

}  // namespace
}  // namespace async_tasks
