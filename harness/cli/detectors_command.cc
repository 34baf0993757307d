// `harness detectors`: proves that every detector of the harness works, by
// running its controls (seeded bugs, StrategyEntry::detector) each in a child
// process through the detector it targets, and crediting a control only when
// that detector, and no other, reports it:
//   check     `harness run` at workers 1,2,3,4, 3 repetitions: a wrong-answer
//             error naming the control (not a hang, not a race);
//   stress    `harness stress --controls`: FAILED iterations naming it, in
//             most of its iterations (kStressMajority of kStressIterations);
//   watchdog  `harness run` with a 2 s case limit: exit status 3 and a HANG
//             line naming the case (stacks too where gdb is installed), no
//             TSan report, before the parent's own limit;
//   tsan      (tsan build) `harness run` under TSan: a TSan warning;
//   explore   one `harness explore --filter <its controls> --budget 60`:
//             the line `control <id>: FOUND` by an injected schedule (not
//             "by plain": a bug the first, unperturbed run shows is the
//             check's); reported NOT BUILT while the build has no explore.
// Ends with the verdict line `detectors: N/M controls caught`; exit 0 when
// N = M, 1 otherwise, 2 for bad usage. --disable_detector=D (test only)
// switches detector D off in its children, so each of D's controls must be
// reported missed: the necessity test of that detector.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "harness/cli/atomic_file.h"
#include "harness/cli/child_process.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/cli/tsan_child.h"
#include "harness/core/build_info.h"
#include "harness/core/run_context.h"
#include "harness/core/watchdog.h"
#include "nlohmann/json.hpp"

ABSL_FLAG(std::string, detector, "",
          "detectors: run only the controls of these detectors, e.g. check,stress "
          "(default: all)");

namespace harness::cli {
namespace {

namespace fs = std::filesystem;

// The detectors, in the order they are run and reported.
const std::vector<std::string> kDetectors = {"check", "stress", "watchdog", "tsan", "explore"};
// The watchdog's limit in the watchdog children, and the parent's own limit
// on them: a hang the watchdog does not name within the latter is missed.
constexpr double kHangCaseLimit = 2;
constexpr double kHangParentLimit = 20;
constexpr double kHangParentLimitDisabled = 6;  // 3x the watchdog's limit
// Seed and iterations of the stress children (fixed: CI replays them). A
// stress control is caught when most iterations fail: any delay opens its
// window, and the OS delays threads too (rarely, at one of ~1000 windows per
// iteration: 1 to 6 iterations in 100 without perturbation on this loaded
// 2-core machine), so a failed iteration could be luck; with perturbation
// every iteration failed (100 of 100). 5 of 7 by luck: ~21 p^5 < 1e-5.
constexpr uint64_t kStressSeed = 20261130;
constexpr int kStressIterations = 7;
constexpr int kStressMajority = 5;
// TSan runs of each seeded race until one is flagged.
constexpr int kTsanTries = 3;
// The budget of the one `harness explore` child (its --budget, seconds):
// controls first, each until found; their fault-off baselines share the rest.
// Sanitized builds run several times slower, so exploration needs longer.
double ExploreBudget() { return std::string(BuildSanitizer()) == "none" ? 60 : 150; }

struct Verdict {
  bool caught = false;
  // Not counted, with this label: "NOT BUILT" (the detector is not in this
  // build), "CANNOT DISABLE" (a detector that ignores --disable_detector),
  // "DETERMINISTIC" (an explore control the plain run already finds).
  std::string uncounted;
  std::string detail;
  double seconds = 0;
};

// A child's output files, removed on destruction.
struct ChildLogs {
  explicit ChildLogs(const std::string& tag) {
    const fs::path dir = fs::temp_directory_path();
    out = (dir / absl::StrCat("harness-detectors-", getpid(), "-", tag, ".out")).string();
    err = (dir / absl::StrCat("harness-detectors-", getpid(), "-", tag, ".err")).string();
  }
  ~ChildLogs() {
    std::error_code ec;
    fs::remove(out, ec);
    fs::remove(err, ec);
  }
  std::string out, err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The first line of `text` that contains every one of `needles`, or "".
std::string FirstLineWith(const std::string& text, const std::vector<std::string>& needles) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    bool all = true;
    for (const auto& n : needles) all = all && absl::StrContains(line, n);
    if (all) return std::string(absl::StripAsciiWhitespace(line));
  }
  return "";
}

bool HasTsanReport(const std::string& text) {
  return absl::StrContains(text, "WARNING: ThreadSanitizer:");
}

std::string DescribeExit(const ChildExit& e) {
  if (e.killed_for_time) return "killed by the parent past its time limit";
  if (e.signaled) return absl::StrCat("killed by signal ", e.code);
  return absl::StrCat("exit status ", e.code);
}

// check: the per-run answer check of `harness run`.
Verdict RunCheck(const StrategyEntry& e, bool disabled) {
  ChildLogs logs("check");
  ChildOptions options;
  options.stderr_path = logs.err;
  options.stdout_path = "/dev/null";
  options.limit_seconds = 300;
  std::vector<std::string> args = {"harness",
                                   "run",
                                   "--controls",
                                   "--sweep_child",
                                   "--quick",
                                   "--filter=" + StrategyFilter(e.id()),
                                   "--workers=1,2,3,4",
                                   "--repetitions=3",
                                   "--benchmark_min_time=0",
                                   "--case_timeout=60"};
  if (disabled) args.push_back("--disable_detector=check");
  const ChildExit exit = RunSelf(args, options);
  const std::string err = ReadFile(logs.err);
  Verdict v;
  const std::string wrong = FirstLineWith(err, {e.id() + "/", "wrong answer"});
  if (HasTsanReport(err)) {
    v.detail = "reported by ThreadSanitizer, not by the check";
  } else if (exit.code == kHangExitStatus || exit.killed_for_time) {
    v.detail = "hung, not caught by the check";
  } else if (!wrong.empty() && exit.code == kExitFailed) {
    v.caught = true;
    v.detail = wrong;
  } else {
    v.detail = absl::StrCat("no wrong answer reported (", DescribeExit(exit), ")");
  }
  return v;
}

// stress: `harness stress` with its perturbation.
Verdict RunStress(const StrategyEntry& e, bool disabled) {
  ChildLogs logs("stress");
  ChildOptions options;
  options.stderr_path = logs.err;
  options.stdout_path = logs.out;
  options.limit_seconds = 300;
  std::vector<std::string> args = {"harness",
                                   "stress",
                                   "--controls",
                                   "--filter=" + StrategyFilter(e.id()),
                                   absl::StrCat("--iterations=", kStressIterations),
                                   absl::StrCat("--seed=", kStressSeed)};
  if (disabled) args.push_back("--disable_detector=stress");
  const ChildExit exit = RunSelf(args, options);
  const std::string out = ReadFile(logs.out), err = ReadFile(logs.err);
  const std::string failed = FirstLineWith(out, {"FAILED", e.id() + "/"});
  const std::string injected = FirstLineWith(out, {"perturbations injected"});
  int failures = 0;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    failures += absl::StrContains(line, "FAILED") && absl::StrContains(line, e.id() + "/");
  }
  Verdict v;
  if (HasTsanReport(err)) {
    v.detail = "reported by ThreadSanitizer, not by stress";
  } else if (exit.code == kHangExitStatus || exit.killed_for_time) {
    v.detail = "hung under stress";
  } else if (failures >= kStressMajority && exit.code == kExitFailed) {
    v.caught = true;
    v.detail = absl::StrCat("failed ", failures, "/", kStressIterations, " iterations: ", failed);
  } else {
    v.detail = absl::StrCat("failed ", failures, "/", kStressIterations, " iterations, fewer than ",
                            kStressMajority, " (", DescribeExit(exit), ")");
  }
  if (!injected.empty()) absl::StrAppend(&v.detail, "; ", injected);
  return v;
}

// watchdog: a hang named by the watchdog, with its own exit status.
Verdict RunWatchdog(const StrategyEntry& e, bool disabled) {
  ChildLogs logs("watchdog");
  ChildOptions options;
  options.stderr_path = logs.err;
  options.stdout_path = "/dev/null";
  options.limit_seconds = disabled ? kHangParentLimitDisabled : kHangParentLimit;
  // Disabled: the watchdog is given a limit it can never reach here.
  const double limit = disabled ? 1e6 : kHangCaseLimit;
  const ChildExit exit =
      RunSelf({"harness", "run", "--controls", "--sweep_child", "--quick",
               "--filter=" + StrategyFilter(e.id()), "--workers=2", "--repetitions=1",
               "--benchmark_min_time=0", absl::StrCat("--case_timeout=", limit)},
              options);
  const std::string err = ReadFile(logs.err);
  const std::string hang = FirstLineWith(err, {"HANG: " + e.id() + "/"});
  const bool want_stacks = access("/usr/bin/gdb", X_OK) == 0;
  const bool stacks = absl::StrContains(err, "\n#0 ") || absl::StrContains(err, "Thread 1 ");
  Verdict v;
  if (HasTsanReport(err)) {
    v.detail = "reported as a race (ThreadSanitizer), not as a hang";
  } else if (exit.killed_for_time || exit.signaled) {
    v.detail = absl::StrCat("not named by the watchdog: ", DescribeExit(exit), " (",
                            disabled ? kHangParentLimitDisabled : kHangParentLimit, " s)");
  } else if (exit.code != kHangExitStatus) {
    v.detail = absl::StrCat("not reported as a hang: ", DescribeExit(exit), ", expected ",
                            kHangExitStatus);
  } else if (hang.empty()) {
    v.detail = "exit status 3 but no HANG line naming the case";
  } else if (want_stacks && !stacks) {
    v.detail = "hang named but gdb is installed and no stacks were printed";
  } else {
    v.caught = true;
    v.detail = absl::StrCat(hang, want_stacks ? "; stacks printed" : "; (no gdb: no stacks)",
                            "; exit status ", exit.code);
  }
  return v;
}

// tsan: the seeded race reported by ThreadSanitizer.
Verdict RunTsan(const StrategyEntry& e) {
  const fs::path log =
      fs::temp_directory_path() / absl::StrCat("harness-detectors-", getpid(), "-tsan.log");
  Verdict v;
  int tries = 0;
  TsanRun r;
  while (tries < kTsanTries && !r.flagged) {
    ++tries;
    r = RunUnderTsan(StrategyFilter(e.id()), {"--quick", "--workers=2,4", "--case_timeout=60"},
                     log.string(), 300);
  }
  std::error_code ec;
  fs::remove(log, ec);
  v.caught = r.flagged;
  v.detail = r.flagged ? absl::StrCat(r.detail, " at ", r.first_frame, " (try ", tries, ")")
                       : absl::StrCat("no ThreadSanitizer report in ", tries, " tries",
                                      r.failed ? " (" + r.detail + ")" : "");
  return v;
}

// explore: one `harness explore` child for all the explore controls (it
// explores each until found, then their fault-off baselines for the rest of
// its budget), when this build has the command. Per control its line
// "control <id>: FOUND ..." or "... MISSED ..."; the verdict line too.
std::map<std::string, Verdict> RunExplore(const std::vector<const StrategyEntry*>& entries,
                                          bool disabled) {
  ChildLogs logs("explore");
  ChildOptions options;
  options.stderr_path = logs.err;
  options.stdout_path = logs.out;
  options.limit_seconds = ExploreBudget() + 180;
  std::vector<std::string> alternatives;
  for (const StrategyEntry* e : entries) alternatives.push_back(StrategyFilter(e->id()));
  std::vector<std::string> args = {
      "harness", "explore", "--filter=" + absl::StrJoin(alternatives, "|"),
      absl::StrCat("--budget=", ExploreBudget()), absl::StrCat("--seed=", kStressSeed)};
  if (disabled) args.push_back("--disable_detector=explore");
  const auto start = std::chrono::steady_clock::now();
  const ChildExit exit = RunSelf(args, options);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string out = ReadFile(logs.out), err = ReadFile(logs.err);
  std::map<std::string, Verdict> verdicts;
  const bool absent =
      exit.code == kExitUsage && (absl::StrContains(err, "unknown command 'explore'") ||
                                  absl::StrContains(err, "unknown flag"));
  // Switched off, exploration must say so (and inject nothing); one that
  // cannot be switched off cannot be shown necessary.
  const bool ignores_disable = disabled && !absent && !absl::StrContains(out, "exploration OFF");
  const std::string verdict_line = FirstLineWith(out, {"explore: ", "controls found"});
  for (const StrategyEntry* e : entries) {
    Verdict v;
    v.seconds = secs / static_cast<double>(entries.size());
    const std::string found = FirstLineWith(out, {"control " + e->id() + ": FOUND"});
    const std::string missed = FirstLineWith(out, {"control " + e->id() + ": MISSED"});
    if (absent) {
      v.uncounted = "NOT BUILT";
      v.detail = "this build has no `harness explore`";
    } else if (ignores_disable) {
      v.uncounted = "CANNOT DISABLE";
      v.detail =
          "this `harness explore` does not honour --disable_detector=explore (it "
          "must print 'exploration OFF' and inject nothing)";
    } else if (HasTsanReport(err) && found.empty()) {
      v.detail = "reported by ThreadSanitizer, not found by exploration";
    } else if (absl::StrContains(found, " by plain ")) {
      // Found by the plain run, before any schedule was injected: a
      // deterministic bug that the answer check catches; it proves nothing
      // about exploration, so it is listed but not counted.
      v.uncounted = "DETERMINISTIC";
      v.detail = absl::StrCat("found without exploration (the plain run), so not counted: ", found);
    } else if (!found.empty()) {
      v.caught = true;
      v.detail = absl::StrCat(found, "; ", verdict_line);
    } else {
      v.detail = absl::StrCat(missed.empty() ? "no line for this control" : missed, "; ",
                              verdict_line.empty() ? DescribeExit(exit) : verdict_line);
    }
    verdicts[e->id()] = v;
  }
  return verdicts;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The command's flags, checked.
struct DetectorsSettings {
  std::string disabled;           // --disable_detector
  std::vector<std::string> only;  // --detector, split; empty: all
  std::string filter;
  std::regex filter_re;
  bool tsan_build = false;
};

absl::StatusOr<DetectorsSettings> ParseDetectorsFlags() {
  DetectorsSettings st;
  st.disabled = absl::GetFlag(FLAGS_disable_detector);
  if (std::string d = absl::GetFlag(FLAGS_detector); !d.empty()) {
    st.only = absl::StrSplit(d, ',');
  }
  for (const auto& d : st.only) {
    if (!Contains(kDetectors, d)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--detector: unknown detector '", d, "' (one of ", absl::StrJoin(kDetectors, ", "), ")"));
    }
  }
  if (!st.disabled.empty() && !Contains(kDetectors, st.disabled)) {
    return absl::InvalidArgumentError(absl::StrCat("--disable_detector: unknown detector '",
                                                   st.disabled, "' (one of ",
                                                   absl::StrJoin(kDetectors, ", "), ")"));
  }
  st.filter = absl::GetFlag(FLAGS_filter);
  try {
    st.filter_re = std::regex(st.filter.empty() ? std::string(".") : st.filter);
  } catch (const std::regex_error&) {
    return absl::InvalidArgumentError(
        absl::StrCat("--filter '", st.filter, "' is not a valid regex"));
  }
  st.tsan_build = std::string(BuildSanitizer()) == "thread";
  return st;
}

// The controls to run, by detector; controls this build cannot run (a skip
// reason) are listed, not counted.
struct ControlPlan {
  std::map<std::string, std::vector<const StrategyEntry*>> by_detector;
  std::vector<const StrategyEntry*> skipped;
  // The known detectors in their order, then any other (reported missed).
  std::vector<std::string> order = kDetectors;
};

ControlPlan PlanControls(const DetectorsSettings& st) {
  ControlPlan plan;
  for (const auto& e : Registry::Global().entries()) {
    if (!e.control || !std::regex_search(e.id(), st.filter_re)) continue;
    if (!st.only.empty() && !Contains(st.only, e.detector)) continue;
    if (!e.skip_reason.empty()) {
      plan.skipped.push_back(&e);
      continue;
    }
    plan.by_detector[e.detector].push_back(&e);
  }
  for (const auto& [detector, entries] : plan.by_detector) {
    if (!Contains(plan.order, detector)) plan.order.push_back(detector);
  }
  return plan;
}

void PrintPlan(const DetectorsSettings& st, ControlPlan& plan) {
  std::cout << "detectors: " << (st.tsan_build ? "tsan" : BuildSanitizer()) << " build";
  for (const auto& d : kDetectors) std::cout << ", " << d << " " << plan.by_detector[d].size();
  std::cout << " controls\n";
  if (!st.disabled.empty()) {
    std::cout << "detectors: detector '" << st.disabled
              << "' DISABLED (test only): each of its controls must be reported missed\n";
  }
  for (const StrategyEntry* e : plan.skipped) {
    std::cout << absl::StrFormat("%-9s %s: SKIPPED in this build: %s\n", e->detector, e->id(),
                                 e->skip_reason);
  }
  if (!st.tsan_build && (st.only.empty() || Contains(st.only, "tsan"))) {
    std::cout << "tsan      (not in this build: the seeded races, racy.cc, are built into the "
                 "tsan build only)\n";
  }
}

// The verdicts so far, and the JSON of --json_out.
struct Tally {
  nlohmann::json json = {{"controls", nlohmann::json::array()}};
  nlohmann::json uncounted = nlohmann::json::object();
  int caught = 0;
  int total = 0;
  std::vector<std::string> missed;

  void Add(const std::string& detector, const StrategyEntry& e, const Verdict& v) {
    std::cout << absl::StrFormat("%-9s %s: %s (%.1f s)  %s\n", detector, e.id(),
                                 !v.uncounted.empty() ? v.uncounted
                                 : v.caught           ? "caught"
                                                      : "MISSED",
                                 v.seconds, v.detail);
    std::cout.flush();
    if (!v.uncounted.empty()) {
      uncounted[e.id()] = v.uncounted + ": " + v.detail;
      return;
    }
    ++total;
    caught += v.caught;
    if (!v.caught) missed.push_back(absl::StrCat(detector, " ", e.id()));
    json["controls"].push_back({{"name", e.id()},
                                {"detector", detector},
                                {"caught", v.caught},
                                {"detail", v.detail},
                                {"seconds", v.seconds}});
  }
};

// One control through `detector` (explore's verdicts come from `explored`,
// one child for them all).
Verdict RunControl(const std::string& detector, const StrategyEntry& e, bool off,
                   std::map<std::string, Verdict>& explored) {
  const auto start = std::chrono::steady_clock::now();
  Verdict v;
  if (!Contains(kDetectors, detector)) {
    v.detail = absl::StrCat("unknown detector '", detector, "'");
  } else if (detector == "check") {
    v = RunCheck(e, off);
  } else if (detector == "stress") {
    v = RunStress(e, off);
  } else if (detector == "watchdog") {
    v = RunWatchdog(e, off);
  } else if (detector == "tsan") {
    v = RunTsan(e);
  } else {
    return explored[e.id()];
  }
  v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

absl::Status WriteDetectorsJson(const DetectorsSettings& st, const ControlPlan& plan,
                                Tally& tally) {
  nlohmann::json& json = tally.json;
  json["caught"] = tally.caught;
  json["total"] = tally.total;
  json["build"] = st.tsan_build ? "tsan" : BuildSanitizer();
  json["disabled_detector"] = st.disabled;
  json["not_counted"] = tally.uncounted;
  json["skipped"] = nlohmann::json::object();
  for (const StrategyEntry* e : plan.skipped) json["skipped"][e->id()] = e->skip_reason;
  return WriteOptionalFile(absl::GetFlag(FLAGS_json_out), json.dump(2) + "\n");
}

}  // namespace

int DetectorsCommand() {
  absl::StatusOr<DetectorsSettings> st = ParseDetectorsFlags();
  if (!st.ok()) return UsageError(st.status().message());
  if (st->tsan_build) SetChildTsanOptions(/*report=*/st->disabled != "tsan");
  ControlPlan plan = PlanControls(*st);
  PrintPlan(*st, plan);
  Tally tally;
  for (const std::string& detector : plan.order) {
    const std::vector<const StrategyEntry*>& entries = plan.by_detector[detector];
    const bool off = detector == st->disabled;
    std::map<std::string, Verdict> explored;
    if (detector == "explore" && !entries.empty()) explored = RunExplore(entries, off);
    for (const StrategyEntry* e : entries) {
      tally.Add(detector, *e, RunControl(detector, *e, off, explored));
    }
  }
  std::cout << "detectors: " << tally.caught << "/" << tally.total << " controls caught\n";
  for (const auto& m : tally.missed) std::cout << "  MISSED " << m << "\n";
  if (absl::Status written = WriteDetectorsJson(*st, plan, tally); !written.ok()) {
    std::cerr << "harness: " << written.message() << "\n";
    return kExitFailed;
  }
  const bool selected_some = !st->filter.empty() || !st->only.empty();
  return tally.caught == tally.total && (tally.total > 0 || selected_some) ? kExitOk : kExitFailed;
}

}  // namespace harness::cli
