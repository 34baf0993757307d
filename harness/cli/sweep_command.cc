// `harness sweep`: every selected case at every core count, in repetition
// rounds (sweep_plan.h): round r runs one repetition of every case, in a
// seeded random order, each in its own child process pinned to that many
// CPUs (workers = cores, plus the oversubscription multipliers), with a time
// limit. A machine-state probe (machine_probe.h) runs before and after each
// repetition. With --paired_binary, each repetition runs once with this
// binary (side A, --out) and once with the other (side B, --paired_out), in a
// random order per pair, so that A and B see the same machine state.
// Writes DIR/cores-<n>.json and DIR/manifest.json (sweep_output.h) after
// every round, and DIR/parts/ (sweep_parts.h) after every repetition.
//
// Placement (placement.h): n cores are the first n CPUs of the --placement
// policy's order over this machine's hwloc topology, inside the allowed
// CPUs. --shard i/n runs a deterministic part of the plan (sweep_plan.h);
// --resume DIR continues a sweep that stopped, from its parts.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/cli/sweep_child.h"
#include "harness/cli/sweep_output.h"
#include "harness/cli/sweep_parts.h"
#include "harness/cli/sweep_plan.h"
#include "harness/core/affinity.h"
#include "harness/core/machine_probe.h"
#include "harness/core/placement.h"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

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
  std::string topology;          // the topology's source ("this machine")
  std::vector<CpuPlace> order;   // n cores: the first n of these
  std::optional<Shard> shard;
  std::string shard_times;       // a folder, or empty
  std::string resume;            // a folder, or empty
  bool seed_given = false;
  int kill_after = -1;           // test-only: HARNESS_SWEEP_KILL_AFTER
};

// The placement's CPUs for n cores.
std::vector<int> CpusFor(const SweepSettings& s, int cores) {
  return CpuNumbers({s.order.begin(), s.order.begin() + cores});
}

// Reads and checks the flags; an error message for bad input.
absl::StatusOr<SweepSettings> SettingsFromFlags() {
  SweepSettings s;
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
        return absl::InvalidArgumentError(absl::StrCat(
            "--cores ", c, ": placement ", s.placement.Name(), " has only ", max_cores,
            " CPUs (", absl::StrJoin(CpuNumbers(s.order), ","), "; this process may use ",
            FormatCpuList(s.allowed), ")"));
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
  s.quick = absl::GetFlag(FLAGS_quick);
  s.repetitions = absl::GetFlag(FLAGS_repetitions);
  if (s.repetitions < 0) return absl::InvalidArgumentError("--repetitions must be >= 0");
  if (s.repetitions == 0) s.repetitions = s.quick ? 2 : 5;
  s.case_timeout = absl::GetFlag(FLAGS_case_timeout);
  if (s.case_timeout <= 0) return absl::InvalidArgumentError("--case_timeout must be > 0");
  s.seed = absl::GetFlag(FLAGS_seed);
  s.seed_given = s.seed != 0;
  if (s.seed == 0) s.seed = std::random_device()() | (uint64_t{std::random_device()()} << 32);
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
  return s;
}

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
  for (int i : ShardIndices(seconds, *s.shard)) mine.push_back(std::move(plan[static_cast<size_t>(i)]));
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
      return absl::InvalidArgumentError(absl::StrCat(
          "--resume ", s.resume, ": that sweep ran with ", key, "=",
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
    return absl::InvalidArgumentError(absl::StrCat(
        "--resume ", s.resume, ": that sweep planned other cases (another --shard, "
        "or another build's registry); give the same flags"));
  }
  const uint64_t seed = interleaving.value("seed", uint64_t{0});
  if (s.seed_given && seed != s.seed) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--resume ", s.resume, ": that sweep's seed is ", seed, ", not ", s.seed));
  }
  return old;
}

std::string RunId() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(absl::FormatTime("%Y%m%d-%H%M%S", absl::Now(), absl::LocalTimeZone()),
                      "-", host);
}

// Creates `dir`; false when it cannot be made.
bool MakeFolder(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  return !ec && fs::is_directory(dir);
}

// The inter-core round trip between the first and last of `cpus`, as
// recorded beside a repetition: {"roundtrip_ns": x | null, "trips": n}
// (null on one CPU, or when no trip completed within the probe's budget).
json Probe(const std::vector<int>& cpus) {
  if (cpus.size() < 2) return {{"roundtrip_ns", nullptr}, {"trips", 0}};
  const RoundTrip rt = MeasureRoundTrip(cpus.front(), cpus.back());
  return {{"roundtrip_ns", rt.median_ns ? json(*rt.median_ns) : json(nullptr)},
          {"trips", rt.trips}};
}

// One side of the sweep: the binary that runs its children and its folder.
struct Side {
  std::string role;        // "A" or "B" (paired), "" otherwise
  std::string executable;  // empty: this binary
  std::vector<std::pair<std::string, std::optional<std::string>>> env;
  std::unique_ptr<SweepOutput> output;
  std::vector<bool> stopped;  // by plan index: failed or hung, not run again
  std::set<std::pair<int, int>> recorded;  // (round, plan index) replayed from parts
};

// The child's arguments for one repetition of `planned`.
std::vector<std::string> ChildArgs(const std::vector<std::string>& base, const PlannedCase& p,
                                   const std::string& json_out) {
  std::vector<std::string> args = base;
  args.push_back("--filter=" + ExactFilter(p.spec.name));
  args.push_back(absl::StrCat("--workers=", p.spec.values.workers()));
  args.push_back("--benchmark_out=" + json_out);
  return args;
}

// Arguments every child shares: one repetition, this selection's sizes.
std::vector<std::string> BaseChildArgs(const SweepSettings& s,
                                       const std::vector<std::string>& original_args) {
  std::vector<std::string> args = {"harness", "run", "--sweep_child", "--repetitions=1",
                                   absl::StrCat("--case_timeout=", s.case_timeout),
                                   "--benchmark_out_format=json"};
  if (s.quick) args.push_back("--quick");
  if (!absl::GetFlag(FLAGS_set).empty()) args.push_back("--set=" + absl::GetFlag(FLAGS_set));
  if (absl::GetFlag(FLAGS_min_time) > 0) {
    args.push_back(absl::StrCat("--min_time=", absl::GetFlag(FLAGS_min_time)));
  }
  for (const auto& a : original_args) {
    // One repetition per child: the rounds are the repetitions.
    if (a.rfind("--benchmark_", 0) == 0 && a.rfind("--benchmark_repetitions", 0) != 0) {
      args.push_back(a);
    }
  }
  return args;
}

json ManifestBase(const SweepSettings& s, const std::string& run_id, size_t cases,
                  const std::vector<std::string>& original_args) {
  return {{"format", "concurrency-harness-run/1"},
          {"run_id", run_id},
          {"created", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone())},
          {"host", run_id.substr(run_id.rfind('-') + 1)},
          {"quick", s.quick},
          {"repetitions", s.repetitions},
          {"cores", s.cores},
          {"allowed_cpus", FormatCpuList(s.allowed)},
          {"cases", cases},
          {"command", absl::StrJoin(original_args, " ")},
          {"parameters", Parameters(s)},
          {"placement", {{"policy", s.placement.Name()},
                         {"topology", s.topology},
                         {"order", CpuNumbers(s.order)}}}};
}

// The "interleaving" manifest field: the seed, the case tags and each
// round's order (indices into "cases").
json InterleavingJson(const SweepSettings& s, const std::vector<PlannedCase>& plan,
                      const std::vector<RoundOrder>& orders) {
  json tags = json::array();
  for (const auto& p : plan) tags.push_back(p.tag);
  json order = json::array();
  for (const auto& o : orders) order.push_back(o.cases);
  return {{"seed", s.seed}, {"rounds", s.repetitions}, {"cases", tags}, {"order", order}};
}

// Sets up side A (and side B when paired): binaries, environment, folders
// and their manifests.
std::vector<Side> MakeSides(const SweepSettings& s, const fs::path& out, json manifest,
                            const std::vector<RoundOrder>& orders, size_t cases) {
  const bool paired = !s.paired_binary.empty();
  std::vector<Side> sides(paired ? 2 : 1);
  for (size_t i = 0; i < sides.size(); ++i) {
    Side& side = sides[i];
    side.stopped.assign(cases, false);
    side.executable = i == 0 ? s.binary : s.paired_binary;
    json m = manifest;
    if (paired) {
      side.role = i == 0 ? "A" : "B";
      json a_first = json::array();
      for (const auto& o : orders) a_first.push_back(o.a_first);
      m["paired"] = {{"role", side.role},
                     {"rounds", s.repetitions},
                     {"seed", s.seed},
                     {"partner", i == 0 ? s.paired_out : out.string()},
                     {"binary", side.executable.empty() ? "/proc/self/exe" : side.executable},
                     {"a_first", a_first}};
    }
    if (i == 1) {
      // The test-only slowdown knob of side B (docs/results-format.md).
      const char* b_knob = std::getenv("HARNESS_SLOWDOWN_B");
      side.env.push_back({"HARNESS_SLOWDOWN", b_knob ? std::optional<std::string>(b_knob)
                                                     : std::nullopt});
    }
    side.output = std::make_unique<SweepOutput>(i == 0 ? out : fs::path(s.paired_out),
                                                std::move(m), s.repetitions);
  }
  return sides;
}

// Runs one repetition of plan[`index`] on `side`, pinned to `cpus`, and
// records it with `info` (whose probe_before is set; probe_after and the
// steal/irq times are taken here). Returns the progress line's verdict and
// the child's seconds.
// Test-only (HARNESS_SWEEP_KILL_AFTER=k): the sweep kills itself with
// SIGKILL once k repetitions are recorded, after the next one's child has
// finished but before that repetition is recorded, as a sweep killed midway
// through a case would be.
void MaybeKillSelf(int kill_after) {
  static int recorded = 0;
  if (kill_after >= 0 && recorded++ == kill_after) {
    std::cerr << "harness: HARNESS_SWEEP_KILL_AFTER=" << kill_after << ": killing the sweep\n";
    raise(SIGKILL);
  }
}

std::pair<std::string, double> RunRepetition(Side& side, int index, const PlannedCase& p,
                                             const std::vector<int>& cpus,
                                             const std::vector<std::string>& base_args,
                                             const SweepSettings& s, RepetitionInfo& info) {
  const double case_timeout = s.case_timeout;
  const std::string json_out =
      (side.output->dir() / absl::StrCat(".case-", getpid(), ".json")).string();
  const ProcStat stat_before = ReadProcStat();
  const auto start = std::chrono::steady_clock::now();
  ChildResult r = RunSweepChild(ChildArgs(base_args, p, json_out),
                                {.cpus = cpus, .executable = side.executable, .env = side.env},
                                json_out, case_timeout);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const ProcStat stat_after = ReadProcStat();
  info.probe_after = Probe(cpus);
  if (auto d = StealIrqBetween(stat_before, stat_after, cpus)) {
    info.steal_ms = d->steal_ms;
    info.irq_ms = d->irq_ms;
  }
  MaybeKillSelf(s.kill_after);
  if (!WritePart(side.output->dir(), p, index, r, info, secs)) return {"", -1};
  std::string verdict = r.outcome == ChildResult::kOk        ? ThroughputText(r.benchmarks) + "  ok"
                        : r.outcome == ChildResult::kHung    ? "HUNG: " + r.detail
                        : r.outcome == ChildResult::kMissing ? "skipped: " + r.detail
                                                             : "FAILED: " + r.detail;
  if (!side.output->Add(index, p, std::move(r), info)) {
    side.stopped[static_cast<size_t>(index)] = true;
  }
  return {verdict, secs};
}

// Replays the complete parts of each side's folder (--resume): their
// repetitions are recorded as if just run, and not run again. Prints what
// it kept.
void ReplayParts(std::vector<Side>& sides, const std::vector<PlannedCase>& plan, int rounds) {
  for (Side& side : sides) {
    int removed = 0;
    for (Part& part : ReadParts(side.output->dir(), plan, rounds, &removed)) {
      side.recorded.insert({part.round, part.index});
      const PlannedCase& p = plan[static_cast<size_t>(part.index)];
      if (!side.output->Add(part.index, p, std::move(part.result), part.info)) {
        side.stopped[static_cast<size_t>(part.index)] = true;
      }
    }
    std::cerr << "harness: resuming " << side.output->dir().string() << ": "
              << side.recorded.size() << " of " << plan.size() * static_cast<size_t>(rounds)
              << " repetitions complete"
              << (removed ? absl::StrCat(", ", removed, " partial records removed") : "") << "\n";
  }
}

// Records the placement of every core count in the context of its file.
void AddPlacementContext(const SweepSettings& s, SweepOutput& output) {
  for (int c : s.cores) {
    const std::vector<CpuPlace> places(s.order.begin(), s.order.begin() + c);
    output.AddContext(c, "harness_placement", s.placement.Name());
    output.AddContext(c, "harness_cpus", absl::StrJoin(CpuNumbers(places), ","));
    output.AddContext(c, "harness_cpu_topology", PlacesJson(places));
    output.AddContext(c, "harness_placement_summary", DescribePlaces(places));
  }
}

}  // namespace

int SweepCommand(const std::vector<std::string>& original_args) {
  auto settings = SettingsFromFlags();
  if (!settings.ok()) return UsageError(settings.status().message());
  SweepSettings& s = *settings;
  auto planned = MakePlan(s);
  if (!planned.ok()) return UsageError(planned.status().message());
  const size_t planned_cases = planned->size();
  std::string estimate;
  const std::vector<PlannedCase> plan = ShardOfPlan(s, std::move(*planned), &estimate);
  const bool paired = !s.paired_binary.empty();
  if (plan.empty()) {
    return UsageError(absl::StrCat("--shard ", s.shard->index, "/", s.shard->count, ": only ",
                                   planned_cases, " cases planned, none for this shard"));
  }

  std::string run_id = RunId();
  json previous;  // the manifest of the sweep resumed
  if (!s.resume.empty()) {
    auto old = ResumedManifest(s, Parameters(s), plan);
    if (!old.ok()) return UsageError(old.status().message());
    previous = *old;
    s.seed = previous["interleaving"].value("seed", s.seed);
    run_id = previous.value("run_id", run_id);
  }
  fs::path out = s.resume.empty() ? fs::path(absl::GetFlag(FLAGS_out)) : fs::path(s.resume);
  if (out.empty()) out = fs::path("reports") / run_id;
  if (!MakeFolder(out)) {
    return UsageError(absl::StrCat("cannot create --out folder ", out.string()));
  }
  if (paired && !MakeFolder(s.paired_out)) {
    return UsageError(absl::StrCat("cannot create --paired_out folder ", s.paired_out));
  }

  const std::vector<RoundOrder> orders =
      MakeRoundOrders(static_cast<int>(plan.size()), s.repetitions, s.seed, paired);
  json manifest = ManifestBase(s, run_id, plan.size(), original_args);
  manifest["interleaving"] = InterleavingJson(s, plan, orders);
  if (s.shard) {
    manifest["shard"] = {{"index", s.shard->index},
                         {"count", s.shard->count},
                         {"planned_cases", planned_cases},
                         {"estimate", estimate}};
  }
  double previous_seconds = 0;
  if (!previous.is_null()) {
    manifest["created"] = previous.value("created", manifest["created"]);
    manifest["resumed"] = previous.value("resumed", 0) + 1;
    previous_seconds = previous.value("seconds", 0.0);
  }
  std::vector<Side> sides = MakeSides(s, out, std::move(manifest), orders, plan.size());
  for (Side& side : sides) AddPlacementContext(s, *side.output);
  if (!s.resume.empty()) {
    ReplayParts(sides, plan, s.repetitions);
  } else {
    // The manifest from the start, so that a sweep that dies in its first
    // round can be resumed.
    for (Side& side : sides) {
      if (!side.output->Write(plan, 0, 0)) return kExitFailed;
    }
  }

  const size_t total = plan.size() * static_cast<size_t>(s.repetitions) * sides.size();
  std::cerr << "harness: sweep of " << plan.size() << " cases"
            << (s.shard ? absl::StrCat(" (shard ", s.shard->index, "/", s.shard->count, " of ",
                                       planned_cases, ")")
                        : "")
            << " over cores " << absl::StrJoin(s.cores, ",") << " (placement "
            << s.placement.Name() << ") in " << s.repetitions
            << " interleaved rounds (seed " << s.seed << ")"
            << (paired ? absl::StrCat(", paired with ", s.paired_binary) : "") << " into "
            << out.string() << (paired ? " and " + s.paired_out : "") << "\n";
  const std::vector<std::string> base_args = BaseChildArgs(s, original_args);
  const auto sweep_start = std::chrono::steady_clock::now();
  size_t done = 0;
  for (int round = 0; round < s.repetitions; ++round) {
    const RoundOrder& order = orders[static_cast<size_t>(round)];
    for (size_t pos = 0; pos < order.cases.size(); ++pos) {
      const int index = order.cases[pos];
      const PlannedCase& p = plan[static_cast<size_t>(index)];
      const std::vector<int> cpus = CpusFor(s, p.cores);
      std::vector<Side*> turn;
      for (Side& side : sides) {
        ++done;
        if (side.stopped[static_cast<size_t>(index)] || side.recorded.count({round, index})) {
          continue;
        }
        turn.push_back(&side);
      }
      if (turn.empty()) continue;
      if (paired && turn.size() == 2 && !order.a_first[pos]) std::swap(turn[0], turn[1]);
      json probe = Probe(cpus);  // the next repetition's "before"
      for (Side* side : turn) {
        RepetitionInfo info{
            .round = round, .position = static_cast<int>(pos), .probe_before = probe};
        const auto [verdict, secs] = RunRepetition(*side, index, p, cpus, base_args, s, info);
        if (secs < 0) return kExitFailed;  // its part could not be written
        probe = info.probe_after;
        std::cerr << absl::StrFormat("[%*d/%d] round %d%s  cores %d  %s  %s (%.1f s)\n",
                                     static_cast<int>(absl::StrCat(total).size()), done, total,
                                     round + 1, side->role.empty() ? "" : " " + side->role,
                                     p.cores, p.spec.name, verdict, secs);
      }
    }
    const double seconds =
        previous_seconds +
        std::chrono::duration<double>(std::chrono::steady_clock::now() - sweep_start).count();
    for (Side& side : sides) {
      if (!side.output->Write(plan, round + 1, seconds)) return kExitFailed;
    }
  }
  bool bad = false;
  for (Side& side : sides) {
    const json& m = side.output->manifest();
    bad = bad || side.output->bad();
    std::cerr << "harness: " << (side.role.empty() ? "" : "side " + side.role + ": ")
              << (side.output->bad() ? "sweep finished with failures" : "sweep done") << ": "
              << m["failed"].size() << " failed, " << m["hung"].size() << " hung; results in "
              << side.output->dir().string() << "\n";
  }
  return bad ? kExitFailed : kExitOk;
}

}  // namespace harness::cli
