// std::async(std::launch::async, ...) per task, then get() every future.
// libstdc++ starts a new thread for each such call, so this is the article's
// thread-per-task plus the future's shared state; `workers` plays no part.
#include <future>
#include <vector>

#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {
namespace {

Result RunStdAsync(const Params& p) {
  Slots slots(p);
  std::vector<std::future<void>> futures;
  futures.reserve(p.tasks);
  for (int64_t id = 0; id < p.tasks; ++id) {
    futures.push_back(
        std::async(std::launch::async, [&p, &slots, id] { RunTaskBlocking(p, id, slots); }));
  }
  for (std::future<void>& f : futures) f.get();  // publishes the task's slots
  return std::move(slots).Take();
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "std_async",
                          "std::async(launch::async) per task, get() each future", RunStdAsync,
                          harness::StrategyTraits{.ignores = {"workers"}});

}  // namespace spawn_join
