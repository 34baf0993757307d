// One plain loop of single increments on the calling thread, nothing shared:
// the baseline every speedup of the scenario is measured against. `workers`
// plays no part.
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

int64_t RunSequential(const Params& p) { return CountSequentially(p.increments); }

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "sequential",
                          "one loop of single increments on the calling thread (the baseline)",
                          RunSequential,
                          harness::StrategyTraits{.ignores = {"workers"}, .baseline = true});

}  // namespace shared_counter
