// The child side of `harness explore`: runs one case again and again, each
// run under one schedule (schedule.h, scheduler.h), each run with a fresh
// case instance under the watchdog, until a run fails or the time is up.
//
// It first runs the case once under the plain (counting) schedule to learn
// which injection points the case reaches and how often; the delay-bounded
// schedules are the first `hits_per_point` hits of every point reached (hits
// counted in later runs are added as they appear); PCT runs draw fresh seeds
// from the session seed and the case name. With both strategies, three delay
// runs alternate with one PCT run. Once every delay schedule was tried, the
// list starts again (the outcome of a delay also depends on how the OS
// schedules around it), until the time is up.
//
// It reports on `out`, one line per event, flushed at once so that a parent
// reading the file after a hang or a crash knows the schedule in flight:
//   delay <microseconds> latency <microseconds>   (the delay used; see adapt_delay)
//   counts <point>=<hits> ...          (after the plain run; reached points only)
//   begin <schedule id>
//   end <schedule id> ok <seconds>
//   end <schedule id> wrong <seconds> <what differed>
//   done <runs> delay_rounds <times the delay list was completed>
//   timeout <seconds>                  (the hang limit of the runs after the plain one)
// A wrong answer (or an exception) ends the exploration with exit status 1;
// a hang ends the process from the watchdog (kHangExitStatus); a sanitizer
// ends it with the sanitizer's exit code.
#ifndef HARNESS_EXPLORE_CASE_RUNNER_H_
#define HARNESS_EXPLORE_CASE_RUNNER_H_

#include <cstdint>
#include <ostream>

#include "harness/core/cases.h"
#include "harness/explore/schedule.h"
#include "harness/explore/scheduler.h"

namespace harness::explore {

struct ExploreOptions {
  bool delay = true;
  bool pct = true;
  int64_t hits_per_point = 6;  // K: delay-bounded covers hits 1..K of each point
  int pct_depth = 3;           // d
  uint64_t seed = 1;           // session seed (PCT seeds derive from it)
  // The watchdog's limit for the plain run, and the most any run gets; later
  // runs get 30x the plain run's time, at least min_run_timeout_seconds (a
  // hang is then reported without waiting the whole cap).
  double run_timeout_seconds = 10;
  double min_run_timeout_seconds = 1.5;
  double seconds = 10;  // no new run starts after this
  // Raise the delay to 8x the scheduling latency measured at the start (a
  // sleeping thread's wake-up overshoot), at most 250 ms: on a loaded
  // machine a thread waits longer for a CPU, and a delay shorter than that
  // wait holds no window open.
  bool adapt_delay = true;
  SchedulerOptions scheduler;
};

// The median overshoot of a few 200 us sleeps: how long a woken thread waits
// for a CPU right now.
std::chrono::microseconds SchedulingLatency();

// Explores `spec` (see the file comment). Returns the exit status: 0 when
// every run passed, 1 when one gave a wrong answer.
int ExploreCase(const CaseSpec& spec, const ExploreOptions& options, std::ostream& out);

// Runs `spec` once under `schedule`, reporting as above. Returns 0 or 1.
int RunCaseOnce(const CaseSpec& spec, const Schedule& schedule, const ExploreOptions& options,
                std::ostream& out);

}  // namespace harness::explore

#endif  // HARNESS_EXPLORE_CASE_RUNNER_H_
