// `harness sweep`: every selected case at every core count, in repetition
// rounds (sweep_plan.h): round r runs one repetition of every case, in a
// seeded random order, each in its own child process pinned to that many
// CPUs (workers = cores, plus the oversubscription multipliers), with a time
// limit. A machine-state probe (machine_probe.h) runs before and after each
// repetition. With --paired_binary, each repetition runs once with this
// binary (side A, --out) and once with the other (side B, --paired_out), in a
// random order per pair, so that A and B see the same machine state.
// Writes DIR/cores-<n>.json and DIR/manifest.json (sweep_output.h) after
// every round.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <random>

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
#include "harness/cli/sweep_plan.h"
#include "harness/core/affinity.h"
#include "harness/core/machine_probe.h"

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
};

// Reads and checks the flags; an error message for bad input.
absl::StatusOr<SweepSettings> SettingsFromFlags() {
  SweepSettings s;
  s.allowed = AllowedCpus();
  const int max_cores = static_cast<int>(s.allowed.size());
  if (std::string text = absl::GetFlag(FLAGS_cores); !text.empty()) {
    auto parsed = ParsePositiveIntList(text, "--cores", 1 << 20);
    if (!parsed.ok()) return parsed.status();
    for (int c : *parsed) {
      if (c > max_cores) {
        return absl::InvalidArgumentError(
            absl::StrCat("--cores ", c, ": this process may use only ", max_cores,
                         " CPUs (", FormatCpuList(s.allowed), ")"));
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
  return s;
}

bool IgnoresWorkers(const StrategyEntry& entry) {
  const auto& ignored = entry.traits.ignores;
  return std::find(ignored.begin(), ignored.end(), "workers") != ignored.end();
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
  std::vector<std::string> args = {"harness", "run", "--sweep_child", "--repetitions=1",
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
  return {{"format", "concurrency-harness-run/1"},
          {"run_id", run_id},
          {"created", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone())},
          {"host", run_id.substr(run_id.rfind('-') + 1)},
          {"quick", s.quick},
          {"repetitions", s.repetitions},
          {"cores", s.cores},
          {"allowed_cpus", FormatCpuList(s.allowed)},
          {"cases", cases},
          {"command", absl::StrJoin(original_args, " ")}};
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
std::pair<std::string, double> RunRepetition(Side& side, int index, const PlannedCase& p,
                                             const std::vector<int>& cpus,
                                             const std::vector<std::string>& base_args,
                                             double case_timeout, RepetitionInfo& info) {
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
  std::string verdict = r.outcome == ChildResult::kOk        ? ThroughputText(r.benchmarks) + "  ok"
                        : r.outcome == ChildResult::kHung    ? "HUNG: " + r.detail
                        : r.outcome == ChildResult::kMissing ? "skipped: " + r.detail
                                                             : "FAILED: " + r.detail;
  if (!side.output->Add(index, p, std::move(r), info)) {
    side.stopped[static_cast<size_t>(index)] = true;
  }
  return {verdict, secs};
}

}  // namespace

int SweepCommand(const std::vector<std::string>& original_args) {
  auto settings = SettingsFromFlags();
  if (!settings.ok()) return UsageError(settings.status().message());
  const SweepSettings& s = *settings;
  auto planned = MakePlan(s);
  if (!planned.ok()) return UsageError(planned.status().message());
  const std::vector<PlannedCase>& plan = *planned;
  const bool paired = !s.paired_binary.empty();

  const std::string run_id = RunId();
  fs::path out = absl::GetFlag(FLAGS_out);
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
  std::vector<Side> sides = MakeSides(s, out, std::move(manifest), orders, plan.size());

  const size_t total = plan.size() * static_cast<size_t>(s.repetitions) * sides.size();
  std::cerr << "harness: sweep of " << plan.size() << " cases over cores "
            << absl::StrJoin(s.cores, ",") << " in " << s.repetitions
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
      const std::vector<int> cpus(s.allowed.begin(), s.allowed.begin() + p.cores);
      std::vector<Side*> turn;
      for (Side& side : sides) turn.push_back(&side);
      if (paired && !order.a_first[pos]) std::swap(turn[0], turn[1]);
      json probe = Probe(cpus);  // the next repetition's "before"
      for (Side* side : turn) {
        ++done;
        if (side->stopped[static_cast<size_t>(index)]) continue;
        RepetitionInfo info{
            .round = round, .position = static_cast<int>(pos), .probe_before = probe};
        const auto [verdict, secs] =
            RunRepetition(*side, index, p, cpus, base_args, s.case_timeout, info);
        probe = info.probe_after;
        std::cerr << absl::StrFormat("[%*d/%d] round %d%s  cores %d  %s  %s (%.1f s)\n",
                                     static_cast<int>(absl::StrCat(total).size()), done, total,
                                     round + 1, side->role.empty() ? "" : " " + side->role,
                                     p.cores, p.spec.name, verdict, secs);
      }
    }
    const double seconds =
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
