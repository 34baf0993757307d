// Every registered shared_counter strategy (a new strategy file is picked up
// with no edit here) at workers 1..64 and edge sizes, checked exactly.
#include <tuple>

#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

using ::harness::scenario_test::CaseNamer;
using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::StrategyNames;

using Case = std::tuple<std::string, int, int64_t>;  // strategy, workers, increments

class SharedCounterTest : public ::testing::TestWithParam<Case> {};

TEST_P(SharedCounterTest, CountsExactly) {
  const auto& [strategy, workers, increments] = GetParam();
  HARNESS_EXPECT_CASE_MATCHES("shared_counter", strategy,
                              CaseValues({{"increments", increments}, {"workers", workers}}), 2);
}

INSTANTIATE_TEST_SUITE_P(AllStrategies, SharedCounterTest,
                         ::testing::Combine(::testing::ValuesIn(StrategyNames("shared_counter")),
                                            ::testing::Values(1, 2, 3, 4, 7, 16, 64),
                                            // 0, 1, a prime, fewer than most worker counts, large.
                                            ::testing::Values<int64_t>(0, 1, 5, 10007, 200000)),
                         CaseNamer<Case>({"", "w", "n"}));

TEST(SharedCounterScenario, CheckNamesTheDifference) {
  Params p{10, 2};
  EXPECT_EQ(Scenario::Check(p, 10, 10), "");
  EXPECT_EQ(Scenario::Check(p, 10, 7), "counter is 7, expected 10 (lost 3 increments)");
}

TEST(SharedCounterScenario, HasTheIssuesStrategies) {
  for (const char* s : {"sequential", "mutex", "mutex_absl", "spinlock", "atomics",
                        "atomics_sharded", "raw_threads", "channels", "actor", "thread_pool"}) {
    EXPECT_NE(harness::Registry::Global().Find("shared_counter", s), nullptr) << s;
  }
}

}  // namespace
}  // namespace shared_counter
