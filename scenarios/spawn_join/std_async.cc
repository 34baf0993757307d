// std::async(std::launch::async, ...) per task, then get() every future.
// libstdc++ starts a new thread for each such call, so this is the article's
// thread-per-task plus the future's shared state; `workers` plays no part.
#include <future>
#include <vector>

#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {
namespace {

Result RunStdAsync(const Params& p) {
  std::vector<uint32_t> runs(p.tasks, 0);
  std::vector<std::future<uint64_t>> futures;
  futures.reserve(p.tasks);
  for (int64_t id = 0; id < p.tasks; ++id) {
    futures.push_back(std::async(std::launch::async, [&p, &runs, id] {
      ++runs[id];
      return RunTaskBlocking(p, id);
    }));
  }
  Result r;
  for (std::future<uint64_t>& f : futures) {
    const uint64_t v = f.get();
    r.sum += v;
    r.xor_all ^= v;
  }
  r.runs = std::move(runs);
  return r;
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "std_async",
                          "std::async(launch::async) per task, get() each future",
                          RunStdAsync);

}  // namespace spawn_join
