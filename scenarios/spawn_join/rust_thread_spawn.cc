// Rust original (rust/src/spawn_join_thread_spawn.rs): the articles'
// `thread::spawn` per task, every handle joined. `workers` plays no part.
#include "harness/core/rust_strategy.h"
#include "scenarios/spawn_join/rust_call.h"

namespace spawn_join {
HARNESS_REGISTER_RUST_FUNCTION(Scenario, "rust_thread_spawn",
                               "Rust: std::thread::spawn per task, joined (the article's way)",
                               RunRust<harness_rust_spawn_join_thread_spawn>, {"workers"});
}  // namespace spawn_join
