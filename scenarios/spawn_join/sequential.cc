// Every task in id order on the calling thread, no concurrency at all: the
// baseline every speedup of the scenario is measured against. A `wait` task
// blocks the caller, so the waits add up. `workers` plays no part.
#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {
namespace {

Result RunSequential(const Params& p) {
  Slots slots(p);
  for (int64_t id = 0; id < p.tasks; ++id) RunTaskBlocking(p, id, slots);
  return std::move(slots).Take();
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "sequential",
                          "every task in turn on the calling thread (the baseline)", RunSequential,
                          harness::StrategyTraits{.ignores = {"workers"}, .baseline = true});

}  // namespace spawn_join
