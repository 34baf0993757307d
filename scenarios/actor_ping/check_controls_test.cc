// Controls for the answer check (test-only: built into scenarios_test, never
// into the harness): strategies with a seeded delivery bug that only an exact
// per-reply check catches. Each answers every request on the calling thread
// (plain objects, no actors) and gets one thing wrong; the tests assert that
// Check() names it.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/actor_ping/scenario.h"

namespace actor_ping {
namespace {

using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::ExpectCheckControlsCaught;

// Runs every client in turn; `bug(c, replies)` may alter client c's replies.
template <typename Bug>
Result Serve(const Params& p, Input& in, Bug bug) {
  Result r{&in, std::vector<int64_t>(p.actors, 0)};
  for (int c = 0; c < p.clients; ++c) {
    RunClient(p, c, in.clients[c], [&](int64_t a, const std::string& text) {
      ++r.actor_counts[a];
      return Answer(text);
    });
    bug(c, in.clients[c].replies);
  }
  return r;
}

// Clients 0 and 1 get each other's first reply: every count is right.
struct SwapTwoReplies {
  explicit SwapTwoReplies(const Params&) {}
  Result Run(const Params& p, Input& in) {
    Result r = Serve(p, in, [](int, std::vector<std::string>&) {});
    if (p.clients >= 2 && !in.clients[0].replies.empty() && !in.clients[1].replies.empty()) {
      std::swap(in.clients[0].replies[0], in.clients[1].replies[0]);
    }
    return r;
  }
};

// Client 0's second reply is lost and its first delivered twice: every
// count is right.
struct DropOneDuplicateAnother {
  explicit DropOneDuplicateAnother(const Params&) {}
  Result Run(const Params& p, Input& in) {
    return Serve(p, in, [](int c, std::vector<std::string>& replies) {
      if (c == 0 && replies.size() >= 2) replies[1] = replies[0];
    });
  }
};

}  // namespace

HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_swap_replies",
                             "clients 0 and 1 get each other's first reply", "check",
                             SwapTwoReplies);
HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_drop_duplicate",
                             "client 0's second reply lost, its first delivered twice", "check",
                             DropOneDuplicateAnother);

namespace {

harness::ParamValues Values() {
  return CaseValues({{"actors", 5}, {"clients", 5}, {"requests", 211}, {"workers", 1}});
}

TEST(ActorPingCheckControls, EachIsCaughtAndNamed) {
  ExpectCheckControlsCaught(
      "actor_ping",
      {{"check_swap_replies",
        Values(),
        {"client 0 request 0: got \"hello 1:0 world\", expected \"hello 0:0 world\""}},
       {"check_drop_duplicate",
        Values(),
        {"client 0 request 1: got \"hello 0:0 world\", expected \"hello 0:1 world\""}}});
}

}  // namespace
}  // namespace actor_ping
