// A control for the answer check (test-only: built into scenarios_test, never
// into the harness): a strategy whose workers each count their share but the
// last worker's share is one short (an off-by-one in its loop bound). A
// counter has no item identity, so a lost increment is what the check can
// and must see.
#include <atomic>
#include <string>

#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::ExpectCheckControlsCaught;

struct LoseOneIncrement {
  explicit LoseOneIncrement(const Params&) {}
  int64_t Run(const Params& p) {
    std::atomic<int64_t> total{0};
    harness::runtime::SpawnWorkers(p.workers, [&](int w) {
      int64_t n = harness::runtime::ShareOf(p.increments, p.workers, w);
      if (w == p.workers - 1 && n > 0) --n;  // the bug
      total.fetch_add(CountSequentially(n), std::memory_order_relaxed);
    });
    return total.load(std::memory_order_relaxed);
  }
};

}  // namespace

HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_lose_one", "the last worker counts one short",
                             "check", LoseOneIncrement);

namespace {

TEST(SharedCounterCheckControls, LostIncrementIsCaught) {
  ExpectCheckControlsCaught("shared_counter",
                            {{"check_lose_one",
                              CaseValues({{"increments", 5003}, {"workers", 3}}),
                              {"run 1: counter is 5002, expected 5003 (lost 1 increments)"}}});
}

TEST(SharedCounterScenario, ReferenceCountsOneByOne) {
  Params p{5003, 1};
  EXPECT_EQ(Scenario::Reference(p), 5003);
  EXPECT_EQ(CountSequentially(0), 0);
}

}  // namespace
}  // namespace shared_counter
