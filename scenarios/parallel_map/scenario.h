// parallel_map (seed 000 Rayon `par_iter().for_each`; seed 001 `par_iter_mut`
// with `x += 2`): apply a function to every element of a
// std::vector<uint64_t> of `elements` items, in place.
//
// Kinds: `add2` (x += 2, the article's example; memory-bound) and `heavy`
// (`work_iters` rounds of an integer mixing function per element;
// compute-bound). Check: every element equals the function of its original
// value, compared exactly, element by element.
#ifndef SCENARIOS_PARALLEL_MAP_SCENARIO_H_
#define SCENARIOS_PARALLEL_MAP_SCENARIO_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "harness/core/large_array_allocator.h"
#include "harness/core/strategy.h"

namespace parallel_map {

enum class Kind { kAdd2, kHeavy };

struct Params {
  Kind kind = Kind::kAdd2;
  int64_t elements = 0;
  int64_t work_iters = 0;  // kind heavy
  int workers = 1;
};

// The input's value at index i before a run (deterministic, set untimed by
// ResetInput before each run).
inline uint64_t Original(size_t i) { return static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull; }

// `rounds` rounds of a xorshift-multiply mix: each round depends on the
// previous one (a chain of multiplications the CPU cannot shortcut).
inline uint64_t Heavy(uint64_t x, int64_t rounds) {
  for (int64_t r = 0; r < rounds; ++r) {
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
  }
  return x;
}

// The function applied to one element (the per-strategy hot loops call the
// Apply* helpers below, which the compiler specializes per kind).
inline uint64_t F(const Params& p, uint64_t x) {
  return p.kind == Kind::kAdd2 ? x + 2 : Heavy(x, p.work_iters);
}

// The kernel: applies the function to data[lo, hi). Every strategy runs its
// pieces through this one out-of-line function, so all of them execute the
// same machine code per element (the add2 loop vectorized, the heavy loop a
// register-resident chain). `noinline` matters: inlined into a coroutine body
// or a lambda, clang may keep `data`, `hi` and `rounds` in the coroutine frame
// or closure, reload them on every element (they may alias the uint64_t
// stores) and give up vectorizing; as a plain function of its arguments the
// loop is the same for every caller.
[[gnu::noinline]] inline void ApplyRange(const Params& p, uint64_t* data, size_t lo, size_t hi) {
  if (p.kind == Kind::kAdd2) {
    for (size_t i = lo; i < hi; ++i) data[i] += 2;
  } else {
    const int64_t rounds = p.work_iters;
    for (size_t i = lo; i < hi; ++i) data[i] = Heavy(data[i], rounds);
  }
}

// Populated up front: the 512 MiB input would otherwise cost 131,072 page
// faults of untimed setup per repetition (harness/core/large_array_allocator.h).
using Input = harness::LargeArrayVector<uint64_t>;

// The first index in [0, n) where got[i] != want(i), or n. The common case
// (no mismatch) runs as a branch-free, vectorisable pass over blocks; only a
// block that differs is searched element by element. Untimed (the check), but
// it runs after every repetition over 67M elements, so its speed is the
// sweep's.
template <typename Want>
size_t FirstMismatch(const uint64_t* got, size_t n, Want want) {
  constexpr size_t kBlock = 4096;
  for (size_t lo = 0; lo < n; lo += kBlock) {
    const size_t hi = lo + kBlock < n ? lo + kBlock : n;
    uint64_t diff = 0;
    for (size_t i = lo; i < hi; ++i) diff |= got[i] ^ want(i);
    if (diff == 0) continue;
    for (size_t i = lo; i < hi; ++i) {
      if (got[i] != want(i)) return i;
    }
  }
  return n;
}

// A view of the mapped vector (the strategy's input, mapped in place). The
// reference has no data: the check recomputes F of each original value,
// which for `heavy` costs what storing 512 MiB of expected values computed
// once did (one repetition runs one or two maps), without the allocation.
struct Result {
  const uint64_t* data = nullptr;
  size_t size = 0;
};

inline Result View(const Input& in) { return Result{in.data(), in.size()}; }

struct Scenario {
  using Params = parallel_map::Params;
  using Result = parallel_map::Result;
  using Input = parallel_map::Input;

  static const harness::ScenarioInfo& Info() {
    static const harness::ScenarioInfo info{
        "parallel_map",
        "apply a function to every element of a vector<uint64_t>, in place",
        {harness::WordParam("kind", "add2: x += 2 (memory-bound); heavy: mixing rounds",
                            {"add2", "heavy"}, {"add2", "heavy"}, {"add2", "heavy"}),
         // A prime: no worker count divides it, so a dropped remainder fails.
         // 512 MiB, about twice the last-level cache this VM reports (260 MiB).
         harness::IntParam("elements", "vector length", {67'108'879}, {10007}, 0, int64_t{1} << 30),
         harness::IntParam("work_iters", "mixing rounds per element (kind heavy)", {5}, {5}, 0,
                           1'000'000)},
        "kind",
        {{"add2", "compute"}, {"heavy", "compute"}}};
    return info;
  }
  static Params MakeParams(const harness::ParamValues& v) {
    Params p;
    p.kind = v.Word("kind") == "heavy" ? Kind::kHeavy : Kind::kAdd2;
    p.elements = v.Int("elements");
    p.work_iters = v.Int("work_iters");
    p.workers = v.workers();
    return p;
  }
  // Untimed, before each run: the original values.
  static void ResetInput(const Params& p, Input& in) {
    in.resize(p.elements);
    for (size_t i = 0; i < in.size(); ++i) in[i] = Original(i);
  }
  // Once per case: the expected size; the values are F(Original(i)),
  // recomputed by the check.
  static Result Reference(const Params& p) {
    return Result{nullptr, static_cast<size_t>(p.elements)};
  }
  static std::string Check(const Params& p, const Result& expected, const Result& got) {
    if (got.size != expected.size) {
      return absl::StrCat("mapped ", got.size, " elements, expected ", expected.size);
    }
    const size_t i =
        p.kind == Kind::kAdd2
            ? FirstMismatch(got.data, got.size, [](size_t k) { return Original(k) + 2; })
            : FirstMismatch(got.data, got.size, [&](size_t k) { return F(p, Original(k)); });
    if (i < got.size) {
      const uint64_t want = F(p, Original(i));
      return absl::StrCat("element ", i, " is ", got.data[i], ", expected ", want,
                          got.data[i] == Original(i)  ? " (not mapped)"
                          : got.data[i] == F(p, want) ? " (mapped twice)"
                                                      : "");
    }
    return "";
  }
  static int64_t Items(const Params& p) { return p.elements; }
  // Bytes read and written per second (each element is read and written:
  // 16 bytes), to set beside the machine's memory bandwidth.
  static void AddFigures(const Params& p, const Result&, harness::RunFigures& figures) {
    figures.per_second["bytes_per_second"] += static_cast<double>(p.elements) * 16.0;
  }
};

}  // namespace parallel_map

#endif  // SCENARIOS_PARALLEL_MAP_SCENARIO_H_
