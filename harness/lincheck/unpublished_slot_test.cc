// Copyright: the concurrency-harness authors.
//
// Deterministic histories around a sender that is stopped between claiming
// its slot and publishing it (FastChannelCore::Push: the tail CAS, then the
// value's move constructor, then the ready flag). The stop is driven without
// any runtime hook: the value type's move constructor blocks on a gate, and
// that move is exactly the write into the claimed slot (Send takes its
// argument by value, initialized in place from a prvalue, so no other move
// runs on the way in).
//
// Producer A claims slot 0 and stops; producer B then sends (slot 1) and
// returns; then the receiver tries to receive. B's send completed before the
// receive began, so a linearizable channel must not report "nothing there":
// it may return B's value (A's send is still pending and can take effect
// later) or wait for A's, but try_recv -> empty (or recv_for -> timeout)
// contradicts every order of the three operations. FastChannelCore returned
// empty / timeout here until its receiver learnt to take a ready value past
// an unpublished slot (channel_fast.h).
#include <atomic>
#include <chrono>
#include <iostream>
#include <optional>
#include <thread>
#include <utility>

#include "gtest/gtest.h"
#include "harness/lincheck/channel_driver.h"
#include "harness/lincheck/channel_model.h"
#include "harness/lincheck/checker.h"
#include "harness/lincheck/format.h"
#include "harness/runtime/channel.h"
#include "harness/runtime/spinlock.h"

namespace harness::lincheck {
namespace {

// The gate: the move constructor of a Gated holding kGatedValue announces
// itself and waits until released.
std::atomic<bool> gate_armed{false};
std::atomic<bool> in_move{false};
std::atomic<bool> released{false};
constexpr int kGatedValue = 100;

struct Gated {
  int v = 0;
  explicit Gated(int value) : v(value) {}
  Gated(Gated&& o) noexcept : v(o.v) {
    if (v == kGatedValue && gate_armed.exchange(false)) {
      in_move.store(true);
      while (!released.load()) std::this_thread::yield();
    }
  }
  Gated& operator=(Gated&& o) noexcept {
    v = o.v;
    return *this;
  }
};

void ResetGate() {
  gate_armed.store(true);
  in_move.store(false);
  released.store(false);
}

void WaitUntil(const std::atomic<bool>& flag) {
  while (!flag.load()) std::this_thread::yield();
}

// Runs the scenario above on Channel<Gated>; `probe` is the receiver's call
// while A is stopped (kTryRecv, or kRecvFor with a timeout in us). A's gate
// opens `release_after` after the probe starts (the probe runs on its own
// thread, so a probe that waits for A does not deadlock the test).
ChannelHistory RunStoppedSender(ChannelCall probe, std::chrono::milliseconds release_after) {
  using Ch = runtime::Channel<Gated>;
  ResetGate();
  auto [tx, rx] = Ch::Unbounded();
  std::optional<Ch::Sender> a(tx), b(tx);
  {
    Ch::Sender drop = std::move(tx);
  }
  std::optional<Ch::Receiver> receiver(std::move(rx));
  ChannelRecorder rec(3);  // 0: producer A, 1: producer B, 2: receiver

  std::thread ta([&] {
    auto t = rec.Invoke(0, {ChannelCallKind::kSend, kGatedValue});
    const bool ok = a->Send(Gated(kGatedValue)).ok();
    rec.Respond(t, ok ? ChannelRet{ChannelRetKind::kDone, 0}
                      : ChannelRet{ChannelRetKind::kSendFailed, kGatedValue});
    t = rec.Invoke(0, {ChannelCallKind::kDropSender, 0});
    a.reset();
    rec.Respond(t, {ChannelRetKind::kDone, 0});
  });
  WaitUntil(in_move);  // A has claimed slot 0 and is writing it

  auto t = rec.Invoke(1, {ChannelCallKind::kSend, 200});
  const bool ok = b->Send(Gated(200)).ok();
  rec.Respond(
      t, ok ? ChannelRet{ChannelRetKind::kDone, 0} : ChannelRet{ChannelRetKind::kSendFailed, 200});
  t = rec.Invoke(1, {ChannelCallKind::kDropSender, 0});
  b.reset();
  rec.Respond(t, {ChannelRetKind::kDone, 0});

  std::atomic<bool> probe_started{false};
  std::thread tr([&] {
    auto tp = rec.Invoke(2, probe);
    probe_started.store(true);
    auto r = probe.kind == ChannelCallKind::kTryRecv
                 ? receiver->TryRecv()
                 : receiver->RecvFor(std::chrono::microseconds(probe.value));
    rec.Respond(tp, RetFromStatus(r.status(), r.ok() ? std::optional<int>(r->v) : std::nullopt));
    // Drain: everything sent arrives, then closed.
    for (;;) {
      auto tq = rec.Invoke(2, {ChannelCallKind::kRecv, 0});
      std::optional<Gated> v = receiver->Recv();
      rec.Respond(tq, v ? ChannelRet{ChannelRetKind::kValue, v->v}
                        : ChannelRet{ChannelRetKind::kClosed, 0});
      if (!v) break;
    }
    auto td = rec.Invoke(2, {ChannelCallKind::kDropReceiver, 0});
    receiver.reset();
    rec.Respond(td, {ChannelRetKind::kDone, 0});
  });
  WaitUntil(probe_started);
  std::this_thread::sleep_for(release_after);
  released.store(true);
  ta.join();
  tr.join();
  return rec.Take();
}

std::string Name(int t) { return t == 0 ? "producer A" : t == 1 ? "producer B" : "receiver"; }

void ExpectLinearizable(const ChannelHistory& h) {
  const ChannelModel model = ChannelModel::Mpsc(0, 2);
  const CheckResult r = Check(model.Prepared(h), h);
  std::cout << FormatFailure(model, h, r, Name);
  EXPECT_TRUE(r.linearizable()) << "see the history above";
}

// Before the fix FastChannelCore::TryRecv read slot 0, found it not ready
// and reported kEmpty although B's completed value sat in slot 1
// (non-linearizable; found by this checker). Now the receiver scans past the
// unpublished slot and takes B's value out of order.
TEST(UnpublishedSlot, TryRecvDoesNotReportEmptyBehindAStoppedSender) {
  ExpectLinearizable(
      RunStoppedSender({ChannelCallKind::kTryRecv, 0}, std::chrono::milliseconds(0)));
}

// recv_for(1 ms) while A stays stopped for 50 ms. RecvUntil honours its
// deadline while a sender is mid-write (issue 10, item 5), but must not
// return kTimeout here (the same non-linearizable "nothing there" as
// try_recv above): it returns B's value, before its deadline passes. Before
// the fix it returned kTimeout.
TEST(UnpublishedSlot, RecvForDoesNotTimeOutBehindAStoppedSender) {
  const ChannelHistory h =
      RunStoppedSender({ChannelCallKind::kRecvFor, 1000}, std::chrono::milliseconds(50));
  ExpectLinearizable(h);
  int probes = 0;
  for (const auto& op : h) {
    if (op.call.kind != ChannelCallKind::kRecvFor) continue;
    ++probes;
    // B's value (waiting for A's, past the deadline, would be linearizable
    // but late).
    EXPECT_EQ(op.ret.kind, ChannelRetKind::kValue);
    EXPECT_EQ(op.ret.value, 200);
  }
  EXPECT_EQ(probes, 1);
}

}  // namespace
}  // namespace harness::lincheck
