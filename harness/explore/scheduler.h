// The schedulers of `harness explore`: injection hooks (injection.h) that
// steer the threads of one run according to a Schedule (schedule.h). Every
// scheduler also counts the hits of each point.
//
// Delay-bounded: the thread that takes hit number `hit` of `point` sleeps
// `delay` once; nothing else is touched. One long delay at one spot is
// enough to expose most lost wake-ups and use-after-frees: the other threads
// run through the window the delay holds open.
//
// PCT (Burckhardt et al., "A Randomized Scheduler with Probabilistic
// Guarantees of Finding Bugs", ASPLOS 2010; as in AWS shuttle). Real PCT owns
// the scheduler: it runs only the highest-priority enabled thread, gives the
// threads random distinct priorities, and at d - 1 random steps drops the
// running thread's priority below all others. We do not own the scheduler,
// so this is an approximation, and it carries no formal guarantee:
//   - a step is one hit of any injection point; change points are d - 1
//     steps drawn from the seed in [1, steps];
//   - a thread gets a random priority (from the seed and the order in which
//     threads first reach a point) the first time it reaches a point; at a
//     change point the thread taking that step drops to priority d - i
//     (i-th change), below every initial priority;
//   - at each hit, a thread waits (sleeping `quantum` at a time, up to
//     `max_wait_per_hit`) while some thread of higher priority is
//     *runnable*. We cannot see which threads are runnable; a thread counts
//     as runnable if it reached a point within the last `window` (a thread
//     waiting in this hook keeps itself runnable). A higher thread that
//     blocks in the kernel, computes for long between points, or has exited
//     thus stops holding the others back after `window`;
//   - once the run has spent `max_wait_per_run` waiting, or passed `steps`,
//     the hook only counts (PCT's depth bound is about the first k steps, and
//     a run must stay short).
// So between points the OS schedules freely; what PCT contributes is the
// priority order at the points, and the priority drops at change points.
//
// Memory ordering: every field the hook reads is atomic (relaxed). A run's
// settings are stored before its hook is installed and before the run
// creates its threads (thread creation orders them); a thread that outlives
// runs (none does today) could at worst see one run's settings late, which
// changes only how it is delayed. Counters are read after the run's threads
// are joined.
#ifndef HARNESS_EXPLORE_SCHEDULER_H_
#define HARNESS_EXPLORE_SCHEDULER_H_

#include <chrono>
#include <cstdint>
#include <vector>

#include "harness/explore/schedule.h"

namespace harness::explore {

struct SchedulerOptions {
  std::chrono::microseconds delay{20000};  // delay-bounded: the one delay
  std::chrono::microseconds quantum{50};   // PCT: one wait slice
  std::chrono::microseconds window{500};   // PCT: "runnable" = seen this recently
  std::chrono::microseconds max_wait_per_hit{5000};
  std::chrono::microseconds max_wait_per_run{300000};
};

// Installs the scheduler for `schedule` as the injection hook (the plain
// schedule installs a counting hook) and removes it on destruction. One at a
// time; not thread-safe against another ScopedSchedule.
class ScopedSchedule {
 public:
  ScopedSchedule(const Schedule& schedule, const SchedulerOptions& options);
  ~ScopedSchedule();
  ScopedSchedule(const ScopedSchedule&) = delete;
  ScopedSchedule& operator=(const ScopedSchedule&) = delete;

  // Hits of each point since construction (read after the run's threads
  // have been joined).
  HitCounts counts() const;
  // Delay-bounded: whether the targeted hit was reached (the delay happened).
  bool delay_fired() const;
  // PCT: priority changes that happened, and the steps at which they were
  // drawn to happen (sorted; for tests and replay checks).
  int pct_changes() const;
  std::vector<int64_t> pct_change_steps() const;
  // PCT: total time threads spent waiting in the hook.
  std::chrono::microseconds pct_waited() const;
};

}  // namespace harness::explore

#endif  // HARNESS_EXPLORE_SCHEDULER_H_
