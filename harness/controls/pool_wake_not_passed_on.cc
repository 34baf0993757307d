// Control pool_wake_not_passed_on (fault pool.wake_not_passed_on, issue 10
// item 1): a woken pool worker that finds work does not pass the wake-up on,
// so a job pushed while that wake-up was in flight (its own wake skipped)
// waits for a worker that sleeps on. Three workers: D (on W0) pushes J2 onto
// its own deque while the wake-up for the outside job J1 is in flight; D and
// J1 then block until J2 ran, without helping. The woken worker takes J1;
// only a passed-on wake-up brings the third worker to steal J2, else the pool
// deadlocks (a hang). The window is the wake-up's flight time; a delay at
// pool.wake (the waker, flag set) or pool.woken (the woken worker, flag not
// yet cleared) holds it open while D pushes.
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

struct PoolWakeNotPassedOn {
  explicit PoolWakeNotPassedOn(const Scenario::Params&) {}
  Scenario::Result Run(const Scenario::Params&) {
    ControlFault fault(runtime::inject::Fault::kPoolWakeNotPassedOn);
    Notification j2_done, d_done, j1_done;
    std::atomic<bool> go{false};
    std::atomic<int> ran{0};
    {
      ThreadPool pool(3);
      std::this_thread::sleep_for(20ms);  // the workers go to sleep
      pool.SpawnDetached([&] {            // D, on some worker W0 (the others sleep)
        while (!go.load()) std::this_thread::yield();
        // Spin ~1 ms: inside J1's wake-up when a delay holds it open.
        const auto until = std::chrono::steady_clock::now() + 1ms;
        while (std::chrono::steady_clock::now() < until) {
        }
        pool.SpawnDetached([&] {  // J2: onto W0's own deque
          ran.fetch_add(1);
          j2_done.Set();
        });
        j2_done.Wait();  // blocks W0 without helping
        ran.fetch_add(1);
        d_done.Set();
      });
      std::this_thread::sleep_for(5ms);
      go.store(true);
      pool.SpawnDetached([&] {  // J1: onto the injector; its wake-up is the one in flight
        j2_done.Wait();
        ran.fetch_add(1);
        j1_done.Set();
      });
      d_done.Wait();
      j1_done.Wait();
    }
    return ran.load() == 3 ? "" : "not every job ran";
  }
};

}  // namespace
}  // namespace harness::controls

HARNESS_REGISTER_CONTROL_FOR(harness::controls::Scenario, "pool_wake_not_passed_on",
                             "issue 10 item 1: a woken pool worker does not pass the wake-up on; "
                             "blocking jobs deadlock",
                             "explore", harness::controls::PoolWakeNotPassedOn);
