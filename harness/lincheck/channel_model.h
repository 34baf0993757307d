// Copyright: the concurrency-harness authors.
//
// ChannelModel: the sequential specification of the runtime's channels (a
// FIFO queue with close), as a model for the linearizability checker
// (checker.h). Calls and results are recorded by channel_driver.h.
//
// Two flavours:
//   Mpsc(capacity, senders)  Channel / MutexChannel (channel.h): the channel
//       closes when the last of `senders` Sender handles is dropped
//       (kDropSender); dropping the Receiver (kDropReceiver) discards the
//       queued values, and every later send fails, handing its value back.
//   Explicit(capacity)       AsyncChannel (async_channel.h): Close() (kClose,
//       idempotent) closes it; a send after the close fails.
// capacity 0 = unbounded.
//
// The sequential object, one call at a time:
//   send(v)      fails (kSendFailed, value v back) if the receiver is gone or
//                the channel was explicitly closed; else, if a bounded
//                channel is full, it cannot take effect here (it would still
//                be blocked; it may only linearize once there is room); else
//                appends v and returns kDone.
//   recv         the front value (kValue), or kClosed when the queue is empty
//                and the channel closed; blocked (no linearization) when
//                empty and open.
//   try_recv     the front value, kEmpty (empty, open) or kClosed.
//   recv_for     the front value, kTimeout (empty and open at its
//                linearization point) or kClosed.
//   drop_sender  one fewer sender; the last one closes the channel.
//   drop_receiver the receiver is gone; queued values are discarded.
//   close        closes the channel (explicit flavour).
//
// Values are plain ints; the drivers make them unique per history (producer
// p's k-th value is 100 * (p + 1) + k), so "in order per sender" and "each
// value at most once" are part of what the check enforces.
//
// Prepared(history): the same model with two exact reductions for that
// history (a FIFO queue is the worst case of the Wing–Gong search: n
// overlapping sends followed by receives give n! queue orders). Both only
// cut branches that are dead anyway, so the verdict is unchanged (the tests
// check this on every hand-written history):
//   - a value that no receive in the history returns is stored as one
//     anonymous token (such values are never looked at one by one: a token
//     at the front blocks every later receive), so their orders collapse
//     into one state;
//   - a received value x may not enter the queue behind y (a received value
//     already queued) when every receive of x returned before any receive
//     of y began (y would have to leave first), nor behind a token; and not
//     before a received value y that must leave before it (every receive of
//     y returned before any receive of x began) has entered (y would end up
//     behind x).
// With them the received values' queue order is forced by the real-time
// order of their receives and the search stays small. Use Prepared() for
// checking; the plain model is the reference. (The last rule keeps a 64-bit
// set of the received values that entered; with more than 64 distinct
// received values it is left out.)
#ifndef HARNESS_LINCHECK_CHANNEL_MODEL_H_
#define HARNESS_LINCHECK_CHANNEL_MODEL_H_

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace harness::lincheck {

enum class ChannelCallKind : uint8_t {
  kSend,
  kRecv,
  kTryRecv,
  kRecvFor,
  kDropSender,
  kDropReceiver,
  kClose,
};

struct ChannelCall {
  ChannelCallKind kind = ChannelCallKind::kRecv;
  int value = 0;  // kSend: the value; kRecvFor: the timeout in microseconds
};

enum class ChannelRetKind : uint8_t {
  kDone,        // send accepted; drop/close done
  kSendFailed,  // send refused; `value` is what it handed back
  kValue,       // a receive returned `value`
  kEmpty,       // try_recv: nothing queued, not closed
  kTimeout,     // recv_for: deadline passed
  kClosed,      // a receive found the channel closed and drained
};

struct ChannelRet {
  ChannelRetKind kind = ChannelRetKind::kDone;
  int value = 0;
};

class ChannelModel {
 public:
  using Call = ChannelCall;
  using Ret = ChannelRet;

  struct State {
    std::vector<int> queue;
    int senders = 1;
    bool explicitly_closed = false;
    bool receiver_alive = true;
    uint64_t entered = 0;  // Prepared(): received values that entered (by index)

    bool operator==(const State&) const = default;
    template <typename H>
    friend H AbslHashValue(H h, const State& s) {
      return H::combine(std::move(h), s.queue, s.senders, s.explicitly_closed, s.receiver_alive,
                        s.entered);
    }
  };

  static ChannelModel Mpsc(size_t capacity, int senders) { return ChannelModel(capacity, senders); }
  static ChannelModel Explicit(size_t capacity) { return ChannelModel(capacity, 1); }

  // This model with the reductions described above, for checking `history`
  // (and only it).
  template <typename Hist>
  ChannelModel Prepared(const Hist& history) const {
    auto receipts = std::make_shared<absl::flat_hash_map<int, Receipt>>();
    for (const auto& op : history) {
      const bool receive = op.call.kind == ChannelCallKind::kRecv ||
                           op.call.kind == ChannelCallKind::kTryRecv ||
                           op.call.kind == ChannelCallKind::kRecvFor;
      if (!receive || op.ret.kind != ChannelRetKind::kValue) continue;
      auto [it, inserted] =
          receipts->try_emplace(op.ret.value, Receipt{op.invoke, op.response, 0, 0});
      if (!inserted) {
        it->second.first_invoke = std::min(it->second.first_invoke, op.invoke);
        it->second.last_response = std::max(it->second.last_response, op.response);
      }
    }
    if (receipts->size() <= 64) {
      int index = 0;
      for (auto& [value, r] : *receipts) r.index = index++;
      for (auto& [x, rx] : *receipts) {
        for (const auto& [y, ry] : *receipts) {
          if (ry.last_response < rx.first_invoke) rx.must_follow |= uint64_t{1} << ry.index;
        }
      }
    } else {
      for (auto& [value, r] : *receipts) r.index = 64;  // no index: rule left out
    }
    ChannelModel m = *this;
    m.receipts_ = std::move(receipts);
    return m;
  }

  size_t capacity() const { return capacity_; }

  State Init() const {
    State s;
    s.senders = senders_;
    return s;
  }

  std::optional<State> Step(const State& s, const Call& call, const Ret& ret) const {
    const bool closed = s.explicitly_closed || s.senders == 0;
    switch (call.kind) {
      case ChannelCallKind::kSend: {
        if (!s.receiver_alive || s.explicitly_closed) {
          if (ret.kind == ChannelRetKind::kSendFailed && ret.value == call.value) return s;
          return std::nullopt;
        }
        if (ret.kind != ChannelRetKind::kDone) return std::nullopt;
        if (s.senders == 0) return std::nullopt;  // no handle left to send with
        if (capacity_ != 0 && s.queue.size() >= capacity_) return std::nullopt;
        int stored = call.value;
        uint64_t entered = s.entered;
        if (receipts_ != nullptr) {
          auto x = receipts_->find(call.value);
          if (x == receipts_->end()) {
            stored = kToken;
          } else {
            const Receipt& rx = x->second;
            if ((rx.must_follow & ~s.entered) != 0) return std::nullopt;
            for (int y : s.queue) {
              if (y == kToken) return std::nullopt;  // x could never reach the front
              auto ry = receipts_->find(y);
              if (ry != receipts_->end() && rx.last_response < ry->second.first_invoke) {
                return std::nullopt;  // y would have to leave before x
              }
            }
            if (rx.index < 64) entered |= uint64_t{1} << rx.index;
          }
        }
        State next = s;
        next.queue.push_back(stored);
        next.entered = entered;
        return next;
      }
      case ChannelCallKind::kRecv:
      case ChannelCallKind::kTryRecv:
      case ChannelCallKind::kRecvFor: {
        if (!s.receiver_alive) return std::nullopt;
        if (ret.kind == ChannelRetKind::kValue) {
          if (s.queue.empty() || s.queue.front() != ret.value) return std::nullopt;
          State next = s;
          next.queue.erase(next.queue.begin());
          return next;
        }
        if (!s.queue.empty()) return std::nullopt;
        if (ret.kind == ChannelRetKind::kClosed) {
          if (closed) return s;
          return std::nullopt;
        }
        // Empty and open: only try_recv (kEmpty) and recv_for (kTimeout)
        // return; recv would still be blocked.
        if (closed) return std::nullopt;
        if (call.kind == ChannelCallKind::kTryRecv && ret.kind == ChannelRetKind::kEmpty) {
          return s;
        }
        if (call.kind == ChannelCallKind::kRecvFor && ret.kind == ChannelRetKind::kTimeout) {
          return s;
        }
        return std::nullopt;
      }
      case ChannelCallKind::kDropSender: {
        if (ret.kind != ChannelRetKind::kDone || s.senders == 0) return std::nullopt;
        State next = s;
        --next.senders;
        return next;
      }
      case ChannelCallKind::kDropReceiver: {
        if (ret.kind != ChannelRetKind::kDone || !s.receiver_alive) return std::nullopt;
        State next = s;
        next.receiver_alive = false;
        next.queue.clear();
        return next;
      }
      case ChannelCallKind::kClose: {
        if (ret.kind != ChannelRetKind::kDone) return std::nullopt;
        State next = s;
        next.explicitly_closed = true;
        return next;
      }
    }
    return std::nullopt;
  }

  std::string Describe(const Call& call, const Ret& ret) const {
    std::string c;
    switch (call.kind) {
      case ChannelCallKind::kSend:
        c = absl::StrCat("send(", call.value, ")");
        break;
      case ChannelCallKind::kRecv:
        c = "recv";
        break;
      case ChannelCallKind::kTryRecv:
        c = "try_recv";
        break;
      case ChannelCallKind::kRecvFor:
        c = absl::StrCat("recv_for(", call.value, "us)");
        break;
      case ChannelCallKind::kDropSender:
        return "drop_sender";
      case ChannelCallKind::kDropReceiver:
        return "drop_receiver";
      case ChannelCallKind::kClose:
        return "close";
    }
    switch (ret.kind) {
      case ChannelRetKind::kDone:
        return absl::StrCat(c, " -> ok");
      case ChannelRetKind::kSendFailed:
        return absl::StrCat(c, " -> failed(", ret.value, ")");
      case ChannelRetKind::kValue:
        return absl::StrCat(c, " -> ", ret.value);
      case ChannelRetKind::kEmpty:
        return absl::StrCat(c, " -> empty");
      case ChannelRetKind::kTimeout:
        return absl::StrCat(c, " -> timeout");
      case ChannelRetKind::kClosed:
        return absl::StrCat(c, " -> closed");
    }
    return c;
  }

 private:
  // The stored form of values that no receive returns.
  static constexpr int kToken = INT_MIN;

  // When the receives of one value were called and returned.
  struct Receipt {
    uint64_t first_invoke;
    uint64_t last_response;
    int index;             // bit in State::entered (64: none)
    uint64_t must_follow;  // values (by index) that must enter before this one
  };

  ChannelModel(size_t capacity, int senders) : capacity_(capacity), senders_(senders) {}

  size_t capacity_;
  int senders_;
  // Set by Prepared(); nullptr for the plain model.
  std::shared_ptr<const absl::flat_hash_map<int, Receipt>> receipts_;
};

}  // namespace harness::lincheck

#endif  // HARNESS_LINCHECK_CHANNEL_MODEL_H_
