// Sharding (--shard i/n): every case in exactly one shard, the same split
// on every call, and shards balanced by expected time.
#include "harness/cli/sweep_plan.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "gtest/gtest.h"

namespace harness::cli {
namespace {

std::vector<int> Shard(const std::vector<double>& times, int i, int n) {
  return ShardIndices(times, {.index = i, .count = n});
}

TEST(ShardIndices, PartitionThePlan) {
  const std::vector<double> times(10, 1.0);
  for (int n : {1, 2, 3, 4, 10, 12}) {
    std::vector<int> all;
    for (int i = 1; i <= n; ++i) {
      const std::vector<int> mine = Shard(times, i, n);
      EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
      EXPECT_EQ(mine, Shard(times, i, n));  // deterministic
      EXPECT_LE(mine.size(), static_cast<size_t>((10 + n - 1) / n)) << i << "/" << n;
      all.insert(all.end(), mine.begin(), mine.end());
    }
    std::sort(all.begin(), all.end());
    std::vector<int> expected(10);
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(all, expected) << n << " shards";
  }
}

TEST(ShardIndices, EqualTimesDealInPlanOrder) {
  const std::vector<double> times(7, 2.0);
  EXPECT_EQ(Shard(times, 1, 3), (std::vector<int>{0, 3, 6}));
  EXPECT_EQ(Shard(times, 2, 3), (std::vector<int>{1, 4}));
  EXPECT_EQ(Shard(times, 3, 3), (std::vector<int>{2, 5}));
}

TEST(ShardIndices, BalancesByExpectedTime) {
  // One long case and six short ones: the long one alone fills shard 1.
  const std::vector<double> times = {1, 1, 6, 1, 1, 1, 1};
  EXPECT_EQ(Shard(times, 1, 2), (std::vector<int>{2}));
  EXPECT_EQ(Shard(times, 2, 2), (std::vector<int>{0, 1, 3, 4, 5, 6}));
  // Greedy longest-first: totals 9 and 9.
  const std::vector<double> mixed = {5, 4, 3, 3, 2, 1};
  EXPECT_EQ(Shard(mixed, 1, 2), (std::vector<int>{0, 3, 5}));
  EXPECT_EQ(Shard(mixed, 2, 2), (std::vector<int>{1, 2, 4}));
}

TEST(ParseShard, AcceptsIOverN) {
  auto s = ParseShard("2/3");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 3);
  for (const char* bad : {"0/3", "4/3", "1/0", "1", "a/b", "1/2/3", "-1/2", ""}) {
    EXPECT_FALSE(ParseShard(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace harness::cli
