// The twin of tsa_negative.cc with each lock held through its scoped holder:
// must compile in the tsa preset (so the negative test fails for the right
// reason, and the holders' annotations are seen to work).
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/spinlock.h"

namespace {

template <class Lock>
struct Account {
  Lock mu;
  int64_t balance ABSL_GUARDED_BY(mu) = 0;
};

}  // namespace

void Deposit(Account<absl::Mutex>& a, int64_t amount) {
  absl::MutexLock lock(&a.mu);
  a.balance += amount;
}

void Deposit(Account<harness::runtime::Mutex>& a, int64_t amount) {
  harness::runtime::MutexLock lock(&a.mu);
  a.balance += amount;
}

void Deposit(Account<harness::runtime::Spinlock>& a, int64_t amount) {
  harness::runtime::SpinlockHolder lock(&a.mu);
  a.balance += amount;
}
