// The typed layer between a scenario's own types and the registry.
//
// A scenario (scenarios/<name>/scenario.h) is a struct S with:
//   static const harness::ScenarioInfo& Info();
//   using Params = ...;  // built from the case's ParamValues
//   using Result = ...;  // what a strategy returns
//   using Input  = ...;  // data a run consumes (harness::NoInput if none)
//   static Params MakeParams(const harness::ParamValues&);
//   static Result Reference(const Params&);          // sequential answer
//   static std::string Check(const Params&, const Result& expected,
//                            const Result& got);     // "" when equal
//   static int64_t Items(const Params&);             // items per run
// and optionally:
//   static void ResetInput(const Params&, Input&);   // untimed, before each run
//   static void AddFigures(const Params&, const Result&, harness::RunFigures&);
//
// A strategy is either a function
//   Result Fn(const Params&)            or  Result Fn(const Params&, Input&)
// registered with HARNESS_REGISTER_FUNCTION, or a class whose constructor
// `explicit Impl(const Params&)` does the untimed setup (start a pool, say)
// and whose `Result Run(const Params&)` / `Run(const Params&, Input&)` is the
// timed work, registered with HARNESS_REGISTER_STRATEGY. One line, in the
// strategy's own file:
//
//   HARNESS_REGISTER_FUNCTION(shared_counter::Scenario, "mutex",
//                             "one std::mutex locked per increment", RunMutex);
#ifndef HARNESS_CORE_STRATEGY_H_
#define HARNESS_CORE_STRATEGY_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "harness/core/registry.h"

namespace harness {

struct NoInput {};

namespace internal {

template <class S, class Impl>
class TypedCase final : public CaseInstance {
 public:
  using Params = typename S::Params;
  using Result = typename S::Result;
  using Input = typename S::Input;

  explicit TypedCase(const ParamValues& values)
      : params_(S::MakeParams(values)), expected_(S::Reference(params_)), impl_(params_) {}

  void Prepare() override {
    result_.reset();
    if constexpr (requires(Input& in) { S::ResetInput(params_, in); }) {
      S::ResetInput(params_, input_);
    }
  }
  void Run() override {
    if constexpr (requires { impl_.Run(params_, input_); }) {
      result_.emplace(impl_.Run(params_, input_));
    } else {
      result_.emplace(impl_.Run(params_));
    }
  }
  std::string Check() override {
    if (!result_) return "the strategy produced no result";
    return S::Check(params_, expected_, *result_);
  }
  int64_t Items() const override { return S::Items(params_); }
  void AddFigures(RunFigures& figures) const override {
    if constexpr (requires { S::AddFigures(params_, *result_, figures); }) {
      if (result_) S::AddFigures(params_, *result_, figures);
    }
  }

 private:
  Params params_;
  Result expected_;
  Impl impl_;
  Input input_{};
  std::optional<Result> result_;
};

// Adapts a plain function to the class form.
template <class S, auto Fn>
struct FunctionStrategy {
  using Params = typename S::Params;
  explicit FunctionStrategy(const Params&) {}
  auto Run(const Params& p)
    requires requires { Fn(p); }
  {
    return Fn(p);
  }
  template <class In>
  auto Run(const Params& p, In& in)
    requires requires { Fn(p, in); }
  {
    return Fn(p, in);
  }
};

template <class S, class Impl>
bool Register(const char* name, const char* description, StrategyTraits traits = {}) {
  StrategyEntry e;
  e.scenario = &S::Info();
  e.strategy = name;
  e.description = description;
  e.traits = std::move(traits);
  e.make = [](const ParamValues& v) -> std::unique_ptr<CaseInstance> {
    return std::make_unique<TypedCase<S, Impl>>(v);
  };
  return Registry::Global().Add(std::move(e));
}

template <class S>
bool RegisterSkipped(const char* name, const char* description, const char* reason,
                     StrategyTraits traits = {}) {
  StrategyEntry e;
  e.scenario = &S::Info();
  e.strategy = name;
  e.description = description;
  e.traits = std::move(traits);
  e.skip_reason = reason;
  return Registry::Global().Add(std::move(e));
}

template <class S, class Impl>
bool RegisterControl(const char* name, const char* description, const char* detector = "tsan") {
  StrategyEntry e;
  e.scenario = &S::Info();
  e.strategy = name;
  e.description = description;
  e.control = true;
  e.detector = detector;
  e.make = [](const ParamValues& v) -> std::unique_ptr<CaseInstance> {
    return std::make_unique<TypedCase<S, Impl>>(v);
  };
  return Registry::Global().Add(std::move(e));
}

}  // namespace internal
}  // namespace harness

#define HARNESS_INTERNAL_CONCAT2(a, b) a##b
#define HARNESS_INTERNAL_CONCAT(a, b) HARNESS_INTERNAL_CONCAT2(a, b)
#define HARNESS_INTERNAL_REGISTRATION(expr)                                                    \
  namespace {                                                                                  \
  [[maybe_unused]] const bool HARNESS_INTERNAL_CONCAT(harness_registered_, __LINE__) = (expr); \
  }

// Registers a strategy class (see the file comment). An optional last
// argument gives its StrategyTraits (registry.h), for instance
//   harness::StrategyTraits{.ignores = {"workers"}, .baseline = true}
#define HARNESS_REGISTER_STRATEGY(Scenario, name, description, Impl, ...)       \
  HARNESS_INTERNAL_REGISTRATION((::harness::internal::Register<Scenario, Impl>( \
      name, description __VA_OPT__(, ) __VA_ARGS__)))

// Registers a strategy function (see the file comment); traits as above.
#define HARNESS_REGISTER_FUNCTION(Scenario, name, description, Fn, ...)                    \
  HARNESS_INTERNAL_REGISTRATION(                                                           \
      (::harness::internal::Register<Scenario,                                             \
                                     ::harness::internal::FunctionStrategy<Scenario, Fn>>( \
          name, description __VA_OPT__(, ) __VA_ARGS__)))

// Registers a strategy that this build cannot run, with the reason; it is
// listed and reported as skipped, never silently missing. Traits as above
// (the same as the runnable registration's, so a report that merges builds
// sees one set).
#define HARNESS_REGISTER_SKIPPED(Scenario, name, description, reason, ...)       \
  HARNESS_INTERNAL_REGISTRATION((::harness::internal::RegisterSkipped<Scenario>( \
      name, description, reason __VA_OPT__(, ) __VA_ARGS__)))

// Registers a seeded race (a control for the ThreadSanitizer check). Controls
// are never benchmarked, listed only with `harness list --controls`.
#define HARNESS_REGISTER_CONTROL(Scenario, name, description, Fn)                                 \
  HARNESS_INTERNAL_REGISTRATION(                                                                  \
      (::harness::internal::RegisterControl<Scenario,                                             \
                                            ::harness::internal::FunctionStrategy<Scenario, Fn>>( \
          name, description)))

// Registers a control aimed at another detector (see StrategyEntry::detector):
// "explore", "check", "stress" or "watchdog". Impl is a strategy class.
#define HARNESS_REGISTER_CONTROL_FOR(Scenario, name, description, detector, Impl) \
  HARNESS_INTERNAL_REGISTRATION(                                                  \
      (::harness::internal::RegisterControl<Scenario, Impl>(name, description, detector)))

#endif  // HARNESS_CORE_STRATEGY_H_
