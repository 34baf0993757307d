// Controls for the answer check (test-only: built into scenarios_test, never
// into the harness): strategies with a seeded indexing bug that only an exact
// per-element check catches. Each maps on the calling thread through the
// scenario's kernel and gets one thing wrong; the tests assert that Check()
// names it.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/core/testing.h"
#include "scenarios/parallel_map/scenario.h"

namespace parallel_map {
namespace {

using ::harness::scenario_test::CaseValues;
using ::harness::scenario_test::ExpectCheckControlsCaught;

// Elements 0 and 1 end up with each other's mapped values: a sum over the
// vector is unchanged.
struct SwapTwoElements {
  explicit SwapTwoElements(const Params&) {}
  Result Run(const Params& p, Input& in) {
    ApplyRange(p, in.data(), 0, in.size());
    if (in.size() >= 2) std::swap(in[0], in[1]);
    return View(in);
  }
};

// A chunked map whose last chunk is off by one: it maps the element before
// it a second time and leaves the last element unmapped (as many elements
// mapped as there are).
struct DropOneDuplicateAnother {
  explicit DropOneDuplicateAnother(const Params&) {}
  Result Run(const Params& p, Input& in) {
    const size_t n = in.size();
    const size_t half = n / 2;
    ApplyRange(p, in.data(), 0, half);
    if (half >= 1) {
      ApplyRange(p, in.data(), half - 1, n - 1);  // the bug: starts one early, ends one early
    } else {
      ApplyRange(p, in.data(), half, n);
    }
    return View(in);
  }
};

}  // namespace

HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_swap_elements",
                             "elements 0 and 1 swap their mapped values", "check", SwapTwoElements);
HARNESS_REGISTER_CONTROL_FOR(Scenario, "check_drop_duplicate",
                             "the second chunk maps one element early: one twice, the last never",
                             "check", DropOneDuplicateAnother);

namespace {

harness::ParamValues Values(const std::string& kind) {
  return CaseValues({{"kind", kind}, {"elements", 10007}, {"work_iters", 5}, {"workers", 1}});
}

TEST(ParallelMapCheckControls, EachIsCaughtAndNamed) {
  ExpectCheckControlsCaught(
      "parallel_map",
      {{"check_swap_elements",
        Values("add2"),
        {absl::StrCat("element 0 is ", Original(1) + 2, ", expected ", Original(0) + 2)}},
       {"check_swap_elements",
        Values("heavy"),
        {absl::StrCat("element 0 is ", Heavy(Original(1), 5))}},
       {"check_drop_duplicate",
        Values("add2"),
        {absl::StrCat("element 5002 is ", Original(5002) + 4, ", expected ", Original(5002) + 2,
                      " (mapped twice)")}},
       {"check_drop_duplicate", Values("heavy"), {"element 5002 is "}}});
}

}  // namespace
}  // namespace parallel_map
