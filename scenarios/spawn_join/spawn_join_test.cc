// Every registered spawn_join strategy (a new strategy file is picked up with
// no edit here) at workers 1..64, both kinds, and edge task counts.
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {
namespace {

using ::harness::scenario_test::CaseNamer;
using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::StrategyNames;

// strategy, kind, workers, tasks
using Case = std::tuple<std::string, std::string, int, int64_t>;

class SpawnJoinTest : public ::testing::TestWithParam<Case> {};

TEST_P(SpawnJoinTest, EveryTaskOnceAndCombined) {
  const auto& [strategy, kind, workers, tasks] = GetParam();
  HARNESS_EXPECT_CASE_MATCHES("spawn_join", strategy,
                              CaseValues({{"kind", kind},
                                          {"tasks", tasks},
                                          {"work_iters", "2000"},
                                          {"wait_us", "100"},
                                          {"workers", workers}}),
                              2);
}

INSTANTIATE_TEST_SUITE_P(
    AllStrategies, SpawnJoinTest,
    ::testing::Combine(::testing::ValuesIn(StrategyNames("spawn_join")),
                       ::testing::Values("cpu", "wait"), ::testing::Values(1, 2, 3, 4, 7, 16, 64),
                       // 0, 1, fewer than most worker counts, a prime, moderate.
                       ::testing::Values<int64_t>(0, 1, 3, 13, 150)),
    CaseNamer<Case>({"", "", "w", "n"}));

TEST(SpawnJoinScenario, CheckNamesTheDifference) {
  Params p;
  p.kind = Kind::kWait;
  p.tasks = 3;
  p.wait_us = 5;
  Result expected = Scenario::Reference(p);
  EXPECT_EQ(expected.values, (std::vector<uint64_t>{0, 1, 2}));
  Result good = expected;
  good.waited_ns = {5000, 6000, 7000};
  EXPECT_EQ(Scenario::Check(p, expected, good), "");
  Result twice = good;
  twice.runs[1] = 2;
  EXPECT_EQ(Scenario::Check(p, expected, twice), "task 1 ran 2 times, expected once");
  Result swapped = good;
  std::swap(swapped.values[0], swapped.values[2]);
  EXPECT_EQ(Scenario::Check(p, expected, swapped), "task 0 returned 2, expected 0");
  Result short_wait = good;
  short_wait.waited_ns[2] = 4999;
  EXPECT_EQ(Scenario::Check(p, expected, short_wait), "task 2 waited 4999 ns, less than 5 us");
}

TEST(SpawnJoinScenario, HasTheIssuesStrategies) {
  for (const char* s : {"sequential", "thread_per_task", "raw_threads", "thread_pool", "std_async",
                        "coroutines", "tbb"}) {
    EXPECT_NE(harness::Registry::Global().Find("spawn_join", s), nullptr) << s;
  }
}

}  // namespace
}  // namespace spawn_join
