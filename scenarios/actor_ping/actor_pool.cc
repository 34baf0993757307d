// Actors multiplexed on the project's ThreadPool (harness/runtime/actor.h
// over a PoolExecutor): an actor is scheduled as one pool job whenever its
// mailbox is non-empty and handles at most one message at a time. The pool
// has `workers` threads, started untimed; the `clients` clients are threads
// of their own (started inside the timed region) that Ask and block on
// Reply::Get(). The actors are created per run (fresh counts; creating one
// starts no thread).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/runtime/actor.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/spawn.h"
#include "harness/runtime/thread_pool.h"
#include "scenarios/actor_ping/scenario.h"

namespace actor_ping {
namespace {

using harness::runtime::Actor;

struct Ping {
  const std::string* text;  // the client waits for the reply, so it outlives the handler
};

struct PingState {
  int64_t count = 0;  // touched only by this actor's handlers
  std::string Handle(Ping m) {
    ++count;
    return Answer(*m.text);
  }
};

class ActorPoolStrategy {
 public:
  explicit ActorPoolStrategy(const Params& p) : pool_(p.workers), ex_(pool_) {}

  Result Run(const Params& p, Input& in) {
    std::vector<std::unique_ptr<Actor<PingState>>> actors;
    for (int64_t a = 0; a < p.actors; ++a) {
      actors.push_back(std::make_unique<Actor<PingState>>(ex_));
    }
    Result r{&in, {}};
    harness::runtime::SpawnWorkers(p.clients, [&](int c) {
      RunClient(p, c, in.clients[c], [&](int64_t a, const std::string& text) {
        return actors[a]->Ask(Ping{&text}).Get();
      });
    });
    r.actor_counts.assign(p.actors, 0);
    for (int64_t a = 0; a < p.actors; ++a) {
      r.actor_counts[a] = actors[a]->Ask([](PingState& s) { return s.count; }).Get();
    }
    return r;  // ~Actor drains and stops each actor
  }

 private:
  harness::runtime::ThreadPool pool_;
  harness::runtime::PoolExecutor ex_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "actor_pool",
                          "harness Actor<State> multiplexed on the thread pool; clients Ask "
                          "and block",
                          ActorPoolStrategy);

}  // namespace actor_ping
