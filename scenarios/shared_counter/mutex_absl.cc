// One absl::Mutex locked for every increment; the counter is annotated so the
// tsa preset proves every access holds the lock.
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

struct GuardedCounter {
  absl::Mutex mu;
  int64_t value ABSL_GUARDED_BY(mu) = 0;
};

int64_t RunMutexAbsl(const Params& p) {
  GuardedCounter c;
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    for (int64_t i = harness::runtime::ShareOf(p.increments, p.workers, w); i > 0; --i) {
      absl::MutexLock lock(&c.mu);
      ++c.value;
    }
  });
  absl::MutexLock lock(&c.mu);
  return c.value;
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "mutex_absl", "absl::Mutex locked per increment", RunMutexAbsl,
                          harness::StrategyTraits{.overhead_reason = kLockPerIncrement});

}  // namespace shared_counter
