// A std::deque under one mutex with condition variables (MutexChannel):
// the openly plain baseline.
#include "harness/runtime/channel.h"
#include "scenarios/message_passing/run_channel.h"
#include "scenarios/message_passing/scenario.h"

namespace message_passing {
namespace {

Result RunChannelsMutex(const Params& p, Input& in) {
  return WithPayload(p, [&p, &in]<typename P>() {
    return RunOverChannel<P>(p, in,
                             [] { return harness::runtime::MutexChannel<Msg<P>>::Unbounded(); });
  });
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "channels_mutex",
                          "mutex + condition variable queue, unbounded (the plain baseline)",
                          RunChannelsMutex);

}  // namespace message_passing
