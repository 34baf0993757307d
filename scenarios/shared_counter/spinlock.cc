// A hand-written test-and-test-and-set spinlock (harness/runtime/spinlock.h)
// locked per increment.
#include "harness/runtime/spinlock.h"

#include "absl/base/thread_annotations.h"
#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

struct SpinGuardedCounter {
  harness::runtime::Spinlock lock;
  int64_t value ABSL_GUARDED_BY(lock) = 0;
};

int64_t RunSpinlock(const Params& p) {
  SpinGuardedCounter c;
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    for (int64_t i = harness::runtime::ShareOf(p.increments, p.workers, w); i > 0; --i) {
      harness::runtime::SpinlockHolder hold(&c.lock);
      ++c.value;
    }
  });
  harness::runtime::SpinlockHolder hold(&c.lock);
  return c.value;
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "spinlock",
                          "hand-written test-and-test-and-set spinlock with backoff", RunSpinlock,
                          harness::StrategyTraits{.overhead_reason = kLockPerIncrement});

}  // namespace shared_counter
