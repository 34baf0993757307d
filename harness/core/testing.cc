#include "harness/core/testing.h"

#include <exception>

#include "absl/strings/str_cat.h"

namespace harness::testing {

std::vector<std::string> StrategyNames(const std::string& scenario) {
  std::vector<std::string> out;
  for (const StrategyEntry* e : Registry::Global().Strategies(scenario)) {
    out.push_back(e->strategy);
  }
  return out;
}

std::string RunAndCheck(const std::string& scenario, const std::string& strategy,
                        const ParamValues& values, int runs) {
  const StrategyEntry* entry = Registry::Global().Find(scenario, strategy);
  if (entry == nullptr) return absl::StrCat("no strategy ", scenario, "/", strategy);
  if (!entry->skip_reason.empty()) return "skipped: " + entry->skip_reason;
  try {
    auto instance = entry->make(values);
    for (int i = 0; i < runs; ++i) {
      instance->Prepare();
      instance->Run();
      if (std::string diff = instance->Check(); !diff.empty()) {
        return absl::StrCat("run ", i + 1, ": ", diff);
      }
    }
  } catch (const std::exception& e) {
    return absl::StrCat("threw: ", e.what());
  }
  return "";
}

}  // namespace harness::testing
