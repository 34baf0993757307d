// Rust original (rust/src/shared_counter_arc_mutex.rs): seed 000's
// Arc<Mutex<_>> locked per increment by `workers` spawned threads.
#include "harness/core/rust_strategy.h"
#include "scenarios/shared_counter/rust_call.h"

namespace shared_counter {
HARNESS_REGISTER_RUST_FUNCTION(Scenario, "rust_arc_mutex",
                               "Rust: Arc<Mutex<u64>> locked per increment (the article's)",
                               RunRust<harness_rust_shared_counter_arc_mutex>, {},
                               kLockPerIncrement);
}  // namespace shared_counter
