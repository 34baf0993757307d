#include "harness/cli/tsan_child.h"

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "harness/cli/child_process.h"
#include "harness/core/build_info.h"
#include "harness/core/cases.h"
#include "harness/core/watchdog.h"

namespace harness::cli {

void SetChildTsanOptions(bool report) {
  // HARNESS_TSAN_SYMBOLIZER_OPTION comes from CMake (harness/cli/CMakeLists.txt).
  const std::string options = absl::StrCat(
      "halt_on_error=1 exitcode=66 second_deadlock_stack=1 " HARNESS_TSAN_SYMBOLIZER_OPTION
      "suppressions=",
      kSourceDir, "/tsan.supp");
  if (report) {
    setenv("TSAN_OPTIONS", options.c_str(), /*overwrite=*/0);
  } else {
    setenv("TSAN_OPTIONS", absl::StrCat(options, " report_bugs=0").c_str(), /*overwrite=*/1);
  }
}

std::string StrategyFilter(const std::string& id) {
  std::string filter = ExactFilter(id + "/");
  filter.pop_back();  // the trailing '$': every case of the strategy
  return filter;
}

TsanRun RunUnderTsan(const std::string& filter, const std::vector<std::string>& extra_args,
                     const std::string& log, double limit_seconds) {
  ChildOptions options;
  options.stderr_path = log;
  options.stdout_path = "/dev/null";
  options.limit_seconds = limit_seconds;
  std::vector<std::string> args = {"harness",
                                   "run",
                                   "--controls",
                                   "--sweep_child",
                                   "--filter=" + filter,
                                   "--repetitions=1",
                                   "--benchmark_min_time=0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  const auto start = std::chrono::steady_clock::now();
  const ChildExit exit = RunSelf(args, options);
  TsanRun run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ifstream in(log);
  std::string line;
  bool in_report = false;
  while (std::getline(in, line)) {
    if (absl::StrContains(line, "WARNING: ThreadSanitizer:")) {
      if (!run.flagged) run.detail = std::string(absl::StripAsciiWhitespace(line));
      run.flagged = true;
      in_report = true;
    } else if (in_report && run.first_frame.empty() &&
               absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "#0 ")) {
      // "#0 fn file:line:col (binary+0x...) (BuildId: ...)": keep fn and place.
      std::string frame(absl::StripAsciiWhitespace(line));
      run.first_frame = frame.substr(0, frame.find(" (harness+"));
    }
  }
  if (!run.flagged && (exit.killed_for_time || exit.signaled || exit.code != 0)) {
    run.failed = true;
    run.detail = exit.killed_for_time           ? "killed past its time limit"
                 : exit.code == kHangExitStatus ? "hang (watchdog)"
                                                : absl::StrCat("exit status ", exit.code);
  }
  return run;
}

}  // namespace harness::cli
