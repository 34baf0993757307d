// Must NOT compile in the tsa preset: it writes a guarded field without
// holding its lock. If it compiles, the thread-safety analysis is off.
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace {

struct Account {
  absl::Mutex mu;
  long balance ABSL_GUARDED_BY(mu) = 0;
};

}  // namespace

void Deposit(Account& a, long amount) {
  a.balance += amount;  // no lock held: the analysis must reject this
}
