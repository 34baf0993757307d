// One std::atomic counter, fetch_add per increment. Relaxed order suffices:
// only the total matters, and thread join publishes it to the caller.
#include <atomic>

#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

int64_t RunAtomics(const Params& p) {
  std::atomic<int64_t> counter{0};
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    for (int64_t i = harness::runtime::ShareOf(p.increments, p.workers, w); i > 0; --i) {
      counter.fetch_add(1, std::memory_order_relaxed);
    }
  });
  return counter.load(std::memory_order_relaxed);
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "atomics", "std::atomic fetch_add per increment", RunAtomics,
                          harness::StrategyTraits{.overhead_reason = kAtomicPerIncrement});

}  // namespace shared_counter
