// `harness races`: the ThreadSanitizer check. Runs every seeded race
// (control) and every real strategy under TSan, one child process per
// strategy, each at workers 1, 2, 3 and 4 and at two sizes (its quick size,
// and kRacesExtraSize for its first size parameter: past the pool's reduce
// grain, channel blocks and actor batches; stress_sizes.h). Controls run
// --tries times; strategies run once, then again (up to --tries) while the
// run's time budget (--time_budget, seconds since the start) lasts. Prints one verdict line:
//   races: 6/6 controls flagged, 0/41 strategies flagged
// then a line per failure naming the case and the first frame of its report.
// Exit 0 when every control was flagged and no real strategy was (a filter
// that selects no control: 0/0 controls, exit 0 when the strategies are
// clean); 1 otherwise; 2 when this is not a ThreadSanitizer build.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "harness/cli/atomic_file.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/cli/stress_sizes.h"
#include "harness/cli/tsan_child.h"
#include "harness/core/build_info.h"
#include "harness/core/run_context.h"
#include "nlohmann/json.hpp"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;

// Worker counts of every case: one thread, two, an odd count, and more
// threads than this machine's cores.
const std::vector<int> kRacesWorkers = {1, 2, 3, 4};
// Seconds from the start after which no further try of a strategy begins,
// unless --time_budget says (every control's tries and every strategy's first try
// always run: the budget buys the extra tries).
constexpr double kDefaultBudgetSeconds = 150;

// The cases of one strategy, and the child arguments that select exactly them.
struct StrategyCases {
  const StrategyEntry* entry = nullptr;
  std::vector<std::string> names;
  ParamOverrides overrides;
};

// The overrides for one scenario: its first size parameter at its quick
// values and at kRacesExtraSize (when that is a valid, larger value).
ParamOverrides RacesOverrides(const ScenarioInfo& s) {
  ParamOverrides out;
  for (const ParamSpec& p : s.params) {
    if (!IsSizeParam(p)) continue;
    std::vector<std::string> values = p.quick;
    int64_t quick_max = 0;
    for (const auto& q : p.quick) quick_max = std::max<int64_t>(quick_max, std::stoll(q));
    if (kRacesExtraSize > quick_max && kRacesExtraSize <= p.max) {
      values.push_back(absl::StrCat(kRacesExtraSize));
    }
    out[p.name] = values;
    break;
  }
  return out;
}

std::string SetFlag(const ParamOverrides& overrides) {
  std::vector<std::string> parts;
  for (const auto& [name, values] : overrides) {
    parts.push_back(name + "=" + absl::StrJoin(values, "|"));
  }
  return "--set=" + absl::StrJoin(parts, ",");
}

// Every selected case grouped by strategy, in registry order; each scenario
// with its own size overrides. A bad --filter is reported once (usage).
absl::StatusOr<std::vector<StrategyCases>> SelectRaceCases(const std::string& filter) {
  CaseSelection sel;
  sel.filter = filter;
  sel.quick = true;
  sel.workers = kRacesWorkers;
  sel.include_controls = true;
  if (auto check = SelectCases(Registry::Global(), sel); !check.ok()) return check.status();
  std::vector<StrategyCases> out;
  for (const ScenarioInfo* s : Registry::Global().Scenarios()) {
    CaseSelection scenario_sel = sel;
    scenario_sel.overrides = RacesOverrides(*s);
    auto cases = SelectCases(Registry::Global(), scenario_sel);
    if (!cases.ok()) continue;  // this scenario has no case under the filter
    for (const CaseSpec& c : *cases) {
      if (c.entry->scenario != s) continue;
      if (out.empty() || out.back().entry != c.entry) {
        out.push_back({c.entry, {}, scenario_sel.overrides});
      }
      out.back().names.push_back(c.name);
    }
  }
  return out;
}

TsanRun RunStrategy(const StrategyCases& sc, const std::string& log, double case_limit) {
  std::vector<std::string> alternatives;
  for (const auto& n : sc.names) alternatives.push_back(ExactFilter(n));
  std::vector<std::string> args = {"--quick", "--workers=" + absl::StrJoin(kRacesWorkers, ","),
                                   absl::StrCat("--case_timeout=", case_limit)};
  if (!sc.overrides.empty()) args.push_back(SetFlag(sc.overrides));
  return RunUnderTsan(absl::StrJoin(alternatives, "|"), args, log,
                      case_limit * static_cast<double>(sc.names.size()) + 30);
}

// The command's flags, checked.
struct RacesSettings {
  int tries = 1;
  double budget = kDefaultBudgetSeconds;
  double case_limit = 0;
  std::string filter;
};

absl::StatusOr<RacesSettings> ParseRacesFlags() {
  if (std::string(BuildSanitizer()) != "thread") {
    return absl::FailedPreconditionError(
        "races needs the ThreadSanitizer build: cmake --workflow --preset tsan, then "
        "build/tsan/bin/harness races");
  }
  RacesSettings st;
  st.tries = absl::GetFlag(FLAGS_tries);
  if (st.tries < 1 || st.tries > 1000) {
    return absl::InvalidArgumentError("--tries must be in [1, 1000]");
  }
  st.budget = absl::GetFlag(FLAGS_time_budget);
  if (st.budget < 0) return absl::InvalidArgumentError("--time_budget must be >= 0 seconds");
  if (st.budget == 0) st.budget = kDefaultBudgetSeconds;
  st.case_limit = absl::GetFlag(FLAGS_case_timeout);
  if (st.case_limit <= 0) return absl::InvalidArgumentError("--case_timeout must be > 0");
  st.filter = absl::GetFlag(FLAGS_filter);
  return st;
}

// What the runs found, and the JSON of --json_out.
class RacesRun {
 public:
  explicit RacesRun(const RacesSettings& st)
      : st_(st),
        log_((fs::temp_directory_path() / absl::StrCat("harness-races-", getpid(), ".log"))
                 .string()),
        start_(std::chrono::steady_clock::now()),
        json_({{"controls", nlohmann::json::object()},
               {"strategies", nlohmann::json::object()},
               {"workers", kRacesWorkers},
               {"extra_size", kRacesExtraSize},
               {"budget_s", st.budget}}) {}
  ~RacesRun() {
    std::error_code ec;
    fs::remove(log_, ec);
  }

  // Each control --tries times; a control is flagged when any try is.
  void RunControl(const StrategyCases& sc);
  // Every strategy once, then again (up to --tries) while the budget lasts;
  // a strategy flagged or failed once is not run again.
  void RunStrategies(const std::vector<const StrategyCases*>& strategies);
  // The summary lines; true when every control and no strategy was flagged
  // (and, without a filter, the build held controls).
  bool Report();
  // Writes the JSON to --json_out, if given.
  absl::Status WriteJson();

 private:
  double Elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  void RunStrategyOnce(const StrategyCases& sc, int t);

  const RacesSettings& st_;
  const std::string log_;
  const std::chrono::steady_clock::time_point start_;
  nlohmann::json json_;
  std::map<std::string, bool> control_ok_;
  std::vector<std::string> failures_;
  // Strategies: id -> (tries run, flagged or failed).
  std::map<std::string, std::pair<int, bool>> strategy_state_;
};

void RacesRun::RunControl(const StrategyCases& sc) {
  const StrategyEntry& e = *sc.entry;
  int flagged = 0;
  std::string frame;
  double secs = 0;
  for (int t = 0; t < st_.tries; ++t) {
    TsanRun r = RunStrategy(sc, log_, st_.case_limit);
    secs += r.seconds;
    if (r.flagged) {
      ++flagged;
      if (frame.empty()) frame = r.first_frame;
    }
  }
  std::cout << "control " << e.id() << ": flagged in " << flagged << "/" << st_.tries << " tries"
            << absl::StrFormat(" (%d cases, %.1f s)", sc.names.size(), secs)
            << (frame.empty() ? "" : "  " + frame) << "\n";
  json_["controls"][e.id()] = {
      {"flagged", flagged}, {"tries", st_.tries}, {"cases", sc.names.size()}};
  control_ok_[e.id()] = flagged > 0;
  if (flagged == 0) {
    failures_.push_back(
        absl::StrCat("MISSED control ", e.id(), ": no report in ", st_.tries, " tries"));
  }
}

void RacesRun::RunStrategyOnce(const StrategyCases& sc, int t) {
  const std::string id = sc.entry->id();
  auto& [runs, bad] = strategy_state_[id];
  TsanRun r = RunStrategy(sc, log_, st_.case_limit);
  ++runs;
  const char* verdict = r.flagged ? "FLAGGED" : r.failed ? "FAILED" : "clean";
  std::cout << "strategy " << id << ": " << verdict
            << absl::StrFormat(" (try %d, %d cases, %.1f s)", t + 1, sc.names.size(), r.seconds)
            << "\n";
  if (r.flagged) {
    bad = true;
    failures_.push_back(absl::StrCat("FLAGGED ", id, ": ", r.detail, " at ", r.first_frame));
  } else if (r.failed) {
    bad = true;
    failures_.push_back(absl::StrCat("FAILED ", id, ": ", r.detail));
  }
}

void RacesRun::RunStrategies(const std::vector<const StrategyCases*>& strategies) {
  for (int t = 0; t < st_.tries; ++t) {
    if (t > 0 && Elapsed() >= st_.budget) {
      std::cout << absl::StrFormat(
          "races: budget of %.0f s reached after %d tries of the strategies\n", st_.budget, t);
      return;
    }
    for (const StrategyCases* sc : strategies) {
      if (strategy_state_[sc->entry->id()].second) continue;  // flagged already
      if (t > 0 && Elapsed() >= st_.budget) break;
      RunStrategyOnce(*sc, t);
    }
  }
}

bool RacesRun::Report() {
  for (const auto& [id, state] : strategy_state_) {
    json_["strategies"][id] = {{"verdict", state.second ? "flagged" : "clean"},
                               {"tries", state.first}};
  }
  // Strategies this build cannot run are listed, never silently missing.
  for (const auto& e : Registry::Global().entries()) {
    if (!e.skip_reason.empty() && !json_["strategies"].contains(e.id())) {
      json_["strategies"][e.id()] = {{"verdict", "skipped"}, {"reason", e.skip_reason}};
    }
  }
  int controls_flagged = 0, strategies_flagged = 0;
  for (const auto& [id, ok] : control_ok_) controls_flagged += ok;
  for (const auto& [id, state] : strategy_state_) strategies_flagged += state.second;
  json_["seconds"] = Elapsed();
  std::cout << absl::StrFormat("races: took %.0f s (budget %.0f s)\n", Elapsed(), st_.budget);
  std::cout << "races: " << controls_flagged << "/" << control_ok_.size() << " controls flagged, "
            << strategies_flagged << "/" << strategy_state_.size() << " strategies flagged\n";
  for (const auto& f : failures_) std::cout << "  " << f << "\n";
  // Without a filter the build must hold controls: a races run that checks
  // no control proves nothing.
  return controls_flagged == static_cast<int>(control_ok_.size()) && strategies_flagged == 0 &&
         (!control_ok_.empty() || !st_.filter.empty());
}

absl::Status RacesRun::WriteJson() {
  return WriteOptionalFile(absl::GetFlag(FLAGS_json_out), json_.dump(2) + "\n");
}

}  // namespace

int RacesCommand() {
  absl::StatusOr<RacesSettings> st = ParseRacesFlags();
  if (!st.ok()) return UsageError(st.status().message());
  SetChildTsanOptions(/*report=*/true);
  auto selected = SelectRaceCases(st->filter);
  if (!selected.ok()) return UsageError(selected.status().message());
  std::cout << "races: workers " << absl::StrJoin(kRacesWorkers, ",") << "; sizes: quick, and "
            << kRacesExtraSize << " for each scenario's first size parameter; controls "
            << st->tries << " tries; strategies 1 try, then up to " << st->tries
            << " while the budget of " << st->budget << " s lasts\n";
  RacesRun run(*st);
  std::vector<const StrategyCases*> strategies;
  for (const StrategyCases& sc : *selected) {
    // Controls aimed at other detectors (explore, check, stress, watchdog)
    // are not races.
    if (!sc.entry->control) {
      strategies.push_back(&sc);
    } else if (sc.entry->detector == "tsan") {
      run.RunControl(sc);
    }
  }
  run.RunStrategies(strategies);
  const bool ok = run.Report();
  if (absl::Status written = run.WriteJson(); !written.ok()) {
    std::cerr << "harness: " << written.message() << "\n";
    return kExitFailed;
  }
  return ok ? kExitOk : kExitFailed;
}

}  // namespace harness::cli
