// Copyright: the concurrency-harness authors.
//
// Checking one channel configuration over many random histories: generate a
// program (channel_program.h), run it (channel_driver.h), check the history
// against ChannelModel (checker.h), and on a failure shrink it (shrink.h).
//
//   ChannelTarget target = MpscTarget<runtime::Channel<int>>("channel/cap1", 1);
//   SweepStats s = Sweep(target, /*histories=*/10000, /*seed=*/1);
//   if (s.first_failure) std::cout << Shrunk(target, *s.first_failure).Format();
//
// Thread safety: one Sweep at a time per target (each run starts and joins
// its own threads).
#ifndef HARNESS_LINCHECK_CHANNEL_CHECK_H_
#define HARNESS_LINCHECK_CHANNEL_CHECK_H_

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "harness/lincheck/channel_driver.h"
#include "harness/lincheck/channel_model.h"
#include "harness/lincheck/channel_program.h"
#include "harness/lincheck/checker.h"
#include "harness/lincheck/format.h"
#include "harness/lincheck/shrink.h"

namespace harness::lincheck {

// One configuration: which channel, which capacity, which program shape.
struct ChannelTarget {
  std::string name;
  size_t capacity = 0;  // 0 = unbounded
  ProgramShape shape;
  std::function<ChannelHistory(const ChannelProgram&)> run;

  ChannelModel ModelFor(const ChannelProgram& p) const {
    return shape.flavour == ChannelFlavour::kMpsc ? ChannelModel::Mpsc(capacity, p.producers())
                                                  : ChannelModel::Explicit(capacity);
  }
  // Programs the driver can run to completion (see channel_program.h).
  bool Valid(const ChannelProgram& p) const {
    if (shape.flavour == ChannelFlavour::kMpsc) return p.consumers() == 1;
    return p.producers() >= 1 && p.consumers() >= 1;
  }
};

// Channel / MutexChannel / a control core behind BasicChannel<int, Core>.
template <typename ChannelT>
ChannelTarget MpscTarget(std::string name, size_t capacity,
                         ProgramShape shape = ProgramShape::Mpsc()) {
  ChannelTarget t;
  t.name = std::move(name);
  t.capacity = capacity;
  t.shape = shape;
  t.run = [capacity](const ChannelProgram& p) { return RunMpsc<ChannelT>(p, capacity); };
  return t;
}

// AsyncChannel<int> on `ex` (nullptr: inline resumption); `ex` must outlive
// the target's runs.
inline ChannelTarget AsyncTarget(std::string name, size_t capacity, runtime::Executor* ex) {
  ChannelTarget t;
  t.name = std::move(name);
  t.capacity = capacity;
  t.shape = ProgramShape::Explicit();
  t.run = [capacity, ex](const ChannelProgram& p) { return RunAsync(p, capacity, ex); };
  return t;
}

// A program, the history one run of it produced, and the checker's verdict.
struct ChannelFailure {
  ChannelProgram program;
  ChannelHistory history;
  CheckResult result;
  ChannelModel model = ChannelModel::Explicit(0);

  std::string Format() const {
    return absl::StrCat(
        "program:\n", Describe(program),
        FormatFailure(model, history, result, [this](int t) { return ThreadName(program, t); }));
  }
};

// Runs `program` once on the target; the failure if the history is not
// linearizable (or the search gave up).
inline std::optional<ChannelFailure> RunOnce(const ChannelTarget& target,
                                             const ChannelProgram& program) {
  ChannelHistory h = target.run(program);
  ChannelModel model = target.ModelFor(program);
  CheckResult r = Check(model.Prepared(h), h);
  if (r.linearizable()) return std::nullopt;
  return ChannelFailure{program, std::move(h), std::move(r), model};
}

// The failure of a smaller program, found by Shrink (each candidate is tried
// up to `tries` times, with fresh jitter seeds).
inline ChannelFailure Shrunk(const ChannelTarget& target, ChannelFailure failure, int tries = 50) {
  uint64_t reseed = failure.program.jitter_seed;
  auto run_once = [&](const ChannelProgram& p) {
    ChannelProgram q = p;
    reseed = reseed * 6364136223846793005ull + 1442695040888963407ull;
    q.jitter_seed = reseed | 1;
    return RunOnce(target, q);
  };
  auto valid = [&](const ChannelProgram& p) { return target.Valid(p); };
  ChannelProgram program = failure.program;
  return Shrink(std::move(program), std::move(failure), run_once, valid, tries).second;
}

struct SweepStats {
  int histories = 0;
  int failures = 0;           // not linearizable
  int unknown = 0;            // search budget exhausted
  uint64_t operations = 0;    // over all histories
  uint64_t overlapping = 0;   // operations concurrent with another one
  uint64_t search_steps = 0;  // checker steps over all histories
  double seconds = 0;         // wall time of the sweep (run + check)
  // How often each result kind was returned (indexed by ChannelRetKind).
  std::array<uint64_t, 6> results{};
  std::optional<ChannelFailure> first_failure;

  uint64_t Count(ChannelRetKind k) const { return results[static_cast<size_t>(k)]; }
};

// Runs `histories` random programs (seeded by `seed`) and checks each; with
// `stop_at_first_failure`, stops after the first history that fails.
inline SweepStats Sweep(const ChannelTarget& target, int histories, uint64_t seed,
                        bool stop_at_first_failure = false) {
  SweepStats s;
  std::mt19937_64 rng(seed);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < histories; ++i) {
    ChannelProgram program = RandomChannelProgram(rng, target.shape);
    ChannelHistory h = target.run(program);
    ++s.histories;
    s.operations += h.size();
    for (size_t a = 0; a < h.size(); ++a) {
      ++s.results[static_cast<size_t>(h[a].ret.kind)];
      for (size_t b = 0; b < h.size(); ++b) {
        if (a != b && h[a].invoke < h[b].response && h[b].invoke < h[a].response) {
          ++s.overlapping;
          break;
        }
      }
    }
    ChannelModel model = target.ModelFor(program);
    CheckResult r = Check(model.Prepared(h), h);
    s.search_steps += r.steps;
    if (r.linearizable()) continue;
    if (r.verdict == Verdict::kUnknown) {
      ++s.unknown;
    } else {
      ++s.failures;
    }
    if (!s.first_failure) {
      s.first_failure = ChannelFailure{std::move(program), std::move(h), std::move(r), model};
    }
    if (stop_at_first_failure) break;
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

// One line: "channel/cap1: 10000 histories, 0 not linearizable, ...".
inline std::string Summary(const ChannelTarget& target, const SweepStats& s) {
  return absl::StrCat(
      target.name, ": ", s.histories, " histories (", s.operations, " operations, ", s.overlapping,
      " overlapping another), ", s.failures, " not linearizable, ", s.unknown,
      " unknown; results: value ", s.Count(ChannelRetKind::kValue), ", empty ",
      s.Count(ChannelRetKind::kEmpty), ", timeout ", s.Count(ChannelRetKind::kTimeout), ", closed ",
      s.Count(ChannelRetKind::kClosed), ", send failed ", s.Count(ChannelRetKind::kSendFailed),
      "; ", s.search_steps, " search steps; ", absl::StrFormat("%.2f s", s.seconds));
}

}  // namespace harness::lincheck

#endif  // HARNESS_LINCHECK_CHANNEL_CHECK_H_
