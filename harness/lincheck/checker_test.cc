// Copyright: the concurrency-harness authors.
//
// The checker on hand-written histories: linearizable ones must pass and
// non-linearizable ones must fail, so a checker that accepts (or rejects)
// everything fails these tests.
#include "harness/lincheck/checker.h"

#include <algorithm>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "harness/lincheck/channel_model.h"
#include "harness/lincheck/format.h"
#include "harness/lincheck/history.h"

namespace harness::lincheck {
namespace {

using K = ChannelCallKind;
using R = ChannelRetKind;

// Builds a history from intervals; times are written as in a timeline.
class H {
 public:
  H& Op(int thread, uint64_t invoke, uint64_t response, ChannelCall call, ChannelRet ret,
        int object = 0) {
    Operation<ChannelCall, ChannelRet> op;
    op.thread = thread;
    op.object = object;
    op.call = call;
    op.ret = ret;
    op.invoke = invoke;
    op.response = response;
    ops_.push_back(op);
    return *this;
  }
  H& Send(int thread, uint64_t a, uint64_t b, int v, ChannelRet ret = {R::kDone, 0}) {
    return Op(thread, a, b, {K::kSend, v}, ret);
  }
  const History<ChannelCall, ChannelRet>& history() const { return ops_; }

 private:
  History<ChannelCall, ChannelRet> ops_;
};

constexpr ChannelRet kDone{R::kDone, 0};
constexpr ChannelRet kEmpty{R::kEmpty, 0};
constexpr ChannelRet kClosed{R::kClosed, 0};
constexpr ChannelRet kTimeout{R::kTimeout, 0};
ChannelRet Val(int v) { return {R::kValue, v}; }
ChannelRet Failed(int v) { return {R::kSendFailed, v}; }
constexpr ChannelCall kRecv{K::kRecv, 0};
constexpr ChannelCall kTryRecv{K::kTryRecv, 0};
constexpr ChannelCall kRecvFor{K::kRecvFor, 10};
constexpr ChannelCall kDropSender{K::kDropSender, 0};
constexpr ChannelCall kDropReceiver{K::kDropReceiver, 0};
constexpr ChannelCall kClose{K::kClose, 0};

// The verdict of the plain model; the prepared model (the reductions of
// ChannelModel::Prepared) must agree with it.
Verdict CheckBoth(const ChannelModel& m, const H& h) {
  CheckResult r = Check(m, h.history());
  if (!r.linearizable()) std::cout << FormatFailure(m, h.history(), r);
  CheckResult prepared = Check(m.Prepared(h.history()), h.history());
  EXPECT_EQ(prepared.verdict, r.verdict) << "the reductions changed the verdict";
  return r.verdict;
}

const ChannelModel kUnbounded1 = ChannelModel::Mpsc(0, 1);
const ChannelModel kUnbounded2 = ChannelModel::Mpsc(0, 2);
constexpr Verdict kYes = Verdict::kLinearizable;
constexpr Verdict kNo = Verdict::kNotLinearizable;

TEST(Checker, EmptyHistoryIsLinearizable) { EXPECT_EQ(CheckBoth(kUnbounded1, H()), kYes); }

TEST(Checker, SequentialSendRecv) {
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Send(0, 1, 2, 7).Op(1, 3, 4, kRecv, Val(7))), kYes);
  // A value that was never sent.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Send(0, 1, 2, 7).Op(1, 3, 4, kRecv, Val(8))), kNo);
  // The same value received twice.
  EXPECT_EQ(
      CheckBoth(kUnbounded1,
                H().Send(0, 1, 2, 7).Op(1, 3, 4, kRecv, Val(7)).Op(1, 5, 6, kTryRecv, Val(7))),
      kNo);
}

TEST(Checker, ReceiveBeforeSendOnlyIfConcurrent) {
  // recv returns before the send is invoked: impossible.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Op(1, 1, 2, kRecv, Val(7)).Send(0, 3, 4, 7)), kNo);
  // Overlapping: the send linearizes first.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Op(1, 1, 3, kRecv, Val(7)).Send(0, 2, 4, 7)), kYes);
}

TEST(Checker, TryRecvEmptyOnlyWhileNothingQueued) {
  // The send completed before try_recv started: the value is there.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Send(0, 1, 2, 7).Op(1, 3, 4, kTryRecv, kEmpty)), kNo);
  // Concurrent: try_recv may linearize before the send.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Send(0, 1, 4, 7).Op(1, 2, 3, kTryRecv, kEmpty)), kYes);
  // The "held value reported absent" shape: a completed send behind a
  // pending one (different producers), try_recv says empty.
  EXPECT_EQ(CheckBoth(kUnbounded2, H().Send(0, 1, 10, 100)
                                       .Send(1, 2, 3, 200)
                                       .Op(2, 4, 5, kTryRecv, kEmpty)
                                       .Op(2, 11, 12, kRecv, Val(100))
                                       .Op(2, 13, 14, kRecv, Val(200))),
            kNo);
}

TEST(Checker, RecvForTimeoutOnlyWhileNothingQueued) {
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Send(0, 1, 2, 7).Op(1, 3, 4, kRecvFor, kTimeout)), kNo);
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Op(1, 1, 4, kRecvFor, kTimeout).Send(0, 2, 3, 7)), kYes);
  // recv (blocking) cannot return "timeout" or "empty".
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Op(1, 1, 2, kRecv, kTimeout)), kNo);
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Op(1, 1, 2, kRecv, kEmpty)), kNo);
  // try_recv cannot time out, recv_for cannot report empty.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Op(1, 1, 2, kTryRecv, kTimeout)), kNo);
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Op(1, 1, 2, kRecvFor, kEmpty)), kNo);
}

TEST(Checker, FifoAcrossProducers) {
  // p0's send completes before p1's starts: a must come out first.
  EXPECT_EQ(CheckBoth(kUnbounded2, H().Send(0, 1, 2, 100)
                                       .Send(1, 3, 4, 200)
                                       .Op(2, 5, 6, kRecv, Val(200))
                                       .Op(2, 7, 8, kRecv, Val(100))),
            kNo);
  // Overlapping sends may take effect in either order.
  EXPECT_EQ(CheckBoth(kUnbounded2, H().Send(0, 1, 3, 100)
                                       .Send(1, 2, 4, 200)
                                       .Op(2, 5, 6, kRecv, Val(200))
                                       .Op(2, 7, 8, kRecv, Val(100))),
            kYes);
  // One producer's values stay in order.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Send(0, 1, 2, 100)
                                       .Send(0, 3, 4, 101)
                                       .Op(1, 1, 9, kRecv, Val(101))
                                       .Op(1, 10, 11, kRecv, Val(100))),
            kNo);
}

TEST(Checker, ClosedOnlyAfterLastSenderAndDrained) {
  // Closed although a sender remains.
  EXPECT_EQ(CheckBoth(kUnbounded2, H().Op(0, 1, 2, kDropSender, kDone).Op(2, 3, 4, kRecv, kClosed)),
            kNo);
  // Both dropped: closed.
  EXPECT_EQ(CheckBoth(kUnbounded2, H().Op(0, 1, 2, kDropSender, kDone)
                                       .Op(1, 3, 4, kDropSender, kDone)
                                       .Op(2, 5, 6, kRecv, kClosed)),
            kYes);
  // Closed but not drained: the value sent before the drop must come first.
  EXPECT_EQ(
      CheckBoth(kUnbounded1,
                H().Send(0, 1, 2, 7).Op(0, 3, 4, kDropSender, kDone).Op(1, 5, 6, kRecv, kClosed)),
      kNo);
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Send(0, 1, 2, 7)
                                       .Op(0, 3, 4, kDropSender, kDone)
                                       .Op(1, 5, 6, kTryRecv, Val(7))
                                       .Op(1, 7, 8, kTryRecv, kClosed)),
            kYes);
  // After the close try_recv must say closed, not empty.
  EXPECT_EQ(
      CheckBoth(kUnbounded1, H().Op(0, 1, 2, kDropSender, kDone).Op(1, 3, 4, kTryRecv, kEmpty)),
      kNo);
  EXPECT_EQ(
      CheckBoth(kUnbounded1, H().Op(0, 1, 2, kDropSender, kDone).Op(1, 3, 4, kRecvFor, kTimeout)),
      kNo);
  // A close concurrent with a recv: the recv may see either side.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Op(0, 1, 4, kDropSender, kDone).Op(1, 2, 3, kRecv, kClosed)),
            kYes);
  EXPECT_EQ(
      CheckBoth(kUnbounded1, H().Op(0, 1, 4, kDropSender, kDone).Op(1, 2, 3, kTryRecv, kEmpty)),
      kYes);
}

TEST(Checker, ReceiverDropHandsValuesBack) {
  // A send after the receiver is gone must fail and hand back its own value.
  EXPECT_EQ(
      CheckBoth(kUnbounded1, H().Op(1, 1, 2, kDropReceiver, kDone).Send(0, 3, 4, 7, Failed(7))),
      kYes);
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Op(1, 1, 2, kDropReceiver, kDone).Send(0, 3, 4, 7)), kNo);
  EXPECT_EQ(
      CheckBoth(kUnbounded1, H().Op(1, 1, 2, kDropReceiver, kDone).Send(0, 3, 4, 7, Failed(8))),
      kNo);
  // Failing while the receiver is alive is wrong.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Send(0, 1, 2, 7, Failed(7))), kNo);
  // Concurrent with the drop: either outcome.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Op(1, 1, 4, kDropReceiver, kDone).Send(0, 2, 3, 7)), kYes);
  EXPECT_EQ(
      CheckBoth(kUnbounded1, H().Op(1, 1, 4, kDropReceiver, kDone).Send(0, 2, 3, 7, Failed(7))),
      kYes);
}

TEST(Checker, BoundedSendTakesEffectOnlyWithRoom) {
  const ChannelModel cap1 = ChannelModel::Mpsc(1, 1);
  // Two completed sends, nothing received in between: one would have blocked.
  EXPECT_EQ(CheckBoth(cap1, H().Send(0, 1, 2, 100).Send(0, 3, 4, 101)), kNo);
  // The receive frees the place while the second send is blocked.
  EXPECT_EQ(CheckBoth(cap1, H().Send(0, 1, 2, 100).Send(0, 3, 8, 101).Op(1, 5, 6, kRecv, Val(100))),
            kYes);
  // Unbounded: fine.
  EXPECT_EQ(CheckBoth(kUnbounded1, H().Send(0, 1, 2, 100).Send(0, 3, 4, 101)), kYes);
  // Capacity 2 holds two.
  const ChannelModel cap2 = ChannelModel::Mpsc(2, 1);
  EXPECT_EQ(CheckBoth(cap2, H().Send(0, 1, 2, 100).Send(0, 3, 4, 101)), kYes);
  EXPECT_EQ(CheckBoth(cap2, H().Send(0, 1, 2, 100).Send(0, 3, 4, 101).Send(0, 5, 6, 102)), kNo);
  // A blocked sender is released by the receiver's drop, with its value back.
  EXPECT_EQ(
      CheckBoth(
          cap1,
          H().Send(0, 1, 2, 100).Send(0, 3, 8, 101, Failed(101)).Op(1, 5, 6, kDropReceiver, kDone)),
      kYes);
}

TEST(Checker, ExplicitClose) {
  const ChannelModel m = ChannelModel::Explicit(0);
  // Values queued before the close are still received, then closed.
  EXPECT_EQ(CheckBoth(m, H().Send(0, 1, 2, 7)
                             .Op(0, 3, 4, kClose, kDone)
                             .Op(1, 5, 6, kRecv, Val(7))
                             .Op(1, 7, 8, kRecv, kClosed)),
            kYes);
  // A send after the close fails.
  EXPECT_EQ(CheckBoth(m, H().Op(0, 1, 2, kClose, kDone).Send(0, 3, 4, 7)), kNo);
  EXPECT_EQ(CheckBoth(m, H().Op(0, 1, 2, kClose, kDone).Send(0, 3, 4, 7, Failed(7))), kYes);
  // Not closed: a recv cannot return closed.
  EXPECT_EQ(CheckBoth(m, H().Op(1, 1, 2, kRecv, kClosed)), kNo);
  // Close is idempotent.
  EXPECT_EQ(
      CheckBoth(
          m, H().Op(0, 1, 2, kClose, kDone).Op(1, 3, 4, kClose, kDone).Op(1, 5, 6, kRecv, kClosed)),
      kYes);
  // Two consumers share one FIFO: the later recv cannot get the older value.
  EXPECT_EQ(CheckBoth(m, H().Send(0, 1, 2, 100)
                             .Send(0, 3, 4, 101)
                             .Op(1, 5, 6, kRecv, Val(101))
                             .Op(2, 7, 8, kRecv, Val(100))),
            kNo);
}

TEST(Checker, LocalityChecksObjectsSeparately) {
  H h;
  h.Op(0, 1, 2, {K::kSend, 1}, kDone, /*object=*/0)
      .Op(1, 3, 4, kRecv, Val(1), /*object=*/0)
      .Op(0, 5, 6, {K::kSend, 2}, kDone, /*object=*/1)
      .Op(1, 7, 8, kTryRecv, kEmpty, /*object=*/1);  // wrong on object 1
  CheckResult r = Check(kUnbounded1, h.history());
  EXPECT_EQ(r.verdict, kNo);
  EXPECT_EQ(r.object, 1);
  // The same operations on one object would be wrong too, but each object's
  // values stay on their object: object 0 alone is fine.
  History<ChannelCall, ChannelRet> only0(h.history().begin(), h.history().begin() + 2);
  EXPECT_TRUE(Check(kUnbounded1, only0).linearizable());
}

TEST(Checker, LongestPrefixAndFormat) {
  H h;
  h.Send(0, 1, 2, 100).Send(1, 3, 4, 200).Op(2, 5, 6, kRecv, Val(200));
  CheckResult r = Check(kUnbounded2, h.history());
  ASSERT_EQ(r.verdict, kNo);
  // The two sends linearize; the recv of 200 cannot follow them.
  EXPECT_EQ(r.longest_prefix.size(), 2u);
  const std::string text = FormatFailure(kUnbounded2, h.history(), r);
  EXPECT_NE(text.find("NOT linearizable"), std::string::npos) << text;
  EXPECT_NE(text.find("recv -> 200"), std::string::npos) << text;
  EXPECT_NE(text.find("send(100) -> ok"), std::string::npos) << text;
}

TEST(Checker, ManyOverlappingSendsStaySmallWhenPrepared) {
  // 6 producers x 5 sends, all overlapping each other, then one receiver
  // draining in a legal order, with the last value never received. The plain
  // search may have to try up to 30! queue orders; the prepared model's
  // orders are forced by the receive order.
  H h;
  for (int p = 0; p < 6; ++p) {
    for (int i = 0; i < 5; ++i) {
      const uint64_t k = 5 * p + i;
      h.Send(p, 1 + 2 * k, 1000 + 2 * k, 100 * (p + 1) + i);
    }
  }
  uint64_t t = 2000;
  for (int i = 0; i < 5; ++i) {
    for (int p = 5; p >= 0; --p) {
      if (i == 4 && p == 0) continue;  // 104 stays queued
      h.Op(6, t, t + 1, kRecv, Val(100 * (p + 1) + i));
      t += 2;
    }
  }
  const ChannelModel m = ChannelModel::Mpsc(0, 6);
  CheckResult ok = Check(m.Prepared(h.history()), h.history());
  EXPECT_TRUE(ok.linearizable());
  EXPECT_LT(ok.steps, 20000u);
  H empty = h;
  // One more receive of an already received value: rejected, still fast.
  h.Op(6, t, t + 1, kRecv, Val(100));
  CheckResult bad = Check(m.Prepared(h.history()), h.history());
  EXPECT_EQ(bad.verdict, kNo);
  EXPECT_LT(bad.steps, 200000u);
  // try_recv reporting empty while 104 is queued: rejected.
  empty.Op(6, t, t + 1, kTryRecv, kEmpty);
  EXPECT_EQ(Check(m.Prepared(empty.history()), empty.history()).verdict, kNo);
}

TEST(Checker, BudgetGivesUnknown) {
  H h;
  for (int p = 0; p < 4; ++p) h.Send(p, 1 + p, 100 + p, p + 1);
  h.Op(5, 200, 201, kRecv, Val(9));
  CheckOptions tiny;
  tiny.max_steps = 2;
  EXPECT_EQ(Check(ChannelModel::Mpsc(0, 4), h.history(), tiny).verdict, Verdict::kUnknown);
}

// An independent reference: every order of the operations that respects
// real time, tried one by one (no memoisation, no reductions).
bool BruteForceLinearizable(const ChannelModel& m, const History<ChannelCall, ChannelRet>& h,
                            std::vector<bool>& used, const ChannelModel::State& state,
                            size_t done) {
  if (done == h.size()) return true;
  for (size_t i = 0; i < h.size(); ++i) {
    if (used[i]) continue;
    bool ready = true;  // every operation that precedes i in real time is used
    for (size_t j = 0; j < h.size() && ready; ++j) {
      if (!used[j] && j != i && h[j].response < h[i].invoke) ready = false;
    }
    if (!ready) continue;
    std::optional<ChannelModel::State> next = m.Step(state, h[i].call, h[i].ret);
    if (!next) continue;
    used[i] = true;
    if (BruteForceLinearizable(m, h, used, *next, done + 1)) return true;
    used[i] = false;
  }
  return false;
}

// Random small histories, about half of them linearizable by construction
// (results produced by running the model in a random order, intervals drawn
// around that order) and half with one result changed: the memoised search,
// with and without the reductions of Prepared(), must agree with brute force.
TEST(Checker, AgreesWithBruteForceOnRandomSmallHistories) {
  std::mt19937_64 rng(7);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int linearizable = 0, not_linearizable = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    const bool mpsc = uniform(0, 3) != 0;
    const size_t capacity = static_cast<size_t>(uniform(0, 2));
    const int senders = uniform(1, 2);
    const ChannelModel m =
        mpsc ? ChannelModel::Mpsc(capacity, senders) : ChannelModel::Explicit(capacity);
    const int n = uniform(2, 8);
    // Calls, in the order they will be linearized.
    History<ChannelCall, ChannelRet> ops;
    ChannelModel::State state = m.Init();
    int next_value = 1;
    std::vector<int> sent;
    for (int k = 0; k < n; ++k) {
      ChannelCall call;
      switch (uniform(0, 6)) {
        case 0:
        case 1:
          call = {K::kSend, next_value++};
          break;
        case 2:
          call = {K::kRecv, 0};
          break;
        case 3:
          call = {K::kTryRecv, 0};
          break;
        case 4:
          call = {K::kRecvFor, 5};
          break;
        case 5:
          call = {mpsc ? K::kDropSender : K::kClose, 0};
          break;
        default:
          call = {mpsc ? K::kDropReceiver : K::kClose, 0};
          break;
      }
      if (call.kind == K::kSend) sent.push_back(call.value);
      std::vector<ChannelRet> candidates = {kDone, kEmpty, kTimeout, kClosed};
      if (call.kind == K::kSend) candidates.push_back(Failed(call.value));
      for (int v : sent) candidates.push_back(Val(v));
      std::shuffle(candidates.begin(), candidates.end(), rng);
      for (const ChannelRet& r : candidates) {
        if (auto next = m.Step(state, call, r)) {
          state = *next;
          Operation<ChannelCall, ChannelRet> op;
          op.thread = uniform(0, 2);
          op.call = call;
          op.ret = r;
          ops.push_back(op);
          break;
        }
      }
    }
    // Intervals: operation k takes effect at time 30 * (k + 1), and its
    // interval [invoke, response] contains that instant. Invocations are
    // 1 mod 3 and responses 2 mod 3, so no invocation ties a response.
    // (Thread ids are labels only: the checker looks at real time.)
    for (size_t k = 0; k < ops.size(); ++k) {
      const uint64_t point = 30 * (k + 1);
      auto& op = ops[k];
      op.invoke = point - 2 - 3 * static_cast<uint64_t>(uniform(0, std::min<int>(25, 10 * k)));
      op.response = point + 2 + 3 * static_cast<uint64_t>(uniform(0, 25));
    }
    // Half of them: change one result.
    if (!ops.empty() && uniform(0, 1) == 0) {
      auto& op = ops[uniform(0, static_cast<int>(ops.size()) - 1)];
      const int choice = uniform(0, 4);
      op.ret = choice == 0   ? kEmpty
               : choice == 1 ? kClosed
               : choice == 2 ? kTimeout
               : choice == 3 ? Val(uniform(1, next_value))
                             : kDone;
    }
    std::vector<bool> used(ops.size(), false);
    const bool brute = BruteForceLinearizable(m, ops, used, m.Init(), 0);
    const CheckResult plain = Check(m, ops);
    const CheckResult prepared = Check(m.Prepared(ops), ops);
    ASSERT_EQ(plain.linearizable(), brute) << FormatFailure(m, ops, plain);
    ASSERT_EQ(prepared.linearizable(), brute) << FormatFailure(m, ops, prepared);
    (brute ? linearizable : not_linearizable)++;
  }
  std::cout << linearizable << " linearizable, " << not_linearizable
            << " not linearizable random histories: all three checks agree\n";
  // Both kinds occurred often enough for the comparison to mean something.
  EXPECT_GT(linearizable, 4000);
  EXPECT_GT(not_linearizable, 4000);
}

}  // namespace
}  // namespace harness::lincheck
