// Scenario parameters: their declaration (ParamSpec), the values of one case
// (ParamValues), and the parsing of user-given values.
//
// Every parameter is either an integer within [min, max] or a word from a
// fixed list of choices (`kind:wait`). A scenario declares its parameters in
// order; that order is the order in benchmark names:
//   <scenario>/<strategy>/<param>:<value>/.../workers:<n>
#ifndef HARNESS_CORE_PARAMS_H_
#define HARNESS_CORE_PARAMS_H_

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace harness {

struct ParamSpec {
  std::string name;
  std::string help;
  // Values run by default (a sweep runs every combination) and with --quick.
  std::vector<std::string> defaults;
  std::vector<std::string> quick;
  // Non-empty: a word parameter, one of these. Empty: an integer in range.
  std::vector<std::string> choices;
  int64_t min = 0;
  int64_t max = std::numeric_limits<int64_t>::max();

  bool is_word() const { return !choices.empty(); }
  // OK when `value` is valid for this parameter; otherwise says why.
  absl::Status Validate(std::string_view value) const;
};

// Convenience constructors for scenario.h files.
ParamSpec IntParam(std::string name, std::string help, std::vector<int64_t> defaults,
                   std::vector<int64_t> quick, int64_t min = 0,
                   int64_t max = std::numeric_limits<int64_t>::max());
ParamSpec WordParam(std::string name, std::string help, std::vector<std::string> choices,
                    std::vector<std::string> defaults, std::vector<std::string> quick);

// The values of one case: every declared parameter plus `workers`.
class ParamValues {
 public:
  ParamValues() = default;
  void Set(const std::string& name, std::string value);

  // The value of a declared parameter. Aborts on an undeclared name: that is
  // a programming error in a scenario, caught by its tests.
  int64_t Int(std::string_view name) const;
  const std::string& Word(std::string_view name) const;
  int workers() const { return static_cast<int>(Int("workers")); }

  // "increments:1000/workers:2": the parameter part of a benchmark name.
  std::string NameSuffix(const std::vector<ParamSpec>& specs) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// User overrides from `--set name=v1|v2,name2=v`: name -> list of values.
using ParamOverrides = std::map<std::string, std::vector<std::string>>;

// Parses the --set syntax; an empty string gives no overrides.
absl::StatusOr<ParamOverrides> ParseOverrides(std::string_view text);

// Parses "1,2,4" into positive integers within [1, max].
absl::StatusOr<std::vector<int>> ParsePositiveIntList(std::string_view text, std::string_view what,
                                                      int max);

}  // namespace harness

#endif  // HARNESS_CORE_PARAMS_H_
