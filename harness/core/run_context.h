// The run context: what a reader needs to trust a number (machine, build,
// commit), written into every result file.
#ifndef HARNESS_CORE_RUN_CONTEXT_H_
#define HARNESS_CORE_RUN_CONTEXT_H_

#include <string>
#include <utility>
#include <vector>

namespace harness {

// Key/value pairs, in a stable order: compiler, preset, build_type,
// build_flags, sanitizer, git_commit, cpu_model, allowed_cpus, kernel.
std::vector<std::pair<std::string, std::string>> RunContext();

// The build's sanitizer: "none", "thread" or "address,undefined".
const char* BuildSanitizer();

// Adds RunContext() to Google Benchmark's JSON context, and the key
// `harness_strategies`: AllStrategyMetadataJson() (strategy_metadata.h).
// Nothing in the context names a folder of the machine (no absolute paths).
void AddRunContextToBenchmark();

}  // namespace harness

#endif  // HARNESS_CORE_RUN_CONTEXT_H_
