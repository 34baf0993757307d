// Copyright: the concurrency-harness authors.
//
// Channel<T>: a multi-producer, single-consumer channel with the semantics of
// Rust's std::sync::mpsc.
//
//   auto [tx, rx] = Channel<std::string>::Unbounded();   // or ::Bounded(64)
//   std::thread t([tx = std::move(tx)]() mutable { tx.Send("hi"); });
//   while (std::optional<std::string> v = rx.Recv()) Use(*v);  // ends on close
//
// Handles:
//   Sender    copyable; each copy is one more sender. The channel closes when
//             the last Sender is destroyed. Send(value) moves the value in;
//             on a bounded channel it blocks while the channel is full. If the
//             Receiver is gone, Send fails and hands the value back in the
//             SendResult.
//   Receiver  move-only, exactly one. Recv() blocks until a value arrives and
//             returns std::nullopt once the channel is closed and drained.
//             TryRecv() never blocks (kOk / kEmpty / kClosed); RecvFor(d) and
//             RecvUntil(t) block until a value, the deadline (kTimeout) or the
//             close (kClosed). Destroying the Receiver disconnects: later sends
//             fail, undelivered values are destroyed.
// Values are only ever moved, never copied (move-only T works). If T's move
// constructor throws inside Send, the exception propagates to the caller, that
// value is not delivered, and the channel stays fully usable (later values and
// the close are delivered; FastChannelCore steps over the claimed slot). Values from
// one sender are received in the order that sender sent them; values from
// different senders interleave arbitrarily.
//
// Implementations: one handle API over interchangeable cores.
//   Channel<T>       FastChannelCore (channel_fast.h): lock-free MPSC list of
//                    blocks, parked (not spinning) receiver, semaphore
//                    back-pressure for bounded channels.
//   MutexChannel<T>  MutexChannelCore (channel_mutex.h): std::deque under one
//                    mutex + condition variables; the plain baseline.
// A core provides: explicit Core(size_t capacity /*0 = unbounded*/);
// AddSender(); DropSender(); DropReceiver(); bool Send(T&) (false = receiver
// gone, value untouched); RecvStatus TryRecv(std::optional<T>&);
// RecvStatus RecvUntil(std::optional<T>&, steady_clock::time_point) (max() =
// forever). Bounded channels need capacity >= 1 (no rendezvous channel).
//
// Thread safety: any number of threads may use (copies of) Senders
// concurrently; the Receiver is used by one thread at a time (it may move
// between threads). Sender copies themselves are not synchronized: do not
// copy/assign the same Sender object from two threads at once.
//
// Send and the Recv calls are injection points for `harness stress` and
// `harness explore` (channel.send / channel.recv; one relaxed load when off);
// the core adds its own where threads park, publish and close
// (channel_fast.h, injection.h).
//
// Memory ordering: everything a sender wrote before Send(v) is visible to the
// receiver after it received v (release/acquire through the core; see the
// core's header). A receiver that sees kClosed / std::nullopt has received
// every value sent before the last Sender was destroyed.
#ifndef HARNESS_RUNTIME_CHANNEL_H_
#define HARNESS_RUNTIME_CHANNEL_H_

#include <cassert>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

#include "harness/runtime/channel_fast.h"
#include "harness/runtime/channel_mutex.h"
#include "harness/runtime/channel_status.h"
#include "harness/runtime/injection.h"

namespace harness::runtime {

// Outcome of Sender::Send. On failure (receiver gone) holds the value back.
template <typename T>
class SendResult {
 public:
  SendResult() = default;  // success
  explicit SendResult(T returned) : returned_(std::move(returned)) {}

  bool ok() const { return !returned_.has_value(); }
  explicit operator bool() const { return ok(); }
  // The value that could not be delivered. Requires !ok().
  T& value() & { return *returned_; }
  T&& value() && { return std::move(*returned_); }

 private:
  std::optional<T> returned_;
};

// Outcome of TryRecv / RecvFor / RecvUntil.
template <typename T>
class RecvResult {
 public:
  RecvResult(RecvStatus status, std::optional<T> value)
      : status_(status), value_(std::move(value)) {}

  RecvStatus status() const { return status_; }
  bool ok() const { return status_ == RecvStatus::kOk; }
  explicit operator bool() const { return ok(); }
  // The received value. Requires ok().
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }

 private:
  RecvStatus status_;
  std::optional<T> value_;
};

template <typename T, typename Core>
class BasicSender {
 public:
  BasicSender(const BasicSender& other) : core_(other.core_) {
    if (core_) core_->AddSender();
  }
  BasicSender(BasicSender&& other) noexcept = default;
  BasicSender& operator=(const BasicSender& other) {
    if (this != &other) *this = BasicSender(other);
    return *this;
  }
  BasicSender& operator=(BasicSender&& other) noexcept {
    if (this != &other) {
      Reset();
      core_ = std::move(other.core_);
    }
    return *this;
  }
  ~BasicSender() { Reset(); }

  // Moves `value` into the channel; blocks while a bounded channel is full.
  // Fails, handing `value` back, when the receiver is gone.
  SendResult<T> Send(T value) const {
    assert(core_ != nullptr && "Send on a moved-from Sender");
    inject::At(inject::Point::kChannelSend);
    if (core_->Send(value)) return SendResult<T>();
    return SendResult<T>(std::move(value));
  }

  // Drops this sender early (as the destructor would).
  void Close() { Reset(); }

 private:
  template <typename, typename>
  friend struct BasicChannel;
  explicit BasicSender(std::shared_ptr<Core> core) : core_(std::move(core)) {}
  void Reset() {
    if (core_) {
      core_->DropSender();
      core_.reset();
    }
  }

  std::shared_ptr<Core> core_;
};

template <typename T, typename Core>
class BasicReceiver {
 public:
  BasicReceiver(BasicReceiver&&) noexcept = default;
  BasicReceiver& operator=(BasicReceiver&& other) noexcept {
    if (this != &other) {
      Reset();
      core_ = std::move(other.core_);
    }
    return *this;
  }
  ~BasicReceiver() { Reset(); }

  // Blocks for the next value; std::nullopt once closed and drained.
  std::optional<T> Recv() {
    inject::At(inject::Point::kChannelRecv);
    std::optional<T> out;
    core_->RecvUntil(out, std::chrono::steady_clock::time_point::max());
    return out;
  }

  RecvResult<T> TryRecv() {
    inject::At(inject::Point::kChannelRecv);
    std::optional<T> out;
    RecvStatus s = core_->TryRecv(out);
    return RecvResult<T>(s, std::move(out));
  }

  template <typename Rep, typename Period>
  RecvResult<T> RecvFor(std::chrono::duration<Rep, Period> timeout) {
    return RecvUntil(std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout));
  }

  RecvResult<T> RecvUntil(std::chrono::steady_clock::time_point deadline) {
    inject::At(inject::Point::kChannelRecv);
    std::optional<T> out;
    RecvStatus s = core_->RecvUntil(out, deadline);
    return RecvResult<T>(s, std::move(out));
  }

 private:
  template <typename, typename>
  friend struct BasicChannel;
  explicit BasicReceiver(std::shared_ptr<Core> core) : core_(std::move(core)) {}
  void Reset() {
    if (core_) {
      core_->DropReceiver();
      core_.reset();
    }
  }

  std::shared_ptr<Core> core_;
};

template <typename T, typename Core>
struct BasicChannel {
  using Sender = BasicSender<T, Core>;
  using Receiver = BasicReceiver<T, Core>;

  static std::pair<Sender, Receiver> Unbounded() { return Make(0); }
  // Requires capacity >= 1.
  static std::pair<Sender, Receiver> Bounded(size_t capacity) {
    assert(capacity >= 1);
    return Make(capacity);
  }

 private:
  static std::pair<Sender, Receiver> Make(size_t capacity) {
    auto core = std::make_shared<Core>(capacity);
    return {Sender(core), Receiver(core)};
  }
};

template <typename T>
using Channel = BasicChannel<T, FastChannelCore<T>>;
template <typename T>
using MutexChannel = BasicChannel<T, MutexChannelCore<T>>;

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_CHANNEL_H_
