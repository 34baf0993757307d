// Copyright: the concurrency-harness authors.
//
// ControlChannelCore<T, Bug>: a deliberately NON-linearizable channel core,
// the control for the linearizability checker (the checker must reject it,
// the way racy.cc must be flagged by TSan). It satisfies the channel-core
// contract of channel.h, so it runs behind the real Sender/Receiver handles
// and the same driver as the real channels:
//
//   using Bad = runtime::BasicChannel<int, ControlChannelCore<int, ControlBug::kReorder>>;
//   ChannelHistory h = RunMpsc<Bad>(program, capacity);
//
// It is MutexChannelCore's plain design (one mutex, a deque, two condition
// variables) with one seeded bug:
//   kReorder     every second receive that finds two or more values queued
//                takes the second one instead of the first (FIFO broken);
//   kFalseEmpty  every second try_recv that finds values queued reports
//                kEmpty anyway (a value is held but reported absent).
// Test-only: never registered as a strategy, never benchmarked.
//
// Memory ordering: every operation runs under `mu_`.
#ifndef HARNESS_LINCHECK_CONTROL_CHANNEL_H_
#define HARNESS_LINCHECK_CONTROL_CHANNEL_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/channel_status.h"

namespace harness::lincheck {

enum class ControlBug { kReorder, kFalseEmpty };

inline std::string_view ControlBugName(ControlBug bug) {
  return bug == ControlBug::kReorder ? "reorder" : "false_empty";
}

template <typename T, ControlBug kBug>
class ControlChannelCore {
 public:
  explicit ControlChannelCore(size_t capacity) : capacity_(capacity) {}
  ControlChannelCore(const ControlChannelCore&) = delete;
  ControlChannelCore& operator=(const ControlChannelCore&) = delete;

  void AddSender() {
    runtime::MutexLock l(&mu_);
    ++senders_;
  }

  void DropSender() {
    runtime::MutexLock l(&mu_);
    if (--senders_ == 0) not_empty_.SignalAll();
  }

  void DropReceiver() {
    std::deque<T> discarded;
    {
      runtime::MutexLock l(&mu_);
      receiver_alive_ = false;
      discarded.swap(queue_);
    }
    not_full_.SignalAll();
  }

  bool Send(T& value) {
    runtime::MutexLock l(&mu_);
    while (receiver_alive_ && capacity_ != 0 && queue_.size() >= capacity_) {
      not_full_.Wait(&mu_);
    }
    if (!receiver_alive_) return false;
    queue_.push_back(std::move(value));
    not_empty_.Signal();
    return true;
  }

  runtime::RecvStatus TryRecv(std::optional<T>& out) {
    runtime::MutexLock l(&mu_);
    if (kBug == ControlBug::kFalseEmpty && !queue_.empty() && senders_ > 0 &&
        (++false_empty_count_ % 2) == 0) {
      return runtime::RecvStatus::kEmpty;  // the seeded bug
    }
    if (PopLocked(out)) return runtime::RecvStatus::kOk;
    return senders_ == 0 ? runtime::RecvStatus::kClosed : runtime::RecvStatus::kEmpty;
  }

  runtime::RecvStatus RecvUntil(std::optional<T>& out,
                                std::chrono::steady_clock::time_point deadline) {
    runtime::MutexLock l(&mu_);
    for (;;) {
      if (PopLocked(out)) return runtime::RecvStatus::kOk;
      if (senders_ == 0) return runtime::RecvStatus::kClosed;
      if (deadline == std::chrono::steady_clock::time_point::max()) {
        not_empty_.Wait(&mu_);
      } else if (not_empty_.WaitUntil(&mu_, deadline)) {
        if (PopLocked(out)) return runtime::RecvStatus::kOk;
        return senders_ == 0 ? runtime::RecvStatus::kClosed : runtime::RecvStatus::kTimeout;
      }
    }
  }

 private:
  bool PopLocked(std::optional<T>& out) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (queue_.empty()) return false;
    auto it = queue_.begin();
    if (kBug == ControlBug::kReorder && queue_.size() >= 2 && (++reorder_count_ % 2) == 0) {
      ++it;  // the seeded bug: skip the oldest value
    }
    out.emplace(std::move(*it));
    queue_.erase(it);
    if (capacity_ != 0) not_full_.Signal();
    return true;
  }

  const size_t capacity_;
  runtime::Mutex mu_;
  runtime::CondVar not_empty_;
  runtime::CondVar not_full_;
  std::deque<T> queue_ ABSL_GUARDED_BY(mu_);
  size_t senders_ ABSL_GUARDED_BY(mu_) = 1;
  bool receiver_alive_ ABSL_GUARDED_BY(mu_) = true;
  uint64_t reorder_count_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t false_empty_count_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace harness::lincheck

#endif  // HARNESS_LINCHECK_CONTROL_CHANNEL_H_
