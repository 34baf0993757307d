// Rust original (rust/src/message_passing_crossbeam_bounded.rs): crossbeam_channel::bounded(1024);
// producers are spawned threads, the caller's thread receives.
#include "harness/core/rust_strategy.h"
#include "scenarios/message_passing/rust_call.h"

namespace message_passing {
HARNESS_REGISTER_RUST_FUNCTION(Scenario, "rust_crossbeam_bounded",
                               "Rust: crossbeam_channel::bounded(1024)",
                               RunRust<harness_rust_message_passing_crossbeam_bounded>);
}  // namespace message_passing
