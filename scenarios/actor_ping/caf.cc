// The C++ Actor Framework (CAF 0.17): each actor is a stateful, function-
// based CAF actor whose behavior answers a std::string with text + " world"
// and counts; a client is a thread with a caf::scoped_actor that does
// request(actor, infinite, text).receive(...) per request. The actor_system
// (its scheduler limited to `workers` threads) is created untimed in the
// constructor; the actors are spawned per run (fresh counts) and asked for
// their counts at the end with an int32 message.
#include "scenarios/actor_ping/scenario.h"

#if HARNESS_HAVE_CAF

#include <cstdint>
#include <string>
#include <vector>

#include "caf/all.hpp"
#include "harness/runtime/spawn.h"

namespace actor_ping {
namespace {

struct PingState {
  int64_t count = 0;
};

caf::behavior PingActor(caf::stateful_actor<PingState>* self) {
  return {
      [self](const std::string& text) -> std::string {
        ++self->state.count;
        return Answer(text);
      },
      [self](int32_t) -> int64_t { return self->state.count; },  // "how many?"
  };
}

caf::actor_system_config& Configure(caf::actor_system_config& cfg, int workers) {
  cfg.set("scheduler.max-threads", static_cast<size_t>(workers));
  return cfg;
}

class CafStrategy {
 public:
  explicit CafStrategy(const Params& p) : system_(Configure(cfg_, p.workers)) {}

  Result Run(const Params& p, Input& in) {
    std::vector<caf::actor> actors;
    for (int64_t a = 0; a < p.actors; ++a) actors.push_back(system_.spawn(PingActor));
    Result r{&in, {}};
    harness::runtime::SpawnWorkers(p.clients, [&](int c) {
      caf::scoped_actor self{system_};
      RunClient(p, c, in.clients[c], [&](int64_t a, const std::string& text) {
        std::string reply;
        self->request(actors[a], caf::infinite, text)
            .receive([&](const std::string& s) { reply = s; },
                     [&](caf::error& e) { reply = "error: " + caf::to_string(e); });
        return reply;
      });
    });
    r.actor_counts.assign(p.actors, -1);
    {
      caf::scoped_actor self{system_};
      for (int64_t a = 0; a < p.actors; ++a) {
        self->request(actors[a], caf::infinite, int32_t{0})
            .receive([&](int64_t n) { r.actor_counts[a] = n; }, [&](caf::error&) {});
        self->send_exit(actors[a], caf::exit_reason::user_shutdown);
      }
    }
    return r;
  }

 private:
  caf::actor_system_config cfg_;
  caf::actor_system system_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "caf",
                          "C++ Actor Framework: stateful actors, scoped_actor clients "
                          "request/receive",
                          CafStrategy);

}  // namespace actor_ping

#else  // !HARNESS_HAVE_CAF

namespace actor_ping {
HARNESS_REGISTER_SKIPPED(Scenario, "caf", "C++ Actor Framework actors",
                         "CAF is not instrumented for ThreadSanitizer (false reports); left "
                         "out of sanitizer builds");
}  // namespace actor_ping

#endif  // HARNESS_HAVE_CAF
