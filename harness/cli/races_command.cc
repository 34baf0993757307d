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
#include <fstream>
#include <iostream>
#include <map>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
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
  std::vector<std::string> args = {"--quick",
                                   "--workers=" + absl::StrJoin(kRacesWorkers, ","),
                                   absl::StrCat("--case_timeout=", case_limit)};
  if (!sc.overrides.empty()) args.push_back(SetFlag(sc.overrides));
  return RunUnderTsan(absl::StrJoin(alternatives, "|"), args, log,
                      case_limit * static_cast<double>(sc.names.size()) + 30);
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
  double budget = absl::GetFlag(FLAGS_time_budget);
  if (budget < 0) return UsageError("--time_budget must be >= 0 seconds");
  if (budget == 0) budget = kDefaultBudgetSeconds;
  const double case_limit = absl::GetFlag(FLAGS_case_timeout);
  if (case_limit <= 0) return UsageError("--case_timeout must be > 0");
  SetChildTsanOptions(/*report=*/true);

  const std::string filter = absl::GetFlag(FLAGS_filter);
  auto selected = SelectRaceCases(filter);
  if (!selected.ok()) return UsageError(selected.status().message());
  std::cout << "races: workers " << absl::StrJoin(kRacesWorkers, ",")
            << "; sizes: quick, and " << kRacesExtraSize
            << " for each scenario's first size parameter; controls " << tries
            << " tries; strategies 1 try, then up to " << tries << " while the budget of "
            << budget << " s lasts\n";

  const std::string log =
      (fs::temp_directory_path() / absl::StrCat("harness-races-", getpid(), ".log")).string();
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  nlohmann::json json = {{"controls", nlohmann::json::object()},
                         {"strategies", nlohmann::json::object()},
                         {"workers", kRacesWorkers},
                         {"extra_size", kRacesExtraSize},
                         {"budget_s", budget}};
  std::map<std::string, bool> control_ok;
  std::vector<std::string> failures;
  // Strategies: id -> (tries run, flagged or failed).
  std::map<std::string, std::pair<int, bool>> strategy_state;
  std::vector<const StrategyCases*> strategies;
  for (const StrategyCases& sc : *selected) {
    const StrategyEntry& e = *sc.entry;
    // Controls aimed at other detectors (explore, check, stress, watchdog)
    // are not races.
    if (e.control && e.detector != "tsan") continue;
    if (!e.control) {
      strategies.push_back(&sc);
      continue;
    }
    int flagged = 0;
    std::string frame;
    double secs = 0;
    for (int t = 0; t < tries; ++t) {
      TsanRun r = RunStrategy(sc, log, case_limit);
      secs += r.seconds;
      if (r.flagged) {
        ++flagged;
        if (frame.empty()) frame = r.first_frame;
      }
    }
    std::cout << "control " << e.id() << ": flagged in " << flagged << "/" << tries
              << " tries" << absl::StrFormat(" (%d cases, %.1f s)", sc.names.size(), secs)
              << (frame.empty() ? "" : "  " + frame) << "\n";
    json["controls"][e.id()] = {{"flagged", flagged}, {"tries", tries}, {"cases", sc.names.size()}};
    control_ok[e.id()] = flagged > 0;
    if (flagged == 0) {
      failures.push_back(absl::StrCat("MISSED control ", e.id(), ": no report in ", tries,
                                      " tries"));
    }
  }
  // Strategies: every one once, then further rounds while the budget lasts.
  for (int t = 0; t < tries; ++t) {
    if (t > 0 && elapsed() >= budget) {
      std::cout << absl::StrFormat("races: budget of %.0f s reached after %d tries of the "
                                   "strategies\n", budget, t);
      break;
    }
    for (const StrategyCases* sc : strategies) {
      const std::string id = sc->entry->id();
      auto& [runs, bad] = strategy_state[id];
      if (bad) continue;  // flagged already: no need to look again
      if (t > 0 && elapsed() >= budget) break;
      TsanRun r = RunStrategy(*sc, log, case_limit);
      ++runs;
      const char* verdict = r.flagged ? "FLAGGED" : r.failed ? "FAILED" : "clean";
      std::cout << "strategy " << id << ": " << verdict
                << absl::StrFormat(" (try %d, %d cases, %.1f s)", t + 1, sc->names.size(),
                                   r.seconds)
                << "\n";
      if (r.flagged) {
        bad = true;
        failures.push_back(absl::StrCat("FLAGGED ", id, ": ", r.detail, " at ", r.first_frame));
      } else if (r.failed) {
        bad = true;
        failures.push_back(absl::StrCat("FAILED ", id, ": ", r.detail));
      }
    }
  }
  std::error_code ec;
  fs::remove(log, ec);
  for (const auto& [id, state] : strategy_state) {
    json["strategies"][id] = {{"verdict", state.second ? "flagged" : "clean"},
                              {"tries", state.first}};
  }
  // Strategies this build cannot run are listed, never silently missing.
  for (const auto& e : Registry::Global().entries()) {
    if (!e.skip_reason.empty() && !json["strategies"].contains(e.id())) {
      json["strategies"][e.id()] = {{"verdict", "skipped"}, {"reason", e.skip_reason}};
    }
  }
  int controls_flagged = 0, strategies_flagged = 0;
  for (const auto& [id, ok] : control_ok) controls_flagged += ok;
  for (const auto& [id, state] : strategy_state) strategies_flagged += state.second;
  json["seconds"] = elapsed();
  std::cout << absl::StrFormat("races: took %.0f s (budget %.0f s)\n", elapsed(), budget);
  std::cout << "races: " << controls_flagged << "/" << control_ok.size()
            << " controls flagged, " << strategies_flagged << "/" << strategy_state.size()
            << " strategies flagged\n";
  for (const auto& f : failures) std::cout << "  " << f << "\n";
  if (std::string path = absl::GetFlag(FLAGS_json_out); !path.empty()) {
    const fs::path tmp = path + ".tmp";
    std::ofstream(tmp) << json.dump(2) << "\n";
    fs::rename(tmp, path, ec);
  }
  // Without a filter the build must hold controls: a races run that checks
  // no control proves nothing.
  const bool ok = controls_flagged == static_cast<int>(control_ok.size()) &&
                  strategies_flagged == 0 && (!control_ok.empty() || !filter.empty());
  return ok ? kExitOk : kExitFailed;
}

}  // namespace harness::cli
