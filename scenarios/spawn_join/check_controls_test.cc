// Controls for the answer check (test-only: built into scenarios_test, never
// into the harness): strategies with a seeded bookkeeping bug that only an
// exact per-task check catches. Each runs the tasks on the calling thread and
// gets one thing wrong; the tests assert that Check() names it.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {
namespace {

using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::ExpectCheckControlsCaught;

// Tasks 0 and 1 record their values in each other's slot: a sum or xor over
// the results is unchanged.
struct SwapTwoValues {
  explicit SwapTwoValues(const Params&) {}
  Result Run(const Params& p) {
    Slots slots(p);
    for (int64_t id = 0; id < p.tasks; ++id) {
      const int64_t slot = id == 0 ? 1 : id == 1 ? 0 : id;
      if (p.kind == Kind::kWait) slots.RecordWait(slot, p.wait_us * 1000);
      slots.Record(slot, TaskValue(p, id));
    }
    return std::move(slots).Take();
  }
};

// The last task returns its value without waiting (a forgotten sleep): every
// value and count is right.
struct SkipOneWait {
  explicit SkipOneWait(const Params&) {}
  Result Run(const Params& p) {
    Slots slots(p);
    for (int64_t id = 0; id + 1 < p.tasks; ++id) RunTaskBlocking(p, id, slots);
    if (p.tasks > 0) {
      const int64_t last = p.tasks - 1;
      const int64_t start = NowNs();
      slots.RecordWait(last, NowNs() - start);
      slots.Record(last, static_cast<uint64_t>(last));
    }
    return std::move(slots).Take();
  }
};

// Task 0 is dropped and task 1 runs twice: as many runs as tasks.
struct DropOneDuplicateAnother {
  explicit DropOneDuplicateAnother(const Params&) {}
  Result Run(const Params& p) {
    Slots slots(p);
    for (int64_t id = 0; id < p.tasks; ++id) RunTaskBlocking(p, id == 0 ? 1 : id, slots);
    return std::move(slots).Take();
  }
};

}  // namespace

HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_swap_values",
                             "tasks 0 and 1 record into each other's slot", "check", SwapTwoValues);
HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_skip_wait", "the last task skips its wait", "check",
                             SkipOneWait);
HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_drop_duplicate",
                             "task 0 never runs, task 1 runs twice", "check",
                             DropOneDuplicateAnother);

namespace {

harness::ParamValues Values(const std::string& kind) {
  return CaseValues(
      {{"kind", kind}, {"tasks", 11}, {"work_iters", 1001}, {"wait_us", 101}, {"workers", 1}});
}

TEST(SpawnJoinCheckControls, EachIsCaughtAndNamed) {
  ExpectCheckControlsCaught(
      "spawn_join",
      {{"check_swap_values",
        Values("cpu"),
        {absl::StrCat("task 0 returned ", CpuWork(1, 1001), ", expected ", CpuWork(0, 1001))}},
       {"check_swap_values", Values("wait"), {"task 0 returned 1, expected 0"}},
       {"check_skip_wait", Values("wait"), {"task 10 waited ", "less than 101 us"}},
       {"check_drop_duplicate", Values("cpu"), {"task 0 ran 0 times, expected once"}}});
}

}  // namespace
}  // namespace spawn_join
