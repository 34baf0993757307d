#include "harness/core/cases.h"

#include <regex>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace harness {
namespace {

// Every combination of the per-parameter value lists, in declaration order.
std::vector<ParamValues> Combinations(const std::vector<ParamSpec>& specs,
                                      const std::vector<std::vector<std::string>>& lists) {
  std::vector<ParamValues> out(1);
  for (size_t i = 0; i < specs.size(); ++i) {
    std::vector<ParamValues> next;
    for (const auto& partial : out) {
      for (const auto& v : lists[i]) {
        ParamValues p = partial;
        p.Set(specs[i].name, v);
        next.push_back(std::move(p));
      }
    }
    out = std::move(next);
  }
  return out;
}

absl::StatusOr<std::regex> ParseFilter(const std::string& filter) {
  try {
    return std::regex(filter.empty() ? std::string(".") : filter);
  } catch (const std::regex_error&) {
    return absl::InvalidArgumentError(absl::StrCat("--filter '", filter, "' is not a valid regex"));
  }
}

// Checks one --set override: it must name a parameter of some scenario and
// be valid for at least one scenario that declares it (`kind` means
// different things in different scenarios).
absl::Status ValidateOverride(const Registry& registry, const std::string& name,
                              const std::vector<std::string>& values) {
  if (name == "workers") {
    return absl::InvalidArgumentError("set workers with --workers, not --set workers=...");
  }
  std::set<std::string> known;
  absl::Status last_error;
  bool valid_somewhere = false;
  for (const ScenarioInfo* s : registry.Scenarios()) {
    for (const auto& p : s->params) {
      known.insert(p.name);
      if (p.name != name) continue;
      bool all_valid = true;
      for (const auto& v : values) {
        if (absl::Status st = p.Validate(v); !st.ok()) {
          last_error = st;
          all_valid = false;
        }
      }
      valid_somewhere |= all_valid;
    }
  }
  if (valid_somewhere) return absl::OkStatus();
  if (!last_error.ok()) return last_error;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown parameter '", name, "' (known: ", absl::StrJoin(known, ", "), ")"));
}

// The value list of each of `entry`'s parameters under `sel`; false when an
// override is invalid for this scenario (the scenario is then left out).
bool ValueLists(const StrategyEntry& entry, const CaseSelection& sel,
                std::vector<std::vector<std::string>>* lists) {
  bool valid = true;
  for (const auto& spec : entry.scenario->params) {
    auto it = sel.overrides.find(spec.name);
    lists->push_back(it != sel.overrides.end() ? it->second
                                               : (sel.quick ? spec.quick : spec.defaults));
    for (const auto& v : lists->back()) valid &= spec.Validate(v).ok();
  }
  return valid;
}

// Appends `entry`'s cases that `filter` selects to `out`; sets
// *matched_skipped when it selects a case of a strategy this build skips.
void ExpandEntry(const StrategyEntry& entry, const CaseSelection& sel, const std::regex& filter,
                 std::vector<CaseSpec>* out, bool* matched_skipped) {
  std::vector<std::vector<std::string>> lists;
  if (!ValueLists(entry, sel, &lists)) return;
  const auto& specs = entry.scenario->params;
  for (auto& values : Combinations(specs, lists)) {
    for (int w : sel.workers) {
      values.Set("workers", absl::StrCat(w));
      std::string name = absl::StrCat(entry.id(), "/", values.NameSuffix(specs));
      if (!std::regex_search(name, filter)) continue;
      if (!entry.skip_reason.empty()) {
        *matched_skipped = true;
        continue;
      }
      out->push_back(CaseSpec{&entry, values, std::move(name)});
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<CaseSpec>> SelectCases(const Registry& registry,
                                                  const CaseSelection& sel) {
  absl::StatusOr<std::regex> filter = ParseFilter(sel.filter);
  if (!filter.ok()) return filter.status();
  for (const auto& [name, values] : sel.overrides) {
    if (absl::Status st = ValidateOverride(registry, name, values); !st.ok()) return st;
  }
  std::vector<CaseSpec> out;
  bool matched_skipped = false;
  for (const auto& entry : registry.entries()) {
    if (entry.control && !sel.include_controls) continue;
    ExpandEntry(entry, sel, *filter, &out, &matched_skipped);
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("no ", matched_skipped ? "runnable " : "",
                                                   "case matches --filter '", sel.filter,
                                                   "' (see `harness list`)"));
  }
  return out;
}

std::string ExactFilter(const std::string& case_name) {
  std::string out = "^";
  for (char c : case_name) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  out += '$';
  return out;
}

}  // namespace harness
