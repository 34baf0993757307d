// Producers and the consumer are coroutines on a pool of `workers` threads
// (started untimed), connected by an AsyncChannel bounded to kCapacity
// messages: a full channel suspends the sending coroutine, an empty one the
// receiving coroutine; neither blocks a thread. The last producer to finish
// closes the channel (the channel is shared by reference, so the Rust-style
// "last sender dropped" is a count of producers still running).
#include <atomic>
#include <vector>

#include "harness/runtime/async_channel.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/when_all.h"
#include "scenarios/message_passing/scenario.h"

namespace message_passing {
namespace {

using harness::runtime::AsyncChannel;
using harness::runtime::Task;

constexpr size_t kCapacity = 1024;

class CoroutinesStrategy {
 public:
  explicit CoroutinesStrategy(const Params& p) : pool_(p.workers), ex_(pool_) {}

  Result Run(const Params& p, Input& in) {
    return WithPayload(p, [&]<typename P>() {
      AsyncChannel<Msg<P>> channel(&ex_, kCapacity);
      std::atomic<int> running{p.workers};
      Recorder<P> received(in);
      std::vector<Task<void>> tasks;
      tasks.reserve(p.workers + 1);
      tasks.push_back(Consumer<P>(channel, received));
      for (int w = 0; w < p.workers; ++w) tasks.push_back(Producer<P>(p, w, channel, running));
      harness::runtime::SyncWait(harness::runtime::WhenAll(std::move(tasks)));
      return received.Finish();
    });
  }

 private:
  template <typename P>
  Task<void> Producer(const Params& p, int w, AsyncChannel<Msg<P>>& channel,
                      std::atomic<int>& running) {
    co_await ex_.Schedule();  // onto the pool
    const int64_t begin = harness::runtime::ShareBegin(p.messages, p.workers, w);
    const int64_t count = harness::runtime::ShareOf(p.messages, p.workers, w);
    for (int64_t seq = 0; seq < count; ++seq) {
      co_await channel.Send(MakeMsg<P>(w, static_cast<uint64_t>(seq), begin + seq));
    }
    // The last sender gone closes the channel (acq_rel: every producer's
    // sends precede the close).
    if (running.fetch_sub(1, std::memory_order_acq_rel) == 1) channel.Close();
  }

  template <typename P>
  Task<void> Consumer(AsyncChannel<Msg<P>>& channel, Recorder<P>& received) {
    co_await ex_.Schedule();
    while (std::optional<Msg<P>> m = co_await channel.Recv()) received.Take(std::move(*m));
  }

  harness::runtime::ThreadPool pool_;
  harness::runtime::PoolExecutor ex_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "coroutines",
                          "coroutine producers and consumer over a bounded AsyncChannel",
                          CoroutinesStrategy);

}  // namespace message_passing
