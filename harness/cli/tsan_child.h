// One ThreadSanitizer run in a child process: `harness run` of the cases a
// filter selects (its TSan report, if any, read back from the child's
// stderr). Used by `harness races` and by the TSan controls of
// `harness detectors`. Only meaningful in the tsan build.
#ifndef HARNESS_CLI_TSAN_CHILD_H_
#define HARNESS_CLI_TSAN_CHILD_H_

#include <string>
#include <vector>

namespace harness::cli {

struct TsanRun {
  bool flagged = false;     // the child printed a ThreadSanitizer warning
  bool failed = false;      // not flagged, but exited non-zero (wrong answer, hang)
  std::string first_frame;  // "#0 fn file:line:col" of the first report
  std::string detail;       // the warning line, or why the run failed
  double seconds = 0;
};

// Sets TSAN_OPTIONS for the children this process starts: halt on the first
// report with exit status 66, symbolized stacks, the project's suppressions
// file. A TSAN_OPTIONS the caller set already wins. With `report` false
// (test only: `harness detectors --disable_detector=tsan`), TSan reports
// nothing (report_bugs=0), whatever the caller set.
void SetChildTsanOptions(bool report);

// The regex that selects every case of `scenario/strategy`.
std::string StrategyFilter(const std::string& id);

// Runs `harness run --controls --sweep_child --repetitions=1
// --benchmark_min_time=0 --filter=FILTER <extra_args...>` in a child under
// `limit_seconds` (past it: stacks, SIGKILL, reported as "hang"); `log` is
// the scratch file for its stderr.
TsanRun RunUnderTsan(const std::string& filter, const std::vector<std::string>& extra_args,
                     const std::string& log, double limit_seconds);

}  // namespace harness::cli

#endif  // HARNESS_CLI_TSAN_CHILD_H_
