// Copyright: the concurrency-harness authors.
//
// ThreadPool::Caller::kJoins: an outside caller of Join / ParallelFor / Scope
// works in the last worker's place instead of waiting. Each test drives its
// case deterministically (notifications, not timing).
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

#include "gtest/gtest.h"
#include "harness/runtime/notification.h"
#include "harness/runtime/thread_pool.h"

namespace harness::runtime {
namespace {

using namespace std::chrono_literals;
using Caller = ThreadPool::Caller;
using Placement = ThreadPool::Placement;

// Join runs its first half inline: the piece holding index 0 runs on the
// caller itself, which is a worker of the pool for the call.
TEST(ThreadPoolCaller, TheCallerRunsTheFirstPieceAsAWorker) {
  ThreadPool pool(2, Placement::kFloating, Caller::kJoins);
  std::thread::id first_piece;
  bool caller_was_worker = false;
  pool.ParallelFor(0, 64, 1, [&](size_t i) {
    if (i == 0) {
      first_piece = std::this_thread::get_id();
      caller_was_worker = pool.IsWorkerThread();
    }
  });
  EXPECT_EQ(first_piece, std::this_thread::get_id());
  EXPECT_TRUE(caller_was_worker);
  EXPECT_FALSE(pool.IsWorkerThread());  // not after the call
}

// With kWaits (and with kJoins at one worker, which keeps its thread) the
// call runs on a pool thread while the caller waits.
TEST(ThreadPoolCaller, WaitingCallersAndOneWorkerPoolsHandTheCallOver) {
  for (ThreadPool::Caller caller : {Caller::kWaits, Caller::kJoins}) {
    for (size_t workers : {size_t{1}, size_t{2}}) {
      if (caller == Caller::kJoins && workers == 2) continue;
      ThreadPool pool(workers, Placement::kFloating, caller);
      std::thread::id ran_on;
      pool.ParallelFor(0, 1, 1, [&](size_t) { ran_on = std::this_thread::get_id(); });
      EXPECT_NE(ran_on, std::this_thread::get_id()) << "workers " << workers;
    }
  }
}

// The parallelism stays the worker count: the pool's threads and the caller
// together are never more than `workers` threads.
TEST(ThreadPoolCaller, ThreadsAndCallerAreTheWorkerCount) {
  constexpr size_t kWorkers = 3;
  ThreadPool pool(kWorkers, Placement::kFloating, Caller::kJoins);
  std::mutex mu;
  std::set<std::thread::id> seen;
  // Pieces long enough that every thread wakes and steals some.
  pool.ParallelFor(0, 200, 1, [&](size_t) {
    std::this_thread::sleep_for(100us);
    std::lock_guard<std::mutex> lock(mu);
    seen.insert(std::this_thread::get_id());
  });
  EXPECT_LE(seen.size(), kWorkers);
  EXPECT_EQ(seen.count(std::this_thread::get_id()), 1u);
}

// One caller holds the place at a time: a second outside caller meanwhile
// hands its call to the pool's threads (without that fallback it would wait
// for the place, which the first caller holds until the second finishes:
// this would hang).
TEST(ThreadPoolCaller, ASecondCallerRunsOnTheThreadsWhileThePlaceIsHeld) {
  ThreadPool pool(2, Placement::kFloating, Caller::kJoins);
  Notification first_inside, second_done;
  std::thread::id second_ran_on;
  std::thread first([&] {
    pool.ParallelFor(0, 1, 1, [&](size_t) {
      first_inside.Set();
      EXPECT_TRUE(second_done.WaitUntil(std::chrono::steady_clock::now() + 10s));
    });
  });
  first_inside.Wait();
  std::thread second([&] {
    pool.ParallelFor(0, 1, 1, [&](size_t) { second_ran_on = std::this_thread::get_id(); });
    EXPECT_NE(second_ran_on, std::this_thread::get_id());
    second_done.Set();
  });
  second.join();
  first.join();
}

// A job the caller queues in its place (here a task spawned from a piece it
// runs: its next job) still runs after the call returned: the threads search
// that place like any worker's queues.
TEST(ThreadPoolCaller, AJobLeftInTheCallersPlaceStillRuns) {
  ThreadPool pool(2, Placement::kFloating, Caller::kJoins);
  for (int round = 0; round < 100; ++round) {
    Notification ran;
    pool.ParallelFor(0, 1, 1, [&](size_t) { pool.SpawnDetached([&ran] { ran.Set(); }); });
    ASSERT_TRUE(ran.WaitUntil(std::chrono::steady_clock::now() + 10s)) << "round " << round;
  }
}

// A worker of another pool may call in: it is this pool's worker for the
// call, and its own pool's worker again afterwards.
TEST(ThreadPoolCaller, AWorkerOfAnotherPoolGetsItsIdentityBack) {
  ThreadPool outer(1);
  ThreadPool inner(2, Placement::kFloating, Caller::kJoins);
  Notification done;
  bool inner_during = false, outer_after = false;
  outer.SpawnDetached([&] {
    inner.ParallelFor(0, 1, 1, [&](size_t) { inner_during = ThreadPool::Current() == &inner; });
    outer_after = ThreadPool::Current() == &outer;
    done.Set();
  });
  done.Wait();
  EXPECT_TRUE(inner_during);
  EXPECT_TRUE(outer_after);
}

#if defined(__linux__)
// Pinned, the caller runs on the last worker's CPU for the call and gets its
// own CPUs back afterwards.
TEST(ThreadPoolCaller, APinnedPoolPinsTheCallerForTheCallOnly) {
  cpu_set_t before;
  CPU_ZERO(&before);
  ASSERT_EQ(sched_getaffinity(0, sizeof(before), &before), 0);
  ThreadPool pool(2, Placement::kPinned, Caller::kJoins);
  int cpus_during = -1;
  pool.ParallelFor(0, 1, 1, [&](size_t) {
    cpu_set_t mine;
    CPU_ZERO(&mine);
    if (sched_getaffinity(0, sizeof(mine), &mine) == 0) cpus_during = CPU_COUNT(&mine);
  });
  EXPECT_EQ(cpus_during, 1);
  cpu_set_t after;
  CPU_ZERO(&after);
  ASSERT_EQ(sched_getaffinity(0, sizeof(after), &after), 0);
  EXPECT_TRUE(CPU_EQUAL(&before, &after));
}
#endif

}  // namespace
}  // namespace harness::runtime
