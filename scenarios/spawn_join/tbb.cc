// oneTBB's tbb::task_group: run() per task, wait() for all, inside a
// task_arena of `workers` threads (created untimed).
#include "scenarios/spawn_join/scenario.h"

#if HARNESS_HAVE_TBB
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

namespace spawn_join {
namespace {

class TbbStrategy {
 public:
  // global_control lets TBB start `workers` threads even beyond the CPUs it
  // sees (the oversubscription view); the arena caps the case at `workers`.
  explicit TbbStrategy(const Params& p)
      : threads_(tbb::global_control::max_allowed_parallelism, p.workers), arena_(p.workers) {
    arena_.initialize();
  }
  Result Run(const Params& p) {
    Slots slots(p);
    arena_.execute([&] {
      tbb::task_group group;
      for (int64_t id = 0; id < p.tasks; ++id) {
        group.run([&p, &slots, id] { RunTaskBlocking(p, id, slots); });
      }
      group.wait();
    });
    return std::move(slots).Take();
  }

 private:
  tbb::global_control threads_;
  tbb::task_arena arena_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "tbb", "tbb::task_group run + wait in a task_arena",
                          TbbStrategy);

}  // namespace spawn_join
#else
namespace spawn_join {
HARNESS_REGISTER_SKIPPED(Scenario, "tbb", "tbb::task_group run + wait in a task_arena",
                         "oneTBB is not instrumented for ThreadSanitizer (false reports); "
                         "left out of sanitizer builds");
}  // namespace spawn_join
#endif
