// Controls of stress perturbation (detector "stress"): hand-offs that are
// wrong only when a thread is delayed at a runtime injection point
// (mutex.lock, channel.send), so only `harness stress` (which sleeps at
// those points) finds them; the plain check and ThreadSanitizer (no data
// race: the record, the turn and the channel are synchronized) do not.
#include <atomic>
#include <chrono>
#include <thread>

#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/channel.h"
#include "harness/selftest/scenarios.h"

namespace harness::selftest {
namespace {

// How long the reader waits after it sees its turn before it reads the
// record: far longer than the writer's few instructions between handing the
// turn over and storing the record, far shorter than a perturbation sleep
// (20-300 us, perturb.h). So the record is stale only when the writer is
// delayed inside that window: by perturbation at mutex.lock, or (rarely:
// the window is a few nanoseconds) by an interrupt landing exactly there.
constexpr auto kReaderDelay = std::chrono::microseconds(15);

// The record: written under the writers' lock (there could be several
// writers), read lock-free by the reader.
struct Record {
  runtime::Mutex writers_mu;
  std::atomic<int64_t> round{-1};
};

// The writer publishes "your turn" before it writes the round's record (a
// publish-before-write bug); the reader reads the record on its turn.
class PublishBeforeWrite {
 public:
  explicit PublishBeforeWrite(const HandoffScenario::Params&) {}
  int64_t Run(const HandoffScenario::Params& p) {
    Record record;
    std::atomic<int> turn{0};  // 0: the writer's, 1: the reader's
    int64_t stale = 0;         // the reader's; read after join
    std::thread reader([&] {
      for (int64_t r = 0; r < p.rounds; ++r) {
        while (turn.load(std::memory_order_acquire) != 1) std::this_thread::yield();
        const auto until = std::chrono::steady_clock::now() + kReaderDelay;
        while (std::chrono::steady_clock::now() < until) {
        }
        if (record.round.load(std::memory_order_acquire) != r) ++stale;
        turn.store(0, std::memory_order_release);
      }
    });
    for (int64_t r = 0; r < p.rounds; ++r) {
      while (turn.load(std::memory_order_acquire) != 0) std::this_thread::yield();
      turn.store(1, std::memory_order_release);     // the bug: the turn goes first
      runtime::MutexLock lock(&record.writers_mu);  // injection point mutex.lock
      record.round.store(r, std::memory_order_release);
    }
    reader.join();
    return stale;
  }
};

// The same bug through a channel: the producer publishes "round r is sent"
// before it sends r; the consumer, on its turn, expects r in the channel.
class PublishBeforeSend {
 public:
  explicit PublishBeforeSend(const HandoffScenario::Params&) {}
  int64_t Run(const HandoffScenario::Params& p) {
    auto [tx, rx] = runtime::Channel<int64_t>::Unbounded();
    std::atomic<int> turn{0};  // 0: the producer's, 1: the consumer's
    int64_t stale = 0;         // the consumer's; read after join
    std::thread consumer([&, rx = std::move(rx)]() mutable {
      for (int64_t r = 0; r < p.rounds; ++r) {
        while (turn.load(std::memory_order_acquire) != 1) std::this_thread::yield();
        const auto until = std::chrono::steady_clock::now() + kReaderDelay;
        while (std::chrono::steady_clock::now() < until) {
        }
        runtime::RecvResult<int64_t> got = rx.TryRecv();
        if (!got.ok() || *got != r) {
          ++stale;
          if (!got.ok()) got = rx.RecvFor(std::chrono::seconds(10));  // let it arrive
        }
        turn.store(0, std::memory_order_release);
      }
    });
    for (int64_t r = 0; r < p.rounds; ++r) {
      while (turn.load(std::memory_order_acquire) != 0) std::this_thread::yield();
      turn.store(1, std::memory_order_release);  // the bug: published before the send
      tx.Send(r);                                // injection point channel.send
    }
    consumer.join();
    return stale;
  }
};

}  // namespace

HARNESS_REGISTER_CONTROL_FOR(HandoffScenario, "publish_before_send",
                             "says a value is sent before sending it: missing only when the "
                             "producer is delayed at channel.send",
                             "stress", PublishBeforeSend);
HARNESS_REGISTER_CONTROL_FOR(HandoffScenario, "publish_before_write",
                             "hands the turn over before writing the record: stale only "
                             "when the writer is delayed at mutex.lock",
                             "stress", PublishBeforeWrite);

}  // namespace harness::selftest
