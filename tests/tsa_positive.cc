// The twin of tsa_negative.cc with the lock held: must compile in the tsa
// preset (so the negative test fails for the right reason).
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace {

struct Account {
  absl::Mutex mu;
  long balance ABSL_GUARDED_BY(mu) = 0;
};

}  // namespace

void Deposit(Account& a, long amount) {
  absl::MutexLock lock(&a.mu);
  a.balance += amount;
}
