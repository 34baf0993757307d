// Must NOT compile in the tsa preset, once per kind of lock the project uses:
// each target (tsa_negative_absl, tsa_negative_runtime_mutex,
// tsa_negative_spinlock; tests/CMakeLists.txt) sets HARNESS_TSA_NEGATIVE to
// pick the lock, and the one function below writes a field guarded by it
// without holding it. If a target compiles, the thread-safety analysis does
// not check that kind of lock.
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/spinlock.h"

namespace {

#if HARNESS_TSA_NEGATIVE == 1
using Lock = absl::Mutex;
#elif HARNESS_TSA_NEGATIVE == 2
using Lock = harness::runtime::Mutex;
#elif HARNESS_TSA_NEGATIVE == 3
using Lock = harness::runtime::Spinlock;
#else
#error "HARNESS_TSA_NEGATIVE must be 1 (absl::Mutex), 2 (runtime::Mutex) or 3 (Spinlock)"
#endif

struct Account {
  Lock mu;
  int64_t balance ABSL_GUARDED_BY(mu) = 0;
};

}  // namespace

void Deposit(Account& a, int64_t amount) {
  a.balance += amount;  // no lock held: the analysis must reject this
}
