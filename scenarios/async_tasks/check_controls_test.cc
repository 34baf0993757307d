// Controls for the answer check (test-only: built into scenarios_test, never
// into the harness): strategies with a seeded bookkeeping bug that only an
// exact per-task check catches. Each runs the tasks on the calling thread
// (awaits as plain calls, waits as blocking sleeps) and gets one thing wrong;
// the tests assert that Check() names it.
#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/async_tasks/scenario.h"

namespace async_tasks {
namespace {

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

void ExpectNames(const std::string& diff, const std::string& part) {
  EXPECT_TRUE(absl::StrContains(diff, part))
      << "check said: \"" << diff << "\", expected it to name: " << part;
}

std::string RunControl(const std::string& name, const std::string& kind) {
  harness::ParamValues v;
  v.Set("kind", kind);
  v.Set("tasks", "11");
  v.Set("awaits", "5");
  v.Set("wait_us", "101");
  v.Set("workers", "1");
  return harness::testing::RunAndCheck("async_tasks", name, v);
}

TEST(AsyncTasksCheckControls, SwappedValuesAreCaught) {
  ExpectNames(RunControl("check_swap_values", "compute"),
              absl::StrCat("task 0 returned ", TaskValue(1, 5), ", expected ", TaskValue(0, 5)));
}

TEST(AsyncTasksCheckControls, SkippedWaitIsCaught) {
  const std::string diff = RunControl("check_skip_wait", "wait");
  ExpectNames(diff, "task 10 took ");
  ExpectNames(diff, "less than its 5 waits of 101 us");
}

TEST(AsyncTasksCheckControls, DroppedAndDuplicatedTaskIsCaught) {
  ExpectNames(RunControl("check_drop_duplicate", "compute"),
              "task 0 completed 0 times, expected once");
}

TEST(AsyncTasksCheckControls, ControlsAreRegisteredForTheCheck) {
  for (const char* name : {"check_swap_values", "check_skip_wait", "check_drop_duplicate"}) {
    const harness::StrategyEntry* e = harness::Registry::Global().Find("async_tasks", name);
    ASSERT_NE(e, nullptr) << name;
    EXPECT_TRUE(e->control);
    EXPECT_EQ(e->detector, "check");
  }
}

}  // namespace
}  // namespace async_tasks
