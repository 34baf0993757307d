// The bytes_per_task figure of async_tasks: the heap one task holds while it
// is live (suspended inside an awaited call). One function measures it for
// every C++ strategy, so the figure compared across strategies comes from
// one procedure; the Rust original (rust_tokio.cc) runs the same steps in
// Rust with HeapInUse() as its meter.
#ifndef SCENARIOS_ASYNC_TASKS_HEAP_PROBE_H_
#define SCENARIOS_ASYNC_TASKS_HEAP_PROBE_H_

#include <malloc.h>

#include <cstdint>
#include <thread>
#include <utility>

#include "scenarios/async_tasks/scenario.h"

namespace async_tasks {

// Heap bytes in use by this process right now (glibc, every arena). Under
// the sanitizers the allocator is the sanitizer's own and glibc sees none of
// it: the figure reads about 0 there.
inline int64_t HeapInUse() {
  struct mallinfo2 mi = mallinfo2();
  return static_cast<int64_t>(mi.uordblks + mi.hblkhd);
}

// The number of tasks a probe holds live at once.
inline int64_t ProbeTasks(const Params& p) { return p.tasks < 1000 ? p.tasks : 1000; }

// Untimed. Reads the heap, runs `run_tasks(n)` (n = ProbeTasks(p)) on a root
// thread of its own, waits until `parked()` (how many of the n tasks are
// suspended in their first awaited call) reaches n, calls `settle()` (for a
// runtime whose threads may still be inside a task then; it returns once none
// is), reads the heap again, calls `release()` to let the tasks finish, and
// joins the root. Returns the growth divided by n: 0 when p has no task or
// no await (no task is ever suspended).
template <class RunTasks, class Parked, class Release, class Settle>
double MeasureBytesPerTask(const Params& p, RunTasks run_tasks, Parked parked, Release release,
                           Settle settle) {
  const int64_t n = ProbeTasks(p);
  if (n == 0 || p.awaits == 0) return 0;
  const int64_t before = HeapInUse();
  std::thread root([&] { run_tasks(n); });
  while (static_cast<int64_t>(parked()) < n) std::this_thread::yield();
  settle();
  const int64_t during = HeapInUse();
  release();
  root.join();
  return static_cast<double>(during - before) / static_cast<double>(n);
}

// As above, with nothing to settle.
template <class RunTasks, class Parked, class Release>
double MeasureBytesPerTask(const Params& p, RunTasks run_tasks, Parked parked, Release release) {
  return MeasureBytesPerTask(p, std::move(run_tasks), std::move(parked), std::move(release), [] {});
}

}  // namespace async_tasks

#endif  // SCENARIOS_ASYNC_TASKS_HEAP_PROBE_H_
