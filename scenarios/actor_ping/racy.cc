// Seeded race (control for the ThreadSanitizer check, never benchmarked): the
// actor_threads design, but the actor's count lives in a shared array and
// every client also reads it directly after its reply ("how busy is this
// actor?"), outside the mailbox, while the actor thread keeps writing it.
// TSan must report the read against the actor's write.
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
  Channel<std::string>::Sender reply_to;  // a copy: keeps the reply channel alive
};

Result RunRacy(const Params& p, Input& in) {
  Result r{&in, {}};
  std::vector<int64_t> counts(p.actors, 0);  // each actor's state, shared (the bug)
  std::vector<Channel<Request>::Sender> mailboxes;
  std::vector<std::thread> actors;
  for (int64_t a = 0; a < p.actors; ++a) {
    auto [tx, rx] = Channel<Request>::Unbounded();
    mailboxes.push_back(std::move(tx));
    actors.emplace_back([count = &counts[a], rx = std::move(rx)]() mutable {
      while (std::optional<Request> req = rx.Recv()) {
        req->reply_to.Send(Answer(req->text));
        ++*count;  // after the reply: the client may be reading it right now
      }
    });
  }
  std::vector<int64_t> peeked(p.clients, 0);
  harness::runtime::SpawnWorkers(p.clients, [&](int c) {
    auto [reply_tx, reply_rx] = Channel<std::string>::Unbounded();
    RunClient(p, c, in.clients[c], [&](int64_t a, const std::string& text) {
      mailboxes[a].Send(Request{text, reply_tx});
      std::string reply = *reply_rx.Recv();
      peeked[c] += counts[a];  // the race: actor state read outside its mailbox
      return reply;
    });
  });
  mailboxes.clear();
  for (std::thread& t : actors) t.join();
  r.actor_counts = counts;
  return r;
}

}  // namespace

HARNESS_REGISTER_CONTROL(Scenario, "racy",
                         "an actor's count also read by clients outside its mailbox", RunRacy);

}  // namespace actor_ping
