// CPU affinity: which CPUs this process may use (sched_getaffinity, not
// hardware_concurrency, which ignores the mask), CPU list text ("0-3,8"),
// and pinning.
#ifndef HARNESS_CORE_AFFINITY_H_
#define HARNESS_CORE_AFFINITY_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace harness {

// The CPUs the calling thread may run on, ascending.
std::vector<int> AllowedCpus();

// "0-3,8,10-11" for {0,1,2,3,8,10,11}.
std::string FormatCpuList(const std::vector<int>& cpus);
// The inverse of FormatCpuList; rejects malformed text and negative CPUs.
absl::StatusOr<std::vector<int>> ParseCpuList(std::string_view text);

// Restricts the calling thread (and threads and processes it creates later)
// to `cpus`.
absl::Status PinToCpus(const std::vector<int>& cpus);

}  // namespace harness

#endif  // HARNESS_CORE_AFFINITY_H_
