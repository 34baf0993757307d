// `harness explore`: schedule exploration. Runs every selected case under
// injected schedules (harness/explore: delay-bounded and PCT), each case in
// its own child process so that a hang, a crash or a sanitizer report is
// contained and named, within a time budget:
//   1. the protocol-bug controls (detector "explore", harness/controls), each
//      until exploration finds it (at most 60 s each, 60% of the budget in
//      all);
//   2. every real strategy (quick sizes, each worker count of --workers), and
//      each control's workload with its fault off (the baseline: the same
//      workload on the correct runtime), sharing the rest of the budget.
// Ends with one verdict line:
//   explore: X/Y controls found, 0/Z strategies failed
// where Z counts the real strategies and the controls' baselines. Exit 0 only
// when every control was found and nothing real failed; 1 otherwise; 2 on bad
// usage. Every finding and failure prints the command that replays it.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "harness/cli/atomic_file.h"
#include "harness/cli/child_process.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/controls/scenario.h"
#include "harness/core/build_info.h"
#include "harness/core/run_context.h"
#include "harness/core/watchdog.h"
#include "harness/explore/case_runner.h"
#include "nlohmann/json.hpp"

ABSL_FLAG(double, budget, 150,
          "explore: seconds for the whole exploration: controls first (each "
          "at most 60 s, together at most 60%), the rest shared by the strategies");
ABSL_FLAG(std::string, strategy, "both", "explore: the schedulers, delay | pct | both");
ABSL_FLAG(std::string, replay, "",
          "explore: run the one case --filter selects once under this schedule "
          "SEED:POINT:HIT (as explore prints it) and report the outcome");
ABSL_FLAG(int, hits, 6, "explore: delay-bounded tries the first N hits of every injection point");
ABSL_FLAG(double, delay_ms, 20,
          "explore: the one delay of a delay-bounded run, in ms (raised to 8x the "
          "scheduling latency on a loaded machine, unless --noadapt_delay)");
ABSL_FLAG(bool, adapt_delay, true, "explore: raise the delay on a loaded machine (see --delay_ms)");
ABSL_FLAG(int, pct_depth, 3, "explore: PCT depth d (d - 1 priority-change points)");
ABSL_FLAG(double, run_timeout, 0,
          "explore: seconds one run may take before it is a hang: the limit of "
          "a case's first (plain) run; later runs get 30x the plain run's time, "
          "at least 1.5 s (4 s in sanitizer builds), at most this "
          "(0: 10, or 30 in sanitizer builds)");
ABSL_FLAG(bool, faults_off, false,
          "explore: run the controls with their fault off (their baseline, which must pass)");
ABSL_FLAG(bool, explore_child, false, "internal: explore one case in this process");
ABSL_FLAG(double, explore_seconds, 10, "internal: how long the child explores its case");

namespace harness::cli {
namespace {

namespace fs = std::filesystem;
using explore::ExploreOptions;
using explore::Schedule;

constexpr double kControlCapSeconds = 60;  // issue 10: each control within 60 s

// The command's flags, checked.
struct Settings {
  ExploreOptions options;
  std::string strategy;
  std::vector<int> workers;
  double budget = 0;
  double delay_ms = 0;
  bool exploration_off = false;  // --disable_detector=explore (test only)
  std::string replay;            // --replay SEED:POINT:HIT, or ""
};

// What exploring one case in a child came to.
struct Outcome {
  int runs = 0;
  int delay_runs = 0;
  int pct_runs = 0;
  bool failed = false;
  std::string how;       // hang | wrong | sanitizer | crash | exit <n>
  std::string schedule;  // the schedule of the failing run
  std::string detail;    // one line saying what happened
  double seconds = 0;    // wall time of the child (up to the failure)
  int64_t delay_us = 0;  // the delay-bounded delay the child used
};

bool IsSanitizerLine(std::string_view line) {
  return absl::StrContains(line, "WARNING: ThreadSanitizer:") ||
         absl::StrContains(line, "ERROR: AddressSanitizer:") ||
         absl::StrContains(line, "ERROR: LeakSanitizer:") ||
         absl::StrContains(line, "runtime error:");
}

std::string ReplayCommand(const CaseSpec& spec, const std::string& schedule, bool faults_off) {
  std::string cmd = absl::StrCat("harness explore --filter '", ExactFilter(spec.name),
                                 "' --workers ", spec.values.workers(), " --replay ", schedule);
  if (faults_off) absl::StrAppend(&cmd, " --faults_off");
  if (absl::GetFlag(FLAGS_delay_ms) != 20 && absl::StrContains(schedule, ".")) {
    absl::StrAppend(&cmd, " --delay_ms ", absl::GetFlag(FLAGS_delay_ms));
  }
  return cmd;
}

// Counts one run of the schedule `id` in `o`.
void CountRun(const std::string& id, Outcome& o) {
  ++o.runs;
  if (auto s = explore::ParseSchedule(id); s.ok()) {
    if (s->kind == Schedule::Kind::kDelay) ++o.delay_runs;
    if (s->kind == Schedule::Kind::kPct) ++o.pct_runs;
  }
}

// Reads the child's report (case_runner.h) into `o`: its runs, the delay it
// used, and a wrong answer. Returns the schedule of a run begun and not
// ended ("" when none).
std::string ReadReport(const fs::path& out_log, Outcome& o) {
  std::ifstream out(out_log);
  std::string line, in_flight;
  while (std::getline(out, line)) {
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits(' ', 4));
    if (f.size() >= 2 && f[0] == "begin") in_flight = f[1];
    if (f.size() >= 2 && f[0] == "delay") (void)absl::SimpleAtoi(f[1], &o.delay_us);
    if (f.size() >= 3 && f[0] == "end") {
      in_flight.clear();
      CountRun(f[1], o);
      if (f[2] == "wrong") {
        o.failed = true;
        o.how = "wrong";
        o.schedule = f[1];
        o.detail = f.size() >= 5 ? f[4] : "wrong answer";
      }
    }
  }
  return in_flight;
}

// The first sanitizer report line and the first watchdog HANG line of the
// child's stderr ("" where none).
struct StderrFindings {
  std::string sanitizer;
  std::string hang;
};

StderrFindings ScanStderr(const fs::path& err_log) {
  StderrFindings found;
  std::ifstream err(err_log);
  std::string line;
  while (std::getline(err, line)) {
    if (found.sanitizer.empty() && IsSanitizerLine(line)) {
      found.sanitizer = std::string(absl::StripAsciiWhitespace(line));
    }
    if (found.hang.empty() && absl::StrContains(line, "HANG:")) {
      found.hang = std::string(absl::StripAsciiWhitespace(line));
    }
  }
  return found;
}

// Reads the child's report and its stderr.
Outcome ReadOutcome(const fs::path& out_log, const fs::path& err_log, const ChildExit& exit) {
  Outcome o;
  const std::string in_flight = ReadReport(out_log, o);
  if (o.failed) return o;
  const StderrFindings found = ScanStderr(err_log);
  const bool abnormal = exit.killed_for_time || exit.signaled || exit.code != 0;
  if (!abnormal && found.sanitizer.empty()) return o;
  if (!in_flight.empty()) CountRun(in_flight, o);
  o.failed = true;
  o.schedule = in_flight.empty() ? "?" : in_flight;
  // A hang first: the watchdog's exit can add a sanitizer report of its own
  // (ThreadSanitizer's "thread leak" for the hung threads).
  if (!found.hang.empty() || exit.killed_for_time ||
      (!exit.signaled && exit.code == kHangExitStatus)) {
    o.how = "hang";
    o.detail = found.hang.empty() ? "the child did not finish in time" : found.hang;
  } else if (!found.sanitizer.empty()) {
    o.how = "sanitizer";
    o.detail = found.sanitizer;
  } else if (exit.signaled) {
    o.how = "crash";
    o.detail = absl::StrCat("killed by signal ", exit.code);
  } else {
    o.how = absl::StrCat("exit ", exit.code);
    o.detail = absl::StrCat("the child exited with status ", exit.code);
  }
  return o;
}

Outcome ExploreInChild(const CaseSpec& spec, double seconds, bool faults_off, const Settings& st,
                       const fs::path& dir) {
  const fs::path out_log = dir / "child.out";
  const fs::path err_log = dir / "child.err";
  const ExploreOptions& o = st.options;
  std::vector<std::string> args = {"harness",
                                   "explore",
                                   "--explore_child",
                                   "--filter=" + ExactFilter(spec.name),
                                   absl::StrCat("--workers=", spec.values.workers()),
                                   absl::StrCat("--seed=", o.seed),
                                   "--strategy=" + st.strategy,
                                   absl::StrCat("--hits=", o.hits_per_point),
                                   absl::StrCat("--delay_ms=", absl::GetFlag(FLAGS_delay_ms)),
                                   absl::StrCat("--adapt_delay=", o.adapt_delay ? "true" : "false"),
                                   absl::StrCat("--pct_depth=", o.pct_depth),
                                   absl::StrCat("--run_timeout=", o.run_timeout_seconds),
                                   absl::StrCat("--explore_seconds=", seconds)};
  if (faults_off) args.push_back("--faults_off");
  if (!o.delay && !o.pct) args.push_back("--disable_detector=explore");
  ChildOptions options;
  options.stdout_path = out_log.string();
  options.stderr_path = err_log.string();
  // The child stops starting runs after `seconds`; its watchdog ends a hung
  // run after run_timeout (then gdb prints the stacks). This limit is a
  // backstop only.
  options.limit_seconds = seconds + 2 * o.run_timeout_seconds + 60;
  const auto start = std::chrono::steady_clock::now();
  const ChildExit exit = RunSelf(args, options);
  Outcome outcome = ReadOutcome(out_log, err_log, exit);
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return outcome;
}

std::string RunsText(const Outcome& o) {
  return absl::StrFormat("%d runs (delay %d, pct %d; delay %.0f ms)", o.runs, o.delay_runs,
                         o.pct_runs, o.delay_us / 1000.0);
}

nlohmann::json CaseJson(const CaseSpec& spec, const Outcome& o, bool faults_off) {
  nlohmann::json j = {{"case", spec.name},      {"runs", o.runs},     {"delay_runs", o.delay_runs},
                      {"pct_runs", o.pct_runs}, {"failed", o.failed}, {"seconds", o.seconds},
                      {"delay_us", o.delay_us}};
  if (o.failed) {
    j["how"] = o.how;
    j["schedule"] = o.schedule;
    j["detail"] = o.detail;
    j["replay"] = ReplayCommand(spec, o.schedule, faults_off);
  }
  return j;
}

// --filter's cases at quick sizes and each --workers count, controls
// included.
CaseSelection ExploreSelection(const Settings& st) {
  CaseSelection sel;
  sel.filter = absl::GetFlag(FLAGS_filter);
  sel.quick = true;
  sel.workers = st.workers;
  sel.include_controls = true;
  return sel;
}

// The child: explores (or replays) the one case its --filter selects.
int ChildMain(const Settings& st) {
  const std::string& replay = st.replay;
  const CaseSelection sel = ExploreSelection(st);
  auto cases = SelectCases(Registry::Global(), sel);
  if (!cases.ok()) return UsageError(cases.status().message());
  if (cases->size() != 1) {
    return UsageError(absl::StrCat("--replay needs a --filter that selects exactly one case; '",
                                   sel.filter, "' selects ", cases->size(), " (with --workers ",
                                   st.workers.front(), ")"));
  }
  controls::faults_muted.store(absl::GetFlag(FLAGS_faults_off), std::memory_order_relaxed);
  const CaseSpec& spec = cases->front();
  if (!replay.empty()) {
    auto schedule = explore::ParseSchedule(replay);
    if (!schedule.ok()) return UsageError(schedule.status().message());
    const int status = explore::RunCaseOnce(spec, *schedule, st.options, std::cout);
    std::cout << "explore: replay of " << spec.name << " under " << replay << ": "
              << (status == 0 ? "ok" : "WRONG ANSWER") << "\n";
    return status == 0 ? kExitOk : kExitFailed;
  }
  return explore::ExploreCase(spec, st.options, std::cout) == 0 ? kExitOk : kExitFailed;
}

// --strategy, --hits, --delay_ms, --adapt_delay and --pct_depth.
absl::Status ParseSchedulerFlags(Settings& st) {
  ExploreOptions& o = st.options;
  st.strategy = absl::GetFlag(FLAGS_strategy);
  if (st.strategy != "delay" && st.strategy != "pct" && st.strategy != "both") {
    return absl::InvalidArgumentError(
        absl::StrCat("--strategy must be delay, pct or both, not '", st.strategy, "'"));
  }
  o.delay = st.strategy != "pct";
  o.pct = st.strategy != "delay";
  // Test only (the necessity test of `harness detectors`): exploration off,
  // every run a plain one, nothing injected.
  st.exploration_off = absl::GetFlag(FLAGS_disable_detector) == "explore";
  if (st.exploration_off) o.delay = o.pct = false;
  o.hits_per_point = absl::GetFlag(FLAGS_hits);
  if (o.hits_per_point < 1 || o.hits_per_point > 100000) {
    return absl::InvalidArgumentError("--hits must be in [1, 100000]");
  }
  st.delay_ms = absl::GetFlag(FLAGS_delay_ms);
  if (!(st.delay_ms > 0) || st.delay_ms > 10000) {
    return absl::InvalidArgumentError("--delay_ms must be in (0, 10000]");
  }
  o.scheduler.delay = std::chrono::microseconds(static_cast<int64_t>(st.delay_ms * 1000));
  o.adapt_delay = absl::GetFlag(FLAGS_adapt_delay);
  o.pct_depth = absl::GetFlag(FLAGS_pct_depth);
  if (o.pct_depth < 1 || o.pct_depth > 64) {
    return absl::InvalidArgumentError("--pct_depth must be in [1, 64]");
  }
  return absl::OkStatus();
}

// --budget, --run_timeout, --seed, --workers and --replay.
absl::Status ParseRunFlags(Settings& st) {
  ExploreOptions& o = st.options;
  st.budget = absl::GetFlag(FLAGS_budget);
  if (!(st.budget > 0)) return absl::InvalidArgumentError("--budget must be > 0 seconds");
  const bool sanitized = std::string(BuildSanitizer()) != "none";
  o.run_timeout_seconds = absl::GetFlag(FLAGS_run_timeout);
  if (o.run_timeout_seconds < 0) return absl::InvalidArgumentError("--run_timeout must be >= 0");
  if (o.run_timeout_seconds == 0) o.run_timeout_seconds = sanitized ? 30 : 10;
  o.min_run_timeout_seconds = std::min(o.run_timeout_seconds, sanitized ? 4.0 : 1.5);
  if (sanitized) {
    // Everything runs several times slower: widen PCT's notion of "recent".
    o.scheduler.window *= 4;
    o.scheduler.max_wait_per_hit *= 2;
    o.scheduler.max_wait_per_run *= 2;
  }
  o.seed = absl::GetFlag(FLAGS_seed);
  if (o.seed == 0) {
    o.seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) | 1;
  }
  st.workers = {2, 4};
  if (std::string text = absl::GetFlag(FLAGS_workers); !text.empty()) {
    auto parsed = ParsePositiveIntList(text, "--workers", 64);
    if (!parsed.ok()) return parsed.status();
    st.workers = *parsed;
  }
  st.replay = absl::GetFlag(FLAGS_replay);
  if (!st.replay.empty()) {
    if (auto sched = explore::ParseSchedule(st.replay); !sched.ok()) return sched.status();
  }
  return absl::OkStatus();
}

// Children inherit these unless the caller set them: stop at the first
// report with a status that names the sanitizer.
void SetChildSanitizerOptions() {
  // HARNESS_TSAN_SYMBOLIZER_OPTION comes from CMake (harness/cli/CMakeLists.txt).
  const std::string tsan = absl::StrCat(
      "halt_on_error=1 exitcode=66 second_deadlock_stack=1 " HARNESS_TSAN_SYMBOLIZER_OPTION
      "suppressions=",
      kSourceDir, "/tsan.supp");
  setenv("TSAN_OPTIONS", tsan.c_str(), /*overwrite=*/0);
  setenv("ASAN_OPTIONS", "exitcode=67", /*overwrite=*/0);
  setenv("UBSAN_OPTIONS", "halt_on_error=1 exitcode=68 print_stacktrace=1", /*overwrite=*/0);
}

// A phase-2 item: a real strategy's case, or a control's with its fault off.
struct Item {
  const CaseSpec* spec;
  bool baseline;
};

// What to explore: the controls of this detector, one case each (a control
// fixes its own threads; other detectors' controls are not ours), and the
// phase-2 items: the real strategies, then each control with its fault off.
struct ExplorePlan {
  std::vector<CaseSpec> cases;
  std::vector<const CaseSpec*> controls;
  std::vector<Item> items;
};

absl::StatusOr<ExplorePlan> PlanExplore(const Settings& st) {
  const CaseSelection sel = ExploreSelection(st);
  auto cases = SelectCases(Registry::Global(), sel);
  if (!cases.ok()) return cases.status();
  ExplorePlan plan;
  plan.cases = std::move(*cases);
  std::set<std::string> control_ids;
  for (const CaseSpec& c : plan.cases) {
    if (!c.entry->control) {
      plan.items.push_back({&c, false});
    } else if (c.entry->detector == "explore" && control_ids.insert(c.entry->id()).second) {
      plan.controls.push_back(&c);
    }
  }
  for (const CaseSpec* c : plan.controls) plan.items.push_back({c, true});
  return plan;
}

void PrintPlan(const Settings& st, const ExplorePlan& plan) {
  const ExploreOptions& o = st.options;
  if (st.exploration_off) {
    std::cout << "explore: exploration OFF (--disable_detector=explore): plain runs only, "
                 "nothing injected\n";
  }
  std::cout << "explore: seed " << o.seed << ", strategy " << st.strategy << ", budget "
            << st.budget << " s, " << plan.controls.size() << " controls, " << plan.items.size()
            << " cases (strategies and baselines), delay " << st.delay_ms << " ms at hits 1.."
            << o.hits_per_point << ", pct depth " << o.pct_depth << ", hang after 30x a plain run ("
            << o.min_run_timeout_seconds << ".." << o.run_timeout_seconds << " s)" << std::endl;
}

// One exploration: its children's folder, the clock, findings and JSON.
class ExploreRun {
 public:
  explicit ExploreRun(const Settings& st)
      : st_(st),
        dir_(fs::temp_directory_path() / absl::StrCat("harness-explore-", getpid())),
        start_(std::chrono::steady_clock::now()),
        json_({{"seed", st.options.seed},
               {"strategy", st.strategy},
               {"budget_seconds", st.budget},
               {"delay_ms", st.delay_ms},
               {"hits", st.options.hits_per_point},
               {"pct_depth", st.options.pct_depth},
               {"run_timeout_seconds", st.options.run_timeout_seconds},
               {"sanitizer", BuildSanitizer()},
               {"controls", nlohmann::json::object()},
               {"strategies", nlohmann::json::object()},
               {"skipped", nlohmann::json::object()}}) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
  }
  ~ExploreRun() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Phase 1: each control until found, within its slice of `share` seconds.
  void RunControls(const std::vector<const CaseSpec*>& controls, double share);
  // Phase 2: the strategies and baselines share what is left of the budget.
  void RunItems(const std::vector<Item>& items);
  // The summary; true when every control was found and nothing real failed.
  bool Report(size_t controls);
  // Writes the JSON to --out, if given.
  absl::Status WriteJson();

 private:
  double Elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  void RecordControl(const CaseSpec& spec, const Outcome& out);
  void RecordItem(const Item& item, const Outcome& out);

  const Settings& st_;
  const fs::path dir_;
  const std::chrono::steady_clock::time_point start_;
  nlohmann::json json_;
  int found_ = 0;
  std::vector<std::string> failures_;
  std::map<std::string, bool> strategy_failed_;
};

void ExploreRun::RunControls(const std::vector<const CaseSpec*>& controls, double share) {
  for (size_t i = 0; i < controls.size(); ++i) {
    const double left = share - Elapsed();
    const double slice = std::min(kControlCapSeconds,
                                  std::max(5.0, left / static_cast<double>(controls.size() - i)));
    RecordControl(*controls[i],
                  ExploreInChild(*controls[i], slice, /*faults_off=*/false, st_, dir_));
  }
}

void ExploreRun::RecordControl(const CaseSpec& spec, const Outcome& out) {
  nlohmann::json j = CaseJson(spec, out, false);
  j["found"] = out.failed;
  if (out.failed) {
    ++found_;
    auto s = explore::ParseSchedule(out.schedule);
    j["strategy"] = s.ok() ? std::string(s->StrategyName()) : "?";
    j["seed"] = s.ok() ? s->seed : 0;
    std::vector<std::string> parts = absl::StrSplit(out.schedule, ':');
    j["point"] = parts.size() == 3 ? parts[1] : "?";
    j["hit"] = parts.size() == 3 ? parts[2] : "?";
    std::cout << absl::StrFormat(
        "control %s: FOUND (%s) by %s %s after %.1f s, %s\n    %s\n    replay: %s\n",
        spec.entry->id(), out.how, j["strategy"].get<std::string>(), out.schedule, out.seconds,
        RunsText(out), out.detail, ReplayCommand(spec, out.schedule, false));
  } else {
    std::cout << absl::StrFormat("control %s: MISSED in %.1f s, %s\n", spec.entry->id(),
                                 out.seconds, RunsText(out));
    failures_.push_back(absl::StrFormat("MISSED control %s: %s in %.1f s found nothing",
                                        spec.entry->id(), RunsText(out), out.seconds));
  }
  std::cout << std::flush;
  json_["controls"][spec.entry->id()] = std::move(j);
}

void ExploreRun::RunItems(const std::vector<Item>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    const double slice =
        std::max(0.2, (st_.budget - Elapsed()) / static_cast<double>(items.size() - i));
    RecordItem(items[i], ExploreInChild(*items[i].spec, slice, items[i].baseline, st_, dir_));
  }
}

void ExploreRun::RecordItem(const Item& item, const Outcome& out) {
  const CaseSpec& spec = *item.spec;
  const std::string suffix = item.baseline ? " (fault off)" : "";
  const std::string id = spec.entry->id() + suffix;
  strategy_failed_[id] = strategy_failed_[id] || out.failed;
  auto& sj = json_["strategies"][id];
  if (sj.is_null()) {
    sj = {{"runs", 0},
          {"failures", 0},
          {"baseline", item.baseline},
          {"cases", nlohmann::json::array()}};
  }
  sj["runs"] = sj["runs"].get<int>() + out.runs;
  sj["failures"] = sj["failures"].get<int>() + (out.failed ? 1 : 0);
  sj["cases"].push_back(CaseJson(spec, out, item.baseline));
  const std::string label = spec.name + suffix;
  if (out.failed) {
    const std::string replay_cmd = ReplayCommand(spec, out.schedule, item.baseline);
    std::cout << absl::StrFormat(
        "strategy %s: FAILED (%s) under %s after %.1f s, %s\n    %s\n    replay: %s\n", label,
        out.how, out.schedule, out.seconds, RunsText(out), out.detail, replay_cmd);
    failures_.push_back(absl::StrFormat("FAILED %s (%s) under %s: %s; replay: %s", label, out.how,
                                        out.schedule, out.detail, replay_cmd));
  } else {
    std::cout << absl::StrFormat("strategy %s: ok, %s in %.1f s\n", label, RunsText(out),
                                 out.seconds);
  }
  std::cout << std::flush;
}

bool ExploreRun::Report(size_t controls) {
  // Entries this build cannot run are listed, never silently missing.
  for (const auto& e : Registry::Global().entries()) {
    if (!e.skip_reason.empty() && (!e.control || e.detector == "explore")) {
      json_["skipped"][e.id()] = e.skip_reason;
    }
  }
  int strategies_failed = 0;
  for (const auto& [id, failed] : strategy_failed_) strategies_failed += failed;
  json_["controls_found"] = found_;
  json_["controls_total"] = controls;
  json_["strategies_failed"] = strategies_failed;
  json_["strategies_total"] = strategy_failed_.size();
  json_["seconds"] = Elapsed();
  for (const auto& f : failures_) std::cout << "  " << f << "\n";
  std::cout << absl::StrFormat("explore: %d/%d controls found, %d/%d strategies failed\n", found_,
                               controls, strategies_failed, strategy_failed_.size());
  return found_ == static_cast<int>(controls) && strategies_failed == 0;
}

absl::Status ExploreRun::WriteJson() {
  return WriteOptionalFile(absl::GetFlag(FLAGS_out), json_.dump(2) + "\n");
}

}  // namespace

int ExploreCommand() {
  Settings st;
  if (absl::Status parsed = ParseSchedulerFlags(st); !parsed.ok()) {
    return UsageError(parsed.message());
  }
  if (absl::Status parsed = ParseRunFlags(st); !parsed.ok()) return UsageError(parsed.message());
  if (absl::GetFlag(FLAGS_explore_child) || !st.replay.empty()) {
    if (absl::GetFlag(FLAGS_explore_child)) {
      st.options.seconds = absl::GetFlag(FLAGS_explore_seconds);
    }
    return ChildMain(st);
  }
  SetChildSanitizerOptions();
  absl::StatusOr<ExplorePlan> plan = PlanExplore(st);
  if (!plan.ok()) return UsageError(plan.status().message());
  PrintPlan(st, *plan);
  ExploreRun run(st);
  run.RunControls(plan->controls, plan->items.empty() ? st.budget : st.budget * 0.6);
  run.RunItems(plan->items);
  const bool ok = run.Report(plan->controls.size());
  if (absl::Status written = run.WriteJson(); !written.ok()) {
    std::cerr << "harness: " << written.message() << "\n";
    return kExitFailed;
  }
  return ok ? kExitOk : kExitFailed;
}

}  // namespace harness::cli
