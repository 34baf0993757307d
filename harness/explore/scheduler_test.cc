#include "harness/explore/scheduler.h"

#include <thread>

#include "gtest/gtest.h"

namespace harness::explore {
namespace {

namespace inject = runtime::inject;
using inject::Point;

SchedulerOptions Short() {
  SchedulerOptions o;
  o.delay = std::chrono::microseconds(1000);
  return o;
}

TEST(SchedulerTest, PlainCountsEveryHit) {
  ScopedSchedule s(Schedule::Plain(), Short());
  for (int i = 0; i < 3; ++i) inject::At(Point::kChannelSend);
  inject::At(Point::kChannelRecv);
  const HitCounts c = s.counts();
  EXPECT_EQ(c[static_cast<size_t>(Point::kChannelSend)], 3);
  EXPECT_EQ(c[static_cast<size_t>(Point::kChannelRecv)], 1);
  EXPECT_EQ(c[static_cast<size_t>(Point::kMutexLock)], 0);
}

TEST(SchedulerTest, HookIsRemovedAndCountsStartAtZero) {
  {
    ScopedSchedule s(Schedule::Plain(), Short());
    inject::At(Point::kChannelSend);
  }
  EXPECT_EQ(inject::internal::hook.load(), nullptr);
  ScopedSchedule s(Schedule::Plain(), Short());
  EXPECT_EQ(s.counts()[static_cast<size_t>(Point::kChannelSend)], 0);
}

// The delay lands on exactly the targeted hit, on whichever thread takes it.
TEST(SchedulerTest, DelayFiresAtTheTargetedHitOnTheThreadThatTakesIt) {
  ScopedSchedule s(Schedule::Delay(Point::kChannelSend, 2), Short());
  inject::At(Point::kChannelRecv);  // another point: not counted as a hit of send
  inject::At(Point::kChannelSend);  // hit 1
  EXPECT_FALSE(s.delay_fired());
  bool fired_in_thread = false;
  std::thread t([&] {
    inject::At(Point::kChannelSend);  // hit 2: this thread is delayed
    fired_in_thread = s.delay_fired();
  });
  t.join();
  EXPECT_TRUE(fired_in_thread);
  inject::At(Point::kChannelSend);  // hit 3: no second delay
  EXPECT_EQ(s.counts()[static_cast<size_t>(Point::kChannelSend)], 3);
}

TEST(SchedulerTest, DelayNotReachedDoesNotFire) {
  ScopedSchedule s(Schedule::Delay(Point::kChannelSend, 5), Short());
  for (int i = 0; i < 4; ++i) inject::At(Point::kChannelSend);
  EXPECT_FALSE(s.delay_fired());
}

// Replay: the same seed draws the same change points; they lie in [1, k].
TEST(SchedulerTest, PctChangePointsComeFromTheSeed) {
  std::vector<int64_t> first, again, other;
  {
    ScopedSchedule s(Schedule::Pct(42, 4, 1000), Short());
    first = s.pct_change_steps();
  }
  {
    ScopedSchedule s(Schedule::Pct(42, 4, 1000), Short());
    again = s.pct_change_steps();
  }
  {
    ScopedSchedule s(Schedule::Pct(43, 4, 1000), Short());
    other = s.pct_change_steps();
  }
  ASSERT_EQ(first.size(), 3u);  // d - 1
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other);
  for (int64_t st : first) {
    EXPECT_GE(st, 1);
    EXPECT_LE(st, 1000);
  }
  EXPECT_TRUE(std::is_sorted(first.begin(), first.end()));
}

TEST(SchedulerTest, PctChangesPriorityAtItsStepsAndNeverHoldsALoneThread) {
  ScopedSchedule s(Schedule::Pct(7, 3, 2), Short());  // k = 2: both steps change
  EXPECT_EQ(s.pct_change_steps(), (std::vector<int64_t>{1, 2}));
  inject::At(Point::kMutexLock);
  EXPECT_EQ(s.pct_changes(), 1);
  inject::At(Point::kMutexLock);
  EXPECT_EQ(s.pct_changes(), 2);
  inject::At(Point::kMutexLock);  // past k: counts only
  EXPECT_EQ(s.pct_changes(), 2);
  EXPECT_EQ(s.counts()[static_cast<size_t>(Point::kMutexLock)], 3);
  EXPECT_EQ(s.pct_waited().count(), 0);  // no other thread: nobody to wait for
}

}  // namespace
}  // namespace harness::explore
