#include "harness/core/affinity.h"

#include <sched.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "harness/runtime/affinity.h"

namespace harness {

std::vector<int> AllowedCpus() { return runtime::AllowedCpus(); }

std::string FormatCpuList(const std::vector<int>& cpus) {
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    absl::StrAppend(&out, cpus[i]);
    if (j > i) absl::StrAppend(&out, "-", cpus[j]);
    i = j + 1;
  }
  return out;
}

absl::StatusOr<std::vector<int>> ParseCpuList(std::string_view text) {
  std::vector<int> out;
  for (std::string_view part : absl::StrSplit(text, ',')) {
    std::vector<std::string_view> range = absl::StrSplit(part, '-');
    int lo = 0, hi = 0;
    if (range.size() == 1 && absl::SimpleAtoi(range[0], &lo)) {
      hi = lo;
    } else if (range.size() != 2 || !absl::SimpleAtoi(range[0], &lo) ||
               !absl::SimpleAtoi(range[1], &hi) || hi < lo) {
      return absl::InvalidArgumentError(absl::StrCat("bad CPU list element '", part, "'"));
    }
    if (lo < 0 || hi >= CPU_SETSIZE) {
      return absl::InvalidArgumentError(absl::StrCat("CPU number out of range in '", part, "'"));
    }
    for (int c = lo; c <= hi; ++c) out.push_back(c);
  }
  return out;
}

absl::Status PinToCpus(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus) CPU_SET(c, &set);
  if (sched_setaffinity(0, sizeof(set), &set) != 0) {
    return absl::InternalError(
        absl::StrCat("sched_setaffinity(", FormatCpuList(cpus), "): ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace harness
