// Rust original (rust/src/message_passing_crossbeam_unbounded.rs): crossbeam_channel::unbounded;
// producers are spawned threads, the caller's thread receives.
#include "harness/core/rust_strategy.h"
#include "scenarios/message_passing/rust_call.h"

namespace message_passing {
HARNESS_REGISTER_RUST_FUNCTION(Scenario, "rust_crossbeam_unbounded",
                               "Rust: crossbeam_channel::unbounded",
                               RunRust<harness_rust_message_passing_crossbeam_unbounded>);
}  // namespace message_passing
