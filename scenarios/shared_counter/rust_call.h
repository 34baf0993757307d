// The C++ side of shared_counter's Rust references
// (rust/src/shared_counter_*.rs): the Rust call spawns and joins `workers`
// threads and returns the counter's final value.
#ifndef SCENARIOS_SHARED_COUNTER_RUST_CALL_H_
#define SCENARIOS_SHARED_COUNTER_RUST_CALL_H_

#include <cstdint>

#include "rust/include/harness_rust.h"
#include "scenarios/shared_counter/scenario.h"

namespace shared_counter {

template <auto Fn>
int64_t RunRust(const Params& p) {
  return Fn(p.increments, p.workers);
}

}  // namespace shared_counter

#endif  // SCENARIOS_SHARED_COUNTER_RUST_CALL_H_
