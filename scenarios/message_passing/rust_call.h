// The C++ side of message_passing's Rust references
// (rust/src/message_passing*.rs): Rust runs the producers and receives on
// the caller's thread, handing each message to the run's log through
// TakeU64 / TakeString, in arrival order. A String payload is copied into a
// std::string there (Rust's heap block cannot become a std::string's): one
// allocation and copy per message that the C++ strategies, which move the
// string, do not pay.
#ifndef SCENARIOS_MESSAGE_PASSING_RUST_CALL_H_
#define SCENARIOS_MESSAGE_PASSING_RUST_CALL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rust/include/harness_rust.h"
#include "scenarios/message_passing/scenario.h"

namespace message_passing {
namespace rust_internal {

// Called by the Rust consumer only (one thread).
inline void TakeU64(void* log, uint32_t producer, uint64_t seq, uint64_t payload) {
  static_cast<std::vector<Msg<uint64_t>>*>(log)->push_back(Msg<uint64_t>{producer, seq, payload});
}
inline void TakeString(void* log, uint32_t producer, uint64_t seq, const char* data, size_t len) {
  static_cast<std::vector<Msg<std::string>>*>(log)->push_back(
      Msg<std::string>{producer, seq, std::string(data, len)});
}

}  // namespace rust_internal

// Runs the Rust entry point `Fn` with this run's log.
template <auto Fn>
Result RunRust(const Params& p, Input& in) {
  const bool string = p.payload == Payload::kString;
  void* log = string ? static_cast<void*>(&in.string) : static_cast<void*>(&in.u64);
  const HarnessRustMessagePassing args{string ? 1 : 0,
                                       p.workers,
                                       p.messages,
                                       log,
                                       &rust_internal::TakeU64,
                                       &rust_internal::TakeString};
  Fn(&args);
  return Result{&in};
}

}  // namespace message_passing

#endif  // SCENARIOS_MESSAGE_PASSING_RUST_CALL_H_
