// Every registered message_passing strategy (a new strategy file is picked up
// with no edit here) at workers (= producers) 1..64, both payloads, and edge
// message counts.
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/message_passing/scenario.h"

namespace message_passing {
namespace {

using ::harness::scenario_test::CaseNamer;
using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::StrategyNames;

// strategy, payload, workers, messages
using Case = std::tuple<std::string, std::string, int, int64_t>;

class MessagePassingTest : public ::testing::TestWithParam<Case> {};

TEST_P(MessagePassingTest, EveryMessageOnceInProducerOrder) {
  const auto& [strategy, payload, workers, messages] = GetParam();
  HARNESS_EXPECT_CASE_MATCHES(
      "message_passing", strategy,
      CaseValues({{"payload", payload}, {"messages", messages}, {"workers", workers}}), 2);
}

INSTANTIATE_TEST_SUITE_P(
    AllStrategies, MessagePassingTest,
    ::testing::Combine(::testing::ValuesIn(StrategyNames("message_passing")),
                       ::testing::Values("u64", "string"), ::testing::Values(1, 2, 3, 4, 7, 16, 64),
                       // 0, 1, fewer than most worker counts, a prime, moderate.
                       ::testing::Values<int64_t>(0, 1, 3, 2003, 20000)),
    CaseNamer<Case>({"", "", "w", "n"}));

TEST(MessagePassingScenario, CheckNamesTheDifference) {
  Params p;
  p.payload = Payload::kString;
  p.messages = 5;  // producer 0 sends k = 0..2, producer 1 k = 3..4
  p.workers = 2;
  const Result expected = Scenario::Reference(p);
  auto check = [&](std::vector<Msg<std::string>> log) {
    Input in;
    in.string = std::move(log);
    return Scenario::Check(p, expected, Result{&in});
  };
  std::vector<Msg<std::string>> in_order;
  Produce<std::string>(p, 1, [&](Msg<std::string>&& m) { in_order.push_back(std::move(m)); });
  Produce<std::string>(p, 0, [&](Msg<std::string>&& m) { in_order.push_back(std::move(m)); });
  EXPECT_EQ(check(in_order), "");

  auto reordered = in_order;
  std::swap(reordered[0], reordered[1]);
  EXPECT_EQ(check(reordered), "producer 1: received seq 1 when seq 0 was due");

  auto swapped_payloads = in_order;
  std::swap(swapped_payloads[0].payload, swapped_payloads[2].payload);
  EXPECT_EQ(check(swapped_payloads),
            "producer 1 seq 0 (message 3) carries \"Hello from the thread! #0\", expected "
            "\"Hello from the thread! #3\"");

  auto missing_last = in_order;
  missing_last.pop_back();
  EXPECT_EQ(check(missing_last), "producer 0: received 2 of its 3 messages");

  auto duplicated = in_order;
  duplicated.push_back(duplicated.back());
  EXPECT_EQ(check(duplicated), "producer 0: received seq 2 when seq 3 was due");
}

TEST(MessagePassingScenario, HasTheIssuesStrategies) {
  for (const char* s :
       {"channels_mutex", "channels_bounded", "channels", "coroutines", "moodycamel"}) {
    EXPECT_NE(harness::Registry::Global().Find("message_passing", s), nullptr) << s;
  }
}

}  // namespace
}  // namespace message_passing
