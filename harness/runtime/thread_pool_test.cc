// Copyright: the concurrency-harness authors.
#include "harness/runtime/thread_pool.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

#include "gtest/gtest.h"
#include "harness/runtime/notification.h"
#include "harness/runtime/perturb.h"

namespace harness::runtime {
namespace {

using namespace std::chrono_literals;

// Every test of the suite runs with each worker count, with the outside
// caller waiting (Caller::kWaits) and working in the last worker's place
// (Caller::kJoins).
struct PoolParam {
  size_t workers;
  ThreadPool::Caller caller;
};

class ThreadPoolTest : public ::testing::TestWithParam<PoolParam> {
 protected:
  size_t Workers() const { return GetParam().workers; }
  ThreadPool::Caller CallerRole() const { return GetParam().caller; }
  // The pool's own threads: kJoins keeps one worker's place for the caller.
  size_t Threads() const {
    return CallerRole() == ThreadPool::Caller::kJoins && Workers() >= 2 ? Workers() - 1 : Workers();
  }
};
INSTANTIATE_TEST_SUITE_P(
    Workers, ThreadPoolTest,
    ::testing::Values(PoolParam{1, ThreadPool::Caller::kWaits},
                      PoolParam{2, ThreadPool::Caller::kWaits},
                      PoolParam{16, ThreadPool::Caller::kWaits},  // 16: oversubscribed
                      PoolParam{1, ThreadPool::Caller::kJoins},
                      PoolParam{2, ThreadPool::Caller::kJoins},
                      PoolParam{16, ThreadPool::Caller::kJoins}),
    [](const auto& info) {
      return "workers" + std::to_string(info.param.workers) +
             (info.param.caller == ThreadPool::Caller::kJoins ? "_caller_joins" : "");
    });

#if defined(__linux__)
// Placement::kPinned: every worker runs on exactly one CPU, one the process
// may use, and the workers cover the allowed CPUs round-robin.
TEST_P(ThreadPoolTest, PinnedWorkersRunOnOneAllowedCpuEach) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
  const size_t workers = Workers();
  ThreadPool pool(workers, ThreadPool::Placement::kPinned, CallerRole());
  std::mutex mu;
  std::set<int> cpus_used;
  std::atomic<int> not_pinned{0};
  // Every piece runs on a worker (with Caller::kJoins the caller is one, pinned
  // for the call); many pieces give every worker a chance to take some.
  pool.ParallelFor(0, 20000, 1, [&](size_t) {
    cpu_set_t mine;
    CPU_ZERO(&mine);
    if (sched_getaffinity(0, sizeof(mine), &mine) != 0 || CPU_COUNT(&mine) != 1) {
      not_pinned.fetch_add(1);
      return;
    }
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (CPU_ISSET(cpu, &mine)) {
        std::lock_guard<std::mutex> lock(mu);
        cpus_used.insert(cpu);
      }
    }
  });
  EXPECT_EQ(not_pinned.load(), 0);
  ASSERT_FALSE(cpus_used.empty());
  for (int cpu : cpus_used) EXPECT_TRUE(CPU_ISSET(cpu, &allowed)) << "cpu " << cpu;
  EXPECT_LE(cpus_used.size(), std::min<size_t>(workers, CPU_COUNT(&allowed)));
}

// The default placement leaves the workers on every allowed CPU.
TEST(ThreadPoolPlacement, FloatingWorkersKeepTheProcessAffinity) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
  ThreadPool pool(2);
  std::atomic<int> count{-1};
  pool.ParallelFor(0, 1, 1, [&](size_t) {
    cpu_set_t mine;
    CPU_ZERO(&mine);
    if (sched_getaffinity(0, sizeof(mine), &mine) == 0) count.store(CPU_COUNT(&mine));
  });
  EXPECT_EQ(count.load(), CPU_COUNT(&allowed));
}
#endif

uint64_t Fib(ThreadPool& pool, int n) {
  if (n < 12) {
    uint64_t a = 0, b = 1;
    for (int i = 0; i < n; ++i) {
      uint64_t t = a + b;
      a = b;
      b = t;
    }
    return a;
  }
  uint64_t x = 0, y = 0;
  pool.Join([&] { x = Fib(pool, n - 1); }, [&] { y = Fib(pool, n - 2); });
  return x + y;
}

// A worker's next job (Execute from the worker): the worker runs the newest
// first (LIFO, so a woken coroutine continues on the worker that woke it).
TEST(ThreadPoolNextJob, TheSubmittingWorkerRunsTheNewestFirst) {
  ThreadPool pool(1);
  std::vector<int> order;
  Notification done;
  pool.SpawnDetached([&] {
    for (int i = 0; i < 3; ++i) {
      pool.SpawnDetached([&order, &done, i] {
        order.push_back(i);  // one worker: no race
        if (order.size() == 3) done.Set();
      });
    }
  });
  done.Wait();
  EXPECT_EQ(order, (std::vector<int>{2, 1, 0}));
}

// The next job is not the owner's alone: a worker that stays busy (here:
// blocked until that very job has run) must not keep it from the other
// workers, who take it after their spin phase. Without that, this hangs.
TEST_P(ThreadPoolTest, AnotherWorkerTakesTheNextJobOfABlockedWorker) {
  if (Threads() < 2) GTEST_SKIP() << "needs a second thread to take the job";
  ThreadPool pool(Workers(), ThreadPool::Placement::kFloating, CallerRole());
  for (int round = 0; round < 50; ++round) {
    Notification ran, done;
    pool.SpawnDetached([&] {
      pool.SpawnDetached([&ran] { ran.Set(); });  // this worker's next job
      ran.Wait();                                 // blocks the worker until someone else runs it
      done.Set();
    });
    ASSERT_TRUE(done.WaitUntil(std::chrono::steady_clock::now() + 10s)) << "round " << round;
  }
}

TEST_P(ThreadPoolTest, SpawnRunsEveryTask) {
  std::atomic<int> count{0};
  {
    ThreadPool pool(Workers(), ThreadPool::Placement::kFloating, CallerRole());
    for (int i = 0; i < 1000; ++i) {
      pool.SpawnDetached([&count] { count.fetch_add(1, std::memory_order_relaxed); });
    }
  }  // destructor drains
  EXPECT_EQ(count.load(), 1000);
}

TEST_P(ThreadPoolTest, RecursiveJoinFromOutsideAndInside) {
  ThreadPool pool(Workers(), ThreadPool::Placement::kFloating, CallerRole());
  EXPECT_EQ(Fib(pool, 24), 46368u);  // caller is not a worker
  uint64_t inner = 0;
  Notification done;
  pool.SpawnDetached([&] {
    inner = Fib(pool, 20);  // caller is a worker
    done.Set();
  });
  done.Wait();
  EXPECT_EQ(inner, 6765u);
}

TEST_P(ThreadPoolTest, ParallelForCoversRangeOnce) {
  ThreadPool pool(Workers(), ThreadPool::Placement::kFloating, CallerRole());
  std::vector<int> hits(100003, 0);
  pool.ParallelFor(0, hits.size(), 100, [&](size_t i) { hits[i] += 1; });
  for (int h : hits) ASSERT_EQ(h, 1);
  std::vector<uint64_t> v(1 << 16);
  std::iota(v.begin(), v.end(), 0);
  pool.ParallelFor(0, v.size(), 0, [&](size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; ++i) v[i] += 2;
  });
  for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i + 2);
  pool.ParallelFor(5, 5, 1, [&](size_t) { FAIL(); });  // empty range
}

TEST_P(ThreadPoolTest, ScopeTasksBorrowFromStack) {
  ThreadPool pool(Workers(), ThreadPool::Placement::kFloating, CallerRole());
  std::vector<int> out(200, 0);
  std::atomic<int> nested{0};
  pool.Scope([&](ThreadPool::ScopeHandle& s) {
    for (size_t i = 0; i < out.size(); ++i) {
      s.SpawnScoped([&out, &s, &nested, i] {
        out[i] = static_cast<int>(i) * 2;
        s.SpawnScoped([&nested] { nested.fetch_add(1); });
      });
    }
  });
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], static_cast<int>(i) * 2);
  EXPECT_EQ(nested.load(), 200);
}

TEST_P(ThreadPoolTest, ExceptionsReachTheWaiter) {
  ThreadPool pool(Workers(), ThreadPool::Placement::kFloating, CallerRole());
  int b_ran = 0;
  EXPECT_THROW(pool.Join([] { throw std::runtime_error("a"); }, [&] { b_ran = 1; }),
               std::runtime_error);
  EXPECT_EQ(b_ran, 1);  // b still completed before Join returned
  EXPECT_THROW(pool.Join([] {}, [] { throw std::logic_error("b"); }), std::logic_error);
  EXPECT_THROW(pool.ParallelFor(0, 1000, 10,
                                [](size_t i) {
                                  if (i == 777) throw std::out_of_range("777");
                                }),
               std::out_of_range);
  std::atomic<int> finished{0};
  EXPECT_THROW(pool.Scope([&](ThreadPool::ScopeHandle& s) {
    for (int i = 0; i < 50; ++i) {
      s.SpawnScoped([&finished, i] {
        if (i == 7) throw std::runtime_error("task 7");
        finished.fetch_add(1);
      });
    }
  }),
               std::runtime_error);
  EXPECT_EQ(finished.load(), 49);
  // Thrown from inside a worker, caught by a worker.
  Notification done;
  bool caught = false;
  pool.SpawnDetached([&] {
    try {
      pool.Join([] { throw 1; }, [] {});
    } catch (int) {
      caught = true;
    }
    done.Set();
  });
  done.Wait();
  EXPECT_TRUE(caught);
}

TEST_P(ThreadPoolTest, ManyExternalCallersAtOnce) {
  ThreadPool pool(Workers(), ThreadPool::Placement::kFloating, CallerRole());
  std::vector<std::thread> callers;
  std::atomic<uint64_t> total{0};
  for (int t = 0; t < 8; ++t) {
    callers.emplace_back([&] {
      for (int r = 0; r < 5; ++r) total.fetch_add(Fib(pool, 16));
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(total.load(), 8u * 5u * 987u);
}

TEST_P(ThreadPoolTest, DestructionRunsPendingWork) {
  std::atomic<int> count{0};
  {
    ThreadPool pool(Workers(), ThreadPool::Placement::kFloating, CallerRole());
    // Block the workers briefly so work piles up, including work that spawns
    // more work.
    for (size_t w = 0; w < Workers(); ++w) {
      pool.SpawnDetached([] { std::this_thread::sleep_for(5ms); });
    }
    for (int i = 0; i < 100; ++i) {
      pool.SpawnDetached([&pool, &count] {
        count.fetch_add(1);
        pool.SpawnDetached([&count] { count.fetch_add(1); });
      });
    }
  }
  EXPECT_EQ(count.load(), 200);
}

TEST_P(ThreadPoolTest, IdleWorkersSleep) {
  ThreadPool pool(Workers(), ThreadPool::Placement::kFloating, CallerRole());
  pool.ParallelFor(0, 1000, 1, [](size_t) {});
  std::this_thread::sleep_for(20ms);
  timespec a, b;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
  std::this_thread::sleep_for(100ms);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
  const double cpu_ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
  EXPECT_LT(cpu_ms, 20.0) << "idle pool burned CPU";
}

TEST_P(ThreadPoolTest, PerturbedJoinsAndScopes) {
  struct Perturbed {
    Perturbed() { EnablePerturbation(777); }
    ~Perturbed() { DisablePerturbation(); }
  } perturbed;
  ThreadPool pool(Workers(), ThreadPool::Placement::kFloating, CallerRole());
  EXPECT_EQ(Fib(pool, 18), 2584u);
  std::atomic<int> n{0};
  pool.Scope([&](ThreadPool::ScopeHandle& s) {
    for (int i = 0; i < 100; ++i) s.SpawnScoped([&n] { n.fetch_add(1); });
  });
  EXPECT_EQ(n.load(), 100);
}

TEST(ThreadPoolStress, ManyPoolsManyThreads) {
  // 4 pools x 8 workers on a small machine, hammered concurrently.
  std::vector<std::unique_ptr<ThreadPool>> pools;
  for (int i = 0; i < 4; ++i) pools.push_back(std::make_unique<ThreadPool>(8));
  std::vector<std::thread> threads;
  std::atomic<uint64_t> sum{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      ThreadPool& pool = *pools[t % pools.size()];
      for (int r = 0; r < 3; ++r) {
        std::atomic<uint64_t> local{0};
        pool.ParallelFor(0, 2000, 7, [&](size_t i) { local.fetch_add(i); });
        sum.fetch_add(local.load());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(sum.load(), 8u * 3u * (2000u * 1999u / 2));
}

// Regression: a thread outside the pool (the timer, in the coroutine
// strategies) queues the job that lets the owner go on to destroy the pool
// while the submitter is still waking a worker. The destructor must wait for
// it (TSan reported a use after free here before it did).
TEST(ThreadPoolTeardown, WaitsForAnExternalSubmitterStillWaking) {
  for (int i = 0; i < 200; ++i) {
    auto pool = std::make_unique<ThreadPool>(2);
    ThreadPool* raw = pool.get();
    std::atomic<bool> done{false};
    std::thread submitter([raw, &done] {
      raw->SpawnDetached([&done] { done.store(true, std::memory_order_release); });
    });
    while (!done.load(std::memory_order_acquire)) std::this_thread::yield();
    pool.reset();
    submitter.join();
  }
}

}  // namespace
}  // namespace harness::runtime
