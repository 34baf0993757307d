// oneTBB's tbb::parallel_for over a blocked_range (auto partitioner, work
// stealing), inside a task_arena of `workers` threads (created untimed).
#include "scenarios/parallel_map/scenario.h"

#if HARNESS_HAVE_TBB
#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace parallel_map {
namespace {

class TbbStrategy {
 public:
  // global_control lets TBB start `workers` threads even beyond the CPUs it
  // sees (the oversubscription view); the arena caps the case at `workers`.
  explicit TbbStrategy(const Params& p)
      : threads_(tbb::global_control::max_allowed_parallelism, p.workers), arena_(p.workers) {
    arena_.initialize();
  }
  Result Run(const Params& p, Input& in) {
    uint64_t* data = in.data();
    arena_.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<size_t>(0, in.size()),
          [&](const tbb::blocked_range<size_t>& r) { ApplyRange(p, data, r.begin(), r.end()); });
    });
    return View(in);
  }

 private:
  tbb::global_control threads_;
  tbb::task_arena arena_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "tbb", "tbb::parallel_for in a task_arena", TbbStrategy);

}  // namespace parallel_map
#else
namespace parallel_map {
HARNESS_REGISTER_SKIPPED(Scenario, "tbb", "tbb::parallel_for in a task_arena",
                         "oneTBB is not instrumented for ThreadSanitizer (false reports); "
                         "left out of sanitizer builds");
}  // namespace parallel_map
#endif
