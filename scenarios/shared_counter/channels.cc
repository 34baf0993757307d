// Every increment is one message over a channel to one owner thread, which
// alone touches the counter (the articles' mpsc::channel; "share memory by
// communicating"). One message per increment, no batching: the cost measured
// is the channel's per-message cost. Threads: `workers` senders plus the
// owner, all started inside the timed region like the other strategies.
#include <cstdint>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "harness/runtime/channel.h"
#include "harness/runtime/spawn.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {
namespace {

using harness::runtime::Channel;

int64_t RunChannels(const Params& p) {
  auto [tx, rx] = Channel<int64_t>::Unbounded();
  int64_t counter = 0;  // owned by the owner thread; read after its join
  std::thread owner([&counter, rx = std::move(rx)]() mutable {
    while (std::optional<int64_t> inc = rx.Recv()) counter += *inc;
  });
  // One Sender per worker, copied here (Sender copies are not synchronized,
  // so no two threads copy the same one); a worker drops its own when done.
  std::vector<Channel<int64_t>::Sender> senders(p.workers, tx);
  tx.Close();
  harness::runtime::SpawnWorkers(p.workers, [&](int w) {
    Channel<int64_t>::Sender mine = std::move(senders[w]);
    for (int64_t i = harness::runtime::ShareOf(p.increments, p.workers, w); i > 0; --i) {
      mine.Send(1);
    }
  });  // the last sender gone: the owner drains the channel and stops
  owner.join();
  return counter;
}

}  // namespace

HARNESS_REGISTER_FUNCTION(Scenario, "channels",
                          "one message per increment over an MPSC channel to an owner thread",
                          RunChannels,
                          harness::StrategyTraits{.overhead_reason = kMessagePerIncrement});

}  // namespace shared_counter
