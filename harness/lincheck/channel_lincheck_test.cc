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
};

std::vector<Config> RuntimeConfigs() {
  using runtime::Channel;
  using runtime::MutexChannel;
  return {
      {"channel_unbounded", [] { return MpscTarget<Channel<int>>("channel/unbounded", 0); }},
      {"channel_cap1", [] { return MpscTarget<Channel<int>>("channel/cap1", 1); }},
      {"channel_cap3", [] { return MpscTarget<Channel<int>>("channel/cap3", 3); }},
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
// often stops while its value is being moved into the channel, i.e. (Channel)
// between claiming its slot and publishing it; before FastChannelCore took
// ready values past such a slot, about 1 in 60 of these histories had a
// non-linearizable try_recv -> empty (unpublished_slot_test.cc). Slower
// (every yield is a trip through the scheduler), so a tenth of the histories.
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
      {"channel_unbounded_yielding_move",
       [] {
         return MpscTarget<runtime::Channel<YieldingMoveInt>>("channel/unbounded/yielding_move",
                                                              0);
       }},
      {"channel_cap1_yielding_move",
       [] { return MpscTarget<runtime::Channel<YieldingMoveInt>>("channel/cap1/yielding_move", 1); }},
      {"channel_cap3_yielding_move",
       [] { return MpscTarget<runtime::Channel<YieldingMoveInt>>("channel/cap3/yielding_move", 3); }},
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
