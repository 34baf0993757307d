// Rust original (rust/src/shared_counter_atomic_u64.rs): one AtomicU64,
// fetch_add(1, Relaxed) per increment from `workers` spawned threads.
#include "harness/core/rust_strategy.h"
#include "scenarios/shared_counter/rust_call.h"

namespace shared_counter {
HARNESS_REGISTER_RUST_FUNCTION(Scenario, "rust_atomic_u64",
                               "Rust: Arc<AtomicU64>, fetch_add(1, Relaxed) per increment",
                               RunRust<harness_rust_shared_counter_atomic_u64>, {},
                               kAtomicPerIncrement);
}  // namespace shared_counter
