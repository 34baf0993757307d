// Every registered actor_ping strategy (a new strategy file is picked up
// with no edit here) at several worker, client and actor counts and edge
// sizes, checked exactly. Sizes stay small for ThreadSanitizer.
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/actor_ping/scenario.h"

namespace actor_ping {
namespace {

using ::harness::scenario_test::CaseNamer;
using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::StrategyNames;

// strategy, workers, clients, actors, requests
using Case = std::tuple<std::string, int, int, int64_t, int64_t>;

class ActorPingTest : public ::testing::TestWithParam<Case> {};

TEST_P(ActorPingTest, EveryReplyToItsClient) {
  const auto& [strategy, workers, clients, actors, requests] = GetParam();
  HARNESS_EXPECT_CASE_MATCHES(
      "actor_ping", strategy,
      CaseValues(
          {{"actors", actors}, {"clients", clients}, {"requests", requests}, {"workers", workers}}),
      2);
}

INSTANTIATE_TEST_SUITE_P(AllStrategies, ActorPingTest,
                         ::testing::Combine(::testing::ValuesIn(StrategyNames("actor_ping")),
                                            ::testing::Values(1, 2, 7),        // workers
                                            ::testing::Values(1, 3, 64),       // clients
                                            ::testing::Values<int64_t>(1, 3),  // actors
                                            // 0, fewer than most client counts, a prime.
                                            ::testing::Values<int64_t>(0, 5, 251)),
                         CaseNamer<Case>({"", "w", "c", "a", "n"}));

TEST(ActorPingScenario, ReferenceRoutesEveryRequest) {
  Params p{3, 10, 2, 1};  // client 0: j 0..4 -> actors 0,1,2,0,1; client 1: 1,2,0,1,2
  Result r = Scenario::Reference(p);
  EXPECT_EQ(r.actor_counts, (std::vector<int64_t>{3, 4, 3}));
}

TEST(ActorPingScenario, CheckNamesTheDifference) {
  Params p{2, 4, 2, 1};
  Result expected = Scenario::Reference(p);
  Input in;
  Scenario::ResetInput(p, in);
  for (int c = 0; c < 2; ++c) {
    for (int j = 0; j < 2; ++j) in.clients[c].replies.push_back(Answer(RequestText(c, j)));
  }
  Result good{&in, expected.actor_counts};
  EXPECT_EQ(Scenario::Check(p, expected, good), "");
  std::swap(in.clients[0].replies[1], in.clients[1].replies[1]);
  EXPECT_EQ(Scenario::Check(p, expected, good),
            "client 0 request 1: got \"hello 1:1 world\", expected \"hello 0:1 world\"");
  std::swap(in.clients[0].replies[1], in.clients[1].replies[1]);
  in.clients[1].replies.pop_back();
  EXPECT_EQ(Scenario::Check(p, expected, good), "client 1 got 1 replies, expected 2");
  in.clients[1].replies.push_back(Answer(RequestText(1, 1)));
  Result lost = good;
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
