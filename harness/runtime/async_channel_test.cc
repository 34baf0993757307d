// Copyright: the concurrency-harness authors.
#include "harness/runtime/async_channel.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/timer.h"
#include "harness/runtime/when_all.h"

namespace harness::runtime {
namespace {

Task<void> Produce(Executor& ex, AsyncChannel<std::pair<int, int>>& ch, int id, int n) {
  co_await ex.Schedule();
  for (int i = 0; i < n; ++i) {
    bool ok = co_await ch.Send({id, i});
    if (!ok) throw std::runtime_error("closed early");
  }
}

Task<int> Consume(Executor& ex, AsyncChannel<std::pair<int, int>>& ch, int producers) {
  co_await ex.Schedule();
  std::vector<int> next(producers, 0);
  int count = 0;
  while (std::optional<std::pair<int, int>> v = co_await ch.Recv()) {
    if (v->second != next[v->first]) throw std::runtime_error("out of order");
    ++next[v->first];
    ++count;
  }
  co_return count;
}

class AsyncChannelTest : public ::testing::TestWithParam<size_t> {};
INSTANTIATE_TEST_SUITE_P(Capacity, AsyncChannelTest, ::testing::Values(0, 1, 8),
                         [](const auto& info) { return "cap" + std::to_string(info.param); });

TEST_P(AsyncChannelTest, ProducersConsumerPerProducerOrder) {
  ThreadPool pool(4);
  PoolExecutor ex(pool);
  AsyncChannel<std::pair<int, int>> ch(&ex, GetParam());
  constexpr int kProducers = 8, kN = 300;
  auto all = [&]() -> Task<int> {
    std::vector<Task<void>> producers;
    for (int p = 0; p < kProducers; ++p) producers.push_back(Produce(ex, ch, p, kN));
    auto closer = [&](std::vector<Task<void>> ps) -> Task<void> {
      co_await WhenAll(std::move(ps));
      ch.Close();
    };
    auto [ignored, count] =
        co_await WhenAll(closer(std::move(producers)), Consume(ex, ch, kProducers));
    (void)ignored;
    co_return count;
  };
  EXPECT_EQ(SyncWait(all()), kProducers * kN);
}

TEST_P(AsyncChannelTest, CloseWakesSuspendedReceiversAndSenders) {
  ThreadPool pool(2);
  PoolExecutor ex(pool);
  AsyncChannel<std::string> ch(&ex, GetParam());
  std::atomic<int> suspended_receivers_done{0};
  std::vector<Task<void>> tasks;
  for (int i = 0; i < 3; ++i) {
    tasks.push_back(
        [](Executor& ex, AsyncChannel<std::string>& ch, std::atomic<int>& done) -> Task<void> {
          co_await ex.Schedule();
          std::optional<std::string> v = co_await ch.Recv();
          EXPECT_FALSE(v.has_value());
          done.fetch_add(1);
        }(ex, ch, suspended_receivers_done));
  }
  tasks.push_back([](Executor& ex, AsyncChannel<std::string>& ch) -> Task<void> {
    co_await SleepFor(ex, std::chrono::milliseconds(20));
    ch.Close();
  }(ex, ch));
  SyncWait(WhenAll(std::move(tasks)));
  EXPECT_EQ(suspended_receivers_done.load(), 3);
  EXPECT_FALSE(SyncWait(
      [](AsyncChannel<std::string>& ch) -> Task<bool> { co_return co_await ch.Send("late"); }(ch)));
}

TEST(AsyncChannelBounded, SenderSuspendsWhenFullAndCloseFailsIt) {
  InlineExecutor ex;
  AsyncChannel<int> ch(nullptr, 1);
  int results = 0;
  bool second_ok = true;
  auto sender = [&]() -> Task<void> {
    EXPECT_TRUE(co_await ch.Send(1));
    ++results;
    second_ok = co_await ch.Send(2);  // suspends: full
    ++results;
  };
  auto t = sender();
  StartDetached(ex, std::move(t));
  EXPECT_EQ(results, 1);  // suspended on the second send
  ch.Close();
  EXPECT_EQ(results, 2);
  EXPECT_FALSE(second_ok);
  // The first value is still drained after close.
  auto drain = [&]() -> Task<int> {
    std::optional<int> v = co_await ch.Recv();
    std::optional<int> w = co_await ch.Recv();
    co_return (v ? *v : -1) * 10 + (w ? 1 : 0);
  };
  EXPECT_EQ(SyncWait(drain()), 10);
}

}  // namespace
}  // namespace harness::runtime
