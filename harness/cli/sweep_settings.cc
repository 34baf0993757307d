#include "harness/cli/sweep_settings.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/cli/sweep_parts.h"
#include "harness/core/affinity.h"
#include "harness/core/cases.h"
#include "harness/core/registry.h"

namespace harness::cli {

namespace fs = std::filesystem;
using nlohmann::json;

// The placement's CPUs for n cores.
std::vector<int> CpusFor(const SweepSettings& s, int cores) {
  return CpuNumbers({s.order.begin(), s.order.begin() + cores});
}

namespace {

// --placement (over this machine's topology), --cores and --oversubscribe.
absl::Status PlacementFromFlags(SweepSettings& s) {
  s.allowed = AllowedCpus();
  auto policy = ParsePlacement(absl::GetFlag(FLAGS_placement));
  if (!policy.ok()) return policy.status();
  s.placement = *policy;
  auto topology = LoadTopology();
  if (!topology.ok()) return topology.status();
  s.topology = topology->source;
  auto order = PlacementOrder(*topology, s.allowed, s.placement);
  if (!order.ok()) return order.status();
  s.order = *order;
  const int max_cores = static_cast<int>(s.order.size());
  if (std::string text = absl::GetFlag(FLAGS_cores); !text.empty()) {
    auto parsed = ParsePositiveIntList(text, "--cores", 1 << 20);
    if (!parsed.ok()) return parsed.status();
    for (int c : *parsed) {
      if (c > max_cores) {
        return absl::InvalidArgumentError(
            absl::StrCat("--cores ", c, ": placement ", s.placement.Name(), " has only ", max_cores,
                         " CPUs (", absl::StrJoin(CpuNumbers(s.order), ","),
                         "; this process may use ", FormatCpuList(s.allowed), ")"));
      }
    }
    s.cores = *parsed;
  } else {
    for (int c = 1; c <= max_cores; ++c) s.cores.push_back(c);
  }
  if (std::string text = absl::GetFlag(FLAGS_oversubscribe); !text.empty()) {
    auto parsed = ParsePositiveIntList(text, "--oversubscribe", 64);
    if (!parsed.ok()) return parsed.status();
    for (int m : *parsed) {
      if (m > 1) s.multipliers.push_back(m);
    }
  }
  return absl::OkStatus();
}

// --quick, --repetitions, --case_timeout and --seed.
absl::Status RunsFromFlags(SweepSettings& s) {
  s.quick = absl::GetFlag(FLAGS_quick);
  s.repetitions = absl::GetFlag(FLAGS_repetitions);
  if (s.repetitions < 0) return absl::InvalidArgumentError("--repetitions must be >= 0");
  if (s.repetitions == 0) s.repetitions = s.quick ? 2 : 5;
  s.case_timeout = absl::GetFlag(FLAGS_case_timeout);
  if (s.case_timeout <= 0) return absl::InvalidArgumentError("--case_timeout must be > 0");
  s.seed = absl::GetFlag(FLAGS_seed);
  s.seed_given = s.seed != 0;
  if (s.seed == 0) s.seed = std::random_device()() | (uint64_t{std::random_device()()} << 32);
  return absl::OkStatus();
}

// --binary, --paired_binary and --paired_out.
absl::Status BinariesFromFlags(SweepSettings& s) {
  s.binary = absl::GetFlag(FLAGS_binary);
  if (!s.binary.empty() && access(s.binary.c_str(), X_OK) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--binary ", s.binary, ": not an executable file"));
  }
  s.paired_binary = absl::GetFlag(FLAGS_paired_binary);
  s.paired_out = absl::GetFlag(FLAGS_paired_out);
  if (s.paired_binary.empty() != s.paired_out.empty()) {
    return absl::InvalidArgumentError("--paired_binary and --paired_out go together");
  }
  if (!s.paired_binary.empty() && access(s.paired_binary.c_str(), X_OK) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--paired_binary ", s.paired_binary, ": not an executable file"));
  }
  return absl::OkStatus();
}

// --shard, --shard_times, --resume, and the test-only
// HARNESS_SWEEP_KILL_AFTER.
absl::Status ShardAndResumeFromFlags(SweepSettings& s) {
  if (std::string text = absl::GetFlag(FLAGS_shard); !text.empty()) {
    auto shard = ParseShard(text);
    if (!shard.ok()) return shard.status();
    s.shard = *shard;
  }
  s.shard_times = absl::GetFlag(FLAGS_shard_times);
  if (!s.shard_times.empty() && !fs::is_directory(s.shard_times)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--shard_times ", s.shard_times, ": not a folder"));
  }
  s.resume = absl::GetFlag(FLAGS_resume);
  if (!s.resume.empty() && !absl::GetFlag(FLAGS_out).empty() &&
      fs::path(absl::GetFlag(FLAGS_out)) != fs::path(s.resume)) {
    return absl::InvalidArgumentError("--resume DIR writes into DIR: leave out --out");
  }
  if (const char* k = std::getenv("HARNESS_SWEEP_KILL_AFTER"); k && *k) {
    if (!absl::SimpleAtoi(k, &s.kill_after) || s.kill_after < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("HARNESS_SWEEP_KILL_AFTER='", k, "': expected a count >= 0"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

// Reads and checks the flags; an error message for bad input.
absl::StatusOr<SweepSettings> SettingsFromFlags() {
  SweepSettings s;
  for (auto step :
       {PlacementFromFlags, RunsFromFlags, BinariesFromFlags, ShardAndResumeFromFlags}) {
    if (absl::Status st = step(s); !st.ok()) return st;
  }
  return s;
}

namespace {

// True when the strategy's work does not depend on `workers` (its traits).
bool IgnoresWorkers(const StrategyEntry& entry) {
  const auto& ignored = entry.traits.ignores;
  return std::find(ignored.begin(), ignored.end(), "workers") != ignored.end();
}

}  // namespace

// Every case at every core count, selected up front so that bad input is
// refused before anything runs or is written.
absl::StatusOr<std::vector<PlannedCase>> MakePlan(const SweepSettings& s) {
  std::vector<PlannedCase> plan;
  for (int c : s.cores) {
    std::vector<int> workers;
    for (int m : s.multipliers) workers.push_back(c * m);
    auto sel = SelectionFromFlags(workers);
    if (!sel.ok()) return sel.status();
    auto cases = SelectCases(Registry::Global(), *sel);
    if (!cases.ok()) return cases.status();
    for (auto& spec : *cases) {
      // A strategy whose work does not depend on `workers` (sequential, a
      // thread per task) would only repeat its workers = cores case at the
      // oversubscribed counts, and the report leaves it out of those tables.
      if (spec.values.workers() != c && IgnoresWorkers(*spec.entry)) continue;
      std::string tag = absl::StrCat("c", c, ":", spec.name);
      plan.push_back({c, std::move(spec), std::move(tag)});
    }
  }
  return plan;
}

// The cases of `plan` that shard s.shard runs (all without --shard),
// balanced by each case's expected seconds: its mean time in --shard_times
// when recorded there, else the median of the recorded ones; every case the
// same without --shard_times. Sets `estimate` to how the times were had.
std::vector<PlannedCase> ShardOfPlan(const SweepSettings& s, std::vector<PlannedCase> plan,
                                     std::string* estimate) {
  *estimate = "uniform";
  if (!s.shard) return plan;
  std::vector<double> seconds(plan.size(), 1.0);
  if (!s.shard_times.empty()) {
    const std::map<std::string, double> known = SecondsByTag(s.shard_times);
    std::vector<double> values;
    for (const auto& [tag, t] : known) values.push_back(t);
    if (!values.empty()) {
      std::sort(values.begin(), values.end());
      const double median = values[values.size() / 2];
      for (size_t i = 0; i < plan.size(); ++i) {
        auto it = known.find(plan[i].tag);
        seconds[i] = it != known.end() ? it->second : median;
      }
      *estimate = "seconds recorded in " + s.shard_times;
    }
  }
  std::vector<PlannedCase> mine;
  for (int i : ShardIndices(seconds, *s.shard))
    mine.push_back(std::move(plan[static_cast<size_t>(i)]));
  return mine;
}

// What the sweep measured with, for --resume and for scripts/report, which
// refuses to merge folders whose parameters differ (the seed, the shard and
// the machine are not parameters).
json Parameters(const SweepSettings& s) {
  return {{"filter", absl::GetFlag(FLAGS_filter)},
          {"set", absl::GetFlag(FLAGS_set)},
          {"quick", s.quick},
          {"repetitions", s.repetitions},
          {"min_time", absl::GetFlag(FLAGS_min_time)},
          {"case_timeout", s.case_timeout},
          {"cores", absl::GetFlag(FLAGS_cores)},
          {"oversubscribe", absl::GetFlag(FLAGS_oversubscribe)},
          {"placement", s.placement.Name()},
          {"paired", !s.paired_binary.empty()}};
}

// Reads DIR/manifest.json of a sweep to resume and checks that it planned
// the same cases with the same parameters; the old manifest, or the reason.
absl::StatusOr<json> ResumedManifest(const SweepSettings& s, const json& parameters,
                                     const std::vector<PlannedCase>& plan) {
  const fs::path path = fs::path(s.resume) / "manifest.json";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  json old = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!in || !old.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--resume ", s.resume, ": no readable manifest.json (not a sweep folder?)"));
  }
  const json old_parameters = old.value("parameters", json());
  for (const auto& [key, value] : parameters.items()) {
    if (!old_parameters.contains(key) || old_parameters[key] != value) {
      return absl::InvalidArgumentError(
          absl::StrCat("--resume ", s.resume, ": that sweep ran with ", key, "=",
                       old_parameters.contains(key) ? old_parameters[key].dump() : "(none)",
                       ", this one has ", value.dump(), "; give the same flags"));
    }
  }
  json tags = json::array();
  for (const auto& p : plan) tags.push_back(p.tag);
  auto object = [&old](const char* key) {
    return old.contains(key) && old[key].is_object() ? old[key] : json::object();
  };
  const json interleaving = object("interleaving");
  const json shard = object("shard");
  if (interleaving.value("cases", json()) != tags ||
      shard.value("index", 0) != (s.shard ? s.shard->index : 0) ||
      shard.value("count", 0) != (s.shard ? s.shard->count : 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--resume ", s.resume,
                     ": that sweep planned other cases (another --shard, "
                     "or another build's registry); give the same flags"));
  }
  const uint64_t seed = interleaving.value("seed", uint64_t{0});
  if (s.seed_given && seed != s.seed) {
    return absl::InvalidArgumentError(
        absl::StrCat("--resume ", s.resume, ": that sweep's seed is ", seed, ", not ", s.seed));
  }
  return old;
}

}  // namespace harness::cli
