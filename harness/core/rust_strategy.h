// Registration of the Rust reference strategies (the crate in rust/, issue
// #12): the articles' Rust programs, called through the C ABI of
// rust/include/harness_rust.h and run under the same adapter as every C++
// strategy (same Params, same Result, the same check after every run).
//
// A scenario's rust_<name>.cc holds one registration:
//
//   HARNESS_REGISTER_RUST(Scenario, "rust_rayon", "Rayon par_iter_mut ...",
//                         RustRayon);            // a strategy class
//   HARNESS_REGISTER_RUST_FUNCTION(Scenario, "rust_arc_mutex", "...",
//                                  RunRust<harness_rust_...>, {"workers"});
//
// (the optional last argument lists the parameters it ignores). Where the
// crate is built (HARNESS_HAVE_RUST=1, cmake/rust.cmake) that registers the
// strategy with family "rust"; where it is not (sanitizer builds: Rust's std
// is not instrumented; the tsa preset; or no cargo), the same name is registered skipped,
// with the reason, and Impl is never instantiated (nothing links to Rust).
#ifndef HARNESS_CORE_RUST_STRATEGY_H_
#define HARNESS_CORE_RUST_STRATEGY_H_

#include <string>
#include <utility>
#include <vector>

#include "harness/core/strategy.h"
#include "rust/include/harness_rust.h"

#ifndef HARNESS_HAVE_RUST
#define HARNESS_HAVE_RUST 0
#endif
// Why the crate is not built (cmake/rust.cmake): 1 a sanitizer build, 2 no
// cargo found, 3 switched off (HARNESS_RUST=OFF), 4 the tsa preset.
#ifndef HARNESS_RUST_SKIPPED_BECAUSE
#define HARNESS_RUST_SKIPPED_BECAUSE 2
#endif

namespace harness {

// The traits of every Rust reference: family "rust", plus the parameters
// its work ignores.
inline StrategyTraits RustTraits(std::vector<std::string> ignores = {},
                                 std::string overhead_reason = "") {
  StrategyTraits t;
  t.ignores = std::move(ignores);
  t.overhead_reason = std::move(overhead_reason);
  t.family = "rust";
  return t;
}

// The skip reason of the Rust strategies in a build without the crate.
inline constexpr const char* kRustSkipReason =
    HARNESS_RUST_SKIPPED_BECAUSE == 1
        ? "Rust's standard library is not instrumented for the sanitizers; "
          "the Rust references are left out of sanitizer builds"
    : HARNESS_RUST_SKIPPED_BECAUSE == 3
        ? "the Rust references are switched off in this build (HARNESS_RUST=OFF)"
    : HARNESS_RUST_SKIPPED_BECAUSE == 4
        ? "the tsa preset analyses the C++ code's locking only; the Rust references "
          "are left out of it"
        : "cargo was not found at configure time (scripts/install-deps installs "
          "Debian's cargo and rust crates)";

}  // namespace harness

#if HARNESS_HAVE_RUST
#define HARNESS_REGISTER_RUST(Scenario, name, description, Impl, ...) \
  HARNESS_REGISTER_STRATEGY(Scenario, name, description, Impl, ::harness::RustTraits(__VA_ARGS__))
#define HARNESS_REGISTER_RUST_FUNCTION(Scenario, name, description, Fn, ...) \
  HARNESS_REGISTER_FUNCTION(Scenario, name, description, Fn, ::harness::RustTraits(__VA_ARGS__))
#else
#define HARNESS_REGISTER_RUST(Scenario, name, description, Impl, ...)               \
  HARNESS_REGISTER_SKIPPED(Scenario, name, description, ::harness::kRustSkipReason, \
                           ::harness::RustTraits(__VA_ARGS__))
#define HARNESS_REGISTER_RUST_FUNCTION(Scenario, name, description, Fn, ...)        \
  HARNESS_REGISTER_SKIPPED(Scenario, name, description, ::harness::kRustSkipReason, \
                           ::harness::RustTraits(__VA_ARGS__))
#endif

#endif  // HARNESS_CORE_RUST_STRATEGY_H_
