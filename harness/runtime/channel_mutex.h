// Copyright: the concurrency-harness authors.
//
// MutexChannelCore<T>: the plain baseline channel core, one mutex guarding a
// std::deque and two condition variables (not empty / not full). Kept on
// purpose as the openly naive implementation next to FastChannelCore; both
// satisfy the channel-core contract documented in channel.h and are used
// through Sender/Receiver handles from there (MutexChannel<T>).
//
// Memory ordering: every operation runs under `mu_`, so a value's
// construction by the sender happens-before its move-out by the receiver, and
// the close (last sender gone) is seen by the receiver only after every value
// sent before it.
#ifndef HARNESS_RUNTIME_CHANNEL_MUTEX_H_
#define HARNESS_RUNTIME_CHANNEL_MUTEX_H_

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/channel_status.h"

namespace harness::runtime {

template <typename T>
class MutexChannelCore {
 public:
  // capacity == 0: unbounded.
  explicit MutexChannelCore(size_t capacity) : capacity_(capacity) {}
  MutexChannelCore(const MutexChannelCore&) = delete;
  MutexChannelCore& operator=(const MutexChannelCore&) = delete;

  void AddSender() {
    MutexLock l(&mu_);
    ++senders_;
  }

  void DropSender() {
    MutexLock l(&mu_);
    if (--senders_ == 0) not_empty_.SignalAll();
  }

  void DropReceiver() {
    std::deque<T> discarded;
    {
      MutexLock l(&mu_);
      receiver_alive_ = false;
      discarded.swap(queue_);
    }
    not_full_.SignalAll();
    // `discarded` destroys the undelivered values outside the lock.
  }

  // Returns false (leaving `value` untouched) if the receiver is gone.
  bool Send(T& value) {
    MutexLock l(&mu_);
    while (receiver_alive_ && capacity_ != 0 && queue_.size() >= capacity_) {
      not_full_.Wait(&mu_);
    }
    if (!receiver_alive_) return false;
    queue_.push_back(std::move(value));
    if (receiver_waiting_) not_empty_.Signal();
    return true;
  }

  RecvStatus TryRecv(std::optional<T>& out) {
    MutexLock l(&mu_);
    if (PopLocked(out)) return RecvStatus::kOk;
    return senders_ == 0 ? RecvStatus::kClosed : RecvStatus::kEmpty;
  }

  // deadline == time_point::max(): wait forever.
  RecvStatus RecvUntil(std::optional<T>& out, std::chrono::steady_clock::time_point deadline) {
    MutexLock l(&mu_);
    for (;;) {
      if (PopLocked(out)) return RecvStatus::kOk;
      if (senders_ == 0) return RecvStatus::kClosed;
      receiver_waiting_ = true;
      bool timed_out = false;
      if (deadline == std::chrono::steady_clock::time_point::max()) {
        not_empty_.Wait(&mu_);
      } else {
        timed_out = not_empty_.WaitUntil(&mu_, deadline);
      }
      receiver_waiting_ = false;
      if (timed_out) {
        if (PopLocked(out)) return RecvStatus::kOk;
        return senders_ == 0 ? RecvStatus::kClosed : RecvStatus::kTimeout;
      }
    }
  }

 private:
  bool PopLocked(std::optional<T>& out) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (queue_.empty()) return false;
    out.emplace(std::move(queue_.front()));
    queue_.pop_front();
    if (capacity_ != 0) not_full_.Signal();
    return true;
  }

  const size_t capacity_;
  Mutex mu_;
  CondVar not_empty_;
  CondVar not_full_;
  std::deque<T> queue_ ABSL_GUARDED_BY(mu_);
  size_t senders_ ABSL_GUARDED_BY(mu_) = 1;
  bool receiver_alive_ ABSL_GUARDED_BY(mu_) = true;
  bool receiver_waiting_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_CHANNEL_MUTEX_H_
