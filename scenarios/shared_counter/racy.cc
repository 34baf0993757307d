// Seeded race (control for the ThreadSanitizer check, never benchmarked): a
// plain ++ on a shared int with no synchronization. TSan must report it.
#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

int64_t RunRacy(const Params& p) {
  int64_t counter = 0;
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    for (int64_t i = harness::runtime::ShareOf(p.increments, p.workers, w); i > 0; --i) {
      ++counter;  // the race
    }
  });
  return counter;
}

}  // namespace

HARNESS_REGISTER_CONTROL(Scenario, "racy", "unsynchronized ++ on a shared int", RunRacy);

}  // namespace shared_counter
