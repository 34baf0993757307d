// One coroutine per chunk (4 chunks per worker, so a late worker can still
// take a share), all awaited with WhenAll on an executor over a pool of
// `workers` threads (started untimed).
#include <algorithm>
#include <vector>

#include "harness/runtime/executor.h"
#include "harness/runtime/spawn.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/when_all.h"
#include "scenarios/parallel_map/scenario.h"

namespace parallel_map {
namespace {

using harness::runtime::Task;

constexpr int kChunksPerWorker = 4;

class CoroutinesStrategy {
 public:
  // Pinned workers, as for thread_pool (ThreadPool::Placement::kPinned).
  explicit CoroutinesStrategy(const Params& p)
      : pool_(p.workers, harness::runtime::ThreadPool::Placement::kPinned), ex_(pool_) {}

  Result Run(const Params& p, Input& in) {
    const int64_t n = static_cast<int64_t>(in.size());
    const int chunks = static_cast<int>(std::min<int64_t>(n, p.workers * kChunksPerWorker));
    std::vector<Task<void>> tasks;
    tasks.reserve(chunks);
    for (int c = 0; c < chunks; ++c) {
      const int64_t begin = harness::runtime::ShareBegin(n, chunks, c);
      tasks.push_back(Chunk(p, in.data(), begin, begin + harness::runtime::ShareOf(n, chunks, c)));
    }
    harness::runtime::SyncWait(harness::runtime::WhenAll(std::move(tasks)));
    return View(in);
  }

 private:
  Task<void> Chunk(const Params& p, uint64_t* data, size_t lo, size_t hi) {
    co_await ex_.Schedule();  // onto the pool
    ApplyRange(p, data, lo, hi);
  }

  harness::runtime::ThreadPool pool_;
  harness::runtime::PoolExecutor ex_;
};

}  // namespace

HARNESS_REGISTER_STRATEGY(Scenario, "coroutines",
                          "a coroutine per chunk (4 per worker), WhenAll on a pool executor",
                          CoroutinesStrategy);

}  // namespace parallel_map
