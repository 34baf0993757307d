// Copyright: the concurrency-harness authors.
//
// Thread pool micro-benchmarks. One body per workload, implementations as a
// template parameter:
//   pool        ThreadPool::ParallelFor / SpawnDetached (thread_pool.h)
//   pinned pool the same with Placement::kPinned (ParallelFor only)
//   caller pool pinned, and the caller one of the workers (Caller::kJoins,
//               ParallelFor only), as parallel_map/thread_pool runs it
//   tbb         tbb::parallel_for (auto_partitioner) in a task_arena of
//               `workers` threads / tbb::task_group::run (reference)
//   sequential  a plain loop (workers:1 only)
//   threads     the bandwidth yardstick for ParallelFor (issue 13): `workers`
//               std::threads, each running the plain loop over one
//               contiguous share, created and joined per pass (thread
//               creation is microseconds against a pass of tens of ms)
//   std_thread  create + join one std::thread per task (spawn only)
//   ceiling     the bound no pool can pass on ParallelFor (issue 13):
//               `workers` - 1 threads started once, pinned, spinning between
//               passes (no wake-up), and the caller; all take 64 Ki-element
//               pieces from one atomic counter (no queue, balance to the
//               last piece). It burns every CPU while it exists.
//
// Workloads:
//   BM_ParallelForAdd      x[i] += 2 over 2^25 uint64_t (memory bound)
//   BM_ParallelForCompute  8 rounds of a multiply-xorshift hash per element
//                          over 2^25 uint64_t (compute bound)
//   BM_ParallelForAfterIdle  x[i] += 2 over 2^20 uint64_t after 2 ms idle
//                          (untimed): the hand-over to sleeping workers
//   BM_SpawnEmpty          spawn 1000 empty tasks from outside the pool and
//                          wait for all; the counter ns_per_task is the cost
//                          of spawning and completing one task
// Argument: workers:<n> (1, 2, and the machine's CPU count where larger).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "harness/core/benchmark_args.h"
#include "harness/runtime/affinity.h"
#include "harness/runtime/notification.h"
#include "harness/runtime/thread_pool.h"

#if HARNESS_HAVE_TBB
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>
#endif

namespace harness::runtime {
namespace {

constexpr size_t kElements = size_t{1} << 25;
constexpr int kSpawnBatch = 1000;

std::vector<uint64_t>& Data() {
  static std::vector<uint64_t>* data = [] {
    auto* v = new std::vector<uint64_t>(kElements);
    for (size_t i = 0; i < v->size(); ++i) (*v)[i] = i;
    return v;
  }();
  return *data;
}

struct AddTwo {
  static void Run(uint64_t* x, size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; ++i) x[i] += 2;
  }
};

struct Compute {
  static void Run(uint64_t* x, size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; ++i) {
      uint64_t v = x[i];
      for (int r = 0; r < 8; ++r) {
        v = v * 6364136223846793005ull + 1442695040888963407ull;
        v ^= v >> 29;
      }
      x[i] = v;
    }
  }
};

struct PoolImpl {
  explicit PoolImpl(int workers, ThreadPool::Placement placement = ThreadPool::Placement::kFloating,
                    ThreadPool::Caller caller = ThreadPool::Caller::kWaits)
      : pool(workers, placement, caller) {}
  template <typename Body>
  void ParallelFor(uint64_t* x, size_t n) {
    pool.ParallelFor(0, n, 0, [x](size_t lo, size_t hi) { Body::Run(x, lo, hi); });
  }
  template <typename F>
  void SpawnDetached(F f) {
    pool.SpawnDetached(std::move(f));
  }
  void Wait(Notification& done) { done.Wait(); }
  ThreadPool pool;
};

// The pool as parallel_map/thread_pool runs it: workers pinned one per CPU
// (ThreadPool::Placement::kPinned).
struct PinnedPoolImpl : PoolImpl {
  explicit PinnedPoolImpl(int workers) : PoolImpl(workers, ThreadPool::Placement::kPinned) {}
};

// The pool as parallel_map/thread_pool runs it: pinned, and the calling
// thread one of the workers (ThreadPool::Caller::kJoins).
struct CallerPoolImpl : PoolImpl {
  explicit CallerPoolImpl(int workers)
      : PoolImpl(workers, ThreadPool::Placement::kPinned, ThreadPool::Caller::kJoins) {}
};

struct SequentialImpl {
  explicit SequentialImpl(int) {}
  template <typename Body>
  void ParallelFor(uint64_t* x, size_t n) {
    Body::Run(x, 0, n);
  }
};

struct ThreadsImpl {
  explicit ThreadsImpl(int workers) : workers(workers) {}
  template <typename Body>
  void ParallelFor(uint64_t* x, size_t n) {
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (int w = 0; w < workers; ++w) {
      const size_t lo = n * w / workers, hi = n * (w + 1) / workers;
      threads.emplace_back([x, lo, hi] { Body::Run(x, lo, hi); });
    }
    for (auto& t : threads) t.join();
  }
  int workers;
};

struct CeilingImpl {
  static constexpr size_t kPiece = size_t{1} << 16;
  explicit CeilingImpl(int workers) : cpus(AllowedCpus()) {
    for (int w = 0; w + 1 < workers; ++w) {
      threads.emplace_back([this, w] {
        if (!cpus.empty()) PinCallingThread(cpus[w % cpus.size()]);
        uint64_t seen = 0;
        for (;;) {
          uint64_t e;
          while ((e = epoch.load(std::memory_order_acquire)) == seen) {
          }
          if (e == kStop) return;
          seen = e;
          TakePieces();
          finished.fetch_add(1, std::memory_order_acq_rel);
        }
      });
    }
    if (!cpus.empty()) PinCallingThread(cpus[(workers - 1) % cpus.size()]);
  }
  ~CeilingImpl() {
    epoch.store(kStop, std::memory_order_release);
    for (auto& t : threads) t.join();
    if (!cpus.empty()) SetCallingThreadCpus(cpus);
  }
  template <typename Body>
  void ParallelFor(uint64_t* x, size_t n) {
    data = x;
    size = n;
    run = &Body::Run;
    next.store(0, std::memory_order_relaxed);
    finished.store(0, std::memory_order_relaxed);
    epoch.fetch_add(1, std::memory_order_acq_rel);
    TakePieces();
    while (finished.load(std::memory_order_acquire) != threads.size()) {
    }
  }
  void TakePieces() {
    for (;;) {
      const size_t lo = next.fetch_add(kPiece, std::memory_order_relaxed);
      if (lo >= size) return;
      run(data, lo, std::min(size, lo + kPiece));
    }
  }
  static constexpr uint64_t kStop = ~uint64_t{0};
  std::vector<int> cpus;
  std::vector<std::thread> threads;
  uint64_t* data = nullptr;
  size_t size = 0;
  void (*run)(uint64_t*, size_t, size_t) = nullptr;
  alignas(64) std::atomic<uint64_t> epoch{0};
  alignas(64) std::atomic<size_t> next{0};
  alignas(64) std::atomic<size_t> finished{0};
};

#if HARNESS_HAVE_TBB
struct TbbImpl {
  explicit TbbImpl(int workers) : arena(workers) {}
  template <typename Body>
  void ParallelFor(uint64_t* x, size_t n) {
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<size_t>(0, n), [x](const tbb::blocked_range<size_t>& r) {
        Body::Run(x, r.begin(), r.end());
      });
    });
  }
  tbb::task_arena arena;
};
#endif

template <typename Impl, typename Body>
void BM_ParallelFor(benchmark::State& state) {
  const int workers = static_cast<int>(state.range(0));
  Impl impl(workers);
  uint64_t* x = Data().data();
  for (auto _ : state) {
    impl.template ParallelFor<Body>(x, kElements);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kElements));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kElements) * 16);
}

// One ParallelFor of x[i] += 2 over 2^20 elements (8 MiB, in cache) after
// the workers went to sleep (2 ms untimed between loops, as a program that
// runs a loop now and then): the cost of handing a loop to sleeping workers.
template <typename Impl>
void BM_ParallelForAfterIdle(benchmark::State& state) {
  const int workers = static_cast<int>(state.range(0));
  constexpr size_t kSmall = size_t{1} << 20;
  Impl impl(workers);
  uint64_t* x = Data().data();
  for (auto _ : state) {
    state.PauseTiming();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    state.ResumeTiming();
    impl.template ParallelFor<AddTwo>(x, kSmall);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kSmall));
}

template <typename Impl>
void BM_SpawnEmpty(benchmark::State& state) {
  const int workers = static_cast<int>(state.range(0));
  Impl impl(workers);
  for (auto _ : state) {
    std::atomic<int> left{kSpawnBatch};
    Notification done;
    for (int i = 0; i < kSpawnBatch; ++i) {
      impl.SpawnDetached([&left, &done] {
        if (left.fetch_sub(1, std::memory_order_acq_rel) == 1) done.Set();
      });
    }
    impl.Wait(done);
  }
  state.counters["ns_per_task"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kSpawnBatch,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(state.iterations() * kSpawnBatch);
}

// The same, with the tasks spawned from inside the pool (worker-local deque).
void BM_SpawnEmptyFromWorker(benchmark::State& state) {
  ThreadPool pool(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::atomic<int> left{kSpawnBatch};
    Notification done;
    pool.SpawnDetached([&] {
      for (int i = 0; i < kSpawnBatch; ++i) {
        pool.SpawnDetached([&left, &done] {
          if (left.fetch_sub(1, std::memory_order_acq_rel) == 1) done.Set();
        });
      }
    });
    done.Wait();
  }
  state.counters["ns_per_task"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kSpawnBatch,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(state.iterations() * kSpawnBatch);
}

#if HARNESS_HAVE_TBB
struct TbbTaskGroupImpl {
  explicit TbbTaskGroupImpl(int workers) : arena(workers) {}
  template <typename F>
  void SpawnDetached(F f) {
    arena.execute([&] { group.run(std::move(f)); });
  }
  // TBB runs a task_group's tasks when (and while) the group is waited on;
  // the caller's thread takes part, as in TBB's usual pattern.
  void Wait(Notification& done) {
    arena.execute([&] { group.wait(); });
    done.Wait();
  }
  tbb::task_arena arena;
  tbb::task_group group;
};
#endif

void BM_StdThreadCreateJoin(benchmark::State& state) {
  for (auto _ : state) {
    std::thread t([] {});
    t.join();
  }
  state.counters["ns_per_task"] =
      benchmark::Counter(static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(state.iterations());
}

void SequentialArgs(benchmark::internal::Benchmark* b) {
  b->ArgName("workers")->Arg(1)->UseRealTime();
}

BENCHMARK_TEMPLATE(BM_ParallelFor, PoolImpl, AddTwo)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ParallelFor, PoolImpl, Compute)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ParallelFor, PinnedPoolImpl, AddTwo)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ParallelFor, PinnedPoolImpl, Compute)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ParallelFor, CallerPoolImpl, AddTwo)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ParallelFor, CallerPoolImpl, Compute)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ParallelFor, SequentialImpl, AddTwo)
    ->Apply(SequentialArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ParallelFor, SequentialImpl, Compute)
    ->Apply(SequentialArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ParallelFor, ThreadsImpl, AddTwo)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ParallelFor, CeilingImpl, AddTwo)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
#if HARNESS_HAVE_TBB
BENCHMARK_TEMPLATE(BM_ParallelFor, TbbImpl, AddTwo)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ParallelFor, TbbImpl, Compute)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMillisecond);
#endif

BENCHMARK_TEMPLATE(BM_ParallelForAfterIdle, PinnedPoolImpl)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_ParallelForAfterIdle, CallerPoolImpl)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMicrosecond);
#if HARNESS_HAVE_TBB
BENCHMARK_TEMPLATE(BM_ParallelForAfterIdle, TbbImpl)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMicrosecond);
#endif

BENCHMARK_TEMPLATE(BM_SpawnEmpty, PoolImpl)->Apply(WorkerCountArgs)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SpawnEmptyFromWorker)->Apply(WorkerCountArgs)->Unit(benchmark::kMicrosecond);
#if HARNESS_HAVE_TBB
BENCHMARK_TEMPLATE(BM_SpawnEmpty, TbbTaskGroupImpl)
    ->Apply(WorkerCountArgs)
    ->Unit(benchmark::kMicrosecond);
#endif
BENCHMARK(BM_StdThreadCreateJoin)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace harness::runtime
