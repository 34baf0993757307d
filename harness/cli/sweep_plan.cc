#include "harness/cli/sweep_plan.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace harness::cli {

std::vector<RoundOrder> MakeRoundOrders(int n, int rounds, uint64_t seed, bool paired) {
  std::mt19937_64 rng(seed);
  // rng() % bound has a bias of at most bound / 2^64: negligible here.
  auto below = [&rng](uint64_t bound) { return static_cast<int>(rng() % bound); };
  std::vector<RoundOrder> orders(static_cast<size_t>(rounds));
  for (RoundOrder& order : orders) {
    order.cases.resize(static_cast<size_t>(n));
    std::iota(order.cases.begin(), order.cases.end(), 0);
    for (int i = n - 1; i > 0; --i) {
      std::swap(order.cases[static_cast<size_t>(i)],
                order.cases[static_cast<size_t>(below(static_cast<uint64_t>(i) + 1))]);
    }
    if (paired) {
      for (int i = 0; i < n; ++i) order.a_first.push_back(below(2) == 0);
    }
  }
  return orders;
}

absl::StatusOr<Shard> ParseShard(std::string_view text) {
  std::vector<std::string_view> parts = absl::StrSplit(text, '/');
  Shard s;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &s.index) ||
      !absl::SimpleAtoi(parts[1], &s.count) || s.count < 1 || s.index < 1 || s.index > s.count) {
    return absl::InvalidArgumentError(
        absl::StrCat("--shard '", text, "': expected i/n with 1 <= i <= n, e.g. 2/3"));
  }
  return s;
}

std::vector<int> ShardIndices(const std::vector<double>& expected_seconds, Shard shard) {
  std::vector<int> by_time(expected_seconds.size());
  std::iota(by_time.begin(), by_time.end(), 0);
  std::sort(by_time.begin(), by_time.end(), [&](int a, int b) {
    const double ta = expected_seconds[static_cast<size_t>(a)];
    const double tb = expected_seconds[static_cast<size_t>(b)];
    return ta != tb ? ta > tb : a < b;
  });
  std::vector<double> load(static_cast<size_t>(shard.count), 0.0);
  std::vector<int> mine;
  for (int i : by_time) {
    const size_t to =
        static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[to] += expected_seconds[static_cast<size_t>(i)];
    if (static_cast<int>(to) == shard.index - 1) mine.push_back(i);
  }
  std::sort(mine.begin(), mine.end());
  return mine;
}

}  // namespace harness::cli
