#include "harness/core/testing.h"

#include <exception>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace harness::scenario_test {

std::vector<std::string> StrategyNames(const std::string& scenario) {
  std::vector<std::string> out;
  for (const StrategyEntry* e : Registry::Global().Strategies(scenario)) {
    out.push_back(e->strategy);
  }
  return out;
}

ParamValues CaseValues(std::initializer_list<std::pair<std::string, CaseValue>> values) {
  ParamValues out;
  for (const auto& [name, value] : values) out.Set(name, value.text);
  return out;
}

std::string Describe(const CheckResult& result) {
  switch (result.verdict) {
    case CheckVerdict::kMatched:
      return "matched";
    case CheckVerdict::kSkipped:
      return "skipped: " + result.detail;
    case CheckVerdict::kWrongAnswer:
      return "wrong answer: " + result.detail;
    case CheckVerdict::kError:
      break;
  }
  return "error: " + result.detail;
}

std::ostream& operator<<(std::ostream& out, const CheckResult& result) {
  return out << Describe(result);
}

CheckResult RunAndCheck(const std::string& scenario, const std::string& strategy,
                        const ParamValues& values, int runs) {
  const StrategyEntry* entry = Registry::Global().Find(scenario, strategy);
  if (entry == nullptr) {
    return {CheckVerdict::kError, absl::StrCat("no strategy ", scenario, "/", strategy)};
  }
  if (!entry->skip_reason.empty()) return {CheckVerdict::kSkipped, entry->skip_reason};
  try {
    auto instance = entry->make(values);
    for (int i = 0; i < runs; ++i) {
      instance->Prepare();
      instance->Run();
      if (std::string diff = instance->Check(); !diff.empty()) {
        return {CheckVerdict::kWrongAnswer, absl::StrCat("run ", i + 1, ": ", diff)};
      }
    }
  } catch (const std::exception& e) {
    return {CheckVerdict::kError, absl::StrCat("threw: ", e.what())};
  }
  return {CheckVerdict::kMatched, ""};
}

::testing::AssertionResult CheckNames(const CheckResult& result, std::string_view part) {
  if (result.verdict == CheckVerdict::kWrongAnswer && absl::StrContains(result.detail, part)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "check said: \"" << Describe(result) << "\", expected a wrong answer naming: " << part;
}

void ExpectControls(const std::string& scenario, const std::vector<std::string>& names,
                    const std::string& detector) {
  for (const std::string& name : names) {
    const StrategyEntry* e = Registry::Global().Find(scenario, name);
    ASSERT_NE(e, nullptr) << scenario << "/" << name;
    EXPECT_TRUE(e->control) << name;
    EXPECT_EQ(e->detector, detector) << name;
  }
}

void ExpectCheckControlsCaught(const std::string& scenario,
                               const std::vector<CheckControlRun>& runs) {
  for (const CheckControlRun& run : runs) {
    SCOPED_TRACE(scenario + "/" + run.control);
    ExpectControls(scenario, {run.control}, "check");
    const CheckResult result = RunAndCheck(scenario, run.control, run.values);
    for (const std::string& part : run.parts) EXPECT_TRUE(CheckNames(result, part));
  }
}

}  // namespace harness::scenario_test
