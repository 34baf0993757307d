// Expands the registry into concrete cases: every (scenario, strategy,
// parameter combination, workers) selected by a filter and overrides.
#ifndef HARNESS_CORE_CASES_H_
#define HARNESS_CORE_CASES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/core/params.h"
#include "harness/core/registry.h"

namespace harness {

struct CaseSpec {
  const StrategyEntry* entry = nullptr;
  ParamValues values;
  // <scenario>/<strategy>/<param>:<value>/.../workers:<n>
  std::string name;
};

struct CaseSelection {
  // ECMAScript regex searched in each case name; empty selects all.
  std::string filter;
  ParamOverrides overrides;
  std::vector<int> workers = {1};
  bool quick = false;  // the scenarios' tiny sizes
  bool include_controls = false;
};

// The selected cases in registry order. Errors (InvalidArgument) name the
// problem: a bad regex, an unknown parameter, an invalid value, or a filter
// that matches no runnable case.
absl::StatusOr<std::vector<CaseSpec>> SelectCases(const Registry& registry,
                                                  const CaseSelection& sel);

// The case name regex-escaped and anchored, for selecting exactly one case.
std::string ExactFilter(const std::string& case_name);

}  // namespace harness

#endif  // HARNESS_CORE_CASES_H_
