// What the report needs to know about each strategy beside its timings (the
// parameters it ignores, its role, whether it is its scenario's baseline, the
// class of each case's work), as JSON. One source for `harness list --json`
// and for the `harness_strategies` context key of every result file (see
// docs/results-format.md for the format).
#ifndef HARNESS_CORE_STRATEGY_METADATA_H_
#define HARNESS_CORE_STRATEGY_METADATA_H_

#include <string>

#include "harness/core/registry.h"
#include "nlohmann/json.hpp"

namespace harness {

// {"ignores": ["workers"], "role": "throughput", "baseline": false,
//  "family": "cpp" | "rust",
//  "kinds": {"param": "kind", "classes": {"cpu": "compute", "wait": "wait"}}}
// ("param" is "" and "classes" is {"*": <class>} for a scenario whose cases
// all share one class.)
nlohmann::json StrategyMetadata(const StrategyEntry& entry);

// {"<scenario>/<strategy>": StrategyMetadata(entry), ...} over every
// registered strategy (skipped ones included, controls not), serialized
// compactly: the value of the `harness_strategies` context key.
std::string AllStrategyMetadataJson();

}  // namespace harness

#endif  // HARNESS_CORE_STRATEGY_METADATA_H_
