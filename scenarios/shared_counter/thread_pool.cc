// A parallel reduce on the project's work-stealing pool (Rayon's
// `(0..n).into_par_iter().count()` shape): the range of increments is split
// in halves through ThreadPool::Join until a piece is at most `grain` long;
// each piece counts in a local variable, and the two halves' counts are added
// on the way back up. The pool of `workers` threads is started untimed (the
// point of a pool is to start it once), so this strategy shows the reduce
// without thread creation.
#include "harness/runtime/thread_pool.h"

#include <cstddef>
#include <cstdint>

#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

using harness::runtime::ThreadPool;

int64_t CountRange(ThreadPool& pool, int64_t lo, int64_t hi, int64_t grain) {
  if (hi - lo > grain) {
    const int64_t mid = lo + (hi - lo) / 2;
    int64_t left = 0, right = 0;
    pool.Join([&] { left = CountRange(pool, lo, mid, grain); },
              [&] { right = CountRange(pool, mid, hi, grain); });
    return left + right;  // Join published both halves' writes
  }
  // The scenario's one kernel (the same machine code as `sequential`).
  return CountSequentially(hi - lo);
}

class ThreadPoolStrategy {
 public:
  explicit ThreadPoolStrategy(const Params& p) : pool_(p.workers) {}

  int64_t Run(const Params& p) {
    if (p.increments == 0) return 0;
    // About 8 pieces per worker (so a thief finds work), at least 1024
    // increments per piece (so a piece costs more than its Join).
    int64_t grain = p.increments / (8 * static_cast<int64_t>(p.workers));
    if (grain < 1024) grain = 1024;
    int64_t total = 0;
    // Called from outside the pool, Join runs the whole reduce on a worker
    // and blocks this thread until it is done.
    pool_.Join([&] { total = CountRange(pool_, 0, p.increments, grain); }, [] {});
    return total;
  }

 private:
  ThreadPool pool_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(
    Scenario, "thread_pool",
    "parallel reduce on the work-stealing pool (split by Join, count locally, add)",
    ThreadPoolStrategy);

}  // namespace shared_counter
