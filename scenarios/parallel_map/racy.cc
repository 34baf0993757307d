// Seeded race (control for the ThreadSanitizer check, never benchmarked):
// static chunks whose boundaries overlap by one element, so neighbouring
// workers both read and write the element at each boundary with no
// synchronization. TSan must report it (and the boundary is mapped twice).
#include <algorithm>

#include "harness/runtime/spawn.h"
#include "scenarios/parallel_map/scenario.h"

namespace parallel_map {
namespace {

Result RunRacy(const Params& p, Input& in) {
  const int64_t n = static_cast<int64_t>(in.size());
  uint64_t* data = in.data();
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    const int64_t begin = harness::runtime::ShareBegin(n, p.workers, w);
    const int64_t end = begin + harness::runtime::ShareOf(n, p.workers, w);
    // The race: one element past this chunk's end, which the next worker owns.
    ApplyRange(p, data, begin, std::min(end + 1, n));
  });
  return View(in);
}

}  // namespace

HARNESS_REGISTER_CONTROL(Scenario, "racy", "chunks overlapping by one element", RunRacy);

}  // namespace parallel_map
