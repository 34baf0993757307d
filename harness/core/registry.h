// The case registry: every strategy of every scenario registers itself here
// from its own file (see strategy.h for the macro), so no central list
// exists. The registry knows no scenario; it holds type-erased entries.
#ifndef HARNESS_CORE_REGISTRY_H_
#define HARNESS_CORE_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/core/params.h"

namespace harness {

// What a scenario declares once (shared by all its strategies).
struct ScenarioInfo {
  std::string name;
  std::string summary;
  std::vector<ParamSpec> params;  // in name order; `workers` is implicit
  // The class of each case's work, for the report (which derived metrics
  // apply): "compute" (CPU-bound; speedup, efficiency and Karp-Flatt are
  // defined), "wait" (the tasks mostly sleep or suspend; speedup is
  // concurrency, not parallelism) or "communication" (bound by hand-offs
  // between threads). `kind_param` names the word parameter that selects the
  // class ("" when the scenario has one class for every case), and
  // `kind_classes` maps each of its values to a class; with no `kind_param`
  // the one entry is keyed "*".
  std::string kind_param;
  std::map<std::string, std::string> kind_classes = {{"*", "compute"}};
};

// What the report needs to know about one strategy beside its timings, given
// at registration (strategy.h). Defaults: uses every parameter, a throughput
// strategy, not the baseline.
struct StrategyTraits {
  // Parameters the strategy's work does not depend on, typically "workers"
  // (sequential, a thread per task, std::async): the report leaves the
  // strategy out of that parameter's tables (oversubscription, wait vs cpu).
  std::vector<std::string> ignores;
  // "throughput" (items/s is the figure to rank) or "latency" (the strategy
  // does different work to measure round trips; not ranked on items/s).
  std::string role = "throughput";
  // The scenario's fixed, named baseline: every speedup table of the
  // scenario divides by this strategy's result (`sequential` where there is
  // one). At most one per scenario.
  bool baseline = false;
  // Why this strategy's 1-worker throughput is expected to sit far below the
  // baseline's (its machinery is the point of the comparison: a locked
  // increment against a plain one, a thread per task against a coroutine
  // frame). The report flags a 1-worker overhead above 15% on a compute kind
  // as unexplained unless this names the cause; "" when none is expected.
  std::string overhead_reason;
  // The implementation's family: "cpp" (the project's C++ and C++
  // libraries) or "rust" (the articles' Rust programs, rust/); reports mark
  // "rust" strategies "Rust original" and set the best of each family side
  // by side.
  std::string family = "cpp";
};

// Extra per-run figures a scenario reports beside items/s (latency
// percentiles, bytes/s, ...): counter name -> value. AddFigures is called
// once per run and must ADD (+=) that run's figure: the harness then divides
// `values` by the number of runs (a mean per run) and `per_second` by the
// timed seconds (a rate).
struct RunFigures {
  std::map<std::string, double> values;      // summed per run, reported as the mean
  std::map<std::string, double> per_second;  // summed per run, reported per second
};

// One case ready to run: the parameters are fixed and the untimed setup is
// done (inputs built, a pool started, the reference answer computed).
class CaseInstance {
 public:
  virtual ~CaseInstance() = default;
  // Untimed, before each run: restore the input the run consumes.
  virtual void Prepare() = 0;
  // Timed: the work of the strategy.
  virtual void Run() = 0;
  // Untimed, after each run: "" when the answer equals the reference
  // exactly, else a short description of what differed.
  virtual std::string Check() = 0;
  // Work items one run performs (for items/s).
  virtual int64_t Items() const = 0;
  // Scenario-specific figures of the last run.
  virtual void AddFigures(RunFigures& /*figures*/) const {}
};

struct StrategyEntry {
  const ScenarioInfo* scenario = nullptr;
  std::string strategy;
  std::string description;
  // Non-empty: not runnable in this build (for instance a library that is not
  // instrumented for ThreadSanitizer); listed and reported as skipped.
  std::string skip_reason;
  // A control: a seeded bug that one detector must catch, never benchmarked
  // and never listed as a strategy. `detector` names that detector:
  //   "tsan"     a data race (racy.cc), caught by `harness races`;
  //   "explore"  a protocol bug (a fault of injection.h), caught by
  //              `harness explore`;
  //   "check", "stress", "watchdog": the detector controls of
  //              harness/selftest.
  // `harness detectors` runs every control through its detector.
  bool control = false;
  std::string detector;
  // See StrategyTraits.
  StrategyTraits traits;
  // Builds a case; the values hold every declared parameter and `workers`.
  std::function<std::unique_ptr<CaseInstance>(const ParamValues&)> make;

  std::string id() const { return scenario->name + "/" + strategy; }
};

class Registry {
 public:
  static Registry& Global();

  // Called by the registration macro. Returns true (for a static bool).
  bool Add(StrategyEntry entry);

  // Every entry, sorted by scenario then strategy, controls included.
  const std::vector<StrategyEntry>& entries() const { return entries_; }
  // The entries of one scenario (controls excluded unless asked for).
  std::vector<const StrategyEntry*> Strategies(const std::string& scenario,
                                               bool include_controls = false) const;
  const StrategyEntry* Find(const std::string& scenario, const std::string& strategy) const;
  std::vector<const ScenarioInfo*> Scenarios() const;
  // The baseline strategy of `scenario` (StrategyTraits::baseline), or null.
  const StrategyEntry* Baseline(const std::string& scenario) const;

 private:
  std::vector<StrategyEntry> entries_;
};

}  // namespace harness

#endif  // HARNESS_CORE_REGISTRY_H_
