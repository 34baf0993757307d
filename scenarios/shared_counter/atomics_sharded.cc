// Per-worker atomic counters, each on its own cache line (no false sharing),
// summed once at the end.
#include <atomic>
#include <new>
#include <vector>

#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

struct alignas(64) Shard {
  std::atomic<int64_t> value{0};
};

int64_t RunAtomicsSharded(const Params& p) {
  std::vector<Shard> shards(p.workers);
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    std::atomic<int64_t>& mine = shards[w].value;
    for (int64_t i = harness::runtime::ShareOf(p.increments, p.workers, w); i > 0; --i) {
      // Uncontended: the cache line stays in this core's cache.
      mine.fetch_add(1, std::memory_order_relaxed);
    }
  });
  int64_t total = 0;
  for (const Shard& s : shards) total += s.value.load(std::memory_order_relaxed);
  return total;
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "atomics_sharded",
                          "per-worker counters on separate cache lines, summed at the end",
                          RunAtomicsSharded,
                          harness::StrategyTraits{.overhead_reason = kAtomicPerIncrement});

}  // namespace shared_counter
