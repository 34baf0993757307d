// What a sweep runs: its settings from the flags (checked), the plan (every
// selected case at every core count, the --shard's part of it), the
// parameters its results depend on, and the check that a folder to
// --resume was planned the same way.
#ifndef HARNESS_CLI_SWEEP_SETTINGS_H_
#define HARNESS_CLI_SWEEP_SETTINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/cli/sweep_plan.h"
#include "harness/core/placement.h"
#include "nlohmann/json.hpp"

namespace harness::cli {

struct SweepSettings {
  std::vector<int> allowed;
  std::vector<int> cores;
  std::vector<int> multipliers = {1};
  bool quick = false;
  int repetitions = 0;
  double case_timeout = 0;
  uint64_t seed = 0;
  std::string binary;         // side A's harness; empty: this one
  std::string paired_binary;  // empty: not paired
  std::string paired_out;
  PlacementPolicy placement;
  std::string topology;         // the topology's source ("this machine")
  std::vector<CpuPlace> order;  // n cores: the first n of these
  std::optional<Shard> shard;
  std::string shard_times;  // a folder, or empty
  std::string resume;       // a folder, or empty
  bool seed_given = false;
  int kill_after = -1;  // test-only: HARNESS_SWEEP_KILL_AFTER
};

// The placement's CPUs for n cores: the first n of `order`.
std::vector<int> CpusFor(const SweepSettings& s, int cores);

// Reads and checks the flags; an InvalidArgument error for bad input (one
// line, for the exit-2 message).
absl::StatusOr<SweepSettings> SettingsFromFlags();

// Every case at every core count, selected up front so that bad input is
// refused before anything runs or is written.
absl::StatusOr<std::vector<PlannedCase>> MakePlan(const SweepSettings& s);

// The cases of `plan` that shard s.shard runs (all without --shard),
// balanced by each case's expected seconds: its mean time in --shard_times
// when recorded there, else the median of the recorded ones; every case the
// same without --shard_times. Sets `estimate` to how the times were had.
std::vector<PlannedCase> ShardOfPlan(const SweepSettings& s, std::vector<PlannedCase> plan,
                                     std::string* estimate);

// What the sweep measured with (manifest "parameters"), for --resume and for
// scripts/report, which refuses to merge folders whose parameters differ
// (the seed, the shard and the machine are not parameters).
nlohmann::json Parameters(const SweepSettings& s);

// Reads s.resume/manifest.json and checks that it planned the same cases
// (`plan`, the shard) with the same `parameters` and seed (when --seed was
// given); the old manifest, or the reason (InvalidArgument).
absl::StatusOr<nlohmann::json> ResumedManifest(const SweepSettings& s,
                                               const nlohmann::json& parameters,
                                               const std::vector<PlannedCase>& plan);

}  // namespace harness::cli

#endif  // HARNESS_CLI_SWEEP_SETTINGS_H_
