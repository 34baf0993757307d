// The project's work-stealing pool (started untimed, `workers` workers):
// ParallelFor splits the range in halves recursively (Join) down to about 32
// pieces per worker (ThreadPool::kAutoPiecesPerWorker); idle workers steal
// halves (Rayon's way). Its workers are pinned, one per CPU, and the calling
// thread is one of them (ThreadPool::Caller::kJoins: `workers` - 1 threads
// plus the caller, as in tbb::parallel_for's arena).
#include "harness/runtime/thread_pool.h"

#include "scenarios/parallel_map/scenario.h"

namespace parallel_map {
namespace {

class ThreadPoolStrategy {
 public:
  // Pinned workers: a data-parallel loop wants one worker per CPU throughout
  // (ThreadPool::Placement::kPinned says why); the caller works rather than
  // hand each loop to a sleeping worker (ThreadPool::Caller::kJoins).
  explicit ThreadPoolStrategy(const Params& p)
      : pool_(p.workers, harness::runtime::ThreadPool::Placement::kPinned,
              harness::runtime::ThreadPool::Caller::kJoins) {}
  Result Run(const Params& p, Input& in) {
    uint64_t* data = in.data();
    pool_.ParallelFor(0, in.size(), /*grain=*/0,
                      [&](size_t lo, size_t hi) { ApplyRange(p, data, lo, hi); });
    return View(in);
  }

 private:
  harness::runtime::ThreadPool pool_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(
    Scenario, "thread_pool",
    "work-stealing pool, recursive halving ParallelFor, the caller one of its workers",
    ThreadPoolStrategy);

}  // namespace parallel_map
