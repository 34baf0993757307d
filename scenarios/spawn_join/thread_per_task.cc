// One std::thread per task, then join them all: the article's way
// (`thread::spawn` per task, `join` each handle). `workers` plays no part:
// the number of threads is the number of tasks.
#include <thread>
#include <vector>

#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {
namespace {

Result RunThreadPerTask(const Params& p) {
  Slots slots(p);
  std::vector<std::thread> threads;
  threads.reserve(p.tasks);
  for (int64_t id = 0; id < p.tasks; ++id) {
    threads.emplace_back([&p, &slots, id] { RunTaskBlocking(p, id, slots); });
  }
  for (std::thread& t : threads) t.join();
  return std::move(slots).Take();
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "thread_per_task",
                          "one std::thread per task, joined (the article's way)", RunThreadPerTask,
                          harness::StrategyTraits{.ignores = {"workers"}});

}  // namespace spawn_join
