#include "harness/cli/sweep_child.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/core/watchdog.h"

namespace harness::cli {

using nlohmann::json;

ChildResult RunSweepChild(const std::vector<std::string>& args, ChildOptions options,
                          const std::string& json_out, double limit_seconds) {
  ChildResult result;
  options.limit_seconds = limit_seconds + 30;
  const ChildExit exit = RunSelf(args, options);
  if (exit.killed_for_time || (!exit.signaled && exit.code == kHangExitStatus)) {
    result.outcome = ChildResult::kHung;
    result.detail = absl::StrFormat("hang: did not finish within %.0f s", limit_seconds);
    return result;
  }
  std::ifstream in(json_out);
  std::stringstream text;
  text << in.rdbuf();
  // Google Benchmark writes a coefficient of variation of 0/0 as a bare NaN,
  // which is not JSON: it becomes null (no value) in the merged file.
  const std::string valid =
      std::regex_replace(text.str(), std::regex(R"((:\s*)-?(NaN|nan|inf|Infinity)\b)"), "$1null");
  json parsed = json::parse(valid, nullptr, /*allow_exceptions=*/false);
  std::error_code ec;
  std::filesystem::remove(json_out, ec);
  if (parsed.is_discarded() || !parsed.contains("benchmarks")) {
    result.outcome = ChildResult::kCrashed;
    if (exit.signaled) {
      result.detail = absl::StrCat("crashed: signal ", exit.code);
    } else if (exit.code == 2) {
      result.outcome = ChildResult::kMissing;
      result.detail = "not in this binary (exit status 2: bad usage)";
    } else {
      result.detail = absl::StrCat("crashed: exit status ", exit.code, " and no result");
    }
    return result;
  }
  result.context = parsed["context"];
  result.benchmarks = parsed["benchmarks"];
  if (exit.signaled || exit.code != 0) {
    result.outcome = ChildResult::kFailed;
    for (const auto& b : result.benchmarks) {
      if (b.value("error_occurred", false)) {
        result.detail = b.value("error_message", "");
        break;
      }
    }
    if (result.detail.empty()) result.detail = "failed";
  }
  return result;
}

std::string ThroughputText(const json& benchmarks) {
  for (const auto& b : benchmarks) {
    if (b.contains("items_per_second") && b["items_per_second"].is_number()) {
      return absl::StrFormat("%.3g items/s", b["items_per_second"].get<double>());
    }
  }
  return "";
}

}  // namespace harness::cli
