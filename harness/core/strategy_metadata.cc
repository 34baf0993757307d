#include "harness/core/strategy_metadata.h"

namespace harness {

nlohmann::json StrategyMetadata(const StrategyEntry& entry) {
  return {{"ignores", entry.traits.ignores},
          {"role", entry.traits.role},
          {"baseline", entry.traits.baseline},
          {"overhead_reason", entry.traits.overhead_reason},
          {"family", entry.traits.family},
          {"kinds",
           {{"param", entry.scenario->kind_param}, {"classes", entry.scenario->kind_classes}}}};
}

std::string AllStrategyMetadataJson() {
  nlohmann::json out = nlohmann::json::object();
  for (const StrategyEntry& e : Registry::Global().entries()) {
    if (!e.control) out[e.id()] = StrategyMetadata(e);
  }
  return out.dump();
}

}  // namespace harness
