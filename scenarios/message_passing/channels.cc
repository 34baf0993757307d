// The project's fast channel, unbounded: a lock-free multi-producer list of
// blocks (crossbeam's layout); the receiver parks on a futex when empty.
#include "harness/runtime/channel.h"
#include "scenarios/message_passing/run_channel.h"
#include "scenarios/message_passing/scenario.h"

namespace message_passing {
namespace {

Result RunChannels(const Params& p, Input& in) {
  return WithPayload(p, [&p, &in]<typename P>() {
    return RunOverChannel<P>(p, in, [] { return harness::runtime::Channel<Msg<P>>::Unbounded(); });
  });
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "channels",
                          "lock-free MPSC channel (list of blocks), parked receiver", RunChannels,
                          harness::StrategyTraits{.baseline = true});

}  // namespace message_passing
