// Copyright: the concurrency-harness authors.
#include "harness/runtime/spinlock.h"

#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace harness::runtime {
namespace {

TEST(SpinlockTest, MutualExclusionUnderOversubscription) {
  Spinlock lock;
  int64_t counter = 0;  // guarded by `lock` (plain data: TSan checks it)
  constexpr int kThreads = 16, kIters = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIters; ++i) {
        if (i % 2) {
          SpinlockHolder h(&lock);
          ++counter;
        } else {
          std::lock_guard<Spinlock> g(lock);
          ++counter;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter, int64_t{kThreads} * kIters);
}

TEST(SpinlockTest, TryLock) {
  Spinlock lock;
  if (lock.TryLock()) {
    std::thread([&] {
      if (lock.TryLock()) {
        ADD_FAILURE() << "acquired a held lock";
        lock.Unlock();
      }
    }).join();
    lock.Unlock();
  } else {
    FAIL() << "free lock not acquired";
  }
  if (lock.TryLock()) {
    lock.Unlock();
  } else {
    FAIL() << "released lock not acquired";
  }
}

}  // namespace
}  // namespace harness::runtime
