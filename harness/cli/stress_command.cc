// `harness stress`: runs cases many times with randomized worker counts,
// sizes and schedule perturbation (random yields and short sleeps at the
// runtime's injection points, injection.h), checking every answer. Sizes
// include the runtime's grain, block and batch boundaries (stress_sizes.h).
// Prints the seed (the same --seed and --filter replay the same sequence of
// cases) and how many perturbations were injected. Each case runs under the
// watchdog (default kStressCaseTimeout, far below ctest's limit): a hang is
// named, with stacks, and exits with the hang status.
// --controls adds the controls aimed at stress (`harness detectors` runs
// them); --disable_detector=stress (test only) runs without perturbation.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/cli/stress_sizes.h"
#include "harness/core/watchdog.h"
#include "harness/runtime/perturb.h"

namespace harness::cli {
namespace {

// Per-case limit unless --case_timeout is given: stress cases are small, so
// a case still running after this is a hang, named well within ctest's time.
constexpr double kStressCaseTimeout = 30;

// A random value for one parameter: edge sizes often, a size at one of the
// runtime's boundaries often (size parameters only), else up to 4x the quick
// size (stress wants many short runs, not long ones).
std::string RandomValue(const ParamSpec& spec, std::mt19937_64& rng) {
  if (spec.is_word()) {
    return spec.choices[std::uniform_int_distribution<size_t>(0, spec.choices.size() - 1)(rng)];
  }
  int64_t quick = 1;
  for (const auto& q : spec.quick) quick = std::max<int64_t>(quick, std::stoll(q));
  const int64_t hi = std::min<int64_t>(spec.max, std::max<int64_t>(spec.min, 4 * quick));
  const std::vector<int64_t> boundaries =
      IsSizeParam(spec) ? BoundarySizes(spec) : std::vector<int64_t>{};
  int64_t v;
  switch (std::uniform_int_distribution<int>(0, 7)(rng)) {
    case 0:
      v = spec.min;
      break;
    case 1:
      v = spec.min + 1;
      break;
    case 2:
    case 3:
      if (!boundaries.empty()) {
        v = boundaries[std::uniform_int_distribution<size_t>(0, boundaries.size() - 1)(rng)];
        break;
      }
      [[fallthrough]];
    default:
      v = std::uniform_int_distribution<int64_t>(spec.min, hi)(rng);
  }
  return absl::StrCat(std::clamp(v, spec.min, spec.max));
}

// The command's flags, checked, and the strategies it draws from.
struct StressSettings {
  int iterations = 0;
  uint64_t seed = 0;
  bool controls = false;
  bool perturb = true;
  double limit = kStressCaseTimeout;
  std::string filter;
  // One candidate per strategy (parameters are drawn per iteration); of the
  // controls, only those aimed at stress.
  std::vector<const StrategyEntry*> entries;
};

absl::StatusOr<StressSettings> ParseStressFlags() {
  StressSettings st;
  st.iterations = absl::GetFlag(FLAGS_iterations);
  if (st.iterations < 1) return absl::InvalidArgumentError("--iterations must be >= 1");
  st.seed = absl::GetFlag(FLAGS_seed);
  if (st.seed == 0) {
    st.seed =
        static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) | 1;
  }
  st.controls = absl::GetFlag(FLAGS_controls);
  st.perturb = absl::GetFlag(FLAGS_disable_detector) != "stress";
  CaseSelection sel;
  sel.filter = st.filter = absl::GetFlag(FLAGS_filter);
  sel.quick = true;
  sel.include_controls = st.controls;
  auto cases = SelectCases(Registry::Global(), sel);
  if (!cases.ok()) return cases.status();
  for (const auto& c : *cases) {
    if (c.entry->control && c.entry->detector != "stress") continue;
    if (st.entries.empty() || st.entries.back() != c.entry) st.entries.push_back(c.entry);
  }
  if (st.entries.empty()) {
    return absl::InvalidArgumentError(
        "--filter selects no strategy for stress (controls of other detectors are not run "
        "here)");
  }
  // The flag's own default (300 s, for run and sweep) is too long here.
  st.limit = absl::GetFlag(FLAGS_case_timeout);
  if (const absl::CommandLineFlag* f = absl::FindCommandLineFlag("case_timeout");
      f != nullptr && f->CurrentValue() == f->DefaultValue()) {
    st.limit = kStressCaseTimeout;
  }
  return st;
}

// One iteration: a random strategy at random sizes and workers, under the
// watchdog. Returns "" when its answer matched, else what went wrong; sets
// `name` to the case's name.
std::string RunIteration(const StressSettings& st, std::mt19937_64& rng, std::string& name) {
  const StrategyEntry* e =
      st.entries[std::uniform_int_distribution<size_t>(0, st.entries.size() - 1)(rng)];
  ParamValues values;
  for (const auto& spec : e->scenario->params) values.Set(spec.name, RandomValue(spec, rng));
  const int workers = std::uniform_int_distribution<int>(1, 16)(rng);
  values.Set("workers", absl::StrCat(workers));
  name = e->id() + "/" + values.NameSuffix(e->scenario->params);
  Watchdog::Scope guard(name, st.limit);
  try {
    auto instance = e->make(values);
    instance->Prepare();
    instance->Run();
    return instance->Check();
  } catch (const std::exception& ex) {
    return absl::StrCat("threw: ", ex.what());
  }
}

}  // namespace

int StressCommand() {
  absl::StatusOr<StressSettings> st = ParseStressFlags();
  if (!st.ok()) return UsageError(st.status().message());
  std::cout << "stress: seed " << st->seed << ", " << st->iterations << " iterations over "
            << st->entries.size() << " strategies, case timeout " << st->limit
            << " s (replay: harness stress --seed " << st->seed << " --iterations "
            << st->iterations << (st->controls ? " --controls" : "")
            << (st->filter.empty() ? "" : " --filter '" + st->filter + "'") << ")\n";
  if (!st->perturb) {
    std::cout << "stress: perturbation OFF (--disable_detector=stress, test only)\n";
  }
  std::mt19937_64 rng(st->seed);
  if (st->perturb) runtime::EnablePerturbation(st->seed);
  const auto start = std::chrono::steady_clock::now();
  int failures = 0;
  for (int i = 0; i < st->iterations; ++i) {
    std::string name;
    if (std::string diff = RunIteration(*st, rng, name); !diff.empty()) {
      ++failures;
      std::cout << "stress: FAILED iteration " << i << ": " << name << ": " << diff << "\n";
    }
  }
  const uint64_t injected = st->perturb ? runtime::PerturbationsInjected() : 0;
  runtime::DisablePerturbation();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << absl::StrFormat(
      "stress: %d perturbations injected (yields and sleeps at "
      "injection points)\n",
      injected);
  std::cout << absl::StrFormat("stress: %d iterations, %d failed, %.1f s (seed %d)\n",
                               st->iterations, failures, secs, st->seed);
  return failures == 0 ? kExitOk : kExitFailed;
}

}  // namespace harness::cli
