// The project's fast channel, unbounded: a lock-free multi-producer list of
// blocks (crossbeam's layout); the receiver parks on a futex when empty.
#include "harness/runtime/channel.h"
#include "scenarios/message_passing/run_channel.h"
#include "scenarios/message_passing/scenario.h"

namespace message_passing {
namespace {

Result RunChannels(const Params& p) {
  return WithPayload(p, [&p]<typename P>() {
    return RunOverChannel<P>(p, [] { return harness::runtime::Channel<Msg<P>>::Unbounded(); });
  });
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "channels",
                          "lock-free MPSC channel (list of blocks), parked receiver",
                          RunChannels);

}  // namespace message_passing
