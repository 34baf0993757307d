// Copyright: the concurrency-harness authors.
#include "harness/runtime/timer.h"

#include <atomic>
#include <chrono>
#include <vector>

#include "gtest/gtest.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/when_all.h"

namespace harness::runtime {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(TimerTest, SleepForWaitsAtLeastTheDuration) {
  ThreadPool pool(2);
  PoolExecutor ex(pool);
  auto sleeper = [](Executor& ex) -> Task<Clock::duration> {
    auto start = Clock::now();
    co_await SleepFor(ex, 20ms);
    co_return Clock::now() - start;
  };
  EXPECT_GE(SyncWait(sleeper(ex)), 20ms);
}

TEST(TimerTest, ManySleepersHoldNoThreads) {
  // 1000 concurrent sleepers on a 1-worker pool finish in about one sleep.
  ThreadPool pool(1);
  PoolExecutor ex(pool);
  Timer timer;
  std::vector<Task<void>> tasks;
  for (int i = 0; i < 1000; ++i) {
    tasks.push_back([](Timer& t, Executor& ex, int i) -> Task<void> {
      co_await t.SleepFor(ex, std::chrono::milliseconds(10 + i % 20));
    }(timer, ex, i));
  }
  const auto start = Clock::now();
  SyncWait(WhenAll(std::move(tasks)));
  EXPECT_LT(Clock::now() - start, 3s);
  EXPECT_EQ(timer.pending(), 0u);
}

TEST(TimerTest, FiresInDeadlineOrder) {
  InlineExecutor ex;  // jobs run on the timer thread, in order
  std::vector<int> order;
  std::atomic<int> count{0};
  struct Arg {
    std::vector<int>* order;
    std::atomic<int>* count;
    int id;
  };
  std::vector<Arg> args;
  args.reserve(5);
  {
    Timer timer;
    const auto now = Clock::now();
    const int ids[] = {3, 1, 4, 2, 5};
    for (int id : ids) {
      args.push_back(Arg{&order, &count, id});
      timer.Schedule(now + std::chrono::milliseconds(5 * id), ex,
                     JobRef{[](void* p) noexcept {
                              auto* a = static_cast<Arg*>(p);
                              a->order->push_back(a->id);
                              a->count->fetch_add(1);
                            },
                            &args.back()});
    }
    while (count.load() < 5) std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4, 5}));
}

TEST(TimerTest, DestructionFiresPendingEarly) {
  InlineExecutor ex;
  std::atomic<int> fired{0};
  {
    Timer timer;
    timer.Schedule(
        Clock::now() + 1h, ex,
        JobRef{[](void* p) noexcept { static_cast<std::atomic<int>*>(p)->fetch_add(1); }, &fired});
  }
  EXPECT_EQ(fired.load(), 1);
}

}  // namespace
}  // namespace harness::runtime
