// Each thread counts in a local variable and merges once into an atomic
// total: no sharing inside the loop at all.
#include <atomic>

#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

int64_t RunRawThreads(const Params& p) {
  std::atomic<int64_t> total{0};
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    int64_t local = 0;
    for (int64_t i = harness::runtime::ShareOf(p.increments, p.workers, w); i > 0; --i) {
      ++local;
      // Keep one increment per step (as the other strategies do) instead of
      // letting the compiler fold the loop into one addition.
      asm volatile("" : "+r"(local));
    }
    total.fetch_add(local, std::memory_order_relaxed);
  });
  return total.load(std::memory_order_relaxed);
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "raw_threads",
                          "count locally per thread, merge once at the end", RunRawThreads);

}  // namespace shared_counter
