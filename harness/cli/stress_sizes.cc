#include "harness/cli/stress_sizes.h"

#include <algorithm>
#include <string>

#include "harness/runtime/actor.h"

namespace harness::cli {

// The constants the runtime exposes are read from it; the private ones
// (channel_fast.h) and the strategies' own are copied in kBoundaries.
static_assert(runtime::Actor<int>::kBatch == kBoundaries[2].value,
              "Actor::kBatch changed: update kBoundaries in stress_sizes.h");

bool IsSizeParam(const ParamSpec& spec) {
  if (spec.is_word()) return false;
  int64_t quick = 0;
  for (const std::string& q : spec.quick) quick = std::max<int64_t>(quick, std::stoll(q));
  return quick >= kMinSizeQuick;
}

std::vector<int64_t> BoundarySizes(const ParamSpec& spec) {
  std::vector<int64_t> out;
  for (const Boundary& b : kBoundaries) {
    for (int64_t v : {b.value - 1, b.value, b.value + 1, 2 * b.value + 1}) {
      if (v >= spec.min && v <= spec.max) out.push_back(v);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace harness::cli
