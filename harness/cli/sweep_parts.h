// The per-repetition records that make a sweep resumable and shardable:
// DIR/parts/r<round>-i<index>.json, one per repetition of a planned case,
// written atomically (temporary file + rename) as soon as the repetition's
// child has finished and before the sweep goes on.
//
// A repetition is complete when its part exists and names the same case tag
// at the same plan index; `harness sweep --resume DIR` replays every
// complete part into the folder's results and runs only the rest, so a
// repetition whose child was running when the sweep died (no part yet) runs
// again, from the start. The parts also record each repetition's seconds,
// which --shard_times reads to balance shards.
#ifndef HARNESS_CLI_SWEEP_PARTS_H_
#define HARNESS_CLI_SWEEP_PARTS_H_

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "harness/cli/sweep_child.h"
#include "harness/cli/sweep_output.h"
#include "harness/cli/sweep_plan.h"
#include "nlohmann/json.hpp"

namespace harness::cli {

// One recorded repetition.
struct Part {
  int index = 0;  // into the plan
  int round = 0;
  double seconds = 0;  // the child's wall time, start to exit
  ChildResult result;
  RepetitionInfo info;
};

// DIR/parts.
std::filesystem::path PartsDir(const std::filesystem::path& dir);

// Writes the record of one repetition of plan[`index`] into PartsDir(dir);
// false (with a message on stderr) when it cannot be written.
bool WritePart(const std::filesystem::path& dir, const PlannedCase& planned, int index,
               const ChildResult& result, const RepetitionInfo& info, double seconds);

// The complete parts of `dir` for `plan` (tag at its index, round below
// `rounds`), sorted by round and position. Parts that do not parse or do not
// match are removed (they run again), as are leftover temporary files;
// `removed` counts them.
std::vector<Part> ReadParts(const std::filesystem::path& dir, const std::vector<PlannedCase>& plan,
                            int rounds, int* removed);

// Mean recorded seconds per case tag of a previous sweep folder's parts
// (--shard_times); empty when it has none.
std::map<std::string, double> SecondsByTag(const std::filesystem::path& dir);

}  // namespace harness::cli

#endif  // HARNESS_CLI_SWEEP_PARTS_H_
