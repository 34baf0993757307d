// One std::thread per worker; worker w runs a contiguous static share of the
// task ids one after another.
#include "harness/runtime/spawn.h"
#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {
namespace {

Result RunRawThreads(const Params& p) {
  Slots slots(p);
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    const int64_t begin = harness::runtime::ShareBegin(p.tasks, p.workers, w);
    const int64_t end = begin + harness::runtime::ShareOf(p.tasks, p.workers, w);
    for (int64_t id = begin; id < end; ++id) RunTaskBlocking(p, id, slots);
  });
  return std::move(slots).Take();
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "raw_threads",
                          "one thread per worker, static split of the task ids", RunRawThreads);

}  // namespace spawn_join
