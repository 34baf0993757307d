// One std::mutex locked for every increment: the article's Arc<Mutex<i32>>.
#include <mutex>

#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

int64_t RunMutex(const Params& p) {
  std::mutex mu;
  int64_t counter = 0;  // guarded by mu (std::mutex carries no annotations)
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    for (long long i = harness::runtime::ShareOf(p.increments, p.workers, w); i > 0; --i) {
      std::lock_guard<std::mutex> lock(mu);
      ++counter;
    }
  });
  return counter;
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "mutex",
                          "std::mutex locked per increment (the article's Arc<Mutex<i32>>)",
                          RunMutex);

}  // namespace shared_counter
