#include "harness/core/registry.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace harness {

Registry& Registry::Global() {
  static Registry* registry = new Registry();
  return *registry;
}

bool Registry::Add(StrategyEntry entry) {
  if (Find(entry.scenario->name, entry.strategy) != nullptr) {
    std::cerr << "harness: strategy " << entry.id() << " is registered twice\n";
    std::abort();
  }
  if (entry.traits.baseline && !entry.control && Baseline(entry.scenario->name) != nullptr) {
    std::cerr << "harness: " << entry.id() << " is a second baseline of " << entry.scenario->name
              << "\n";
    std::abort();
  }
  entries_.push_back(std::move(entry));
  std::sort(entries_.begin(), entries_.end(),
            [](const StrategyEntry& a, const StrategyEntry& b) { return a.id() < b.id(); });
  return true;
}

std::vector<const StrategyEntry*> Registry::Strategies(const std::string& scenario,
                                                       bool include_controls) const {
  std::vector<const StrategyEntry*> out;
  for (const auto& e : entries_) {
    if (e.scenario->name == scenario && (include_controls || !e.control)) {
      out.push_back(&e);
    }
  }
  return out;
}

const StrategyEntry* Registry::Find(const std::string& scenario,
                                    const std::string& strategy) const {
  for (const auto& e : entries_) {
    if (e.scenario->name == scenario && e.strategy == strategy) return &e;
  }
  return nullptr;
}

const StrategyEntry* Registry::Baseline(const std::string& scenario) const {
  for (const auto& e : entries_) {
    if (e.scenario->name == scenario && !e.control && e.traits.baseline) return &e;
  }
  return nullptr;
}

std::vector<const ScenarioInfo*> Registry::Scenarios() const {
  std::vector<const ScenarioInfo*> out;
  for (const auto& e : entries_) {
    if (std::find(out.begin(), out.end(), e.scenario) == out.end()) {
      out.push_back(e.scenario);
    }
  }
  return out;
}

}  // namespace harness
