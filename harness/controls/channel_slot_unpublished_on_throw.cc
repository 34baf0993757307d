// Control channel_slot_unpublished_on_throw (fault
// channel.slot_unpublished_on_throw, issue 10 item 3): a sender claims a slot
// in the fast channel, then T's move constructor throws: the slot is never
// published. The receiver still takes the later values (it steps past a
// claimed slot that is not yet published), but the head never passes the
// dead slot, so when the channel is dropped with values still in it, those
// values are never destroyed: the close guarantee of channel.h is broken. The
// correct channel marks the slot skipped, and the drop destroys every value.
// The bug needs no particular schedule: every run shows it.
#include <atomic>
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

// Live Fragile objects (constructed and not yet destroyed).
std::atomic<int> live_fragiles{0};

// Its move constructor throws when the source's fuse is 1: a named value
// with fuse 2 survives the move into Send's parameter and throws on the move
// into the channel's slot.
struct Fragile {
  int value = 0;
  int fuse = 0;
  Fragile(int v, int f) : value(v), fuse(f) { live_fragiles.fetch_add(1); }
  Fragile(Fragile&& other) : value(other.value), fuse(other.fuse > 0 ? other.fuse - 1 : 0) {
    if (other.fuse == 1) throw std::runtime_error("move failed");
    live_fragiles.fetch_add(1);
  }
  Fragile& operator=(Fragile&&) = default;
  ~Fragile() { live_fragiles.fetch_sub(1); }
};

struct ChannelThrowingMove {
  explicit ChannelThrowingMove(const Scenario::Params&) {}
  Scenario::Result Run(const Scenario::Params&) {
    ControlFault fault(runtime::inject::Fault::kChannelSlotUnpublishedOnThrow);
    constexpr int kValues = 10;
    constexpr int kThrows = 3;    // the value whose move into the channel throws
    constexpr int kReceived = 5;  // values received before the receiver drops
    const int live_before = live_fragiles.load();
    int threw = 0;
    std::vector<int> got;
    {
      auto [tx, rx] = Channel<Fragile>::Unbounded();
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
      sender.join();
      for (int i = 0; i < kReceived; ++i) {
        if (auto v = rx.Recv()) got.push_back(v->value);
      }
    }  // the receiver drops the channel with 4 values still in it
    const std::vector<int> want = {0, 1, 2, 4, 5};
    if (threw != 1) return absl::StrCat("Send threw ", threw, " times, expected once");
    if (got != want) {
      return absl::StrCat("received ", got.size(), " of the expected ", want.size(), " values");
    }
    if (const int leaked = live_fragiles.load() - live_before; leaked != 0) {
      return absl::StrCat(leaked, " values left in the dropped channel were never destroyed");
    }
    return "";
  }
};

}  // namespace
}  // namespace harness::controls

HARNESS_REGISTER_CONTROL_FOR(harness::controls::Scenario, "channel_slot_unpublished_on_throw",
                             "issue 10 item 3: a claimed channel slot stays unpublished when the "
                             "value's move throws; values behind it leak when the channel drops",
                             "explore", harness::controls::ChannelThrowingMove);
