// One std::mutex locked for every increment: the article's Arc<Mutex<i32>>.
// The std::mutex is held through harness::runtime::Mutex, a thin wrapper that
// adds the thread-safety annotations (so the tsa preset checks the counter).
#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

struct StdMutexCounter {
  harness::runtime::Mutex mu;  // a std::mutex
  int64_t value ABSL_GUARDED_BY(mu) = 0;
};

int64_t RunMutex(const Params& p) {
  StdMutexCounter c;
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    for (int64_t i = harness::runtime::ShareOf(p.increments, p.workers, w); i > 0; --i) {
      harness::runtime::MutexLock lock(&c.mu);
      ++c.value;
    }
  });
  harness::runtime::MutexLock lock(&c.mu);
  return c.value;
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "mutex",
                          "std::mutex locked per increment (the article's Arc<Mutex<i32>>)",
                          RunMutex, harness::StrategyTraits{.overhead_reason = kLockPerIncrement});

}  // namespace shared_counter
