// Control channel_slot_unpublished_on_throw (fault
// channel.slot_unpublished_on_throw, issue 10 item 3): a sender claims a slot
// in the fast channel, then T's move constructor throws: the slot is never
// published, and the receiver waits for it forever (a hang), losing every
// later value and the close. The correct channel marks the slot skipped and
// delivers the rest. The bug needs no particular schedule: every run shows it.
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "harness/controls/scenario.h"
#include "harness/runtime/channel.h"

namespace harness::controls {
namespace {

using runtime::Channel;

// Its move constructor throws when the source's fuse is 1: a named value
// with fuse 2 survives the move into Send's parameter and throws on the move
// into the channel's slot.
struct Fragile {
  int value = 0;
  int fuse = 0;
  Fragile(int v, int f) : value(v), fuse(f) {}
  Fragile(Fragile&& other) : value(other.value), fuse(other.fuse > 0 ? other.fuse - 1 : 0) {
    if (other.fuse == 1) throw std::runtime_error("move failed");
  }
  Fragile& operator=(Fragile&&) = default;
};

struct ChannelThrowingMove {
  explicit ChannelThrowingMove(const Scenario::Params&) {}
  Scenario::Result Run(const Scenario::Params&) {
    ControlFault fault(runtime::inject::Fault::kChannelSlotUnpublishedOnThrow);
    constexpr int kValues = 10;
    constexpr int kThrows = 3;  // the value whose move into the channel throws
    auto [tx, rx] = Channel<Fragile>::Unbounded();
    int threw = 0;
    std::thread sender([&threw, tx = std::move(tx)]() mutable {
      for (int i = 0; i < kValues; ++i) {
        try {
          Fragile value(i, i == kThrows ? 2 : 0);
          tx.Send(std::move(value));
        } catch (const std::runtime_error&) {
          ++threw;
        }
      }
      tx.Close();
    });
    std::vector<int> got;
    while (auto v = rx.Recv()) got.push_back(v->value);
    sender.join();
    std::vector<int> want;
    for (int i = 0; i < kValues; ++i) {
      if (i != kThrows) want.push_back(i);
    }
    if (threw != 1) return absl::StrCat("Send threw ", threw, " times, expected once");
    if (got != want) return absl::StrCat("received ", got.size(), " values, expected ", want.size());
    return "";
  }
};

}  // namespace
}  // namespace harness::controls

HARNESS_REGISTER_CONTROL_FOR(harness::controls::Scenario, "channel_slot_unpublished_on_throw",
                             "issue 10 item 3: a claimed channel slot stays unpublished when the "
                             "value's move throws; the receiver waits forever",
                             "explore", harness::controls::ChannelThrowingMove);
