// Control of stress perturbation (detector "stress"): a hand-off that is
// wrong only when a thread is delayed at a runtime injection point, so only
// `harness stress` (which sleeps at those points) finds it; the plain check
// and ThreadSanitizer (no data race: the record and the turn are atomic)
// do not.
#include <atomic>
#include <chrono>
#include <thread>

#include "harness/runtime/annotated_mutex.h"
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
      turn.store(1, std::memory_order_release);      // the bug: the turn goes first
      runtime::MutexLock lock(&record.writers_mu);  // injection point mutex.lock
      record.round.store(r, std::memory_order_release);
    }
    reader.join();
    return stale;
  }
};

}  // namespace

HARNESS_REGISTER_CONTROL_FOR(HandoffScenario, "publish_before_write",
                             "hands the turn over before writing the record: stale only "
                             "when the writer is delayed at mutex.lock",
                             "stress", PublishBeforeWrite);

}  // namespace harness::selftest
