#include "harness/cli/sweep_plan.h"

#include <numeric>
#include <random>
#include <utility>

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

}  // namespace harness::cli
