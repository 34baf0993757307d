// The C++ side of spawn_join's Rust references (rust/src/spawn_join_*.rs):
// hands Rust the per-task slots of a Result and returns it once the Rust
// call (which joins every thread) is back.
#ifndef SCENARIOS_SPAWN_JOIN_RUST_CALL_H_
#define SCENARIOS_SPAWN_JOIN_RUST_CALL_H_

#include "rust/include/harness_rust.h"
#include "scenarios/spawn_join/scenario.h"

namespace spawn_join {

// Runs the Rust entry point `Fn` over fresh slots (as Slots sizes them).
template <auto Fn>
Result RunRust(const Params& p) {
  Result r;
  r.values.assign(p.tasks, 0);
  r.runs.assign(p.tasks, 0);
  r.waited_ns.assign(p.kind == Kind::kWait ? p.tasks : 0, 0);
  const HarnessRustSpawnJoin args{p.kind == Kind::kWait ? 1 : 0,
                                  p.workers,
                                  p.tasks,
                                  p.work_iters,
                                  p.wait_us,
                                  r.values.data(),
                                  r.runs.data(),
                                  r.waited_ns.data()};
  Fn(&args);
  return r;
}

}  // namespace spawn_join

#endif  // SCENARIOS_SPAWN_JOIN_RUST_CALL_H_
