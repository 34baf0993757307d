// Copyright: the concurrency-harness authors.
//
// Shrink: given a program whose run produced a failing history, find a
// smaller program that still fails, by re-running it (as Lincheck minimises
// its scenarios). A history is never edited directly: dropping an operation
// from a recorded history can turn it into a failure the object never
// produced (drop a send, and the receive of its value becomes impossible),
// so every candidate is run again on the real object and checked afresh.
//
//   auto [small, failure] = Shrink(program, failure, run_once, valid, /*tries=*/50);
//
// Program: any type with `threads`, a vector of scripts that each have an
// `ops` vector. Candidates, greedily until none is accepted: drop one whole
// thread, then drop one call from one thread. A candidate is kept if
// `valid(candidate)` and one of `tries` runs of `run_once(candidate)` (which
// returns std::optional<Failure>: the failure of that run, if it failed)
// fails. Because failures of concurrent objects depend on the schedule, the
// result is the smallest program found to fail, not a proven minimum.
//
// Thread safety: runs `run_once` sequentially on the calling thread.
#ifndef HARNESS_LINCHECK_SHRINK_H_
#define HARNESS_LINCHECK_SHRINK_H_

#include <cstddef>
#include <optional>
#include <utility>

namespace harness::lincheck {

template <typename Program, typename Failure, typename RunOnce, typename Valid>
std::pair<Program, Failure> Shrink(Program program, Failure failure, RunOnce run_once, Valid valid,
                                   int tries) {
  auto attempt = [&](const Program& candidate) -> bool {
    if (!valid(candidate)) return false;
    for (int i = 0; i < tries; ++i) {
      std::optional<Failure> f = run_once(candidate);
      if (f.has_value()) {
        program = candidate;
        failure = std::move(*f);
        return true;
      }
    }
    return false;
  };
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t t = program.threads.size(); t-- > 0;) {
      Program candidate = program;
      candidate.threads.erase(candidate.threads.begin() + static_cast<std::ptrdiff_t>(t));
      if (attempt(candidate)) progress = true;
    }
    for (size_t t = 0; t < program.threads.size(); ++t) {
      for (size_t i = program.threads[t].ops.size(); i-- > 0;) {
        if (i >= program.threads[t].ops.size()) continue;
        Program candidate = program;
        auto& ops = candidate.threads[t].ops;
        ops.erase(ops.begin() + static_cast<std::ptrdiff_t>(i));
        if (attempt(candidate)) progress = true;
      }
    }
  }
  return {std::move(program), std::move(failure)};
}

}  // namespace harness::lincheck

#endif  // HARNESS_LINCHECK_SHRINK_H_
