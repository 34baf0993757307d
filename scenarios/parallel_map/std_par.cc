// std::for_each(std::execution::par, ...). libstdc++ runs parallel
// algorithms on oneTBB, so this runs inside a tbb::task_arena of `workers`
// threads and is guarded like the tbb strategy.
#include "scenarios/parallel_map/scenario.h"

#if HARNESS_HAVE_TBB
#include <algorithm>
#include <execution>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

namespace parallel_map {
namespace {

class StdParStrategy {
 public:
  explicit StdParStrategy(const Params& p)
      : threads_(tbb::global_control::max_allowed_parallelism, p.workers), arena_(p.workers) {
    arena_.initialize();
  }
  Result Run(const Params& p, Input& in) {
    arena_.execute([&] {
      if (p.kind == Kind::kAdd2) {
        std::for_each(std::execution::par, in.begin(), in.end(), [](uint64_t& x) { x += 2; });
      } else {
        const int64_t rounds = p.work_iters;
        std::for_each(std::execution::par, in.begin(), in.end(),
                      [rounds](uint64_t& x) { x = Heavy(x, rounds); });
      }
    });
    return View(in);
  }

 private:
  tbb::global_control threads_;
  tbb::task_arena arena_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "std_par",
                          "std::for_each(std::execution::par) (libstdc++ on oneTBB)",
                          StdParStrategy);

}  // namespace parallel_map
#else
namespace parallel_map {
HARNESS_REGISTER_SKIPPED(Scenario, "std_par",
                         "std::for_each(std::execution::par) (libstdc++ on oneTBB)",
                         "oneTBB is not instrumented for ThreadSanitizer (false reports); "
                         "left out of sanitizer builds");
}  // namespace parallel_map
#endif
