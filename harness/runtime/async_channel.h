// Copyright: the concurrency-harness authors.
//
// AsyncChannel<T>: a channel for coroutines; Send and Recv suspend the calling
// coroutine instead of blocking its thread.
//
//   AsyncChannel<int> ch(&ex, /*capacity=*/16);   // 0: unbounded
//   bool ok = co_await ch.Send(42);               // false once closed
//   std::optional<int> v = co_await ch.Recv();    // nullopt: closed, drained
//   ch.Close();
//
// Any number of senders and receivers (MPMC). Values are moved, never copied.
// A send suspends while a bounded channel is full; a receive suspends while
// the channel is empty and open. Close() is explicit (the channel is shared
// by reference, not by handles): afterwards sends fail (the value is
// dropped), receivers drain what is queued and then get std::nullopt; every
// suspended sender (false) and receiver (nullopt) is resumed. Values from one
// sender arrive in order; suspended senders and receivers are served FIFO.
//
// Resumption: a suspended coroutine is resumed on the channel's executor
// (`ex`), never inline inside another coroutine's Send/Recv; with ex ==
// nullptr it is resumed inline on the thread that completes it, after the
// channel's lock is released. The channel must outlive its suspended
// coroutines.
//
// Injection point async_channel.wake (injection.h): before each resumption.
//
// Memory ordering: all state is guarded by one mutex and hand-offs to a
// suspended coroutine are published through its executor, so everything a
// sender wrote before Send(v) is visible to the receiver of v.
#ifndef HARNESS_RUNTIME_ASYNC_CHANNEL_H_
#define HARNESS_RUNTIME_ASYNC_CHANNEL_H_

#include <coroutine>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/injection.h"

namespace harness::runtime {

template <typename T>
class AsyncChannel {
  struct SendAwaiter;
  struct RecvAwaiter;

 public:
  explicit AsyncChannel(Executor* ex, size_t capacity = 0) : ex_(ex), capacity_(capacity) {}
  AsyncChannel(const AsyncChannel&) = delete;
  AsyncChannel& operator=(const AsyncChannel&) = delete;

  // Awaitable<bool>.
  SendAwaiter Send(T value) { return SendAwaiter{this, std::move(value), true, {}}; }
  // Awaitable<std::optional<T>>.
  RecvAwaiter Recv() { return RecvAwaiter{this, std::nullopt, {}}; }

  void Close() {
    std::deque<RecvAwaiter*> receivers;
    std::deque<SendAwaiter*> senders;
    {
      MutexLock l(&mu_);
      if (closed_) return;
      closed_ = true;
      receivers.swap(receivers_);
      senders.swap(senders_);
    }
    for (SendAwaiter* s : senders) {
      s->ok = false;
      Wake(s->handle);
    }
    for (RecvAwaiter* r : receivers) Wake(r->handle);  // r->value stays empty
  }

  bool closed() const {
    MutexLock l(&mu_);
    return closed_;
  }

 private:
  struct SendAwaiter {
    AsyncChannel* ch;
    T value;
    bool ok = true;
    std::coroutine_handle<> handle;

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
      handle = h;
      return ch->SendOrPark(this);
    }
    bool await_resume() const noexcept { return ok; }
  };

  struct RecvAwaiter {
    AsyncChannel* ch;
    std::optional<T> value;
    std::coroutine_handle<> handle;

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
      handle = h;
      return ch->RecvOrPark(this);
    }
    std::optional<T> await_resume() { return std::move(value); }
  };

  // Returns true if the sender must stay suspended.
  bool SendOrPark(SendAwaiter* s) {
    RecvAwaiter* wake = nullptr;
    {
      MutexLock l(&mu_);
      if (closed_) {
        s->ok = false;
        return false;
      }
      if (!receivers_.empty()) {
        wake = receivers_.front();
        receivers_.pop_front();
        wake->value.emplace(std::move(s->value));
      } else if (capacity_ == 0 || queue_.size() < capacity_) {
        queue_.push_back(std::move(s->value));
        return false;
      } else {
        senders_.push_back(s);
        return true;
      }
    }
    Wake(wake->handle);
    return false;
  }

  // Returns true if the receiver must stay suspended.
  bool RecvOrPark(RecvAwaiter* r) {
    SendAwaiter* wake = nullptr;
    {
      MutexLock l(&mu_);
      if (!queue_.empty()) {
        r->value.emplace(std::move(queue_.front()));
        queue_.pop_front();
        if (!senders_.empty()) {  // room now: admit the oldest parked sender
          wake = senders_.front();
          senders_.pop_front();
          queue_.push_back(std::move(wake->value));
        }
      } else if (closed_) {
        return false;
      } else {
        receivers_.push_back(r);
        return true;
      }
    }
    if (wake != nullptr) Wake(wake->handle);
    return false;
  }

  void Wake(std::coroutine_handle<> h) {
    inject::At(inject::Point::kAsyncChannelWake);
    if (ex_ != nullptr) {
      ex_->Resume(h);
    } else {
      h.resume();
    }
  }

  Executor* const ex_;
  const size_t capacity_;
  mutable Mutex mu_;
  std::deque<T> queue_ ABSL_GUARDED_BY(mu_);
  std::deque<RecvAwaiter*> receivers_ ABSL_GUARDED_BY(mu_);
  std::deque<SendAwaiter*> senders_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_ASYNC_CHANNEL_H_
