// Controls of the answer check (detector "check"): each run's answer is
// compared with the reference after every timed run. Both bugs pass a check
// made only on a case's first run, or only at worker counts and sizes that
// divide evenly.
#include <atomic>

#include "harness/runtime/spawn.h"
#include "harness/selftest/scenarios.h"

namespace harness::selftest {
namespace {

// Right on its first run, wrong on every later one: the accumulator is a
// member that is never reset between runs (a pooled object not cleared).
class StaleAccumulator {
 public:
  explicit StaleAccumulator(const SumScenario::Params&) {}
  int64_t Run(const SumScenario::Params& p) {
    runtime::SpawnWorkers(p.workers, [&](int w) {
      const int64_t begin = runtime::ShareBegin(p.items, p.workers, w);
      const int64_t end = begin + runtime::ShareOf(p.items, p.workers, w);
      int64_t local = 0;
      for (int64_t i = begin; i < end; ++i) local += i + 1;
      total_.fetch_add(local, std::memory_order_relaxed);
    });
    return total_.load(std::memory_order_relaxed);  // the bug: total_ is never reset
  }

 private:
  std::atomic<int64_t> total_{0};
};

// Right only when workers divides items: each worker takes items / workers
// numbers and the remainder is dropped.
class DroppedRemainder {
 public:
  explicit DroppedRemainder(const SumScenario::Params&) {}
  int64_t Run(const SumScenario::Params& p) {
    std::atomic<int64_t> total{0};
    const int64_t chunk = p.items / p.workers;  // the bug: items % workers is lost
    runtime::SpawnWorkers(p.workers, [&](int w) {
      int64_t local = 0;
      for (int64_t i = w * chunk; i < (w + 1) * chunk; ++i) local += i + 1;
      total.fetch_add(local, std::memory_order_relaxed);
    });
    return total.load(std::memory_order_relaxed);
  }
};

}  // namespace

HARNESS_REGISTER_CONTROL_FOR(SumScenario, "stale_accumulator",
                             "right on the first run, wrong on later ones (state not reset)",
                             "check", StaleAccumulator);
HARNESS_REGISTER_CONTROL_FOR(SumScenario, "dropped_remainder",
                             "right only when workers divides items (remainder dropped)", "check",
                             DroppedRemainder);

}  // namespace harness::selftest
