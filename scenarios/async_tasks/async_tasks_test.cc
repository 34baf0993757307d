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

// strategy, kind, workers, tasks
using Case = std::tuple<std::string, std::string, int, int64_t>;

class AsyncTasksTest : public ::testing::TestWithParam<Case> {};

TEST_P(AsyncTasksTest, SumsEveryTaskOnce) {
  const auto& [strategy, kind, workers, tasks] = GetParam();
  harness::ParamValues v;
  v.Set("kind", kind);
  v.Set("tasks", absl::StrCat(tasks));
  v.Set("awaits", "3");
  v.Set("wait_us", "50");
  v.Set("workers", absl::StrCat(workers));
  std::string diff = harness::testing::RunAndCheck("async_tasks", strategy, v, 2);
  if (diff.rfind("skipped: ", 0) == 0) GTEST_SKIP() << diff;
  EXPECT_EQ(diff, "");
}

INSTANTIATE_TEST_SUITE_P(
    AllStrategies, AsyncTasksTest,
    ::testing::Combine(::testing::ValuesIn(harness::testing::StrategyNames("async_tasks")),
                       ::testing::Values("compute", "wait"),
                       ::testing::Values(1, 2, 3, 4, 7, 16, 64),
                       // 0, 1, fewer than most worker counts, a prime.
                       ::testing::Values<int64_t>(0, 1, 5, 211)),
    [](const ::testing::TestParamInfo<Case>& info) {
      return absl::StrCat(std::get<0>(info.param), "_", std::get<1>(info.param), "_w",
                          std::get<2>(info.param), "_n", std::get<3>(info.param));
    });

// Zero awaits (a task returns its seed) and a long chain of awaits (the
// callbacks trampoline must not grow the stack).
TEST(AsyncTasksScenario, AwaitCountEdges) {
  for (const std::string& strategy : harness::testing::StrategyNames("async_tasks")) {
    for (const char* awaits : {"0", "2000"}) {
      harness::ParamValues v;
      v.Set("kind", "compute");
      v.Set("tasks", "7");
      v.Set("awaits", awaits);
      v.Set("wait_us", "0");
      v.Set("workers", "3");
      std::string diff = harness::testing::RunAndCheck("async_tasks", strategy, v);
      if (diff.rfind("skipped: ", 0) == 0) continue;
      EXPECT_EQ(diff, "") << strategy << " awaits " << awaits;
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
  EXPECT_EQ(Scenario::Check(p, expected, wrong),
            absl::StrCat("task 0 returned ", expected.values[0] + 1, ", expected ",
                         expected.values[0]));
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
