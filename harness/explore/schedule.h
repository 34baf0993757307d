// A schedule: what one explored run does at the runtime's injection points
// (harness/runtime/injection.h), named by one replayable id
// "SEED:POINT:HIT":
//
//   0:none:0            plain: no delay (the run that counts the hits)
//   0:pool.sleep:3      delay-bounded: one long delay at the 3rd hit of the
//                       point "pool.sleep", on the thread that reaches it
//                       (SEED is unused and printed as 0)
//   8812:pct3:5120      PCT: priorities and change points drawn from SEED,
//                       with depth d = 3 (d - 1 priority-change points)
//                       spread over the first 5120 steps (injection hits)
//
// `harness explore --filter CASE --replay ID` runs one case under one id.
// The id names the schedule fully; the outcome of a replay still depends on
// the operating system's scheduling between injection points, so a replay
// re-creates the exploration's pressure, not an exact interleaving.
#ifndef HARNESS_EXPLORE_SCHEDULE_H_
#define HARNESS_EXPLORE_SCHEDULE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/runtime/injection.h"

namespace harness::explore {

using runtime::inject::kPointCount;
using runtime::inject::Point;

// Hits of each injection point during one run, indexed by Point.
using HitCounts = std::array<int64_t, kPointCount>;

struct Schedule {
  enum class Kind { kPlain, kDelay, kPct };
  Kind kind = Kind::kPlain;
  uint64_t seed = 0;  // kPct: draws the priorities and the change points
  Point point{};      // kDelay: the point delayed
  int64_t hit = 0;    // kDelay: which hit of `point` (1-based)
  int depth = 0;      // kPct: d (>= 1); d - 1 priority changes
  int64_t steps = 0;  // kPct: k, the steps the change points are drawn from

  static Schedule Plain() { return Schedule{}; }
  static Schedule Delay(Point p, int64_t hit);
  static Schedule Pct(uint64_t seed, int depth, int64_t steps);

  // The replayable id (see the file comment).
  std::string Id() const;
  // "plain", "delay" or "pct".
  std::string_view StrategyName() const;
};

// Parses an id. Errors name the part that is wrong (InvalidArgument).
absl::StatusOr<Schedule> ParseSchedule(std::string_view id);

// The delay-bounded schedules for a case whose runs reached the points
// `counts` times: for every point reached, its hits 1..min(count, k), in the
// order hit 1 of every point, then hit 2 of every point, and so on, so that
// a time budget that ends early has covered the shallow hits of every point;
// within one hit number the rarest points come first (a point hit a few
// times per run is a protocol transition, one hit thousands of times a lock
// in a loop).
std::vector<Schedule> DelaySchedules(const HitCounts& counts, int64_t k);

// A well-mixed 64-bit value from `x` (SplitMix64), for deriving seeds.
uint64_t Mix(uint64_t x);

}  // namespace harness::explore

#endif  // HARNESS_EXPLORE_SCHEDULE_H_
