// Copyright: the concurrency-harness authors.
//
// Regression tests for the thread pool's wake protocol (issue 10, items 1 and
// 1b, and the sleep re-check of issue 19). Each drives its bad interleaving
// deterministically through injection points (a hook holds one thread at one
// point until another event happened) and runs twice: with the seeded fault
// on (the old, buggy path: the test must see the lost wake-up) and off (the
// fix: the test must see the job run).
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <set>
#include <thread>

#include "gtest/gtest.h"
#include "harness/runtime/injection.h"
#include "harness/runtime/injection_test_util.h"
#include "harness/runtime/thread_pool.h"

namespace harness::runtime {

// Reads the pool's wake state; used only to wait until the pool is quiet
// (no wake-up in flight) before a scenario starts.
class ThreadPoolTestPeer {
 public:
  static uint32_t Sleepers(ThreadPool& p) { return p.sleepers_.load(); }
  static bool WakePending(ThreadPool& p) { return p.wake_pending_.load(); }
  static const void* EpochAddress(ThreadPool& p) { return &p.sleep_epoch_; }
};

namespace {

using inject::Fault;
using inject::Point;
using injection_test::kEventBound;
using injection_test::kStrandBound;
using injection_test::MaybeFault;
using injection_test::Monitor;
using injection_test::Script;
using injection_test::tls_role;

// Tracks the workers parked on the sleep futex (between pool.sleep_park and
// pool.woken), by thread id; shared by the scenarios' scripts.
struct ParkCount {
  int parked = 0;
  std::set<pid_t> tids;
  static inline thread_local bool tls_parked = false;
  // Call from the script for every point; updates the set under `m`.
  void Track(Monitor& m, Point p) {
    if (p == Point::kPoolSleepPark && !tls_parked) {
      tls_parked = true;
      const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
      m.Set([&] { ++parked, tids.insert(tid); });
    } else if (p == Point::kPoolWoken && tls_parked) {
      tls_parked = false;
      const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
      m.Set([&] { --parked, tids.erase(tid); });
    }
  }
};

// True if thread `tid` of this process is blocked in the futex system call on
// `addr` (the kernel's own view, /proc/self/task/<tid>/syscall), i.e. past
// the point where a changed epoch would still let it return by itself.
bool InFutexWaitOn(pid_t tid, const void* addr) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/task/%d/syscall", static_cast<int>(tid));
  FILE* f = std::fopen(path, "r");
  if (f == nullptr) return false;
  long nr = -1;
  uint64_t arg0 = 0;
  const int got = std::fscanf(f, "%ld %" SCNx64, &nr, &arg0);
  std::fclose(f);
  return got == 2 && nr == SYS_futex &&
         arg0 == static_cast<uint64_t>(reinterpret_cast<uintptr_t>(addr));
}

// Waits until exactly `n` workers are parked (blocked in the kernel on the
// sleep futex), counted as sleepers, and no wake-up is in flight.
bool WaitQuiet(Monitor& m, ParkCount& pc, ThreadPool& pool, int n) {
  const void* epoch = ThreadPoolTestPeer::EpochAddress(pool);
  const auto until = std::chrono::steady_clock::now() + kEventBound;
  while (std::chrono::steady_clock::now() < until) {
    if (m.WaitFor([&] { return pc.parked == n; }, std::chrono::milliseconds(10)) &&
        ThreadPoolTestPeer::Sleepers(pool) == static_cast<uint32_t>(n) &&
        !ThreadPoolTestPeer::WakePending(pool)) {
      const std::set<pid_t> tids = m.Read([&] { return pc.tids; });
      bool all_in_kernel = tids.size() == static_cast<size_t>(n);
      for (pid_t t : tids) all_in_kernel = all_in_kernel && InFutexWaitOn(t, epoch);
      // Re-check after the reads: still the same n parked.
      if (all_in_kernel && m.Read([&] { return pc.tids == tids; })) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

constexpr int kSubmitter = 1;
constexpr int kJobD = 2;

// Issue 10, item 1. Three workers. D runs on W0; an outside thread submits J1
// and is held right after setting wake_pending_ (pool.wake) while D pushes J2
// onto W0's own deque (its wake is skipped: one is in flight). The woken
// worker takes J1 from the injector; J1 and D then block until J2 ran. J2 runs
// only if the woken worker passes the wake on to the third worker.
// Returns whether J2 ran while D and J1 were waiting for it.
bool WakePassedOnScenario(bool fault) {
  MaybeFault f(Fault::kPoolWakeNotPassedOn, fault);
  Monitor m;
  ParkCount pc;
  bool armed = false, t_blocked = false, j2_pushed = false, d_started = false;
  bool j2_done = false, d_done = false, j1_done = false;
  bool d_saw_j2 = false, j1_saw_j2 = false;
  Script script([&](Point p) {
    pc.Track(m, p);
    if (p == Point::kPoolWake && tls_role == kSubmitter && m.Read([&] { return armed; })) {
      m.Set([&] { t_blocked = true; });
      m.WaitFor([&] { return j2_pushed; }, kEventBound);
    }
  });
  ThreadPool pool(3);
  EXPECT_TRUE(WaitQuiet(m, pc, pool, 3)) << "pool never went quiet";
  pool.SpawnDetached([&] {
    m.Set([&] { d_started = true; });
    if (!m.WaitFor([&] { return t_blocked; }, kEventBound)) ADD_FAILURE() << "no wake in flight";
    pool.SpawnDetached([&] { m.Set([&] { j2_done = true; }); });  // onto W0's deque
    m.Set([&] { j2_pushed = true; });
    const bool saw = m.WaitFor([&] { return j2_done; }, kStrandBound);
    m.Set([&] { d_saw_j2 = saw, d_done = true; });
  });
  EXPECT_TRUE(m.WaitFor([&] { return d_started; }, kEventBound));
  EXPECT_TRUE(WaitQuiet(m, pc, pool, 2)) << "the other two workers never parked";
  m.Set([&] { armed = true; });
  tls_role = kSubmitter;
  pool.SpawnDetached([&] {  // J1, onto the injector; this thread is held in WakeOne
    const bool saw = m.WaitFor([&] { return j2_done; }, kStrandBound);
    m.Set([&] { j1_saw_j2 = saw, j1_done = true; });
  });
  tls_role = 0;
  m.Set([&] { armed = false; });
  EXPECT_TRUE(
      m.WaitFor([&] { return d_done && j1_done && j2_done; }, kEventBound + 2 * kStrandBound));
  return m.Read([&] { return d_saw_j2 && j1_saw_j2; });
}

TEST(ThreadPoolWakeTest, WokenWorkerPassesTheWakeOn) {
  EXPECT_TRUE(WakePassedOnScenario(/*fault=*/false));
}
TEST(ThreadPoolWakeTest, WakeNotPassedOnStrandsJob_Fault) {
  EXPECT_FALSE(WakePassedOnScenario(/*fault=*/true))
      << "the seeded lost wake-up went unseen: the test cannot fail";
}

// Issue 10, item 1b. Two workers. D runs on W0. S (the other worker) enters
// the sleep path and is held between the two statements "read the sleep
// epoch" and "clear wake_pending_" (pool.sleep_flag). Meanwhile J1 is
// submitted (setting the flag and bumping the epoch, waking nobody) and taken
// by W0 once D returns; J1 then waits for J2, submitted after S parked. With
// the flag cleared before the epoch read (the fault), S reads the new epoch,
// parks with the flag still set, and J2's wake is skipped forever.
// Returns whether J2 ran while J1 waited for it.
bool FlagClearedAfterEpochScenario(bool fault) {
  MaybeFault f(Fault::kPoolFlagClearedBeforeEpoch, fault);
  Monitor m;
  ParkCount pc;
  static thread_local bool tls_gap_thread = false;
  bool gap_armed = false, s_in_gap = false, s_parking = false;
  bool d_started = false, release_d = false, j1_started = false;
  bool j2_done = false, j1_done = false, j1_saw_j2 = false;
  Script script([&](Point p) {
    pc.Track(m, p);
    if (p == Point::kPoolSleepFlag && tls_role != kJobD) {
      bool mine = false;
      m.Set([&] {
        if (gap_armed) {
          gap_armed = false;
          mine = true;
          s_in_gap = true;
        }
      });
      if (mine) {
        tls_gap_thread = true;
        m.WaitFor([&] { return j1_started; }, kEventBound);
      }
    } else if (p == Point::kPoolSleepPark && tls_gap_thread) {
      tls_gap_thread = false;
      m.Set([&] { s_parking = true; });
    }
  });
  ThreadPool pool(2);
  EXPECT_TRUE(WaitQuiet(m, pc, pool, 2)) << "pool never went quiet";
  pool.SpawnDetached([&] {  // D: keeps W0 busy, so J1 is taken outside the sleep path
    tls_role = kJobD;
    m.Set([&] { d_started = true; });
    m.WaitFor([&] { return release_d; }, kEventBound);
    tls_role = 0;
  });
  EXPECT_TRUE(m.WaitFor([&] { return d_started; }, kEventBound));
  EXPECT_TRUE(WaitQuiet(m, pc, pool, 1));
  m.Set([&] { gap_armed = true; });
  pool.SpawnDetached([] {});  // J0: wakes S, which runs it and re-enters the sleep path
  EXPECT_TRUE(m.WaitFor([&] { return s_in_gap; }, kEventBound)) << "S never reached the gap";
  pool.SpawnDetached([&] {  // J1: flag set + epoch bumped while S is in the gap
    m.Set([&] { j1_started = true; });
    const bool saw = m.WaitFor([&] { return j2_done; }, kStrandBound);
    m.Set([&] { j1_saw_j2 = saw, j1_done = true; });
  });
  m.Set([&] { release_d = true; });  // W0 leaves D and takes J1
  EXPECT_TRUE(m.WaitFor([&] { return s_parking; }, kEventBound)) << "S never parked";
  pool.SpawnDetached([&] { m.Set([&] { j2_done = true; }); });  // J2
  EXPECT_TRUE(m.WaitFor([&] { return j1_done && j2_done; }, kEventBound + kStrandBound));
  return m.Read([&] { return j1_saw_j2; });
}

TEST(ThreadPoolWakeTest, SleeperReadsEpochBeforeClearingFlag) {
  EXPECT_TRUE(FlagClearedAfterEpochScenario(/*fault=*/false));
}
TEST(ThreadPoolWakeTest, FlagClearedBeforeEpochLosesWakes_Fault) {
  EXPECT_FALSE(FlagClearedAfterEpochScenario(/*fault=*/true))
      << "the seeded stuck wake flag went unseen: the test cannot fail";
}

// Issue 19: a worker that announces it sleeps must re-check the queues. One
// worker, held just before it announces sleep (pool.sleep_enter) while a job
// is submitted (the submitter sees no sleeper, so wakes nobody). Returns
// whether the job ran without the worker first parking while it was queued.
bool SleepRechecksScenario(bool fault) {
  MaybeFault f(Fault::kPoolSleepWithoutRecheck, fault);
  Monitor m;
  ParkCount pc;
  bool armed = false, at_enter = false, pushed = false, started = false;
  bool parked_with_job = false;
  Script script([&](Point p) {
    pc.Track(m, p);
    if (p == Point::kPoolSleepEnter) {
      bool mine = false;
      m.Set([&] {
        if (armed) {
          armed = false;
          mine = true;
          at_enter = true;
        }
      });
      if (mine) m.WaitFor([&] { return pushed; }, kEventBound);
    } else if (p == Point::kPoolSleepPark) {
      m.Set([&] {
        if (pushed && !started) parked_with_job = true;
      });
    }
  });
  ThreadPool pool(1);
  EXPECT_TRUE(WaitQuiet(m, pc, pool, 1));
  m.Set([&] { armed = true; });
  pool.SpawnDetached([] {});  // wakes the worker; it runs this, then heads to sleep
  EXPECT_TRUE(m.WaitFor([&] { return at_enter; }, kEventBound));
  pool.SpawnDetached([&] { m.Set([&] { started = true; }); });
  m.Set([&] { pushed = true; });
  EXPECT_TRUE(m.WaitFor([&] { return started || parked_with_job; }, kEventBound));
  const bool ok = m.Read([&] { return started && !parked_with_job; });
  return ok;  // ~ThreadPool wakes a stranded worker, which then runs the job
}

TEST(ThreadPoolWakeTest, SleeperRechecksQueues) {
  EXPECT_TRUE(SleepRechecksScenario(/*fault=*/false));
}
TEST(ThreadPoolWakeTest, SleepWithoutRecheckStrandsJob_Fault) {
  EXPECT_FALSE(SleepRechecksScenario(/*fault=*/true))
      << "the seeded missing re-check went unseen: the test cannot fail";
}

}  // namespace
}  // namespace harness::runtime
