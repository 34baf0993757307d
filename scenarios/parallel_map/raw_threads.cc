// One std::thread per worker over a static contiguous chunk (sizes differ by
// at most one element).
#include "harness/runtime/spawn.h"
#include "scenarios/parallel_map/scenario.h"

namespace parallel_map {
namespace {

Result RunRawThreads(const Params& p, Input& in) {
  const int64_t n = static_cast<int64_t>(in.size());
  uint64_t* data = in.data();
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    const int64_t begin = harness::runtime::ShareBegin(n, p.workers, w);
    ApplyRange(p, data, begin, begin + harness::runtime::ShareOf(n, p.workers, w));
  });
  return View(in);
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "raw_threads",
                          "one thread per worker, static contiguous chunks", RunRawThreads);

}  // namespace parallel_map
