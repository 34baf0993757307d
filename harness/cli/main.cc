// The `harness` command: list, run and sweep the registered cases.
#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "harness/cli/commands.h"

namespace {

constexpr char kUsage[] = R"(harness: run concurrency strategies, check every answer, time them.

Usage:
  harness list  [--json] [--controls]
      One line per scenario/strategy with its parameters and defaults.
  harness run   [--filter REGEX] [--set name=v|v,...] [--workers 1,2]
                [--quick] [--repetitions N] [--benchmark_* ...]
      Runs the selected cases here (Google Benchmark flags pass through);
      exit 1 if an answer is wrong.
  harness sweep [--cores 1,2,4] [--oversubscribe 2,4] [--filter REGEX]
                [--set ...] [--quick] [--repetitions N] [--out DIR] [--seed S]
                [--paired_binary OTHER_HARNESS --paired_out DIR_B]
                [--placement cores|compact|spread|list:0,2,4]
                [--shard i/n [--shard_times DIR]] [--resume DIR]
      Every case at every core count, workers = cores, in N interleaved
      rounds: each round runs one repetition of every case (one pinned child
      process each) in a seeded random order, with a machine-state probe
      around it; writes DIR/cores-<n>.json and DIR/manifest.json. Paired: each
      repetition also runs with OTHER_HARNESS, back to back (A/B order
      random), into DIR_B. n cores are the first n CPUs of the placement
      policy (hwloc topology, inside the allowed CPUs; default cores: one
      thread per physical core first). --shard runs the i-th of n parts of
      the plan, balanced by expected time; --resume continues a sweep in DIR
      (same flags), keeping the repetitions recorded in DIR/parts.

  harness races [--filter REGEX] [--tries N] [--time_budget S] [--json_out FILE]
      (tsan build) Runs every seeded race (control) and every strategy under
      ThreadSanitizer at workers 1,2,3,4 and two sizes, one process per
      strategy; strategies get more tries while the budget (seconds) lasts;
      exit 1 if a control is missed or a strategy is flagged.

  harness stress [--filter REGEX] [--iterations N] [--seed S] [--controls]
      Runs cases many times with random workers (1..16), sizes (including
      the runtime's grain/block/batch boundaries) and schedule perturbation,
      checking each answer; prints the seed for replay and the number of
      perturbations injected.

  harness detectors [--detector check,stress,...] [--filter REGEX] [--json_out FILE]
      Runs every detector's controls (seeded bugs) through the detector they
      target: check, stress, watchdog, tsan (tsan build), explore; ends with
      `detectors: N/M controls caught`, exit 1 unless all are caught.

  harness explore [--filter REGEX] [--budget SECONDS] [--strategy delay|pct|both]
                  [--seed S] [--workers 2,4] [--out explore.json]
                  [--replay SEED:POINT:HIT [--faults_off]]
      Schedule exploration: runs the protocol-bug controls and every strategy
      under delay-bounded and PCT schedules at the runtime's injection points,
      one child process per case; ends with
      `explore: X/Y controls found, 0/Z strategies failed`; exit 1 if a
      control is missed or a strategy fails. --replay runs the one case
      --filter selects under one printed schedule.

Exit status: 0 all cases ran and checked, 1 a case failed or hung,
2 bad usage. `harness help` or --help for this text, --helpfull for every flag.
)";

bool IsHelp(std::string_view a) {
  return a == "help" || a == "--help" || a == "-h" || a == "-help";
}

// Every flag of the harness with its help text (for --helpfull).
void PrintFlags() {
  std::map<std::string, const absl::CommandLineFlag*> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (absl::StrContains(flag->Filename(), "harness/cli/")) {
      flags[std::string(name)] = flag;
    }
  }
  for (const auto& [name, flag] : flags) {
    std::cout << "  --" << name << " (default: '" << flag->DefaultValue() << "')\n      "
              << flag->Help() << "\n";
  }
}

// Parses the harness's flags: --name=value, --name value, --name and
// --noname for booleans. Unlike absl::ParseCommandLine of this Abseil
// version, a bad flag is an error we report in one line (exit 2).
absl::Status ParseFlags(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!absl::StartsWith(arg, "-")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", arg, "'"));
    }
    arg.remove_prefix(absl::StartsWith(arg, "--") ? 2 : 1);
    std::string name(arg.substr(0, arg.find('=')));
    std::replace(name.begin(), name.end(), '-', '_');  // --paired-out == --paired_out
    std::optional<std::string> value;
    if (arg.find('=') != std::string_view::npos) {
      value = std::string(arg.substr(arg.find('=') + 1));
    }
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr && absl::StartsWith(name, "no") && !value) {
      flag = absl::FindCommandLineFlag(name.substr(2));
      if (flag != nullptr && flag->IsOfType<bool>()) {
        value = "false";
      } else {
        flag = nullptr;
      }
    }
    if (flag == nullptr || !absl::StrContains(flag->Filename(), "harness/cli/")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name, " (see harness --help)"));
    }
    if (!value) {
      if (flag->IsOfType<bool>()) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
      }
    }
    // An empty value is never the default in disguise: `--out=` or
    // `--filter ""` is a mistake the user should hear about.
    if (value->empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "flag --", name, " has an empty value (give a value or leave the flag out)"));
    }
    std::string error;
    if (!flag->ParseFrom(*value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad value '", *value, "' for --", name, ": ", error));
    }
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "--helpfull") {
    std::cout << kUsage << "\nFlags:\n";
    PrintFlags();
    return harness::cli::kExitOk;
  }
  for (int i = 2; i < argc; ++i) {
    if (IsHelp(argv[i])) {
      std::cout << kUsage;
      return harness::cli::kExitOk;
    }
  }
  if (argc < 2 || IsHelp(argv[1])) {
    std::cout << kUsage;
    return argc < 2 ? harness::cli::kExitUsage : harness::cli::kExitOk;
  }
  const std::string command = argv[1];
  // Google Benchmark's flags pass through to `run`; Abseil parses the rest.
  std::vector<std::string> original_args(argv, argv + argc);
  std::vector<std::string> benchmark_args;
  std::vector<std::string> absl_argv;
  for (int i = 2; i < argc; ++i) {
    if (absl::StartsWith(argv[i], "--benchmark_")) {
      benchmark_args.push_back(argv[i]);
    } else {
      absl_argv.push_back(argv[i]);
    }
  }
  if (absl::Status st = ParseFlags(absl_argv); !st.ok()) {
    return harness::cli::UsageError(st.message());
  }
  if (command == "list") return harness::cli::ListCommand();
  if (command == "run") return harness::cli::RunCommand(argv[0], benchmark_args);
  if (command == "sweep") return harness::cli::SweepCommand(original_args);
  if (command == "races") return harness::cli::RacesCommand();
  if (command == "stress") return harness::cli::StressCommand();
  if (command == "explore") return harness::cli::ExploreCommand();
  if (command == "detectors") return harness::cli::DetectorsCommand();
  return harness::cli::UsageError(
      "unknown command '" + command +
      "' (commands: list, run, sweep, races, stress, explore, detectors; see harness --help)");
}
