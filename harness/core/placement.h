// Topology-aware placement: which CPUs a case with n cores is pinned to.
//
// The topology comes from hwloc (this machine's, or a synthetic one such as
// "pack:2 numa:1 core:8 pu:2" for tests); the process's allowed CPUs
// (AllowedCpus(), affinity.h) restrict it. A policy orders the allowed CPUs,
// and a case with n cores takes the first n of that order, so the CPUs of
// n cores are always a subset of those of n + 1:
//
//   compact    fill a core's hardware threads, then the next core (topology
//              order: package, core, SMT sibling).
//   cores      one hardware thread per physical core first, then the second
//              thread of every core, and so on (the default).
//   spread     round-robin over the NUMA domains (package + NUMA node), each
//              domain in `cores` order.
//   list:0,2,4 exactly these CPUs, in this order ("list:0-3,8" ranges too).
//
// Every CPU chosen is allowed; a policy never leaves the allowed set.
#ifndef HARNESS_CORE_PLACEMENT_H_
#define HARNESS_CORE_PLACEMENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace harness {

// One hardware thread (hwloc PU) and where it sits.
struct CpuPlace {
  int cpu = 0;      // the OS CPU number (what sched_setaffinity takes)
  int package = 0;  // hwloc logical index of its package (socket)
  int numa = 0;     // hwloc logical index of its NUMA node
  int core = 0;     // hwloc logical index of its core (unique machine-wide)
  int smt = 0;      // its index among its core's hardware threads (0 = first)

  friend bool operator==(const CpuPlace&, const CpuPlace&) = default;
};

// Every hardware thread of a machine, in hwloc's topology order (package,
// core, thread).
struct Topology {
  std::vector<CpuPlace> cpus;
  std::string source;  // "this machine" or "synthetic:<description>"
};

// This machine's topology (hwloc's view, not restricted to the allowed CPUs).
absl::StatusOr<Topology> LoadTopology();
// A synthetic topology in hwloc's synthetic syntax, e.g.
// "pack:2 numa:1 core:8 pu:2" or "core:2 pu:2(indexes=0,2,1,3)".
absl::StatusOr<Topology> SyntheticTopology(std::string_view description);

struct PlacementPolicy {
  enum Kind { kCompact, kCores, kSpread, kList } kind = kCores;
  std::vector<int> list;  // kList: the CPUs, in order

  // "compact", "cores", "spread" or "list:<cpu list>".
  std::string Name() const;
};

// Parses --placement; an InvalidArgument error naming the bad text.
absl::StatusOr<PlacementPolicy> ParsePlacement(std::string_view text);

// Every CPU the policy would use, in the order it takes them (the first n
// are the placement of n cores): the allowed CPUs of `topology` ordered by
// `policy`. Allowed CPUs the topology does not know are left out. Errors: a
// list CPU that is not allowed or not in the topology, a list naming a CPU
// twice, or no allowed CPU at all.
absl::StatusOr<std::vector<CpuPlace>> PlacementOrder(const Topology& topology,
                                                     const std::vector<int>& allowed,
                                                     const PlacementPolicy& policy);

// The first `n` of PlacementOrder; an error when there are fewer than n.
absl::StatusOr<std::vector<CpuPlace>> Place(const Topology& topology,
                                            const std::vector<int>& allowed,
                                            const PlacementPolicy& policy, int n);

// The OS CPU numbers of `places`, in order.
std::vector<int> CpuNumbers(const std::vector<CpuPlace>& places);

// A one-line summary: "4 CPUs on 1 package, 1 NUMA node, 4 cores, 1 per core".
std::string DescribePlaces(const std::vector<CpuPlace>& places);

// JSON text of the places: [{"cpu":0,"package":0,"numa":0,"core":0,"smt":0},...].
std::string PlacesJson(const std::vector<CpuPlace>& places);

}  // namespace harness

#endif  // HARNESS_CORE_PLACEMENT_H_
