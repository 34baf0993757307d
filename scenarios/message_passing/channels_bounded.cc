// The fast channel with a bound of kCapacity messages: a sender blocks
// (parks) while the channel is full, so a slow consumer throttles the
// producers (back-pressure) instead of letting the queue grow.
#include "harness/runtime/channel.h"
#include "scenarios/message_passing/run_channel.h"
#include "scenarios/message_passing/scenario.h"

namespace message_passing {
namespace {

constexpr size_t kCapacity = 1024;

Result RunChannelsBounded(const Params& p, Input& in) {
  return WithPayload(p, [&p, &in]<typename P>() {
    return RunOverChannel<P>(p, in,
                             [] { return harness::runtime::Channel<Msg<P>>::Bounded(kCapacity); });
  });
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "channels_bounded",
                          "bounded lock-free channel (1024 places), senders block when full",
                          RunChannelsBounded);

}  // namespace message_passing
