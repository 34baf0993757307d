#include "harness/core/placement.h"

#include <hwloc.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "harness/core/affinity.h"

namespace harness {
namespace {

// Owns a loaded hwloc topology.
class HwlocTopology {
 public:
  HwlocTopology() { hwloc_topology_init(&t_); }
  ~HwlocTopology() { hwloc_topology_destroy(t_); }
  HwlocTopology(const HwlocTopology&) = delete;
  HwlocTopology& operator=(const HwlocTopology&) = delete;
  hwloc_topology_t get() { return t_; }

 private:
  hwloc_topology_t t_;
};

// The PUs of a loaded topology with their package, NUMA node, core and
// sibling index.
Topology Collect(hwloc_topology_t t, std::string source) {
  Topology out;
  out.source = std::move(source);
  const int pus = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);
  const int nodes = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE);
  std::map<int, int> threads_of_core;  // core -> PUs seen so far
  for (int i = 0; i < pus; ++i) {
    hwloc_obj_t pu = hwloc_get_obj_by_type(t, HWLOC_OBJ_PU, static_cast<unsigned>(i));
    CpuPlace p;
    p.cpu = static_cast<int>(pu->os_index);
    hwloc_obj_t package = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_PACKAGE, pu);
    p.package = package ? static_cast<int>(package->logical_index) : 0;
    hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_CORE, pu);
    // Without Core objects every PU is its own core (indexes after the PUs'
    // own, so they never collide with a real core's).
    p.core = core ? static_cast<int>(core->logical_index) : pus + i;
    for (int n = 0; n < nodes; ++n) {
      hwloc_obj_t node = hwloc_get_obj_by_type(t, HWLOC_OBJ_NUMANODE, static_cast<unsigned>(n));
      if (node->cpuset && hwloc_bitmap_isset(node->cpuset, pu->os_index)) {
        p.numa = static_cast<int>(node->logical_index);
        break;
      }
    }
    p.smt = threads_of_core[p.core]++;
    out.cpus.push_back(p);
  }
  return out;
}

// `places` (all allowed, topology order) in `cores` order: the first thread
// of every core, then the second of every core, ...
std::vector<CpuPlace> CoresOrder(const std::vector<CpuPlace>& places) {
  std::vector<int> core_order;
  std::map<int, std::vector<CpuPlace>> by_core;
  for (const CpuPlace& p : places) {
    if (!by_core.count(p.core)) core_order.push_back(p.core);
    by_core[p.core].push_back(p);
  }
  std::vector<CpuPlace> out;
  for (size_t pass = 0; out.size() < places.size(); ++pass) {
    for (int core : core_order) {
      const auto& threads = by_core[core];
      if (pass < threads.size()) out.push_back(threads[pass]);
    }
  }
  return out;
}

// Round-robin over the (package, NUMA node) domains in topology order, each
// in `cores` order.
std::vector<CpuPlace> SpreadOrder(const std::vector<CpuPlace>& places) {
  std::vector<std::pair<int, int>> domain_order;
  std::map<std::pair<int, int>, std::vector<CpuPlace>> by_domain;
  for (const CpuPlace& p : places) {
    const std::pair<int, int> d = {p.package, p.numa};
    if (!by_domain.count(d)) domain_order.push_back(d);
    by_domain[d].push_back(p);
  }
  std::vector<std::vector<CpuPlace>> queues;
  for (const auto& d : domain_order) queues.push_back(CoresOrder(by_domain[d]));
  std::vector<CpuPlace> out;
  for (size_t i = 0; out.size() < places.size(); ++i) {
    for (const auto& q : queues) {
      if (i < q.size()) out.push_back(q[i]);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<Topology> LoadTopology() {
  HwlocTopology t;
  // The whole machine: the allowed CPUs are applied by the policies.
  hwloc_topology_set_flags(t.get(), HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED);
  if (hwloc_topology_load(t.get()) != 0) {
    return absl::InternalError("hwloc cannot load this machine's topology");
  }
  return Collect(t.get(), "this machine");
}

absl::StatusOr<Topology> SyntheticTopology(std::string_view description) {
  HwlocTopology t;
  const std::string text(description);
  if (hwloc_topology_set_synthetic(t.get(), text.c_str()) != 0 ||
      hwloc_topology_load(t.get()) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("bad synthetic topology '", description, "'"));
  }
  return Collect(t.get(), "synthetic:" + text);
}

std::string PlacementPolicy::Name() const {
  switch (kind) {
    case kCompact:
      return "compact";
    case kCores:
      return "cores";
    case kSpread:
      return "spread";
    case kList:
      return "list:" + absl::StrJoin(list, ",");
  }
  return "";
}

absl::StatusOr<PlacementPolicy> ParsePlacement(std::string_view text) {
  PlacementPolicy p;
  if (text == "compact") {
    p.kind = PlacementPolicy::kCompact;
  } else if (text == "cores") {
    p.kind = PlacementPolicy::kCores;
  } else if (text == "spread") {
    p.kind = PlacementPolicy::kSpread;
  } else if (absl::StartsWith(text, "list:")) {
    auto cpus = ParseCpuList(text.substr(5));
    if (!cpus.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--placement ", text, ": ", cpus.status().message()));
    }
    p.kind = PlacementPolicy::kList;
    p.list = *cpus;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--placement '", text, "': expected compact, cores, spread or list:<cpus>"));
  }
  return p;
}

absl::StatusOr<std::vector<CpuPlace>> PlacementOrder(const Topology& topology,
                                                     const std::vector<int>& allowed,
                                                     const PlacementPolicy& policy) {
  const std::set<int> allowed_set(allowed.begin(), allowed.end());
  std::vector<CpuPlace> usable;
  for (const CpuPlace& p : topology.cpus) {
    if (allowed_set.count(p.cpu)) usable.push_back(p);
  }
  if (usable.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("none of the allowed CPUs (", FormatCpuList(allowed), ") is in the topology (",
                     topology.source, ")"));
  }
  switch (policy.kind) {
    case PlacementPolicy::kCompact:
      return usable;
    case PlacementPolicy::kCores:
      return CoresOrder(usable);
    case PlacementPolicy::kSpread:
      return SpreadOrder(usable);
    case PlacementPolicy::kList:
      break;
  }
  std::map<int, CpuPlace> by_cpu;
  for (const CpuPlace& p : usable) by_cpu[p.cpu] = p;
  std::vector<CpuPlace> out;
  std::set<int> seen;
  for (int cpu : policy.list) {
    if (!seen.insert(cpu).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("--placement ", policy.Name(), ": CPU ", cpu, " is listed twice"));
    }
    auto it = by_cpu.find(cpu);
    if (it == by_cpu.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--placement ", policy.Name(), ": CPU ", cpu,
          " is not among the CPUs this process may use (", FormatCpuList(CpuNumbers(usable)), ")"));
    }
    out.push_back(it->second);
  }
  return out;
}

absl::StatusOr<std::vector<CpuPlace>> Place(const Topology& topology,
                                            const std::vector<int>& allowed,
                                            const PlacementPolicy& policy, int n) {
  auto order = PlacementOrder(topology, allowed, policy);
  if (!order.ok()) return order.status();
  if (n < 1 || static_cast<size_t>(n) > order->size()) {
    return absl::InvalidArgumentError(absl::StrCat(n, " cores: placement ", policy.Name(),
                                                   " has only ", order->size(), " CPUs (",
                                                   FormatCpuList(CpuNumbers(*order)), ")"));
  }
  order->resize(static_cast<size_t>(n));
  return order;
}

std::vector<int> CpuNumbers(const std::vector<CpuPlace>& places) {
  std::vector<int> out;
  for (const CpuPlace& p : places) out.push_back(p.cpu);
  return out;
}

std::string DescribePlaces(const std::vector<CpuPlace>& places) {
  std::set<int> packages, nodes, cores;
  int max_smt = 0;
  std::map<int, int> per_core;
  for (const CpuPlace& p : places) {
    packages.insert(p.package);
    nodes.insert(p.numa);
    cores.insert(p.core);
    max_smt = std::max(max_smt, ++per_core[p.core]);
  }
  auto plural = [](size_t n, const char* what) {
    return absl::StrCat(n, " ", what, n == 1 ? "" : "s");
  };
  return absl::StrCat(plural(places.size(), "CPU"), " on ", plural(packages.size(), "package"),
                      ", ", plural(nodes.size(), "NUMA node"), ", ", plural(cores.size(), "core"),
                      ", up to ", max_smt, " per core");
}

std::string PlacesJson(const std::vector<CpuPlace>& places) {
  std::vector<std::string> items;
  for (const CpuPlace& p : places) {
    items.push_back(absl::StrFormat(R"({"cpu":%d,"package":%d,"numa":%d,"core":%d,"smt":%d})",
                                    p.cpu, p.package, p.numa, p.core, p.smt));
  }
  return "[" + absl::StrJoin(items, ",") + "]";
}

}  // namespace harness
