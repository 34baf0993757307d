// Copyright: the concurrency-harness authors.
// Tests for task.h, sync_wait.h, when_all.h and executor.h.
#include "harness/runtime/task.h"

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/notification.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/when_all.h"

namespace harness::runtime {
namespace {

Task<int> Value(int v) { co_return v; }

Task<int> Add(Executor& ex, int a, int b) {
  co_await ex.Schedule();
  co_return co_await Value(a) + co_await Value(b);
}

Task<void> Throws(Executor& ex) {
  co_await ex.Schedule();
  throw std::runtime_error("boom");
}

Task<int> Deep(int n) {
  if (n == 0) co_return 0;
  co_return 1 + co_await Deep(n - 1);
}

Task<uint64_t> Loop(int n) {
  // Symmetric transfer: a long loop of synchronously completing awaits must
  // not grow the stack.
  uint64_t sum = 0;
  for (int i = 0; i < n; ++i) sum += static_cast<uint64_t>(co_await Value(i));
  co_return sum;
}

TEST(TaskTest, InlineResultsAndNesting) {
  InlineExecutor ex;
  EXPECT_EQ(SyncWait(Add(ex, 2, 3)), 5);
  EXPECT_EQ(SyncWait(Deep(1000)), 1000);
  EXPECT_EQ(SyncWait(Loop(1000000)), 499999500000ull);
  std::string s = SyncWait([]() -> Task<std::string> { co_return std::string(100, 'y'); }());
  EXPECT_EQ(s.size(), 100u);
}

TEST(TaskTest, LazyAndUnstartedTaskIsFreed) {
  auto flag = std::make_shared<int>(0);
  {
    auto t = [](std::shared_ptr<int> f) -> Task<void> {
      *f = 1;
      co_return;
    }(flag);
    EXPECT_EQ(flag.use_count(), 2);  // the frame holds a copy
  }
  EXPECT_EQ(*flag, 0);             // never ran
  EXPECT_EQ(flag.use_count(), 1);  // frame destroyed
}

TEST(TaskTest, ExceptionPropagatesThroughAwait) {
  ThreadPool pool(2);
  PoolExecutor ex(pool);
  EXPECT_THROW(SyncWait(Throws(ex)), std::runtime_error);
  auto catcher = [](Executor& ex) -> Task<bool> {
    try {
      co_await Throws(ex);
    } catch (const std::runtime_error&) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(SyncWait(catcher(ex)));
}

TEST(TaskTest, RunsOnPoolThreads) {
  ThreadPool pool(2);
  PoolExecutor ex(pool);
  auto where = [](Executor& ex) -> Task<bool> {
    co_await ex.Schedule();
    co_return ThreadPool::Current() != nullptr;
  };
  EXPECT_TRUE(SyncWait(where(ex)));
}

TEST(TaskTest, WhenAllVectorAndTuple) {
  ThreadPool pool(4);
  PoolExecutor ex(pool);
  std::vector<Task<int>> tasks;
  for (int i = 0; i < 2000; ++i) tasks.push_back(Add(ex, i, 1));
  std::vector<int> out = SyncWait(WhenAll(std::move(tasks)));
  ASSERT_EQ(out.size(), 2000u);
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(out[i], i + 1);

  auto both = [](Executor& ex) -> Task<int> {
    auto [a, v, b] = co_await WhenAll(
        Add(ex, 1, 1), [](Executor& ex) -> Task<void> { co_await ex.Schedule(); }(ex),
        Add(ex, 2, 2));
    (void)v;
    co_return a + b;
  };
  EXPECT_EQ(SyncWait(both(ex)), 6);

  std::atomic<int> n{0};
  std::vector<Task<void>> voids;
  for (int i = 0; i < 100; ++i) {
    voids.push_back([](Executor& ex, std::atomic<int>& n) -> Task<void> {
      co_await ex.Schedule();
      n.fetch_add(1);
    }(ex, n));
  }
  SyncWait(WhenAll(std::move(voids)));
  EXPECT_EQ(n.load(), 100);
  SyncWait(WhenAll(std::vector<Task<void>>{}));  // empty
}

TEST(TaskTest, WhenAllRethrowsAfterAllFinish) {
  ThreadPool pool(2);
  PoolExecutor ex(pool);
  std::atomic<int> finished{0};
  std::vector<Task<void>> tasks;
  for (int i = 0; i < 50; ++i) {
    tasks.push_back([](Executor& ex, std::atomic<int>& f, int i) -> Task<void> {
      co_await ex.Schedule();
      if (i % 10 == 3) throw std::runtime_error("child");
      f.fetch_add(1);
    }(ex, finished, i));
  }
  EXPECT_THROW(SyncWait(WhenAll(std::move(tasks))), std::runtime_error);
  EXPECT_EQ(finished.load(), 45);
}

TEST(TaskTest, YieldLetsOthersRunOnOneWorker) {
  ThreadPool pool(1);
  PoolExecutor ex(pool);
  std::vector<int> order;  // only touched on the single worker
  auto worker = [](Executor& ex, std::vector<int>& order, int id) -> Task<void> {
    co_await ex.Schedule();
    for (int i = 0; i < 3; ++i) {
      order.push_back(id);
      co_await Yield(ex);
    }
  };
  auto parent = [&]() -> Task<void> {
    co_await ex.Schedule();  // start both children from the worker
    co_await WhenAll(worker(ex, order, 1), worker(ex, order, 2));
  };
  SyncWait(parent());
  ASSERT_EQ(order.size(), 6u);
  // Interleaved rather than 1,1,1,2,2,2.
  EXPECT_NE(order, (std::vector<int>{1, 1, 1, 2, 2, 2}));
}

TEST(TaskTest, DetachedSpawnAndManyThreads) {
  ThreadPool pool(8);  // oversubscribed
  PoolExecutor ex(pool);
  std::atomic<int> done{0};
  Notification all;
  for (int i = 0; i < 500; ++i) {
    StartDetached(ex, [](Executor& ex, std::atomic<int>& done, Notification& all) -> Task<void> {
      co_await Yield(ex);
      if (done.fetch_add(1) + 1 == 500) all.Set();
    }(ex, done, all));
  }
  all.Wait();
  EXPECT_EQ(done.load(), 500);
}

TEST(TaskTest, ThreadExecutorRunsInOrder) {
  std::vector<int> seen;
  {
    ThreadExecutor ex;
    for (int i = 0; i < 100; ++i) {
      auto* p = new std::pair<std::vector<int>*, int>(&seen, i);
      ex.Execute(JobRef{[](void* d) noexcept {
                          std::unique_ptr<std::pair<std::vector<int>*, int>> p(
                              static_cast<std::pair<std::vector<int>*, int>*>(d));
                          p->first->push_back(p->second);
                        },
                        p});
    }
  }  // destructor drains
  ASSERT_EQ(seen.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[i], i);
}

}  // namespace
}  // namespace harness::runtime
