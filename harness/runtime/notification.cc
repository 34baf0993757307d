// Copyright: the concurrency-harness authors.
#include "harness/runtime/notification.h"

#include "harness/runtime/backoff.h"

namespace harness::runtime {

void Notification::Wait() {
  for (Backoff backoff(kNotificationBackoff); !backoff.IsCompleted(); backoff.Snooze()) {
    if (IsSet()) return;
  }
  for (;;) {
    uint32_t s = state_.load(std::memory_order_acquire);
    if (s == kSet) return;
    if (s == kUnset && !state_.compare_exchange_strong(s, kSleeping, std::memory_order_acquire)) {
      if (s == kSet) return;
    }
    FutexWait(&state_, kSleeping);
  }
}

bool Notification::WaitUntil(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    uint32_t s = state_.load(std::memory_order_acquire);
    if (s == kSet) return true;
    if (s == kUnset && !state_.compare_exchange_strong(s, kSleeping, std::memory_order_acquire)) {
      if (s == kSet) return true;
    }
    if (!FutexWaitUntil(&state_, kSleeping, deadline)) return IsSet();
  }
}

}  // namespace harness::runtime
