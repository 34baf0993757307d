// The sizes that reach the runtime's boundaries: every grain, block and
// batch constant of the runtime (and of the strategies built on it), listed
// once here beside the place it comes from. `harness stress` draws sizes just
// below, at and just above each of them (and past twice each); `harness
// races` runs every strategy at its quick size and at kRacesExtraSize.
//
// When a constant changes in the runtime, change it here: the list is the
// one place that says which sizes test which boundary. The sizes drawn
// (K - 1, K, K + 1, 2K + 1, within each parameter's range):
//   31 32 33 65        release batch cap 32 (bounded channel permits)
//   62 63 64 127       FastChannelCore::kBlockSlots 63 (one block's slots)
//   63 64 65 129       FastChannelCore::kLap 64, Actor::kBatch 64
//   1023 1024 1025 2049  reduce grain 1024, bounded capacity 1024
// Actor::kBatch is checked against actor.h at compile time (stress_sizes.cc);
// the others are private to their files and copied.
#ifndef HARNESS_CLI_STRESS_SIZES_H_
#define HARNESS_CLI_STRESS_SIZES_H_

#include <cstdint>
#include <vector>

#include "harness/core/params.h"

namespace harness::cli {

struct Boundary {
  const char* constant;  // where it is defined
  int64_t value;
};

inline constexpr Boundary kBoundaries[] = {
    {"FastChannelCore::kBlockSlots (channel_fast.h): slots per channel block", 63},
    {"FastChannelCore::kLap (channel_fast.h): block stride", 64},
    {"Actor::kBatch (actor.h): messages handled per mailbox batch", 64},
    {"FastChannelCore release_batch_ cap (channel_fast.h): permits given back at once", 32},
    {"shared_counter/thread_pool.cc: minimum reduce grain (ThreadPool::Join below it)", 1024},
    {"message_passing channels_bounded.cc / coroutines.cc kCapacity: bounded capacity", 1024},
};

// Only integer parameters whose quick value is at least this are sizes
// (counts of items, messages, tasks); smaller ones (actors, awaits, task
// counts of 10) are left at their drawn values.
inline constexpr int64_t kMinSizeQuick = 100;

// Past every boundary above, twice over (2 * 1024 + 1): the pool splits,
// channel blocks and actor batches roll over.
inline constexpr int64_t kRacesExtraSize = 2049;

// K - 1, K, K + 1 and 2K + 1 for every boundary K, in [spec.min, spec.max].
std::vector<int64_t> BoundarySizes(const ParamSpec& spec);

// True for an integer parameter that counts work items (see kMinSizeQuick).
bool IsSizeParam(const ParamSpec& spec);

}  // namespace harness::cli

#endif  // HARNESS_CLI_STRESS_SIZES_H_
