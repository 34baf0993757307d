// `harness run`: runs the selected cases in this process under Google
// Benchmark and exits 1 if any case failed its check.
#include <iostream>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/core/affinity.h"
#include "harness/core/benchmark_adapter.h"
#include "harness/core/run_context.h"

namespace harness::cli {
namespace {

// Remembers whether any run failed; prints like the console reporter unless
// quiet (one case of a sweep, whose parent prints the progress line).
class CheckingReporter : public benchmark::ConsoleReporter {
 public:
  explicit CheckingReporter(bool quiet) : quiet_(quiet) {}
  bool ReportContext(const Context& context) override {
    return quiet_ ? true : ConsoleReporter::ReportContext(context);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred) {
        failed_ = true;
        if (quiet_) std::cerr << "harness: " << r.error_message << "\n";
      }
    }
    if (!quiet_) ConsoleReporter::ReportRuns(runs);
  }
  bool failed() const { return failed_; }

 private:
  bool quiet_;
  bool failed_ = false;
};

}  // namespace

absl::StatusOr<CaseSelection> SelectionFromFlags(std::vector<int> workers) {
  CaseSelection sel;
  sel.filter = absl::GetFlag(FLAGS_filter);
  auto overrides = ParseOverrides(absl::GetFlag(FLAGS_set));
  if (!overrides.ok()) return overrides.status();
  sel.overrides = *std::move(overrides);
  sel.workers = std::move(workers);
  sel.quick = absl::GetFlag(FLAGS_quick);
  sel.include_controls = absl::GetFlag(FLAGS_controls);
  return sel;
}

int UsageError(std::string_view message) {
  std::cerr << "harness: " << message << "\n";
  return kExitUsage;
}

int RunCommand(const char* argv0, std::vector<std::string> benchmark_args) {
  std::vector<int> workers;
  if (std::string text = absl::GetFlag(FLAGS_workers); !text.empty()) {
    auto parsed = ParsePositiveIntList(text, "--workers", 4096);
    if (!parsed.ok()) return UsageError(parsed.status().message());
    workers = *parsed;
  } else {
    workers = {static_cast<int>(AllowedCpus().size())};
  }
  auto sel = SelectionFromFlags(workers);
  if (!sel.ok()) return UsageError(sel.status().message());
  auto cases = SelectCases(Registry::Global(), *sel);
  if (!cases.ok()) return UsageError(cases.status().message());

  const bool quick = absl::GetFlag(FLAGS_quick);
  int repetitions = absl::GetFlag(FLAGS_repetitions);
  if (repetitions < 0) return UsageError("--repetitions must be >= 0");
  if (repetitions == 0) repetitions = 1;
  double min_time = absl::GetFlag(FLAGS_min_time);
  if (min_time < 0) return UsageError("--min_time must be >= 0");
  if (min_time == 0) min_time = quick ? 0.01 : 0.1;
  const double case_timeout = absl::GetFlag(FLAGS_case_timeout);
  if (case_timeout <= 0) return UsageError("--case_timeout must be > 0");

  // Our derived settings first: explicit --benchmark_* flags given by the
  // user come later and win.
  // argv[0] goes into the JSON context as "executable": its base name only,
  // so that no result file records a folder of the machine that made it.
  std::string executable(argv0);
  if (const size_t slash = executable.rfind('/'); slash != std::string::npos) {
    executable.erase(0, slash + 1);
  }
  std::vector<std::string> args = {executable,
                                   absl::StrCat("--benchmark_repetitions=", repetitions),
                                   absl::StrCat("--benchmark_min_time=", min_time)};
  for (auto& a : benchmark_args) args.push_back(std::move(a));
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  benchmark::Initialize(&argc, argv.data());
  if (benchmark::ReportUnrecognizedArguments(argc, argv.data())) {
    return kExitUsage;
  }

  AddRunContextToBenchmark();
  benchmark::AddCustomContext("harness_cores", absl::StrCat(AllowedCpus().size()));
  benchmark::AddCustomContext("repetitions", absl::StrCat(repetitions));
  benchmark::AddCustomContext("quick", quick ? "true" : "false");
  // Test only: `harness detectors --disable_detector=check` proves that the
  // check's controls are caught by the check and nothing else.
  if (absl::GetFlag(FLAGS_disable_detector) == "check") SetAnswerCheckEnabled(false);
  RegisterBenchmarks(*cases, case_timeout);
  CheckingReporter reporter(absl::GetFlag(FLAGS_sweep_child));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  ReleaseCaseInstances();
  benchmark::Shutdown();
  return reporter.failed() ? kExitFailed : kExitOk;
}

}  // namespace harness::cli
