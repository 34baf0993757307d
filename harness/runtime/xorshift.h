// The project's one small pseudo-random generator: Marsaglia's xorshift64
// (shifts 13, 7, 17). Cheap enough for hot paths (the pool's victim choice,
// schedule perturbation), not for statistics or security.
#ifndef HARNESS_RUNTIME_XORSHIFT_H_
#define HARNESS_RUNTIME_XORSHIFT_H_

#include <cstdint>

namespace harness::runtime {

// Advances `state` (which must not be 0; a zero state stays 0) one step and
// returns the new state. Not thread-safe: each thread keeps its own state.
inline uint64_t XorShift64(uint64_t& state) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_XORSHIFT_H_
