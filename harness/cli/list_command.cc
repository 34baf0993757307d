#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_join.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/core/registry.h"
#include "harness/core/strategy_metadata.h"
#include "nlohmann/json.hpp"

namespace harness::cli {
namespace {

std::string DescribeParam(const ParamSpec& p) {
  std::string out = p.name + "=" + absl::StrJoin(p.defaults, "|");
  out += " (quick " + absl::StrJoin(p.quick, "|");
  if (p.is_word()) out += "; one of " + absl::StrJoin(p.choices, "|");
  return out + ")";
}

nlohmann::json ParamJson(const ParamSpec& p) {
  nlohmann::json j = {
      {"name", p.name}, {"help", p.help}, {"defaults", p.defaults}, {"quick", p.quick}};
  if (p.is_word()) {
    j["choices"] = p.choices;
  } else {
    j["min"] = p.min;
    j["max"] = p.max;
  }
  return j;
}

}  // namespace

int ListCommand() {
  const bool controls = absl::GetFlag(FLAGS_controls);
  const auto& registry = Registry::Global();
  if (absl::GetFlag(FLAGS_json)) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : registry.entries()) {
      if (e.control && !controls) continue;
      nlohmann::json j = {{"scenario", e.scenario->name}, {"strategy", e.strategy},
                          {"description", e.description}, {"control", e.control},
                          {"detector", e.detector},       {"skipped", !e.skip_reason.empty()},
                          {"skip_reason", e.skip_reason}, {"params", nlohmann::json::array()}};
      for (const auto& p : e.scenario->params) j["params"].push_back(ParamJson(p));
      j.update(StrategyMetadata(e));  // ignores, role, baseline, kinds
      out.push_back(std::move(j));
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  for (const ScenarioInfo* s : registry.Scenarios()) {
    // A scenario of controls only (runtime_protocols, harness/selftest) shows
    // only with --controls.
    if (registry.Strategies(s->name, controls).empty()) continue;
    std::cout << "# " << s->name << ": " << s->summary << "\n";
    for (const auto& p : s->params) {
      std::cout << "#   " << DescribeParam(p) << ": " << p.help << "\n";
    }
    for (const StrategyEntry* e : registry.Strategies(s->name, controls)) {
      std::cout << e->id();
      for (const auto& p : s->params) {
        std::cout << "  " << p.name << "=" << absl::StrJoin(p.defaults, "|");
      }
      if (e->control) std::cout << "  [control for " << e->detector << "]";
      if (!e->skip_reason.empty()) std::cout << "  [skipped: " << e->skip_reason << "]";
      std::cout << "  - " << e->description << "\n";
    }
  }
  return kExitOk;
}

}  // namespace harness::cli
