// One thread per actor, each with a mailbox channel (harness/runtime/
// channel.h): a request carries its text and the client's reply channel; the
// actor thread receives, counts, and sends text + " world" back. The actor's
// count lives on its own thread's stack and is published by its join.
// Threads: `actors` actor threads plus `clients` client threads, all started
// inside the timed region; `workers` plays no part.
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "harness/runtime/channel.h"
#include "harness/runtime/spawn.h"
#include "scenarios/actor_ping/scenario.h"

namespace actor_ping {
namespace {

using harness::runtime::Channel;

struct Request {
  std::string text;
  // A copy of the asking client's reply Sender: it keeps the reply channel
  // alive until the actor's Send has returned (the client may drop its own
  // handle as soon as it has received the reply).
  Channel<std::string>::Sender reply_to;
};

Result RunActorThreads(const Params& p, Input& in) {
  Result r{&in, {}};
  r.actor_counts.assign(p.actors, 0);
  std::vector<Channel<Request>::Sender> mailboxes;
  std::vector<std::thread> actors;
  for (int64_t a = 0; a < p.actors; ++a) {
    auto [tx, rx] = Channel<Request>::Unbounded();
    mailboxes.push_back(std::move(tx));
    actors.emplace_back([count = &r.actor_counts[a], rx = std::move(rx)]() mutable {
      int64_t handled = 0;  // the actor's private state
      while (std::optional<Request> req = rx.Recv()) {
        ++handled;
        req->reply_to.Send(Answer(req->text));
      }
      *count = handled;  // published by join
    });
  }
  harness::runtime::SpawnWorkers(p.clients, [&](int c) {
    auto [reply_tx, reply_rx] = Channel<std::string>::Unbounded();
    RunClient(p, c, in.clients[c], [&](int64_t a, const std::string& text) {
      mailboxes[a].Send(Request{text, reply_tx});
      return *reply_rx.Recv();
    });
  });
  mailboxes.clear();  // the last senders: every actor drains and stops
  for (std::thread& t : actors) t.join();
  return r;
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "actor_threads",
                          "one thread per actor with a mailbox channel; replies on a "
                          "per-client channel",
                          RunActorThreads, harness::StrategyTraits{.ignores = {"workers"}});

}  // namespace actor_ping
