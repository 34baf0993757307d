// Copyright: the concurrency-harness authors.
//
// Coroutine spawn + await: 10^5 small coroutines are started on a pool of
// `workers` threads and the caller waits for all of them.
//   BM_CoroSpawn<Runtime>     StartDetached(ex, task), each completion
//                             decrements a counter (task.h + thread_pool.h)
//   BM_CoroWhenAll            SyncWait(WhenAll(10^5 tasks)), each task starts
//                             with co_await ex.Schedule() (when_all.h)
//   BM_CoroSpawn<Asio>        asio::co_spawn(thread_pool, awaitable, handler)
//                             on an asio::thread_pool (reference)
// Each coroutine awaits one inner coroutine returning an int.
#include <atomic>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "harness/core/benchmark_args.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/notification.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/when_all.h"

#if HARNESS_HAVE_ASIO
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#endif

namespace harness::runtime {
namespace {

constexpr int kTasks = 100000;

struct Completion {
  std::atomic<int> left{kTasks};
  std::atomic<uint64_t> sum{0};
  Notification done;
  void Arrive(int v) {
    sum.fetch_add(static_cast<uint64_t>(v), std::memory_order_relaxed);
    if (left.fetch_sub(1, std::memory_order_acq_rel) == 1) done.Set();
  }
};

Task<int> Leaf(int i) { co_return i; }

Task<void> Root(int i, Completion& c) { c.Arrive(co_await Leaf(i)); }

struct RuntimeImpl {
  explicit RuntimeImpl(int workers) : pool(workers), ex(pool) {}
  void SpawnAll(Completion& c) {
    for (int i = 0; i < kTasks; ++i) StartDetached(ex, Root(i, c));
  }
  ThreadPool pool;
  PoolExecutor ex;
};

#if HARNESS_HAVE_ASIO
namespace asio = boost::asio;

asio::awaitable<int> AsioLeaf(int i) { co_return i; }
asio::awaitable<int> AsioRoot(int i) { co_return co_await AsioLeaf(i); }

struct AsioImpl {
  explicit AsioImpl(int workers) : pool(static_cast<size_t>(workers)) {}
  ~AsioImpl() { pool.join(); }
  void SpawnAll(Completion& c) {
    for (int i = 0; i < kTasks; ++i) {
      asio::co_spawn(pool, AsioRoot(i), [&c](std::exception_ptr, int v) { c.Arrive(v); });
    }
  }
  asio::thread_pool pool;
};
#endif

template <typename Impl>
void BM_CoroSpawn(benchmark::State& state) {
  Impl impl(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Completion c;
    impl.SpawnAll(c);
    c.done.Wait();
    benchmark::DoNotOptimize(c.sum.load());
  }
  state.SetItemsProcessed(state.iterations() * kTasks);
}

Task<int> Scheduled(Executor& ex, int i) {
  co_await ex.Schedule();
  co_return co_await Leaf(i);
}

void BM_CoroWhenAll(benchmark::State& state) {
  ThreadPool pool(static_cast<int>(state.range(0)));
  PoolExecutor ex(pool);
  for (auto _ : state) {
    std::vector<Task<int>> tasks;
    tasks.reserve(kTasks);
    for (int i = 0; i < kTasks; ++i) tasks.push_back(Scheduled(ex, i));
    std::vector<int> out = SyncWait(WhenAll(std::move(tasks)));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kTasks);
}

BENCHMARK_TEMPLATE(BM_CoroSpawn, RuntimeImpl)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CoroWhenAll)->Apply(WorkerCountArgs)->Unit(benchmark::kMillisecond);
#if HARNESS_HAVE_ASIO
BENCHMARK_TEMPLATE(BM_CoroSpawn, AsioImpl)->Apply(WorkerCountArgs)->Unit(benchmark::kMillisecond);
#endif

}  // namespace
}  // namespace harness::runtime
