// Controls of the watchdog (detector "watchdog"): runs that never finish,
// without a data race or a lock-order inversion (so ThreadSanitizer has
// nothing to report): the watchdog must name the case as a hang.
#include <latch>
#include <thread>
#include <vector>

#include "harness/runtime/channel.h"
#include "harness/selftest/scenarios.h"

namespace harness::selftest {
namespace {

// The Rust mpsc pitfall: producers get clones of the Sender, but the
// original is never dropped, so the channel never closes and the consumer's
// Recv() waits (parked) for a close that never comes.
class RecvWithoutClose {
 public:
  explicit RecvWithoutClose(const HangScenario::Params&) {}
  int64_t Run(const HangScenario::Params& p) {
    auto [tx, rx] = runtime::Channel<int64_t>::Unbounded();
    std::vector<std::thread> producers;
    for (int w = 0; w < p.workers; ++w) {
      producers.emplace_back([&p, w, tx]() mutable {
        for (int64_t i = w; i < p.messages; i += p.workers) tx.Send(i + 1);
      });
    }
    // The bug: `tx` should be dropped here; it lives until Run returns.
    int64_t sum = 0;
    while (std::optional<int64_t> v = rx.Recv()) sum += *v;
    for (auto& t : producers) t.join();
    return sum;
  }
};

// An off-by-one latch: it waits for one arrival more than there are workers.
class LatchOffByOne {
 public:
  explicit LatchOffByOne(const HangScenario::Params&) {}
  int64_t Run(const HangScenario::Params& p) {
    std::latch done(p.workers + 1);  // the bug: should be p.workers
    std::vector<int64_t> sums(p.workers, 0);
    std::vector<std::thread> workers;
    for (int w = 0; w < p.workers; ++w) {
      workers.emplace_back([&, w] {
        for (int64_t i = w; i < p.messages; i += p.workers) sums[w] += i + 1;
        done.count_down();
      });
    }
    done.wait();
    for (auto& t : workers) t.join();
    int64_t sum = 0;
    for (int64_t s : sums) sum += s;
    return sum;
  }
};

}  // namespace

HARNESS_REGISTER_CONTROL_FOR(HangScenario, "recv_without_close",
                             "the original Sender is never dropped: Recv waits forever", "watchdog",
                             RecvWithoutClose);
HARNESS_REGISTER_CONTROL_FOR(HangScenario, "latch_off_by_one",
                             "a latch counting one arrival too many: wait never returns",
                             "watchdog", LatchOffByOne);

}  // namespace harness::selftest
