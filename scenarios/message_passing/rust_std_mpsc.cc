// Rust original (rust/src/message_passing_std_mpsc.rs): std::sync::mpsc::channel, unbounded (the
// articles' channel); producers are spawned threads, the caller's thread receives.
#include "harness/core/rust_strategy.h"
#include "scenarios/message_passing/rust_call.h"

namespace message_passing {
HARNESS_REGISTER_RUST_FUNCTION(Scenario, "rust_std_mpsc",
                               "Rust: std::sync::mpsc::channel, unbounded (the articles' channel)",
                               RunRust<harness_rust_message_passing_std_mpsc>);
}  // namespace message_passing
