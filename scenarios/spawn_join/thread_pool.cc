// Tasks submitted to the project's work-stealing pool (started untimed, with
// `workers` threads) inside a Scope, which waits for all of them. A `wait`
// task blocks its pool thread, so at most `workers` waits overlap.
#include "harness/runtime/thread_pool.h"

#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {
namespace {

class ThreadPoolStrategy {
 public:
  explicit ThreadPoolStrategy(const Params& p) : pool_(p.workers) {}
  Result Run(const Params& p) {
    Slots slots(p);
    pool_.Scope([&](harness::runtime::ThreadPool::ScopeHandle& scope) {
      for (int64_t id = 0; id < p.tasks; ++id) {
        scope.SpawnScoped([&p, &slots, id] { RunTaskBlocking(p, id, slots); });
      }
    });
    return std::move(slots).Take();
  }

 private:
  harness::runtime::ThreadPool pool_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "thread_pool",
                          "submit each task to a pool of `workers` threads, wait for all",
                          ThreadPoolStrategy);

}  // namespace spawn_join
