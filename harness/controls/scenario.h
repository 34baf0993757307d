// runtime_protocols: the scenario of the protocol-bug controls of
// `harness explore` (detector "explore"). Each control runs a small workload
// on the real runtime (a pool with blocking jobs, an executor destroyed right
// after a job, a channel with a throwing move, a receiver and a close) with
// one seeded protocol bug switched on (injection.h faults, through
// ControlFault below), and the workload's answer or termination depends on
// the bug: exploration must find each one (a hang caught by the watchdog, a
// wrong answer, or a sanitizer report). The same workload with the fault off
// is real code and must pass the same exploration (`--faults_off`; explore
// counts it among the strategies).
//
// Controls are never benchmarked and never listed as strategies (`harness
// list --controls` shows them). There are no parameters: each workload fixes
// its own thread counts and sizes; `workers` is ignored.
//
// Result: a workload checks its own invariant exactly and returns "" when it
// held, else what differed; Check reports that text.
#ifndef HARNESS_CONTROLS_SCENARIO_H_
#define HARNESS_CONTROLS_SCENARIO_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "harness/core/strategy.h"
#include "harness/runtime/injection.h"

namespace harness::controls {

struct Scenario {
  struct Params {
    int workers = 1;
  };
  using Result = std::string;  // "" when the workload's invariant held
  using Input = NoInput;

  static const ScenarioInfo& Info() {
    static const ScenarioInfo* info = new ScenarioInfo{
        "runtime_protocols",
        "protocol-bug controls for harness explore (seeded runtime faults); never benchmarked",
        {}};
    return *info;
  }
  static Params MakeParams(const ParamValues& v) { return Params{v.workers()}; }
  static Result Reference(const Params&) { return ""; }
  static std::string Check(const Params&, const Result&, const Result& got) { return got; }
  static int64_t Items(const Params&) { return 1; }
};

// Process-wide switch: when muted, ControlFault leaves the fault off, so a
// control runs its workload on the correct runtime (explore's baseline run,
// `--faults_off`). Set before a case starts.
//
// Memory ordering: relaxed; set before the case's threads start.
inline std::atomic<bool> faults_muted{false};

inline bool FaultsMuted() { return faults_muted.load(std::memory_order_relaxed); }

// Switches `fault` on for its scope unless faults are muted.
class ControlFault {
 public:
  explicit ControlFault(runtime::inject::Fault fault) : fault_(fault), on_(!FaultsMuted()) {
    if (on_) runtime::inject::SetFault(fault_, true);
  }
  ~ControlFault() {
    if (on_) runtime::inject::SetFault(fault_, false);
  }
  ControlFault(const ControlFault&) = delete;
  ControlFault& operator=(const ControlFault&) = delete;

 private:
  runtime::inject::Fault fault_;
  bool on_;
};

// True in ThreadSanitizer builds, the detector of the executor's
// use-after-free (the late wake writes the executor's futex word after the
// owner freed it; TSan reports heap-use-after-free, or the race with the
// destructor). Explore runs in the release and tsan builds only; a control
// whose bug only a sanitizer sees registers as skipped elsewhere, with this
// reason.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HARNESS_CONTROLS_TSAN 1
#endif
#endif
#ifndef HARNESS_CONTROLS_TSAN
#define HARNESS_CONTROLS_TSAN 0
#endif
inline constexpr char kNeedsTsan[] = "a use-after-free: only the tsan build's explore sees it";

// Registers a control of `harness explore` that this build cannot detect:
// listed (list --controls, explore's JSON) as skipped with `reason`.
inline bool RegisterSkippedControl(const char* name, const char* description, const char* reason) {
  StrategyEntry e;
  e.scenario = &Scenario::Info();
  e.strategy = name;
  e.description = description;
  e.skip_reason = reason;
  e.control = true;
  e.detector = "explore";
  return Registry::Global().Add(std::move(e));
}

}  // namespace harness::controls

#endif  // HARNESS_CONTROLS_SCENARIO_H_
