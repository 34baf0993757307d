// A counter actor (harness/runtime/actor.h) on a thread of its own: every
// increment is a Tell (one message per increment, as an actix Addr::do_send),
// and after the workers joined, one Ask reads the total. The actor's state is
// touched only by its handlers, one message at a time, so it needs no lock of
// its own; the mailbox lock is the price. Threads: `workers` senders plus the
// actor's thread, started inside the timed region.
#include "harness/runtime/actor.h"

#include <cstdint>

#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

struct Increment {};
struct Get {};

struct CounterState {
  int64_t n = 0;
  void Handle(Increment) { ++n; }
  int64_t Handle(Get) { return n; }
};

int64_t RunActor(const Params& p) {
  harness::runtime::Actor<CounterState> counter(harness::runtime::kOwnThread);
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    for (int64_t i = harness::runtime::ShareOf(p.increments, p.workers, w); i > 0; --i) {
      counter.Tell(Increment{});
    }
  });
  // Every Tell was accepted before the joins returned, and the mailbox is
  // FIFO, so this Ask is handled after all of them.
  return counter.Ask(Get{}).Get();
}

}  // namespace

HARNESS_REGISTER_FUNCTION(
    Scenario, "actor", "a counter actor on its own thread: Tell per increment, Ask for the total",
    RunActor, harness::StrategyTraits{.overhead_reason = kMessagePerIncrement});

}  // namespace shared_counter
