// SpawnWorkers: the plain fork-join of the articles (`thread::spawn` then
// `join`), one std::thread per worker.
//
// Memory ordering: everything a worker wrote happens-before SpawnWorkers
// returns (std::thread::join synchronizes with the thread's completion).
#ifndef HARNESS_RUNTIME_SPAWN_H_
#define HARNESS_RUNTIME_SPAWN_H_

#include <cstdint>
#include <thread>
#include <vector>

#include "harness/runtime/injection.h"

namespace harness::runtime {

// Runs fn(0) .. fn(workers - 1), each on its own new thread, and joins them.
template <class Fn>
void SpawnWorkers(int workers, Fn&& fn) {
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&fn, w] {
      inject::At(inject::Point::kSpawnWorker);
      fn(w);
    });
  }
  for (auto& t : threads) t.join();
}

// The share of `total` items that worker `w` of `workers` gets: the first
// total % workers workers get one more, so shares differ by at most one.
inline int64_t ShareOf(int64_t total, int workers, int w) {
  return total / workers + (w < total % workers ? 1 : 0);
}

// The first item of worker `w`'s contiguous share.
inline int64_t ShareBegin(int64_t total, int workers, int w) {
  const int64_t base = total / workers, extra = total % workers;
  return w * base + (w < extra ? w : extra);
}

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_SPAWN_H_
