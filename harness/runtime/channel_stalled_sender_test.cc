// Copyright: the concurrency-harness authors.
//
// Regression tests for FastChannelCore with a sender stopped mid-write:
// between claiming its slot (the tail CAS) and publishing it (the ready
// flag). The stop is driven deterministically by the value type: GatedValue's
// move constructor, for the one value a gate is armed with, announces itself
// and blocks until the gate opens, and that move is exactly the write into
// the claimed slot (Send takes its argument by value, built in place from a
// prvalue, so no other move of it runs on the way in).
//
// Before the fix TryRecv reported kEmpty (and RecvFor, at its deadline,
// kTimeout) while a send that had already returned waited in a later slot:
// not linearizable (harness/lincheck, unpublished_slot_test.cc). Now the
// receiver takes such a value out of order; each producer's values still
// arrive in its order, and the deadline is still honoured when nothing behind
// the stopped slot is ready (issue 10, item 5).
#include <array>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "gtest/gtest.h"
#include "harness/runtime/channel.h"

namespace harness::runtime {
namespace {

using namespace std::chrono_literals;

// Up to two gates; each stops the first move of the value it is armed with.
struct Gate {
  std::atomic<int> armed{-1};
  std::atomic<bool> stopped{false};
  std::atomic<bool> open{false};
};
std::array<Gate, 2> gates;

struct GatedValue {
  static inline std::atomic<int> live{0};
  int v;
  explicit GatedValue(int x) : v(x) { live.fetch_add(1); }
  GatedValue(GatedValue&& o) noexcept : v(o.v) {
    live.fetch_add(1);
    for (Gate& g : gates) {
      int expected = v;
      if (g.armed.load() == v && g.armed.compare_exchange_strong(expected, -1)) {
        g.stopped.store(true);
        while (!g.open.load()) std::this_thread::yield();
      }
    }
  }
  GatedValue& operator=(GatedValue&&) = delete;
  ~GatedValue() { live.fetch_sub(1); }
};

using Ch = Channel<GatedValue>;

// A sender thread whose Send(value) stops inside the write of its claimed
// slot until Release() (or the destructor). It drops its Sender when done.
class StalledSender {
 public:
  StalledSender(int gate, const Ch::Sender& tx, int value) : gate_(gates[gate]) {
    gate_.stopped.store(false);
    gate_.open.store(false);
    gate_.armed.store(value);
    thread_ = std::thread([tx, value] { EXPECT_TRUE(tx.Send(GatedValue(value)).ok()); });
    while (!gate_.stopped.load()) std::this_thread::yield();
  }
  ~StalledSender() { Release(); }
  void Release() {
    gate_.open.store(true);
    if (thread_.joinable()) thread_.join();
  }

 private:
  Gate& gate_;
  std::thread thread_;
};

int Value(RecvResult<GatedValue>&& r) { return r.ok() ? r->v : -static_cast<int>(r.status()); }

class ChannelStalledSenderTest : public ::testing::TestWithParam<size_t> {
 protected:
  void TearDown() override { EXPECT_EQ(GatedValue::live.load(), 0); }
};
INSTANTIATE_TEST_SUITE_P(Capacity, ChannelStalledSenderTest, ::testing::Values(0, 4, 1000),
                         [](const auto& info) {
                           return info.param == 0 ? std::string("unbounded")
                                                  : "cap" + std::to_string(info.param);
                         });

std::pair<Ch::Sender, Ch::Receiver> Make(size_t capacity) {
  return capacity == 0 ? Ch::Unbounded() : Ch::Bounded(capacity);
}

// Producer A stops writing slot 0; producer B's completed sends behind it are
// received (in B's order), then empty (A's send is still in progress), then
// A's value once it is published, then closed.
TEST_P(ChannelStalledSenderTest, TryRecvTakesCompletedValuesBehindAStalledSender) {
  {
    auto [tx, rx] = Make(GetParam());
    StalledSender a(0, tx, 100);
    ASSERT_TRUE(tx.Send(GatedValue(200)).ok());
    ASSERT_TRUE(tx.Send(GatedValue(201)).ok());
    EXPECT_EQ(Value(rx.TryRecv()), 200);  // before the fix: kEmpty
    EXPECT_EQ(Value(rx.TryRecv()), 201);
    EXPECT_EQ(rx.TryRecv().status(), RecvStatus::kEmpty);
    a.Release();
    EXPECT_EQ(Value(rx.TryRecv()), 100);
    EXPECT_EQ(rx.TryRecv().status(), RecvStatus::kEmpty);
    tx.Close();
    EXPECT_EQ(rx.TryRecv().status(), RecvStatus::kClosed);
  }
}

// RecvFor returns B's value instead of timing out behind A; with nothing
// ready behind A it still returns at its deadline (issue 10, item 5).
TEST_P(ChannelStalledSenderTest, RecvForTakesACompletedValueBehindAStalledSender) {
  {
    auto [tx, rx] = Make(GetParam());
    StalledSender a(0, tx, 100);
    ASSERT_TRUE(tx.Send(GatedValue(200)).ok());
    // Before the fix: kTimeout (stop here: the blocking Recv below would
    // wait for A).
    ASSERT_EQ(Value(rx.RecvFor(200ms)), 200);
    EXPECT_EQ(rx.RecvFor(20ms).status(), RecvStatus::kTimeout);
    ASSERT_TRUE(tx.Send(GatedValue(201)).ok());
    std::optional<GatedValue> v = rx.Recv();  // blocking receive too
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->v, 201);
    a.Release();
    EXPECT_EQ(Value(rx.RecvFor(5s)), 100);
    tx.Close();
    EXPECT_EQ(rx.RecvFor(5s).status(), RecvStatus::kClosed);
  }
}

// Two stopped senders, A in the first block and C in the second, while B's
// values fill four blocks: the scan follows the linked blocks, B's order is
// kept, each value is destroyed exactly once (GatedValue::live), and the
// blocks are freed only after the head has passed them (ASan).
TEST_P(ChannelStalledSenderTest, ScanCrossesBlocksBehindTwoStalledSenders) {
  {
    auto [tx, rx] = Make(GetParam());
    const size_t capacity = GetParam();
    int next_sent = 1000, next_received = 1000;
    // Sends B's next value; on a bounded channel first receives (out of
    // order, behind the stalled senders) whenever it is full, which frees
    // the place (the stalled senders hold two of them).
    auto send_b = [&] {
      if (capacity != 0 && static_cast<size_t>(next_sent - next_received) + 2 >= capacity) {
        ASSERT_EQ(Value(rx.TryRecv()), next_received);
        ++next_received;
      }
      ASSERT_TRUE(tx.Send(GatedValue(next_sent)).ok());
      ++next_sent;
    };
    StalledSender a(0, tx, 100);  // slot 0 of block 0
    for (int i = 0; i < 70; ++i) ASSERT_NO_FATAL_FAILURE(send_b());
    StalledSender c(1, tx, 300);  // slot 71: block 1
    for (int i = 0; i < 130; ++i) ASSERT_NO_FATAL_FAILURE(send_b());
    while (next_received < 1150) {
      ASSERT_EQ(Value(rx.TryRecv()), next_received);
      ++next_received;
    }
    a.Release();
    EXPECT_EQ(Value(rx.TryRecv()), 100);  // the head slot, now ready
    while (next_received < next_sent) {
      ASSERT_EQ(Value(rx.TryRecv()), next_received);
      ++next_received;
    }
    EXPECT_EQ(rx.TryRecv().status(), RecvStatus::kEmpty);  // C is still writing
    c.Release();
    EXPECT_EQ(Value(rx.TryRecv()), 300);
    tx.Close();
    EXPECT_EQ(rx.TryRecv().status(), RecvStatus::kClosed);
  }
}

// Values behind a stalled sender that the receiver never takes are destroyed
// with the channel, once, whether or not some were taken out of order.
TEST_P(ChannelStalledSenderTest, UndeliveredValuesBehindAStalledSenderAreDestroyed) {
  {
    auto [tx, rx] = Make(GetParam() == 0 ? 0 : 1000);
    StalledSender a(0, tx, 100);
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(tx.Send(GatedValue(1000 + i)).ok());
    for (int i = 0; i < 10; ++i) EXPECT_EQ(Value(rx.TryRecv()), 1000 + i);
    {
      Ch::Receiver gone = std::move(rx);  // disconnects while A is writing
    }
    a.Release();
  }
}

}  // namespace
}  // namespace harness::runtime
