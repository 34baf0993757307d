// Control pool_flag_cleared_before_epoch (fault pool.flag_cleared_before_epoch,
// issue 10 item 1b): a worker going to sleep clears the wake-pending flag
// before it reads the sleep epoch. A waker that sets the flag and bumps the
// epoch in that gap is lost: the sleeper reads the new epoch and parks, and
// the flag stays set, suppressing every later wake-up. Two workers: X (on
// W0) pushes a job every millisecond (Join: the push's wake-up sets the flag
// when W1 counts as a sleeper) and takes it back itself, then spawns J and
// blocks until J ran, without helping. Only W1 can run J; with the flag stuck
// nobody wakes it (a hang). The gap is two instructions; a delay at
// pool.sleep_flag holds it open across one of X's pushes.
#include <atomic>
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

struct PoolFlagClearedBeforeEpoch {
  explicit PoolFlagClearedBeforeEpoch(const Scenario::Params&) {}
  Scenario::Result Run(const Scenario::Params&) {
    ControlFault fault(runtime::inject::Fault::kPoolFlagClearedBeforeEpoch);
    constexpr int kPushes = 30;
    Notification x_done;
    std::atomic<int> ran{0};
    {
      ThreadPool pool(2);
      pool.SpawnDetached([&] {  // X, on W0
        // Every push wakes W1 if it sleeps (then W1 idles and goes back to
        // sleep: one more pass through the gap), or, while W1 is in the gap,
        // sets the flag. X takes each job back itself at once (Join runs b
        // inline unless it was stolen).
        for (int i = 0; i < kPushes; ++i) {
          pool.Join([] {}, [&] { ran.fetch_add(1); });
          std::this_thread::sleep_for(1ms);
        }
        std::this_thread::sleep_for(20ms);  // W1 parks (with the flag set, under the bug)
        Notification j_done;
        pool.SpawnDetached([&] {  // J: only W1 can run it
          ran.fetch_add(1);
          j_done.Set();
        });
        j_done.Wait();  // blocks W0 without helping
        ran.fetch_add(1);
        x_done.Set();
      });
      x_done.Wait();
    }
    return ran.load() == kPushes + 2 ? "" : "not every job ran";
  }
};

}  // namespace
}  // namespace harness::controls

HARNESS_REGISTER_CONTROL_FOR(harness::controls::Scenario, "pool_flag_cleared_before_epoch",
                             "issue 10 item 1b: a sleeper clears the wake-pending flag before "
                             "reading the epoch; the stuck flag suppresses later wake-ups",
                             "explore", harness::controls::PoolFlagClearedBeforeEpoch);
