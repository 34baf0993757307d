// Sizes that reach bugs (issue #19): every integer parameter of every
// registered scenario has default and quick values that no common worker
// count divides (not divisible by 2, 3 or 4), so a strategy that drops the
// remainder of an uneven split fails its check at default sizes. And every
// scenario names one fixed baseline where the report needs one, and declares
// a class for each of its kinds.
#include <cstdint>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "harness/core/registry.h"

namespace harness {
namespace {

TEST(RegisteredParams, NoDefaultOrQuickSizeIsDivisibleBy2Or3Or4) {
  int checked = 0;
  for (const ScenarioInfo* s : Registry::Global().Scenarios()) {
    for (const ParamSpec& p : s->params) {
      if (p.is_word()) continue;
      for (const auto* values : {&p.defaults, &p.quick}) {
        for (const std::string& v : *values) {
          const int64_t n = std::stoll(v);
          for (int d : {2, 3, 4}) {
            EXPECT_NE(n % d, 0) << s->name << " parameter " << p.name << " = " << n << " ("
                                << (values == &p.defaults ? "default" : "quick")
                                << ") is divisible by " << d;
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_GE(checked, 20);  // every scenario has at least one sized parameter
}

TEST(RegisteredParams, SharedCounterQuickSizeExceedsThePoolsReduceGrain) {
  // scenarios/shared_counter/thread_pool.cc splits down to pieces of at
  // least 1024 increments: at or below that, its Join never runs.
  const StrategyEntry* e = Registry::Global().Find("shared_counter", "thread_pool");
  ASSERT_NE(e, nullptr);
  for (const ParamSpec& p : e->scenario->params) {
    if (p.name != "increments") continue;
    for (const std::string& v : p.quick) EXPECT_GT(std::stoll(v), 1024);
  }
}

TEST(RegisteredParams, KindClassesCoverEveryKind) {
  for (const ScenarioInfo* s : Registry::Global().Scenarios()) {
    if (s->kind_param.empty()) {
      EXPECT_EQ(s->kind_classes.size(), 1u) << s->name;
      EXPECT_EQ(s->kind_classes.count("*"), 1u) << s->name;
      continue;
    }
    bool found = false;
    for (const ParamSpec& p : s->params) {
      if (p.name != s->kind_param) continue;
      found = true;
      for (const std::string& kind : p.choices) {
        EXPECT_EQ(s->kind_classes.count(kind), 1u) << s->name << " kind " << kind;
      }
    }
    EXPECT_TRUE(found) << s->name << " names kind parameter " << s->kind_param;
  }
}

TEST(RegisteredParams, BaselinesAreTheNamedOnes) {
  const std::pair<const char*, const char*> expected[] = {
      {"parallel_map", "sequential"}, {"shared_counter", "sequential"},
      {"spawn_join", "sequential"},   {"message_passing", "channels"},
      {"actor_ping", "mutex"},        {"async_tasks", "coroutines"}};
  for (const auto& [scenario, strategy] : expected) {
    const StrategyEntry* b = Registry::Global().Baseline(scenario);
    ASSERT_NE(b, nullptr) << scenario;
    EXPECT_EQ(b->strategy, strategy) << scenario;
  }
}

}  // namespace
}  // namespace harness
