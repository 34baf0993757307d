// Copyright: the concurrency-harness authors.
#include "harness/runtime/channel.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "harness/runtime/perturb.h"

namespace harness::runtime {
namespace {

using namespace std::chrono_literals;

// Each typed case: a channel family and whether it is bounded.
template <template <typename> class Family, size_t kCapacity>
struct Kind {
  template <typename T>
  static auto Make() {
    if constexpr (kCapacity == 0) {
      return Family<T>::Unbounded();
    } else {
      return Family<T>::Bounded(kCapacity);
    }
  }
  static constexpr size_t capacity = kCapacity;
};

using Kinds = ::testing::Types<Kind<Channel, 0>, Kind<Channel, 4>, Kind<MutexChannel, 0>,
                               Kind<MutexChannel, 4>>;

template <typename K>
class ChannelTest : public ::testing::Test {};
TYPED_TEST_SUITE(ChannelTest, Kinds);

TYPED_TEST(ChannelTest, SendRecvInOrderAcrossBlocks) {
  auto [tx, rx] = TypeParam::template Make<int>();
  constexpr int kN = 1000;  // many blocks of the fast core
  std::thread producer([tx = std::move(tx)]() mutable {
    for (int i = 0; i < kN; ++i) ASSERT_TRUE(tx.Send(i).ok());
  });
  for (int i = 0; i < kN; ++i) {
    std::optional<int> v = rx.Recv();
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(*v, i);
  }
  producer.join();
  EXPECT_FALSE(rx.Recv().has_value());  // closed once the sender is gone
}

TYPED_TEST(ChannelTest, StringsAreMovedNotCopied) {
  auto [tx, rx] = TypeParam::template Make<std::string>();
  const std::string big(1000, 'x');
  std::string s = big;
  ASSERT_TRUE(tx.Send(std::move(s)).ok());
  ASSERT_TRUE(tx.Send("short").ok());
  EXPECT_EQ(*rx.Recv(), big);
  EXPECT_EQ(*rx.Recv(), "short");
}

TYPED_TEST(ChannelTest, MoveOnlyPayload) {
  auto [tx, rx] = TypeParam::template Make<std::unique_ptr<int>>();
  ASSERT_TRUE(tx.Send(std::make_unique<int>(7)).ok());
  std::optional<std::unique_ptr<int>> v = rx.Recv();
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(**v, 7);
}

TYPED_TEST(ChannelTest, TryRecvReportsEmptyThenClosed) {
  auto [tx, rx] = TypeParam::template Make<int>();
  EXPECT_EQ(rx.TryRecv().status(), RecvStatus::kEmpty);
  ASSERT_TRUE(tx.Send(1).ok());
  RecvResult<int> r = rx.TryRecv();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 1);
  ASSERT_TRUE(tx.Send(2).ok());
  tx.Close();
  // Drains before reporting closed.
  EXPECT_EQ(*rx.TryRecv(), 2);
  EXPECT_EQ(rx.TryRecv().status(), RecvStatus::kClosed);
  EXPECT_EQ(rx.RecvFor(1ms).status(), RecvStatus::kClosed);
}

TYPED_TEST(ChannelTest, RecvForTimesOut) {
  auto [tx, rx] = TypeParam::template Make<int>();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(rx.RecvFor(20ms).status(), RecvStatus::kTimeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  std::thread t([&tx = tx] {
    std::this_thread::sleep_for(5ms);
    tx.Send(5);
  });
  RecvResult<int> r = rx.RecvFor(10s);
  t.join();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 5);
}

TYPED_TEST(ChannelTest, SendAfterReceiverGoneHandsValueBack) {
  auto [tx, rx] = TypeParam::template Make<std::string>();
  ASSERT_TRUE(tx.Send("delivered-but-never-read").ok());
  {
    auto gone = std::move(rx);
  }
  SendResult<std::string> r = tx.Send("back");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.value(), "back");
}

TYPED_TEST(ChannelTest, CopiedSendersKeepChannelOpen) {
  auto [tx, rx] = TypeParam::template Make<int>();
  auto tx2 = tx;
  tx.Close();
  EXPECT_EQ(rx.TryRecv().status(), RecvStatus::kEmpty);
  ASSERT_TRUE(tx2.Send(3).ok());
  {
    auto last = std::move(tx2);
  }
  EXPECT_EQ(*rx.Recv(), 3);
  EXPECT_FALSE(rx.Recv().has_value());
}

TYPED_TEST(ChannelTest, LastSenderDestroyedWhileReceiverWaits) {
  for (int round = 0; round < 20; ++round) {
    auto [tx, rx] = TypeParam::template Make<int>();
    std::thread t([tx = std::move(tx), round]() mutable {
      if (round % 2) std::this_thread::sleep_for(1ms);
      tx.Send(1);
      // tx destroyed here, possibly while the receiver is parked.
    });
    EXPECT_EQ(*rx.Recv(), 1);
    EXPECT_FALSE(rx.Recv().has_value());
    t.join();
  }
}

TYPED_TEST(ChannelTest, ReceiverDestroyedWhileSendersSend) {
  for (int round = 0; round < 10; ++round) {
    auto [tx, rx] = TypeParam::template Make<std::string>();
    std::atomic<int> failed{0};
    std::vector<std::thread> senders;
    for (int s = 0; s < 4; ++s) {
      senders.emplace_back([tx, &failed] {
        for (int i = 0;; ++i) {
          SendResult<std::string> r = tx.Send(std::to_string(i));
          if (!r.ok()) {
            EXPECT_EQ(r.value(), std::to_string(i));
            failed.fetch_add(1);
            return;
          }
        }
      });
    }
    tx.Close();
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(rx.Recv().has_value());
    {
      auto gone = std::move(rx);
    }  // senders, some blocked when bounded, fail
    for (auto& t : senders) t.join();
    EXPECT_EQ(failed.load(), 4);
  }
}

TYPED_TEST(ChannelTest, PerProducerOrderWithManyProducers) {
  // Many more threads than cores.
  constexpr int kProducers = 24;
  constexpr int kPerProducer = 800;
  auto [tx, rx] = TypeParam::template Make<std::pair<int, int>>();
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([tx, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        ASSERT_TRUE(tx.Send({p, i}).ok());
      }
    });
  }
  tx.Close();
  std::vector<int> next(kProducers, 0);
  int received = 0;
  while (std::optional<std::pair<int, int>> v = rx.Recv()) {
    ASSERT_EQ(v->second, next[v->first]) << "producer " << v->first;
    ++next[v->first];
    ++received;
  }
  EXPECT_EQ(received, kProducers * kPerProducer);
  for (auto& t : producers) t.join();
}

TYPED_TEST(ChannelTest, PerturbedCloseAndDropRaces) {
  // Schedule perturbation (as `harness stress` uses it) around the races
  // between the last sender's drop, the receiver's drop and parking.
  struct Perturbed {
    Perturbed() { EnablePerturbation(12345); }
    ~Perturbed() { DisablePerturbation(); }
  } perturbed;
  for (int round = 0; round < 30; ++round) {
    auto [tx, rx] = TypeParam::template Make<int>();
    std::vector<std::thread> senders;
    for (int s = 0; s < 3; ++s) {
      senders.emplace_back([tx] {
        for (int i = 0; i < 40; ++i) {
          if (!tx.Send(i).ok()) return;  // receiver dropped early (odd rounds)
        }
      });
    }
    tx.Close();
    int received = 0;
    if (round % 2 == 0) {
      while (rx.Recv()) ++received;
      EXPECT_EQ(received, 120);
    } else {
      for (int i = 0; i < 10; ++i) ASSERT_TRUE(rx.Recv().has_value());
      auto gone = std::move(rx);
    }
    for (auto& t : senders) t.join();
  }
}

TYPED_TEST(ChannelTest, BoundedAppliesBackPressure) {
  if constexpr (TypeParam::capacity == 0) {
    GTEST_SKIP() << "unbounded";
  } else {
    auto [tx, rx] = TypeParam::template Make<int>();
    std::atomic<int> sent{0};
    std::thread t([tx = std::move(tx), &sent]() mutable {
      for (int i = 0; i < 10; ++i) {
        tx.Send(i);
        sent.fetch_add(1);
      }
    });
    std::this_thread::sleep_for(30ms);
    EXPECT_LE(sent.load(), static_cast<int>(TypeParam::capacity));
    for (int i = 0; i < 10; ++i) EXPECT_EQ(*rx.Recv(), i);
    t.join();
    EXPECT_EQ(sent.load(), 10);
  }
}

TYPED_TEST(ChannelTest, UndeliveredValuesAreDestroyed) {
  auto counter = std::make_shared<int>(0);
  {
    auto [tx, rx] = TypeParam::template Make<std::shared_ptr<int>>();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(tx.Send(counter).ok());
    EXPECT_EQ(counter.use_count(), 4);
  }
  EXPECT_EQ(counter.use_count(), 1);
}

}  // namespace
}  // namespace harness::runtime
