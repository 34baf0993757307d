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
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include "absl/flags/flag.h"
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
#include "harness/cli/sweep_settings.h"
#include "harness/core/affinity.h"
#include "harness/core/machine_probe.h"
#include "harness/core/placement.h"

namespace harness::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string RunId() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(absl::FormatTime("%Y%m%d-%H%M%S", absl::Now(), absl::LocalTimeZone()), "-",
                      host);
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
  std::vector<bool> stopped;               // by plan index: failed or hung, not run again
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

// Default seconds of timed runs per repetition in a sweep (see BaseChildArgs).
constexpr double kSweepMinTimeSeconds = 0.05;

// Arguments every child shares: one repetition, this selection's sizes.
std::vector<std::string> BaseChildArgs(const SweepSettings& s,
                                       const std::vector<std::string>& original_args) {
  std::vector<std::string> args = {"harness",
                                   "run",
                                   "--sweep_child",
                                   "--repetitions=1",
                                   absl::StrCat("--case_timeout=", s.case_timeout),
                                   "--benchmark_out_format=json"};
  if (s.quick) args.push_back("--quick");
  if (!absl::GetFlag(FLAGS_set).empty()) args.push_back("--set=" + absl::GetFlag(FLAGS_set));
  // A repetition is one sample of the rounds: 0.05 s of timed runs keeps
  // every case at several runs per sample (the long cases at one) while the
  // full sweep stays short enough to repeat; `run` alone defaults to 0.1 s.
  const double min_time = absl::GetFlag(FLAGS_min_time);
  if (min_time > 0) {
    args.push_back(absl::StrCat("--min_time=", min_time));
  } else if (!s.quick) {
    args.push_back(absl::StrCat("--min_time=", kSweepMinTimeSeconds));
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
  return {
      {"format", "concurrency-harness-run/1"},
      {"run_id", run_id},
      {"created", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone())},
      // The run id is "<date>-<time>-<host>"; the host may have dashes.
      {"host", run_id.substr(std::min(run_id.size(), run_id.find('-', run_id.find('-') + 1) + 1))},
      {"quick", s.quick},
      {"repetitions", s.repetitions},
      {"cores", s.cores},
      {"allowed_cpus", FormatCpuList(s.allowed)},
      {"cases", cases},
      {"command", absl::StrJoin(original_args, " ")},
      {"parameters", Parameters(s)},
      {"placement",
       {{"policy", s.placement.Name()}, {"topology", s.topology}, {"order", CpuNumbers(s.order)}}}};
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
      side.env.push_back(
          {"HARNESS_SLOWDOWN", b_knob ? std::optional<std::string>(b_knob) : std::nullopt});
    }
    side.output = std::make_unique<SweepOutput>(i == 0 ? out : fs::path(s.paired_out), std::move(m),
                                                s.repetitions);
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
    std::cerr << "harness: resuming " << side.output->dir().string() << ": " << side.recorded.size()
              << " of " << plan.size() * static_cast<size_t>(rounds) << " repetitions complete"
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

// The sweep's plan after sharding, and the figures its lines print.
struct SweepPlan {
  std::vector<PlannedCase> plan;
  size_t planned_cases = 0;  // before sharding
  std::string estimate;      // the shard's expected time
};

absl::StatusOr<SweepPlan> PlanSweep(const SweepSettings& s) {
  auto planned = MakePlan(s);
  if (!planned.ok()) return planned.status();
  SweepPlan out;
  out.planned_cases = planned->size();
  out.plan = ShardOfPlan(s, std::move(*planned), &out.estimate);
  if (out.plan.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--shard ", s.shard->index, "/", s.shard->count,
                                                   ": only ", out.planned_cases,
                                                   " cases planned, none for this shard"));
  }
  return out;
}

// Where the sweep writes: the run id, side A's folder, and the manifest of
// the sweep resumed (null when none). With --resume, the seed is the
// resumed sweep's.
struct SweepTarget {
  std::string run_id;
  fs::path out;
  json previous;
};

absl::StatusOr<SweepTarget> MakeTarget(SweepSettings& s, const std::vector<PlannedCase>& plan) {
  SweepTarget t{RunId(), {}, {}};
  if (!s.resume.empty()) {
    auto old = ResumedManifest(s, Parameters(s), plan);
    if (!old.ok()) return old.status();
    t.previous = *old;
    s.seed = t.previous["interleaving"].value("seed", s.seed);
    t.run_id = t.previous.value("run_id", t.run_id);
  }
  t.out = s.resume.empty() ? fs::path(absl::GetFlag(FLAGS_out)) : fs::path(s.resume);
  if (t.out.empty()) t.out = fs::path("reports") / t.run_id;
  if (!MakeFolder(t.out)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot create --out folder ", t.out.string()));
  }
  if (!s.paired_binary.empty() && !MakeFolder(s.paired_out)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot create --paired_out folder ", s.paired_out));
  }
  return t;
}

// The full manifest of a new or resumed sweep.
json SweepManifest(const SweepSettings& s, const SweepPlan& sp, const SweepTarget& t,
                   const std::vector<RoundOrder>& orders,
                   const std::vector<std::string>& original_args) {
  json manifest = ManifestBase(s, t.run_id, sp.plan.size(), original_args);
  manifest["interleaving"] = InterleavingJson(s, sp.plan, orders);
  if (s.shard) {
    manifest["shard"] = {{"index", s.shard->index},
                         {"count", s.shard->count},
                         {"planned_cases", sp.planned_cases},
                         {"estimate", sp.estimate}};
  }
  if (!t.previous.is_null()) {
    manifest["created"] = t.previous.value("created", manifest["created"]);
    manifest["resumed"] = t.previous.value("resumed", 0) + 1;
  }
  return manifest;
}

void PrintStart(const SweepSettings& s, const SweepPlan& sp, const SweepTarget& t) {
  const bool paired = !s.paired_binary.empty();
  std::cerr << "harness: sweep of " << sp.plan.size() << " cases"
            << (s.shard ? absl::StrCat(" (shard ", s.shard->index, "/", s.shard->count, " of ",
                                       sp.planned_cases, ")")
                        : "")
            << " over cores " << absl::StrJoin(s.cores, ",") << " (placement " << s.placement.Name()
            << ") in " << s.repetitions << " interleaved rounds (seed " << s.seed << ")"
            << (paired ? absl::StrCat(", paired with ", s.paired_binary) : "") << " into "
            << t.out.string() << (paired ? " and " + s.paired_out : "") << "\n";
}

// Runs the rounds: each plan case once per round, on every side that has
// not stopped it and has not recorded it already, in the round's order.
class RoundRunner {
 public:
  RoundRunner(const SweepSettings& s, const std::vector<PlannedCase>& plan,
              const std::vector<RoundOrder>& orders, std::vector<Side>& sides,
              std::vector<std::string> base_args, double previous_seconds)
      : s_(s),
        plan_(plan),
        orders_(orders),
        sides_(sides),
        base_args_(std::move(base_args)),
        previous_seconds_(previous_seconds),
        total_(plan.size() * static_cast<size_t>(s.repetitions) * sides.size()),
        start_(std::chrono::steady_clock::now()) {}

  // False when a part or a results file could not be written.
  bool RunRound(int round);

 private:
  bool RunCase(int round, size_t pos);

  const SweepSettings& s_;
  const std::vector<PlannedCase>& plan_;
  const std::vector<RoundOrder>& orders_;
  std::vector<Side>& sides_;
  const std::vector<std::string> base_args_;
  const double previous_seconds_;
  const size_t total_;
  const std::chrono::steady_clock::time_point start_;
  size_t done_ = 0;
};

bool RoundRunner::RunRound(int round) {
  const RoundOrder& order = orders_[static_cast<size_t>(round)];
  for (size_t pos = 0; pos < order.cases.size(); ++pos) {
    if (!RunCase(round, pos)) return false;
  }
  const double seconds =
      previous_seconds_ +
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  for (Side& side : sides_) {
    if (!side.output->Write(plan_, round + 1, seconds)) return false;
  }
  return true;
}

bool RoundRunner::RunCase(int round, size_t pos) {
  const RoundOrder& order = orders_[static_cast<size_t>(round)];
  const int index = order.cases[pos];
  const PlannedCase& p = plan_[static_cast<size_t>(index)];
  const std::vector<int> cpus = CpusFor(s_, p.cores);
  std::vector<Side*> turn;
  for (Side& side : sides_) {
    ++done_;
    if (side.stopped[static_cast<size_t>(index)] || side.recorded.count({round, index})) continue;
    turn.push_back(&side);
  }
  if (turn.empty()) return true;
  if (turn.size() == 2 && !order.a_first[pos]) std::swap(turn[0], turn[1]);
  json probe = Probe(cpus);  // the next repetition's "before"
  for (Side* side : turn) {
    RepetitionInfo info{.round = round, .position = static_cast<int>(pos), .probe_before = probe};
    const auto [verdict, secs] = RunRepetition(*side, index, p, cpus, base_args_, s_, info);
    if (secs < 0) return false;  // its part could not be written
    probe = info.probe_after;
    std::cerr << absl::StrFormat("[%*d/%d] round %d%s  cores %d  %s  %s (%.1f s)\n",
                                 static_cast<int>(absl::StrCat(total_).size()), done_, total_,
                                 round + 1, side->role.empty() ? "" : " " + side->role, p.cores,
                                 p.spec.name, verdict, secs);
  }
  return true;
}

// The closing line of each side; true when no side had a failure or hang.
bool ReportSides(const std::vector<Side>& sides) {
  bool bad = false;
  for (const Side& side : sides) {
    const json& m = side.output->manifest();
    bad = bad || side.output->bad();
    std::cerr << "harness: " << (side.role.empty() ? "" : "side " + side.role + ": ")
              << (side.output->bad() ? "sweep finished with failures" : "sweep done") << ": "
              << m["failed"].size() << " failed, " << m["hung"].size() << " hung; results in "
              << side.output->dir().string() << "\n";
  }
  return !bad;
}

}  // namespace

int SweepCommand(const std::vector<std::string>& original_args) {
  auto settings = SettingsFromFlags();
  if (!settings.ok()) return UsageError(settings.status().message());
  SweepSettings& s = *settings;
  absl::StatusOr<SweepPlan> sp = PlanSweep(s);
  if (!sp.ok()) return UsageError(sp.status().message());
  absl::StatusOr<SweepTarget> target = MakeTarget(s, sp->plan);
  if (!target.ok()) return UsageError(target.status().message());
  const std::vector<RoundOrder> orders = MakeRoundOrders(
      static_cast<int>(sp->plan.size()), s.repetitions, s.seed, !s.paired_binary.empty());
  std::vector<Side> sides =
      MakeSides(s, target->out, SweepManifest(s, *sp, *target, orders, original_args), orders,
                sp->plan.size());
  for (Side& side : sides) AddPlacementContext(s, *side.output);
  if (!s.resume.empty()) {
    ReplayParts(sides, sp->plan, s.repetitions);
  } else {
    // The manifest from the start, so that a sweep that dies in its first
    // round can be resumed.
    for (Side& side : sides) {
      if (!side.output->Write(sp->plan, 0, 0)) return kExitFailed;
    }
  }
  PrintStart(s, *sp, *target);
  const double previous_seconds =
      target->previous.is_null() ? 0 : target->previous.value("seconds", 0.0);
  RoundRunner runner(s, sp->plan, orders, sides, BaseChildArgs(s, original_args), previous_seconds);
  for (int round = 0; round < s.repetitions; ++round) {
    if (!runner.RunRound(round)) return kExitFailed;
  }
  return ReportSides(sides) ? kExitOk : kExitFailed;
}

}  // namespace harness::cli
