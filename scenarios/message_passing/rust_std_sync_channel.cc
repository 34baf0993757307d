// Rust original (rust/src/message_passing_std_sync_channel.rs):
// std::sync::mpsc::sync_channel(1024); producers are spawned threads, the caller's thread receives.
#include "harness/core/rust_strategy.h"
#include "scenarios/message_passing/rust_call.h"

namespace message_passing {
HARNESS_REGISTER_RUST_FUNCTION(Scenario, "rust_std_sync_channel",
                               "Rust: std::sync::mpsc::sync_channel(1024)",
                               RunRust<harness_rust_message_passing_std_sync_channel>);
}  // namespace message_passing
