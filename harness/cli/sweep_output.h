// One result folder of a sweep (docs/results-format.md): cores-<n>.json per
// core count and manifest.json. A paired A/B sweep has two, one per binary.
//
// Repetitions arrive round by round, in each round's shuffled order; the
// files group them by case (in plan order), each case's repetitions by round
// (`repetition_index` = `round`), followed by the aggregates Google
// Benchmark would compute over them (mean, median, stddev, cv). Not
// thread-safe: one sweep loop owns it.
#ifndef HARNESS_CLI_SWEEP_OUTPUT_H_
#define HARNESS_CLI_SWEEP_OUTPUT_H_

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "harness/cli/sweep_child.h"
#include "harness/cli/sweep_plan.h"
#include "nlohmann/json.hpp"

namespace harness::cli {

// What the sweep records beside one repetition.
struct RepetitionInfo {
  int round = 0;
  int position = 0;             // place in the round's order (0-based)
  nlohmann::json probe_before;  // {"roundtrip_ns": x|null, "trips": n}
  nlohmann::json probe_after;
  nlohmann::json steal_ms;  // number, or null when /proc/stat was unreadable
  nlohmann::json irq_ms;
};

class SweepOutput {
 public:
  // `manifest` holds the run's description; "files", "failed", "hung", "missing",
  // "rounds_done" and "seconds" are maintained here.
  SweepOutput(std::filesystem::path dir, nlohmann::json manifest, int repetitions);

  // Records the outcome of one repetition of plan[`index`]. A hung or
  // crashed child becomes one error entry, so the case stays visible; a case
  // the binary does not have is listed in the manifest's "missing". Returns
  // false when the case failed, hung, crashed or is missing (the sweep then
  // stops running it on this side).
  bool Add(int index, const PlannedCase& planned, ChildResult result, const RepetitionInfo& info);

  // Writes every cores-<n>.json and manifest.json (through temporary files
  // and renames, so a reader never sees half a file). `rounds_done` and
  // `seconds` go into the manifest. False (with a message on stderr) when a
  // file cannot be written.
  bool Write(const std::vector<PlannedCase>& plan, int rounds_done, double seconds);

  // Adds `key`: `value` to the context of cores-<cores>.json (the sweep's
  // placement: which CPUs and their topology).
  void AddContext(int cores, const std::string& key, const std::string& value) {
    extra_context_[cores][key] = value;
  }

  nlohmann::json& manifest() { return manifest_; }
  const std::filesystem::path& dir() const { return dir_; }
  bool bad() const { return !manifest_["failed"].empty() || !manifest_["hung"].empty(); }

 private:
  std::filesystem::path dir_;
  nlohmann::json manifest_;
  int repetitions_;
  std::map<int, nlohmann::json> contexts_;                           // by cores
  std::map<int, std::vector<nlohmann::json>> entries_;               // by plan index
  std::map<int, std::map<std::string, std::string>> extra_context_;  // by cores
};

// The aggregates (mean, median, stddev, cv) of a case's repetition entries,
// as Google Benchmark writes them: every numeric field of the repetitions
// except the bookkeeping ones (indices, round, probes) is aggregated;
// `iterations` is the number of repetitions; stddev is the sample standard
// deviation; cv = stddev / mean (null when the mean is 0). Empty when fewer
// than two repetitions succeeded or any failed.
nlohmann::json Aggregates(const std::vector<nlohmann::json>& repetitions, int planned);

}  // namespace harness::cli

#endif  // HARNESS_CLI_SWEEP_OUTPUT_H_
