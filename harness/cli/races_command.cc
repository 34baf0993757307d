// `harness races`: the ThreadSanitizer check. Runs every seeded race
// (control) and every real strategy under TSan, each in its own process, and
// prints one verdict line:
//   races: 6/6 controls flagged, 0/41 strategies flagged
// then a line per failure naming the case and the first frame of its report.
// Exit 0 when every control was flagged and no real strategy was; 1
// otherwise; 2 when this is not a ThreadSanitizer build.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "harness/cli/child_process.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/core/build_info.h"
#include "harness/core/run_context.h"
#include "nlohmann/json.hpp"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;

struct TsanRun {
  bool flagged = false;
  bool failed = false;  // exited non-zero for another reason (wrong answer, hang)
  std::string first_frame;
  std::string detail;
};

// Runs one case once under TSan in a child; reads its report from stderr.
TsanRun RunUnderTsan(const CaseSpec& spec, const fs::path& log, double limit) {
  ChildOptions options;
  options.stderr_path = log.string();
  options.stdout_path = "/dev/null";
  options.limit_seconds = limit;
  const ChildExit exit = RunSelf({"harness", "run", "--controls", "--quick", "--sweep_child",
                                  "--filter=" + ExactFilter(spec.name),
                                  absl::StrCat("--workers=", spec.values.workers()),
                                  "--repetitions=1", "--benchmark_min_time=0",
                                  "--case_timeout=" + absl::StrCat(limit)},
                                 options);
  TsanRun run;
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
    run.detail = exit.killed_for_time ? "hang" : absl::StrCat("exit status ", exit.code);
  }
  return run;
}

}  // namespace

int RacesCommand() {
  if (std::string(BuildSanitizer()) != "thread") {
    return UsageError(
        "races needs the ThreadSanitizer build: cmake --workflow --preset tsan, then "
        "build/tsan/bin/harness races");
  }
  const int tries = absl::GetFlag(FLAGS_tries);
  if (tries < 1 || tries > 1000) return UsageError("--tries must be in [1, 1000]");
  // Children inherit these unless the caller set TSAN_OPTIONS already.
  setenv("TSAN_OPTIONS",
         absl::StrCat("halt_on_error=1 exitcode=66 second_deadlock_stack=1 "
                      "external_symbolizer_path=/usr/lib/llvm-19/bin/llvm-symbolizer "
                      "suppressions=", kSourceDir, "/tsan.supp")
             .c_str(),
         /*overwrite=*/0);

  CaseSelection sel;
  sel.filter = absl::GetFlag(FLAGS_filter);
  sel.quick = true;
  sel.workers = {4};  // more threads than this machine's cores
  sel.include_controls = true;
  auto cases = SelectCases(Registry::Global(), sel);
  if (!cases.ok()) return UsageError(cases.status().message());

  const fs::path log = fs::temp_directory_path() / absl::StrCat("harness-races-", getpid(), ".log");
  const double limit = absl::GetFlag(FLAGS_case_timeout);
  nlohmann::json json = {{"controls", nlohmann::json::object()},
                         {"strategies", nlohmann::json::object()}};
  // Per (scenario/strategy): controls need every case flagged in >= 1 try;
  // strategies need every case clean.
  std::map<std::string, bool> control_ok, strategy_flagged;
  std::vector<std::string> failures;
  for (const CaseSpec& spec : *cases) {
    const std::string id = spec.entry->id();
    // Controls aimed at other detectors (explore, selftest) are not races.
    if (spec.entry->control && spec.entry->detector != "tsan") continue;
    if (spec.entry->control) {
      int flagged = 0;
      std::string frame;
      for (int t = 0; t < tries; ++t) {
        TsanRun r = RunUnderTsan(spec, log, limit);
        if (r.flagged) {
          ++flagged;
          if (frame.empty()) frame = r.first_frame;
        }
      }
      std::cout << "control " << spec.name << ": flagged in " << flagged << "/" << tries
                << " tries" << (frame.empty() ? "" : "  (" + frame + ")") << "\n";
      json["controls"][id] = {{"flagged", flagged}, {"tries", tries}};
      const bool ok = flagged > 0;
      control_ok[id] = control_ok.contains(id) ? control_ok[id] && ok : ok;
      if (!ok) failures.push_back(absl::StrCat("MISSED control ", spec.name, ": no report in ",
                                               tries, " tries"));
    } else {
      TsanRun r = RunUnderTsan(spec, log, limit);
      std::cout << "strategy " << spec.name << ": "
                << (r.flagged ? "FLAGGED" : r.failed ? "FAILED" : "clean") << "\n";
      strategy_flagged[id] = strategy_flagged[id] || r.flagged || r.failed;
      if (r.flagged) {
        failures.push_back(absl::StrCat("FLAGGED ", spec.name, ": ", r.detail, " at ", r.first_frame));
      } else if (r.failed) {
        failures.push_back(absl::StrCat("FAILED ", spec.name, ": ", r.detail));
      }
      json["strategies"][id] = {{"verdict", strategy_flagged[id] ? "flagged" : "clean"}};
    }
  }
  std::error_code ec;
  fs::remove(log, ec);
  // Strategies this build cannot run are listed, never silently missing.
  for (const auto& e : Registry::Global().entries()) {
    if (!e.skip_reason.empty() && !json["strategies"].contains(e.id())) {
      json["strategies"][e.id()] = {{"verdict", "skipped"}, {"reason", e.skip_reason}};
    }
  }
  int controls_flagged = 0, strategies_flagged = 0;
  for (const auto& [id, ok] : control_ok) controls_flagged += ok;
  for (const auto& [id, flagged] : strategy_flagged) strategies_flagged += flagged;
  std::cout << "races: " << controls_flagged << "/" << control_ok.size()
            << " controls flagged, " << strategies_flagged << "/" << strategy_flagged.size()
            << " strategies flagged\n";
  for (const auto& f : failures) std::cout << "  " << f << "\n";
  if (std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    const fs::path tmp = path + ".tmp";
    std::ofstream(tmp) << json.dump(2) << "\n";
    fs::rename(tmp, path, ec);
  }
  const bool ok = controls_flagged == static_cast<int>(control_ok.size()) &&
                  strategies_flagged == 0 && !control_ok.empty();
  return ok ? kExitOk : kExitFailed;
}

}  // namespace harness::cli
