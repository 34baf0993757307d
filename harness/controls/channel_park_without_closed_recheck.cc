// Control channel_park_without_closed_recheck (fault
// channel.park_without_closed_recheck): the fast channel's receiver parks
// without re-checking `closed` after announcing that it parks. A close that
// lands between the receiver's last check and its announcement sees no
// parked receiver (no wake-up), and the receiver sleeps forever (a hang). A
// delay at channel.recv_park (found nothing, not yet announced) holds the
// window open while the sender closes.
#include <chrono>
#include <cstdint>
#include <thread>

#include "absl/strings/str_cat.h"
#include "harness/controls/scenario.h"
#include "harness/runtime/channel.h"

namespace harness::controls {
namespace {

using namespace std::chrono_literals;
using runtime::Channel;

struct ChannelParkWithoutClosedRecheck {
  explicit ChannelParkWithoutClosedRecheck(const Scenario::Params&) {}
  Scenario::Result Run(const Scenario::Params&) {
    ControlFault fault(runtime::inject::Fault::kChannelParkWithoutClosedRecheck);
    constexpr int64_t kValues = 16;
    constexpr int kGapsMs[] = {1, 8, 20, 35};
    for (int round = 0; round < 4; ++round) {
      auto [tx, rx] = Channel<int64_t>::Unbounded();
      const int gap_ms = kGapsMs[round];
      std::thread sender([gap_ms, tx = std::move(tx)]() mutable {
        for (int64_t i = 0; i < kValues; ++i) tx.Send(i);
        // The receiver drains and heads for its park; varied gaps meet it at
        // different moments.
        std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
        tx.Close();
      });
      int64_t n = 0, sum = 0;
      while (auto v = rx.Recv()) {
        ++n;
        sum += *v;
      }
      sender.join();
      if (n != kValues || sum != kValues * (kValues - 1) / 2) {
        return absl::StrCat("round ", round, ": received ", n, " values summing to ", sum);
      }
    }
    return "";
  }
};

}  // namespace
}  // namespace harness::controls

HARNESS_REGISTER_CONTROL_FOR(harness::controls::Scenario, "channel_park_without_closed_recheck",
                             "a channel receiver parks without re-checking closed; a close in "
                             "between is never seen",
                             "explore", harness::controls::ChannelParkWithoutClosedRecheck);
