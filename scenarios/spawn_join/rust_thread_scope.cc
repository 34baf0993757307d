// Rust original (rust/src/spawn_join_thread_scope.rs): std::thread::scope
// with `workers` scoped threads, a static split of the task ids.
#include "harness/core/rust_strategy.h"
#include "scenarios/spawn_join/rust_call.h"

namespace spawn_join {
HARNESS_REGISTER_RUST_FUNCTION(Scenario, "rust_thread_scope",
                               "Rust: std::thread::scope, one scoped thread per worker",
                               RunRust<harness_rust_spawn_join_thread_scope>);
}  // namespace spawn_join
