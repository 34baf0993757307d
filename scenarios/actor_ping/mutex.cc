// No actors: each "actor" is a plain object (its count) behind its own
// std::mutex, and a client calls it directly on its own thread, the
// alternative people reach for. A request is a locked function call, so the
// round trip has no hand-off between threads at all. Threads: `clients`
// client threads, started inside the timed region; `workers` plays no part.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "harness/runtime/spawn.h"
#include "scenarios/actor_ping/scenario.h"

namespace actor_ping {
namespace {

struct alignas(64) Shared {
  std::mutex mu;
  int64_t count = 0;  // guarded by mu
  std::string Ping(const std::string& text) {
    std::lock_guard<std::mutex> l(mu);
    ++count;
    return Answer(text);
  }
};

Result RunMutex(const Params& p, Input& in) {
  Result r{&in, {}};
  auto objects = std::make_unique<Shared[]>(p.actors);
  harness::runtime::SpawnWorkers(p.clients, [&](int c) {
    RunClient(p, c, in.clients[c],
              [&](int64_t a, const std::string& text) { return objects[a].Ping(text); });
  });
  r.actor_counts.assign(p.actors, 0);
  for (int64_t a = 0; a < p.actors; ++a) r.actor_counts[a] = objects[a].count;
  return r;
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "mutex",
                          "no actors: each object behind its own std::mutex, called directly",
                          RunMutex,
                          harness::StrategyTraits{.ignores = {"workers"}, .baseline = true});

}  // namespace actor_ping
