// Every registered actor_ping strategy (a new strategy file is picked up
// with no edit here) at workers (= clients) 1..64, several actor counts and
// edge sizes, checked exactly. Sizes stay small for ThreadSanitizer.
#include <tuple>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/actor_ping/scenario.h"

namespace actor_ping {
namespace {

// strategy, workers, actors, requests
using Case = std::tuple<std::string, int, int64_t, int64_t>;

class ActorPingTest : public ::testing::TestWithParam<Case> {};

TEST_P(ActorPingTest, EveryReplyToItsClient) {
  const auto& [strategy, workers, actors, requests] = GetParam();
  harness::ParamValues v;
  v.Set("actors", absl::StrCat(actors));
  v.Set("requests", absl::StrCat(requests));
  v.Set("workers", absl::StrCat(workers));
  std::string diff = harness::testing::RunAndCheck("actor_ping", strategy, v, 2);
  if (diff.rfind("skipped: ", 0) == 0) GTEST_SKIP() << diff;
  EXPECT_EQ(diff, "");
}

INSTANTIATE_TEST_SUITE_P(
    AllStrategies, ActorPingTest,
    ::testing::Combine(::testing::ValuesIn(harness::testing::StrategyNames("actor_ping")),
                       ::testing::Values(1, 2, 3, 4, 7, 16, 64),
                       ::testing::Values<int64_t>(1, 3),
                       // 0, 1, fewer than most client counts, a prime.
                       ::testing::Values<int64_t>(0, 1, 5, 251)),
    [](const ::testing::TestParamInfo<Case>& info) {
      return absl::StrCat(std::get<0>(info.param), "_w", std::get<1>(info.param), "_a",
                          std::get<2>(info.param), "_n", std::get<3>(info.param));
    });

TEST(ActorPingScenario, ReferenceRoutesEveryRequest) {
  Params p{3, 10, 2};  // client 0: j 0..4 -> actors 0,1,2,0,1; client 1: 1,2,0,1,2
  Result r = Scenario::Reference(p);
  EXPECT_EQ(r.actor_counts, (std::vector<int64_t>{3, 4, 3}));
  EXPECT_EQ(r.clients[0].replies, 5);
  EXPECT_EQ(r.clients[1].replies, 5);
}

TEST(ActorPingScenario, CheckNamesTheDifference) {
  Params p{2, 4, 2};
  Result expected = Scenario::Reference(p);
  EXPECT_EQ(Scenario::Check(p, expected, expected), "");
  Result wrong = expected;
  wrong.clients[1].first_error = "client 1 sent \"hello 1:0\" and got \"hello 0:0 world\"";
  EXPECT_EQ(Scenario::Check(p, expected, wrong), wrong.clients[1].first_error);
  Result lost = expected;
  lost.actor_counts[0] -= 1;
  EXPECT_EQ(Scenario::Check(p, expected, lost), "actors handled 3 requests, expected 4");
}

TEST(ActorPingScenario, HasTheIssuesStrategies) {
  for (const char* s : {"actor_threads", "actor_pool", "coroutines", "mutex", "caf"}) {
    EXPECT_NE(harness::Registry::Global().Find("actor_ping", s), nullptr) << s;
  }
}

}  // namespace
}  // namespace actor_ping
