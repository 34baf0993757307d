// Every registered parallel_map strategy (a new strategy file is picked up
// with no edit here) at workers 1..64, both kinds, and edge sizes.
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/parallel_map/scenario.h"

namespace parallel_map {
namespace {

using ::harness::scenario_test::CaseNamer;
using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::StrategyNames;

// strategy, kind, workers, elements
using Case = std::tuple<std::string, std::string, int, int64_t>;

class ParallelMapTest : public ::testing::TestWithParam<Case> {};

TEST_P(ParallelMapTest, EveryElementMappedOnce) {
  const auto& [strategy, kind, workers, elements] = GetParam();
  HARNESS_EXPECT_CASE_MATCHES(
      "parallel_map", strategy,
      CaseValues(
          {{"kind", kind}, {"elements", elements}, {"work_iters", "3"}, {"workers", workers}}),
      2);
}

INSTANTIATE_TEST_SUITE_P(
    AllStrategies, ParallelMapTest,
    ::testing::Combine(::testing::ValuesIn(StrategyNames("parallel_map")),
                       ::testing::Values("add2", "heavy"), ::testing::Values(1, 2, 3, 4, 7, 16, 64),
                       // 0, 1, fewer than most worker counts, a prime, moderate.
                       ::testing::Values<int64_t>(0, 1, 3, 10007, 100000)),
    CaseNamer<Case>({"", "", "w", "n"}));

TEST(ParallelMapScenario, CheckNamesTheDifference) {
  Params p;
  p.kind = Kind::kAdd2;
  p.elements = 4;
  Input in;
  Scenario::ResetInput(p, in);
  const Result expected = Scenario::Reference(p);
  EXPECT_EQ(Scenario::Check(p, expected, View(in)),
            absl::StrCat("element 0 is 0, expected 2 (not mapped)"));
  ApplyRange(p, in.data(), 0, in.size());
  EXPECT_EQ(Scenario::Check(p, expected, View(in)), "");
  ApplyRange(p, in.data(), 3, 4);
  EXPECT_EQ(Scenario::Check(p, expected, View(in)),
            absl::StrCat("element 3 is ", Original(3) + 4, ", expected ", Original(3) + 2,
                         " (mapped twice)"));
}

TEST(ParallelMapScenario, HeavyCheckWantsTheMixOfTheOriginal) {
  Params p;
  p.kind = Kind::kHeavy;
  p.elements = 5;
  p.work_iters = 2;
  const Result expected = Scenario::Reference(p);
  ASSERT_EQ(expected.size, 5u);
  std::vector<uint64_t> mapped(5);
  for (size_t i = 0; i < mapped.size(); ++i) mapped[i] = Heavy(Heavy(Original(i), 1), 1);
  EXPECT_EQ(Scenario::Check(p, expected, Result{mapped.data(), mapped.size()}), "");
  mapped[4] = Heavy(Original(4), 1);  // one round short
  EXPECT_NE(Scenario::Check(p, expected, Result{mapped.data(), mapped.size()}), "");
}

TEST(ParallelMapScenario, HasTheIssuesStrategies) {
  for (const char* s :
       {"sequential", "raw_threads", "thread_pool", "coroutines", "std_par", "tbb"}) {
    EXPECT_NE(harness::Registry::Global().Find("parallel_map", s), nullptr) << s;
  }
}

}  // namespace
}  // namespace parallel_map
