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
    case 0: v = spec.min; break;
    case 1: v = spec.min + 1; break;
    case 2:
    case 3:
      if (!boundaries.empty()) {
        v = boundaries[std::uniform_int_distribution<size_t>(0, boundaries.size() - 1)(rng)];
        break;
      }
      [[fallthrough]];
    default: v = std::uniform_int_distribution<int64_t>(spec.min, hi)(rng);
  }
  return absl::StrCat(std::clamp(v, spec.min, spec.max));
}

}  // namespace

int StressCommand() {
  const int iterations = absl::GetFlag(FLAGS_iterations);
  if (iterations < 1) return UsageError("--iterations must be >= 1");
  uint64_t seed = absl::GetFlag(FLAGS_seed);
  if (seed == 0) {
    seed = static_cast<uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count()) | 1;
  }
  const bool controls = absl::GetFlag(FLAGS_controls);
  const bool perturb = absl::GetFlag(FLAGS_disable_detector) != "stress";
  CaseSelection sel;
  sel.filter = absl::GetFlag(FLAGS_filter);
  sel.quick = true;
  sel.include_controls = controls;
  auto cases = SelectCases(Registry::Global(), sel);
  if (!cases.ok()) return UsageError(cases.status().message());
  // One candidate per strategy (parameters are drawn per iteration); of the
  // controls, only those aimed at stress.
  std::vector<const StrategyEntry*> entries;
  for (const auto& c : *cases) {
    if (c.entry->control && c.entry->detector != "stress") continue;
    if (entries.empty() || entries.back() != c.entry) entries.push_back(c.entry);
  }
  if (entries.empty()) {
    return UsageError("--filter selects no strategy for stress (controls of other detectors "
                      "are not run here)");
  }
  // The flag's own default (300 s, for run and sweep) is too long here.
  double limit = absl::GetFlag(FLAGS_case_timeout);
  if (const absl::CommandLineFlag* f = absl::FindCommandLineFlag("case_timeout");
      f != nullptr && f->CurrentValue() == f->DefaultValue()) {
    limit = kStressCaseTimeout;
  }
  std::cout << "stress: seed " << seed << ", " << iterations << " iterations over "
            << entries.size() << " strategies, case timeout " << limit
            << " s (replay: harness stress --seed " << seed << " --iterations " << iterations
            << (controls ? " --controls" : "")
            << (sel.filter.empty() ? "" : " --filter '" + sel.filter + "'") << ")\n";
  if (!perturb) {
    std::cout << "stress: perturbation OFF (--disable_detector=stress, test only)\n";
  }
  std::mt19937_64 rng(seed);
  if (perturb) runtime::EnablePerturbation(seed);
  const auto start = std::chrono::steady_clock::now();
  int failures = 0;
  for (int i = 0; i < iterations; ++i) {
    const StrategyEntry* e =
        entries[std::uniform_int_distribution<size_t>(0, entries.size() - 1)(rng)];
    ParamValues values;
    for (const auto& spec : e->scenario->params) values.Set(spec.name, RandomValue(spec, rng));
    const int workers = std::uniform_int_distribution<int>(1, 16)(rng);
    values.Set("workers", absl::StrCat(workers));
    const std::string name = e->id() + "/" + values.NameSuffix(e->scenario->params);
    std::string diff;
    {
      Watchdog::Scope guard(name, limit);
      try {
        auto instance = e->make(values);
        instance->Prepare();
        instance->Run();
        diff = instance->Check();
      } catch (const std::exception& ex) {
        diff = absl::StrCat("threw: ", ex.what());
      }
    }
    if (!diff.empty()) {
      ++failures;
      std::cout << "stress: FAILED iteration " << i << ": " << name << ": " << diff << "\n";
    }
  }
  const uint64_t injected = perturb ? runtime::PerturbationsInjected() : 0;
  runtime::DisablePerturbation();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << absl::StrFormat("stress: %d perturbations injected (yields and sleeps at "
                               "injection points)\n",
                               injected);
  std::cout << absl::StrFormat("stress: %d iterations, %d failed, %.1f s (seed %d)\n",
                               iterations, failures, secs, seed);
  return failures == 0 ? kExitOk : kExitFailed;
}

}  // namespace harness::cli
