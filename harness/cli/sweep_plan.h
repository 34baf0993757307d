// What a sweep runs and in which order: every selected case at every core
// count, and the seeded order of each repetition round.
//
// A sweep runs rounds, not case blocks: round r runs one repetition of every
// case, in a fresh random order per round, so every case samples every state
// the machine goes through during the sweep (a noisy VM changes state every
// few minutes; running all repetitions of case A and then all of case B
// would put A and B in different states). In a paired A/B sweep each
// repetition runs once with each binary, back to back, in a random A/B order.
#ifndef HARNESS_CLI_SWEEP_PLAN_H_
#define HARNESS_CLI_SWEEP_PLAN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/core/cases.h"

namespace harness::cli {

struct PlannedCase {
  int cores = 0;
  CaseSpec spec;
  std::string tag;  // "c<cores>:<case name>", as in the manifest
};

// The order of one round: indices into the plan, and for a paired sweep
// whether A runs before B for each of them (same length as `cases`; empty
// when not paired).
struct RoundOrder {
  std::vector<int> cases;
  std::vector<bool> a_first;
};

// `rounds` orders of `n` cases from `seed`: each a uniform random
// permutation (Fisher-Yates on a 64-bit Mersenne Twister, so the same seed
// gives the same orders with any standard library), and, when `paired`, a
// fair coin per case for A/B order.
std::vector<RoundOrder> MakeRoundOrders(int n, int rounds, uint64_t seed, bool paired);

// `--shard i/n`: shard `index` (1-based) of `count`.
struct Shard {
  int index = 1;
  int count = 1;
};

// Parses "i/n" (1 <= i <= n); an InvalidArgument error naming the text.
absl::StatusOr<Shard> ParseShard(std::string_view text);

// The plan indices (ascending) that `shard` runs, given each planned case's
// expected seconds. Longest expected time first, each case goes to the shard
// with the least expected time so far (ties: the lower shard; equal times:
// plan order), so the shards' totals differ by at most one case's time and
// the split depends only on the plan and the times: every shard computes the
// same split, and the shards together hold every case exactly once.
std::vector<int> ShardIndices(const std::vector<double>& expected_seconds, Shard shard);

}  // namespace harness::cli

#endif  // HARNESS_CLI_SWEEP_PLAN_H_
