// Controls for the answer check (test-only: built into scenarios_test, never
// into the harness): strategies with a seeded delivery bug that only an exact
// per-message check catches. Each delivers every producer's messages straight
// into the log on the calling thread and gets one thing wrong; the tests
// assert that Check() names it.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/message_passing/scenario.h"

namespace message_passing {
namespace {

using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::ExpectCheckControlsCaught;

// Delivers producer by producer, passing each message through `bug` (which
// may change it, or return how many copies to deliver: 0 drops it).
template <typename Bug>
Result Deliver(const Params& p, Input& in, Bug bug) {
  return WithPayload(p, [&]<typename P>() {
    Recorder<P> received(in);
    for (int w = 0; w < p.workers; ++w) {
      std::vector<Msg<P>> sent;
      Produce<P>(p, w, [&](Msg<P>&& m) { sent.push_back(std::move(m)); });
      bug(sent);
      for (Msg<P>& m : sent) received.Take(std::move(m));
    }
    return received.Finish();
  });
}

// Producer 0's first two messages carry each other's payloads: counts, order
// and a sum over the payloads are unchanged.
struct SwapTwoPayloads {
  explicit SwapTwoPayloads(const Params&) {}
  Result Run(const Params& p, Input& in) {
    bool done = false;
    return Deliver(p, in, [&](auto& sent) {
      if (!done && sent.size() >= 2) std::swap(sent[0].payload, sent[1].payload);
      done = true;
    });
  }
};

// Producer 0's second message is lost and its first delivered twice: the
// count is unchanged.
struct DropOneDuplicateAnother {
  explicit DropOneDuplicateAnother(const Params&) {}
  Result Run(const Params& p, Input& in) {
    bool done = false;
    return Deliver(p, in, [&](auto& sent) {
      if (!done && sent.size() >= 2) sent[1] = sent[0];
      done = true;
    });
  }
};

}  // namespace

HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_swap_payloads",
                             "producer 0's first two messages swap payloads", "check",
                             SwapTwoPayloads);
HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_drop_duplicate",
                             "producer 0's second message lost, its first sent twice", "check",
                             DropOneDuplicateAnother);

namespace {

harness::ParamValues Values(const std::string& payload) {
  return CaseValues({{"payload", payload}, {"messages", 2003}, {"workers", 3}});
}

TEST(MessagePassingCheckControls, EachIsCaughtAndNamed) {
  const std::string dropped = "producer 0: received seq 0 when seq 1 was due";
  ExpectCheckControlsCaught(
      "message_passing", {{"check_swap_payloads",
                           Values("u64"),
                           {absl::StrCat("producer 0 seq 0 (message 0) carries \"", U64Value(1),
                                         "\", expected \"", U64Value(0), "\"")}},
                          {"check_swap_payloads",
                           Values("string"),
                           {"producer 0 seq 0 (message 0) carries \"Hello from the thread! #1\""}},
                          {"check_drop_duplicate", Values("u64"), {dropped}},
                          {"check_drop_duplicate", Values("string"), {dropped}}});
}

}  // namespace
}  // namespace message_passing
