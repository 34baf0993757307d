// Machine-state probes taken by `harness sweep` around each repetition: the
// inter-core round trip between two of the pinned CPUs (a cheap reading of
// the "near or far cores" state of a virtual machine), and the steal and
// interrupt time the kernel counted on those CPUs (/proc/stat) over the
// repetition. A probe takes about 2 ms at most (longer only when its
// threads are descheduled).
#ifndef HARNESS_CORE_MACHINE_PROBE_H_
#define HARNESS_CORE_MACHINE_PROBE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace harness {

// One CPU's counters from a /proc/stat "cpuN" line, in clock ticks
// (USER_HZ, sysconf(_SC_CLK_TCK)).
struct CpuTicks {
  int64_t irq = 0;      // hardware interrupts
  int64_t softirq = 0;  // software interrupts
  int64_t steal = 0;    // time the hypervisor ran something else
};

// Per-CPU counters keyed by CPU number. The aggregate "cpu" line is skipped.
using ProcStat = std::map<int, CpuTicks>;

// Parses the text of /proc/stat. Lines other than "cpuN ..." are ignored; a
// "cpuN" line with fewer than 8 numeric fields (kernels before 2.6.11 have no
// steal column) or a malformed number is an error naming the line.
absl::StatusOr<ProcStat> ParseProcStat(std::string_view text);

// Reads and parses /proc/stat; an empty map when it cannot be read (not
// Linux, or a sandbox without /proc).
ProcStat ReadProcStat();

// Steal and interrupt (irq + softirq) milliseconds counted on `cpus` between
// two readings. nullopt when a CPU is missing from either reading. The
// resolution is one clock tick (10 ms at USER_HZ = 100).
struct StealIrq {
  double steal_ms = 0;
  double irq_ms = 0;
};
std::optional<StealIrq> StealIrqBetween(const ProcStat& before, const ProcStat& after,
                                        const std::vector<int>& cpus);

// The inter-core round trip between `cpu_a` and `cpu_b`: two threads pinned
// one to each CPU pass a token back and forth through one atomic (each trip
// is a write by A, seen by B, a write by B, seen by A). Runs `trips` round
// trips or until `budget_ns` has passed, whichever is first; no trip starts
// after the budget, but one in flight when a thread is descheduled lasts
// until it runs again (and that trip's time says so). On a loaded machine B
// may not reach its CPU within the budget: then no trip completes.
struct RoundTrip {
  std::optional<double> median_ns;  // nullopt: no trip completed
  int trips = 0;                    // round trips completed
};
RoundTrip MeasureRoundTrip(int cpu_a, int cpu_b, int trips = 300, int64_t budget_ns = 2'000'000);

}  // namespace harness

#endif  // HARNESS_CORE_MACHINE_PROBE_H_
