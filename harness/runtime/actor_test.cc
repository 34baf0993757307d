// Copyright: the concurrency-harness authors.
#include "harness/runtime/actor.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "harness/runtime/sync_wait.h"
#include "harness/runtime/task.h"
#include "harness/runtime/thread_pool.h"
#include "harness/runtime/when_all.h"

namespace harness::runtime {
namespace {

using namespace std::chrono_literals;

struct Add {
  int k;
};
struct Get {};
struct Fail {};

// Not thread-safe on purpose: the actor serializes access.
struct Counter {
  int n = 0;
  int in_handler = 0;
  int max_in_handler = 0;
  std::vector<std::pair<int, int>> log;

  int Handle(Add a) {
    Enter();
    n += a.k;
    Leave();
    return n;
  }
  int Handle(Get) { return n; }
  int Handle(Fail) { throw std::runtime_error("fail"); }
  void Enter() { max_in_handler = std::max(max_in_handler, ++in_handler); }
  void Leave() { --in_handler; }
};

// Runs each test on a pool-multiplexed actor and an own-thread actor.
class ActorTest : public ::testing::TestWithParam<bool> {
 protected:
  std::unique_ptr<Actor<Counter>> Make() {
    if (GetParam()) return std::make_unique<Actor<Counter>>(kOwnThread);
    return std::make_unique<Actor<Counter>>(ex_);
  }
  ThreadPool pool_{4};
  PoolExecutor ex_{pool_};
};
INSTANTIATE_TEST_SUITE_P(Where, ActorTest, ::testing::Bool(), [](const auto& info) {
  return info.param ? std::string("own_thread") : std::string("pool");
});

TEST_P(ActorTest, TellAndAskTypedMessagesAndClosures) {
  auto a = Make();
  EXPECT_TRUE(a->Tell(Add{2}));
  EXPECT_EQ(a->Ask(Add{3}).Get(), 5);
  EXPECT_EQ(a->Ask(Get{}).Get(), 5);
  EXPECT_EQ(a->Ask([](Counter& c) { return std::to_string(c.n); }).Get(), "5");
  Reply<void> done = a->Ask([](Counter& c) { c.n = 0; });
  done.Get();
  EXPECT_EQ(a->Ask(Get{}).Get(), 0);
}

TEST_P(ActorTest, OneMessageAtATimeAndPerSenderOrder) {
  auto a = Make();
  constexpr int kSenders = 16, kPer = 200;  // many more threads than cores
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&a, s] {
      for (int i = 0; i < kPer; ++i) {
        a->Tell([s, i](Counter& c) {
          c.Enter();
          c.log.push_back({s, i});
          c.Leave();
        });
        if (i % 50 == 0) (void)a->Ask(Add{1}).Get();
      }
    });
  }
  for (auto& t : senders) t.join();
  auto [log, max_in] =
      a->Ask([](Counter& c) { return std::make_pair(c.log, c.max_in_handler); }).Get();
  EXPECT_EQ(max_in, 1);
  ASSERT_EQ(log.size(), static_cast<size_t>(kSenders * kPer));
  std::vector<int> next(kSenders, 0);
  for (auto [s, i] : log) {
    ASSERT_EQ(i, next[s]);
    ++next[s];
  }
}

TEST_P(ActorTest, ExceptionsReachTheAsker) {
  auto a = Make();
  EXPECT_THROW(a->Ask(Fail{}).Get(), std::runtime_error);
  EXPECT_EQ(a->Ask(Add{1}).Get(), 1);  // the actor keeps going
}

TEST_P(ActorTest, StopDrainsThenRejects) {
  auto a = Make();
  std::atomic<int> handled{0};
  a->Tell([](Counter&) { std::this_thread::sleep_for(5ms); });
  for (int i = 0; i < 100; ++i) {
    a->Tell([&handled](Counter&) { handled.fetch_add(1); });
  }
  Reply<int> pending = a->Ask(Add{7});
  a->Stop();
  EXPECT_EQ(handled.load(), 100);  // drained
  EXPECT_EQ(pending.Get(), 7);     // accepted before Stop: answered
  EXPECT_FALSE(a->Tell(Add{1}));   // rejected
  EXPECT_THROW(a->Ask(Get{}).Get(), ActorStopped);
  a->Stop();  // idempotent
}

TEST_P(ActorTest, AwaitAskFromCoroutines) {
  auto a = Make();
  auto client = [](Executor& ex, Actor<Counter>& a) -> Task<int> {
    co_await ex.Schedule();
    int last = 0;
    for (int i = 0; i < 20; ++i) last = co_await a.Ask(Add{1}).ResumeOn(&ex);
    co_return last;
  };
  std::vector<Task<int>> clients;
  for (int c = 0; c < 10; ++c) clients.push_back(client(ex_, *a));
  std::vector<int> lasts = SyncWait(WhenAll(std::move(clients)));
  EXPECT_EQ(*std::max_element(lasts.begin(), lasts.end()), 200);
  // Default: resume on the actor's executor.
  auto direct = [](Actor<Counter>& a) -> Task<int> { co_return co_await a.Ask(Get{}); };
  EXPECT_EQ(SyncWait(direct(*a)), 200);
}

TEST(ActorManyTest, ManyActorsOnOnePool) {
  ThreadPool pool(2);
  PoolExecutor ex(pool);
  std::vector<std::unique_ptr<Actor<Counter>>> actors;
  for (int i = 0; i < 50; ++i) actors.push_back(std::make_unique<Actor<Counter>>(ex));
  // Ring: each actor forwards to the next until hops run out.
  struct Hop {
    std::vector<std::unique_ptr<Actor<Counter>>>* actors;
    std::atomic<int>* done;
    int at, left;
    void operator()(Counter& c) const {
      ++c.n;
      if (left == 0) {
        done->fetch_add(1);
        return;
      }
      size_t next = (at + 1) % actors->size();
      (*actors)[next]->Tell(Hop{actors, done, static_cast<int>(next), left - 1});
    }
  };
  std::atomic<int> done{0};
  for (int i = 0; i < 50; ++i) actors[i]->Tell(Hop{&actors, &done, i, 100});
  while (done.load() < 50) std::this_thread::sleep_for(1ms);
  int total = 0;
  for (auto& a : actors) total += a->Ask(Get{}).Get();
  EXPECT_EQ(total, 50 * 101);
  for (auto& a : actors) a->Stop();
}

}  // namespace
}  // namespace harness::runtime
