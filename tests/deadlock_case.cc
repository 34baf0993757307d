// A deliberately deadlocking case, linked only into harness_selftest (never
// into `harness`, so never into a benchmark or report): the watchdog test
// proves that a hang is reported by name within the limit and that the sweep
// goes on with the next case.
#include <barrier>
#include <mutex>
#include <thread>

#include "harness/core/strategy.h"

namespace selftest {
namespace {

struct Scenario {
  struct Params {
    int workers;
  };
  using Result = int;
  using Input = harness::NoInput;
  static const harness::ScenarioInfo& Info() {
    static const harness::ScenarioInfo info{"selftest", "watchdog self-test", {}};
    return info;
  }
  static Params MakeParams(const harness::ParamValues& v) { return {v.workers()}; }
  static Result Reference(const Params&) { return 0; }
  static std::string Check(const Params&, const Result&, const Result&) { return ""; }
  static int64_t Items(const Params&) { return 1; }
};

// Two threads take two locks in opposite orders after meeting at a barrier:
// a lock-order deadlock every time.
int Deadlock(const Scenario::Params&) {
  std::mutex a, b;
  std::barrier meet(2);
  std::thread t([&] {
    std::lock_guard<std::mutex> hold_b(b);
    meet.arrive_and_wait();
    std::lock_guard<std::mutex> then_a(a);
  });
  std::lock_guard<std::mutex> hold_a(a);
  meet.arrive_and_wait();
  std::lock_guard<std::mutex> then_b(b);
  t.join();
  return 0;
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "deadlock", "lock-order deadlock (watchdog self-test)",
                          Deadlock);

}  // namespace selftest
