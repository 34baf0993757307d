// The plain loop on the calling thread: the baseline every speedup is
// measured against. `workers` plays no part.
#include "scenarios/parallel_map/scenario.h"

namespace parallel_map {
namespace {

Result RunSequential(const Params& p, Input& in) {
  ApplyRange(p, in.data(), 0, in.size());
  return View(in);
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "sequential", "one loop on the calling thread (the baseline)",
                          RunSequential,
                          harness::StrategyTraits{.ignores = {"workers"}, .baseline = true});

}  // namespace parallel_map
