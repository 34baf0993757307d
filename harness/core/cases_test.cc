#include "harness/core/cases.h"

#include "gtest/gtest.h"
#include "harness/core/strategy.h"

namespace harness {
namespace {

// A tiny scenario registered into a private registry for these tests.
struct Toy {
  struct Params {
    int64_t n;
    int workers;
  };
  using Result = int64_t;
  using Input = NoInput;
  static const ScenarioInfo& Info() {
    static const ScenarioInfo info{"toy",
                                   "a test scenario",
                                   {IntParam("n", "items", {10, 20}, {1}, 0, 1000),
                                    WordParam("kind", "work", {"a", "b"}, {"a"}, {"b"})}};
    return info;
  }
  static Params MakeParams(const ParamValues& v) { return {v.Int("n"), v.workers()}; }
  static Result Reference(const Params& p) { return p.n; }
  static std::string Check(const Params&, const Result& e, const Result& g) {
    return e == g ? "" : "differs";
  }
  static int64_t Items(const Params& p) { return p.n; }
};

Registry MakeRegistry() {
  Registry r;
  StrategyEntry e;
  e.scenario = &Toy::Info();
  e.strategy = "plain";
  r.Add(e);
  e.strategy = "lib";
  e.skip_reason = "not in this build";
  r.Add(e);
  return r;
}

TEST(SelectCases, ExpandsDefaultsTimesWorkersInOrder) {
  Registry r = MakeRegistry();
  CaseSelection sel;
  sel.workers = {1, 2};
  auto cases = SelectCases(r, sel);
  ASSERT_TRUE(cases.ok()) << cases.status();
  ASSERT_EQ(cases->size(), 4u);  // n in {10,20} x workers {1,2}; lib skipped
  EXPECT_EQ((*cases)[0].name, "toy/plain/n:10/kind:a/workers:1");
  EXPECT_EQ((*cases)[3].name, "toy/plain/n:20/kind:a/workers:2");
}

TEST(SelectCases, QuickOverridesAndFilter) {
  Registry r = MakeRegistry();
  CaseSelection sel;
  sel.quick = true;
  auto cases = SelectCases(r, sel);
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].name, "toy/plain/n:1/kind:b/workers:1");
  sel.overrides = {{"n", {"7"}}};
  sel.filter = "n:7";
  cases = SelectCases(r, sel);
  ASSERT_TRUE(cases.ok());
  EXPECT_EQ((*cases)[0].name, "toy/plain/n:7/kind:b/workers:1");
}

TEST(SelectCases, RejectsBadSelections) {
  Registry r = MakeRegistry();
  for (auto [filter, overrides] : std::vector<std::pair<std::string, ParamOverrides>>{
           {"nosuch", {}},              // matches nothing
           {"(", {}},                   // bad regex
           {"lib", {}},                 // only a skipped strategy
           {"", {{"n", {"1001"}}}},     // out of range
           {"", {{"n", {"x"}}}},        // not a number
           {"", {{"kind", {"c"}}}},     // not a choice
           {"", {{"nosuch", {"1"}}}},   // unknown parameter
           {"", {{"workers", {"1"}}}},  // workers via --workers
       }) {
    CaseSelection sel;
    sel.filter = filter;
    sel.overrides = overrides;
    EXPECT_FALSE(SelectCases(r, sel).ok()) << filter;
  }
}

TEST(ExactFilter, EscapesRegexCharacters) { EXPECT_EQ(ExactFilter("a/b:1/x.y"), "^a/b:1/x\\.y$"); }

}  // namespace
}  // namespace harness
