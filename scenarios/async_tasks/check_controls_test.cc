// Controls for the answer check (test-only: built into scenarios_test, never
// into the harness): strategies with a seeded bookkeeping bug that only an
// exact per-task check catches. Each runs the tasks on the calling thread
// (awaits as plain calls, waits as blocking sleeps) and gets one thing wrong;
// the tests assert that Check() names it.
#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/async_tasks/scenario.h"

namespace async_tasks {
namespace {

using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::ExpectCheckControlsCaught;

// Task `id` done right, on this thread.
void RunTask(const Params& p, int64_t id, int64_t slot, bool wait, TaskLog& log) {
  log.Start(slot);
  uint64_t x = Seed(id);
  for (int64_t k = 0; k < p.awaits; ++k) {
    if (wait && p.kind == Kind::kWait) {
      std::this_thread::sleep_for(std::chrono::microseconds(p.wait_us));
    }
    x = Step(x, k);
  }
  log.Finish(slot, x);
}

// Tasks 0 and 1 complete into each other's slot: the sum is unchanged.
struct SwapTwoValues {
  explicit SwapTwoValues(const Params&) {}
  Result Run(const Params& p) {
    TaskLog log(p, p.tasks);
    for (int64_t id = 0; id < p.tasks; ++id) {
      RunTask(p, id, id == 0 ? 1 : id == 1 ? 0 : id, true, log);
    }
    return std::move(log).Take(0);
  }
};

// The last task's awaits return without waiting: every value is right.
struct SkipOneWait {
  explicit SkipOneWait(const Params&) {}
  Result Run(const Params& p) {
    TaskLog log(p, p.tasks);
    for (int64_t id = 0; id < p.tasks; ++id) RunTask(p, id, id, id + 1 < p.tasks, log);
    return std::move(log).Take(0);
  }
};

// Task 0 is dropped and task 1 completes twice.
struct DropOneDuplicateAnother {
  explicit DropOneDuplicateAnother(const Params&) {}
  Result Run(const Params& p) {
    TaskLog log(p, p.tasks);
    for (int64_t id = 0; id < p.tasks; ++id)
      RunTask(p, id == 0 ? 1 : id, id == 0 ? 1 : id, true, log);
    return std::move(log).Take(0);
  }
};

}  // namespace

HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_swap_values",
                             "tasks 0 and 1 complete into each other's slot", "check",
                             SwapTwoValues);
HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_skip_wait", "the last task's awaits skip their waits",
                             "check", SkipOneWait);
HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_drop_duplicate",
                             "task 0 never runs, task 1 completes twice", "check",
                             DropOneDuplicateAnother);

namespace {

harness::ParamValues Values(const std::string& kind) {
  return CaseValues(
      {{"kind", kind}, {"tasks", 11}, {"awaits", 5}, {"wait_us", 101}, {"workers", 1}});
}

TEST(AsyncTasksCheckControls, EachIsCaughtAndNamed) {
  ExpectCheckControlsCaught(
      "async_tasks",
      {{"check_swap_values",
        Values("compute"),
        {absl::StrCat("task 0 returned ", TaskValue(1, 5), ", expected ", TaskValue(0, 5))}},
       {"check_skip_wait", Values("wait"), {"task 10 took ", "less than its 5 waits of 101 us"}},
       {"check_drop_duplicate", Values("compute"), {"task 0 completed 0 times, expected once"}}});
}

}  // namespace
}  // namespace async_tasks
