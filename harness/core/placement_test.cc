// Placement policies on synthetic hwloc topologies: the exact CPUs (in
// order) each policy chooses for 1, 2, 4, 8, 16 and 32 cores, and that a
// policy stays inside the allowed CPUs.
#include "harness/core/placement.h"

#include <numeric>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "harness/core/affinity.h"

namespace harness {
namespace {

const int kCounts[] = {1, 2, 4, 8, 16, 32};

// "pack:1 core:4 pu:1": one socket, four cores, no SMT.
constexpr char kSmall[] = "pack:1 core:4 pu:1";
// One socket, eight cores, two threads per core numbered side by side.
constexpr char kSmt[] = "pack:1 core:8 pu:2";
// Two sockets x 8 cores x SMT2, a NUMA node per socket, siblings side by side.
constexpr char kTwoSockets[] = "pack:2 numa:1 core:8 pu:2";
// The same machine numbered as Linux usually does: CPU n and n + 16 are the
// two threads of a core, CPUs 0-7 and 16-23 are socket 0.
std::string TwoSocketsLinux() {
  std::string indexes;
  for (int core = 0; core < 16; ++core) {
    indexes += std::to_string(core) + "," + std::to_string(core + 16) + (core < 15 ? "," : "");
  }
  return "pack:2 numa:1 core:8 pu:2(indexes=" + indexes + ")";
}

Topology Load(const std::string& description) {
  auto t = SyntheticTopology(description);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : Topology{};
}

std::vector<int> Range(int lo, int hi) {  // [lo, hi)
  std::vector<int> v(static_cast<size_t>(hi - lo));
  std::iota(v.begin(), v.end(), lo);
  return v;
}

std::vector<int> AllOf(const Topology& t) { return CpuNumbers(t.cpus); }

// The chosen CPUs, or {-1} when Place refuses.
std::vector<int> Chosen(const Topology& t, const std::vector<int>& allowed,
                        const std::string& policy, int n) {
  auto p = ParsePlacement(policy);
  EXPECT_TRUE(p.ok()) << p.status();
  auto placed = Place(t, allowed, *p, n);
  return placed.ok() ? CpuNumbers(*placed) : std::vector<int>{-1};
}

// The first n of `order`, or {-1} when it is shorter.
std::vector<int> Prefix(const std::vector<int>& order, int n) {
  if (static_cast<size_t>(n) > order.size()) return {-1};
  return std::vector<int>(order.begin(), order.begin() + n);
}

void ExpectOrder(const std::string& topology, const std::vector<int>& allowed,
                 const std::string& policy, const std::vector<int>& order) {
  const Topology t = Load(topology);
  for (int n : kCounts) {
    EXPECT_EQ(Chosen(t, allowed.empty() ? AllOf(t) : allowed, policy, n), Prefix(order, n))
        << topology << " " << policy << " n=" << n;
  }
}

TEST(SyntheticTopology, ReadsPackagesNumaCoresAndSiblings) {
  const Topology t = Load(TwoSocketsLinux());
  ASSERT_EQ(t.cpus.size(), 32u);
  // Topology order: socket 0's first core is CPUs 0 and 16.
  EXPECT_EQ(t.cpus[0], (CpuPlace{.cpu = 0, .package = 0, .numa = 0, .core = 0, .smt = 0}));
  EXPECT_EQ(t.cpus[1], (CpuPlace{.cpu = 16, .package = 0, .numa = 0, .core = 0, .smt = 1}));
  EXPECT_EQ(t.cpus[16], (CpuPlace{.cpu = 8, .package = 1, .numa = 1, .core = 8, .smt = 0}));
  EXPECT_EQ(t.cpus[31], (CpuPlace{.cpu = 31, .package = 1, .numa = 1, .core = 15, .smt = 1}));
  EXPECT_FALSE(SyntheticTopology("pack:two").ok());
}

TEST(Placement, OneSocketFourCoresNoSmt) {
  // Without SMT or a second socket the three policies agree.
  for (const char* policy : {"compact", "cores", "spread"}) {
    ExpectOrder(kSmall, {}, policy, {0, 1, 2, 3});
  }
  ExpectOrder(kSmall, {}, "list:3,1", {3, 1});
}

TEST(Placement, OneSocketEightCoresSmt2) {
  ExpectOrder(kSmt, {}, "compact", Range(0, 16));
  const std::vector<int> cores = {0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15};
  ExpectOrder(kSmt, {}, "cores", cores);
  ExpectOrder(kSmt, {}, "spread", cores);  // one domain: as `cores`
  ExpectOrder(kSmt, {}, "list:0,2,4,6", {0, 2, 4, 6});
}

TEST(Placement, TwoSocketsEightCoresSmt2) {
  ExpectOrder(kTwoSockets, {}, "compact", Range(0, 32));
  std::vector<int> cores;
  for (int c = 0; c < 32; c += 2) cores.push_back(c);
  for (int c = 1; c < 32; c += 2) cores.push_back(c);
  ExpectOrder(kTwoSockets, {}, "cores", cores);
  ExpectOrder(kTwoSockets, {}, "spread",
              {0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30,
               1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31});
  ExpectOrder(kTwoSockets, {}, "list:0,16,1", {0, 16, 1});
}

TEST(Placement, TwoSocketsLinuxNumbering) {
  // The policies follow the topology, not the CPU numbers.
  std::vector<int> compact;
  for (int c = 0; c < 16; ++c) compact.insert(compact.end(), {c, c + 16});
  ExpectOrder(TwoSocketsLinux(), {}, "compact", compact);
  ExpectOrder(TwoSocketsLinux(), {}, "cores", Range(0, 32));
  ExpectOrder(TwoSocketsLinux(), {}, "spread",
              {0,  8,  1,  9,  2,  10, 3,  11, 4,  12, 5,  13, 6,  14, 7,  15,
               16, 24, 17, 25, 18, 26, 19, 27, 20, 28, 21, 29, 22, 30, 23, 31});
}

TEST(Placement, StaysInsideTheAllowedCpus) {
  // Allowed: the first four cores of each socket (both threads).
  std::vector<int> allowed = Range(0, 8);
  for (int c : Range(16, 24)) allowed.push_back(c);
  ExpectOrder(kTwoSockets, allowed, "compact", allowed);
  ExpectOrder(kTwoSockets, allowed, "cores",
              {0, 2, 4, 6, 16, 18, 20, 22, 1, 3, 5, 7, 17, 19, 21, 23});
  ExpectOrder(kTwoSockets, allowed, "spread",
              {0, 16, 2, 18, 4, 20, 6, 22, 1, 17, 3, 19, 5, 21, 7, 23});
  // A core whose first thread is not allowed still counts once, by its
  // second thread; only three CPUs are allowed, so 4 and more are refused.
  for (const char* policy : {"compact", "cores", "spread"}) {
    ExpectOrder(kSmt, {1, 2, 5}, policy, {1, 2, 5});
  }
  // A list naming a CPU outside the allowed set, or twice, is refused.
  const Topology t = Load(kTwoSockets);
  EXPECT_EQ(Chosen(t, allowed, "list:0,8", 1), std::vector<int>{-1});
  EXPECT_EQ(Chosen(t, allowed, "list:0,0", 1), std::vector<int>{-1});
  EXPECT_EQ(Chosen(t, allowed, "list:0,40", 1), std::vector<int>{-1});
  EXPECT_EQ(Chosen(t, allowed, "list:16,0", 2), (std::vector<int>{16, 0}));
  // No allowed CPU in the topology at all.
  EXPECT_EQ(Chosen(t, {40, 41}, "cores", 1), std::vector<int>{-1});
}

TEST(ParsePlacement, RejectsUnknownPolicies) {
  EXPECT_FALSE(ParsePlacement("scatter").ok());
  EXPECT_FALSE(ParsePlacement("list:").ok());
  EXPECT_FALSE(ParsePlacement("list:a").ok());
  EXPECT_FALSE(ParsePlacement("").ok());
  auto p = ParsePlacement("list:0-2,8");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->list, (std::vector<int>{0, 1, 2, 8}));
  EXPECT_EQ(p->Name(), "list:0,1,2,8");
}

TEST(Placement, DescribesAndSerializesPlaces) {
  const Topology t = Load(kTwoSockets);
  auto p = ParsePlacement("spread");
  auto placed = Place(t, AllOf(t), *p, 4);
  ASSERT_TRUE(placed.ok());
  EXPECT_EQ(DescribePlaces(*placed),
            "4 CPUs on 2 packages, 2 NUMA nodes, 4 cores, up to 1 per core");
  EXPECT_EQ(PlacesJson({placed->begin(), placed->begin() + 1}),
            R"([{"cpu":0,"package":0,"numa":0,"core":0,"smt":0}])");
}

TEST(Placement, ThisMachineHasEveryAllowedCpu) {
  auto t = LoadTopology();
  ASSERT_TRUE(t.ok()) << t.status();
  auto order = PlacementOrder(*t, AllowedCpus(), PlacementPolicy{});
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(order->size(), AllowedCpus().size());
}

}  // namespace
}  // namespace harness
