#include "harness/core/run_context.h"

#include <sys/utsname.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "benchmark/benchmark.h"
#include "harness/core/affinity.h"
#include "harness/core/build_info.h"
#include "harness/core/strategy_metadata.h"

namespace harness {
namespace {

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "model name")) {
      auto pos = line.find(':');
      if (pos != std::string::npos) {
        return std::string(absl::StripAsciiWhitespace(line.substr(pos + 1)));
      }
    }
  }
  return "unknown";
}

std::string Kernel() {
  utsname u;
  if (uname(&u) != 0) return "unknown";
  return absl::StrCat(u.sysname, " ", u.release, " ", u.machine);
}

std::string Compiler() {
#if defined(__clang__)
  return absl::StrCat("clang ", __clang_major__, ".", __clang_minor__, ".", __clang_patchlevel__);
#elif defined(__GNUC__)
  return absl::StrCat("gcc ", __GNUC__, ".", __GNUC_MINOR__, ".", __GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

}  // namespace

const char* BuildSanitizer() { return kBuildSanitizer; }

std::vector<std::pair<std::string, std::string>> RunContext() {
  return {
      {"compiler", Compiler()},
      {"rust_toolchain", kRustToolchain},
      {"preset", kBuildPreset},
      {"build_type", kBuildType},
      {"build_flags", kBuildFlags},
      {"sanitizer", kBuildSanitizer},
      {"git_commit", kGitCommit},
      {"cpu_model", CpuModel()},
      {"allowed_cpus", FormatCpuList(AllowedCpus())},
      {"kernel", Kernel()},
  };
}

void AddRunContextToBenchmark() {
  for (const auto& [k, v] : RunContext()) benchmark::AddCustomContext(k, v);
  benchmark::AddCustomContext("harness_strategies", AllStrategyMetadataJson());
}

}  // namespace harness
