// Control pool_sleep_without_recheck (fault pool.sleep_without_recheck): a
// pool worker parks without re-checking the queues after it announced that
// it sleeps. A job submitted between the worker's last search and its
// announcement sees no sleeper (no wake-up) and is never found: with one
// worker and a submitter that waits for each job, a hang. A delay at
// pool.sleep_enter (found nothing, not yet counted as a sleeper) holds the
// window open while the next job is submitted.
#include <chrono>
#include <thread>

#include "harness/controls/scenario.h"
#include "harness/runtime/notification.h"
#include "harness/runtime/thread_pool.h"

namespace harness::controls {
namespace {

using namespace std::chrono_literals;
using runtime::Notification;
using runtime::ThreadPool;

struct PoolSleepWithoutRecheck {
  explicit PoolSleepWithoutRecheck(const Scenario::Params&) {}
  Scenario::Result Run(const Scenario::Params&) {
    ControlFault fault(runtime::inject::Fault::kPoolSleepWithoutRecheck);
    constexpr int kJobs = 6;
    constexpr int kGapsMs[kJobs] = {2, 8, 15, 25, 40, 60};
    int ran = 0;
    {
      ThreadPool pool(1);
      for (int i = 0; i < kJobs; ++i) {
        // The worker heads for sleep; varied gaps meet its sleep path at
        // different moments (its spin and yield phase is long on a loaded
        // machine).
        std::this_thread::sleep_for(std::chrono::milliseconds(kGapsMs[i]));
        Notification done;
        pool.SpawnDetached([&] {
          ++ran;  // published by the latch
          done.Set();
        });
        done.Wait();
      }
    }
    return ran == kJobs ? "" : "not every job ran";
  }
};

}  // namespace
}  // namespace harness::controls

HARNESS_REGISTER_CONTROL_FOR(harness::controls::Scenario, "pool_sleep_without_recheck",
                             "a pool worker parks without re-checking the queues after "
                             "announcing sleep; a job submitted in between is stranded",
                             "explore", harness::controls::PoolSleepWithoutRecheck);
