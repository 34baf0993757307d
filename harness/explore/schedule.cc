#include "harness/explore/schedule.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace harness::explore {

namespace inject = runtime::inject;

Schedule Schedule::Delay(Point p, int64_t hit) {
  Schedule s;
  s.kind = Kind::kDelay;
  s.point = p;
  s.hit = hit;
  return s;
}

Schedule Schedule::Pct(uint64_t seed, int depth, int64_t steps) {
  Schedule s;
  s.kind = Kind::kPct;
  s.seed = seed;
  s.depth = depth;
  s.steps = steps;
  return s;
}

std::string Schedule::Id() const {
  switch (kind) {
    case Kind::kPlain:
      return "0:none:0";
    case Kind::kDelay:
      return absl::StrCat("0:", inject::Info(point).name, ":", hit);
    case Kind::kPct:
      return absl::StrCat(seed, ":pct", depth, ":", steps);
  }
  return "";
}

std::string_view Schedule::StrategyName() const {
  switch (kind) {
    case Kind::kPlain:
      return "plain";
    case Kind::kDelay:
      return "delay";
    case Kind::kPct:
      return "pct";
  }
  return "";
}

absl::StatusOr<Schedule> ParseSchedule(std::string_view id) {
  std::vector<std::string_view> parts = absl::StrSplit(id, ':');
  if (parts.size() != 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad schedule '", id, "': expected SEED:POINT:HIT (e.g. 0:channel.send:2 or 77:pct3:400)"));
  }
  uint64_t seed = 0;
  int64_t hit = 0;
  if (!absl::SimpleAtoi(parts[0], &seed)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad schedule '", id, "': SEED '", parts[0], "' is not a number"));
  }
  if (!absl::SimpleAtoi(parts[2], &hit) || hit < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad schedule '", id, "': HIT '", parts[2], "' is not a count >= 0"));
  }
  const std::string_view point = parts[1];
  if (point == "none") {
    if (hit != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad schedule '", id, "': the plain schedule is 0:none:0"));
    }
    return Schedule::Plain();
  }
  if (point.substr(0, 3) == "pct" && point.size() > 3) {
    int depth = 0;
    if (!absl::SimpleAtoi(point.substr(3), &depth) || depth < 1 || depth > 64) {
      return absl::InvalidArgumentError(absl::StrCat("bad schedule '", id, "': pct depth '",
                                                     point.substr(3), "' must be in [1, 64]"));
    }
    if (hit < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad schedule '", id, "': pct steps must be >= 1"));
    }
    return Schedule::Pct(seed, depth, hit);
  }
  const auto p = inject::PointByName(point);
  if (!p) {
    std::string known;
    for (const auto& info : inject::kPoints)
      absl::StrAppend(&known, known.empty() ? "" : ", ", info.name);
    return absl::InvalidArgumentError(
        absl::StrCat("bad schedule '", id, "': unknown point '", point, "' (points: ", known, ")"));
  }
  if (hit < 1) {
    return absl::InvalidArgumentError(absl::StrCat("bad schedule '", id, "': HIT counts from 1"));
  }
  return Schedule::Delay(*p, hit);
}

std::vector<Schedule> DelaySchedules(const HitCounts& counts, int64_t k) {
  std::vector<Schedule> out;
  int64_t deepest = 0;
  for (int64_t c : counts) deepest = std::max(deepest, std::min(c, k));
  // Rarest points first: a point hit a few times per run is a protocol
  // transition (park, wake, close), one hit thousands of times is a lock in
  // a loop; a budget that ends early has tried the transitions.
  std::vector<size_t> order;
  for (size_t i = 0; i < kPointCount; ++i) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return counts[a] != counts[b] ? counts[a] < counts[b] : a < b;
  });
  for (int64_t hit = 1; hit <= deepest; ++hit) {
    for (size_t i : order) {
      if (counts[i] >= hit) out.push_back(Schedule::Delay(static_cast<Point>(i), hit));
    }
  }
  return out;
}

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace harness::explore
