// Seeded race (control for the ThreadSanitizer check, never benchmarked): a
// hand-rolled join. Each task thread records its result, then counts itself
// done on a *relaxed* atomic; the caller spins until the count reaches zero
// and reads the results before joining the threads. The relaxed count gives
// no happens-before from a task's write to the caller's read, so the read is
// a data race even though x86 usually shows the right values. TSan must
// report the caller's read against a task's write.
#include <atomic>
#include <thread>
#include <utility>
#include <vector>

#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {
namespace {

Result RunRacy(const Params& p) {
  Slots slots(p);
  std::atomic<int64_t> left{p.tasks};
  std::vector<std::thread> threads;
  threads.reserve(p.tasks);
  for (int64_t id = 0; id < p.tasks; ++id) {
    threads.emplace_back([&, id] {
      RunTaskBlocking(p, id, slots);
      left.fetch_sub(1, std::memory_order_relaxed);  // the bug: should release
    });
  }
  while (left.load(std::memory_order_relaxed) != 0) std::this_thread::yield();
  Result r = std::move(slots).Take();  // the race: read before any join
  for (std::thread& t : threads) t.join();
  return r;
}

}  // namespace

HARNESS_REGISTER_CONTROL(Scenario, "racy",
                         "results read after a relaxed done-count, before the join", RunRacy);

}  // namespace spawn_join
