#include "harness/core/machine_probe.h"

#include <unistd.h>

#include "gtest/gtest.h"
#include "harness/core/affinity.h"

namespace harness {
namespace {

constexpr char kStat[] =
    "cpu  75974 52 10565 20056 575 7 190 1942 0 0\n"
    "cpu0 38324 7 4855 10491 68 3 12 927 0 0\n"
    "cpu1 37650 44 5709 9565 506 4 178 1015 0 0\n"
    "intr 450464 0 0 0\n"
    "ctxt 123\n"
    "cpufreq 1\n";

TEST(ParseProcStat, ReadsIrqSoftirqAndStealPerCpu) {
  auto stat = ParseProcStat(kStat);
  ASSERT_TRUE(stat.ok()) << stat.status();
  ASSERT_EQ(stat->size(), 2u);  // the aggregate "cpu" line and others skipped
  EXPECT_EQ(stat->at(0).irq, 3);
  EXPECT_EQ(stat->at(0).softirq, 12);
  EXPECT_EQ(stat->at(0).steal, 927);
  EXPECT_EQ(stat->at(1).irq, 4);
  EXPECT_EQ(stat->at(1).softirq, 178);
  EXPECT_EQ(stat->at(1).steal, 1015);
}

TEST(ParseProcStat, RejectsShortOrMalformedCpuLines) {
  EXPECT_FALSE(ParseProcStat("cpu0 1 2 3 4 5 6 7\n").ok());  // no steal column
  EXPECT_FALSE(ParseProcStat("cpu0 1 2 3 4 5 x 7 8\n").ok());
  EXPECT_FALSE(ParseProcStat("cpu0 1 2 3 4 5 -6 7 8\n").ok());
  EXPECT_FALSE(ParseProcStat("cpu1x 1 2 3 4 5 6 7 8\n").ok());
  EXPECT_TRUE(ParseProcStat("cpuX 1 2\n").ok());  // not a "cpuN" line: ignored
  auto empty = ParseProcStat("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(StealIrqBetween, SumsTheGivenCpusInMilliseconds) {
  const ProcStat before = {{0, {.irq = 1, .softirq = 2, .steal = 10}},
                           {1, {.irq = 0, .softirq = 0, .steal = 0}},
                           {2, {.irq = 0, .softirq = 0, .steal = 100}}};
  const ProcStat after = {{0, {.irq = 2, .softirq = 4, .steal = 13}},
                          {1, {.irq = 1, .softirq = 0, .steal = 2}},
                          {2, {.irq = 50, .softirq = 50, .steal = 900}}};
  const double tick_ms = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  auto d = StealIrqBetween(before, after, {0, 1});  // CPU 2 is not counted
  ASSERT_TRUE(d.has_value());
  EXPECT_DOUBLE_EQ(d->steal_ms, 5 * tick_ms);
  EXPECT_DOUBLE_EQ(d->irq_ms, 4 * tick_ms);
  EXPECT_FALSE(StealIrqBetween(before, after, {0, 3}).has_value());
}

TEST(ReadProcStat, HasEveryAllowedCpu) {
  const ProcStat stat = ReadProcStat();
  if (stat.empty()) GTEST_SKIP() << "no readable /proc/stat";
  for (int cpu : AllowedCpus()) EXPECT_TRUE(stat.count(cpu)) << "cpu" << cpu;
}

TEST(MeasureRoundTrip, CompletesTripsBetweenTwoCpus) {
  const std::vector<int> cpus = AllowedCpus();
  if (cpus.size() < 2) GTEST_SKIP() << "needs two CPUs";
  // A generous budget (30 s): on a loaded machine each side may wait a
  // time slice for its CPU on every trip.
  RoundTrip rt = MeasureRoundTrip(cpus.front(), cpus.back(), 20, 30'000'000'000);
  ASSERT_TRUE(rt.median_ns.has_value());
  EXPECT_EQ(rt.trips, 20);
  EXPECT_GT(*rt.median_ns, 0);
}

TEST(MeasureRoundTrip, GivesUpAtItsBudget) {
  // A zero budget: no trip can complete, and the probe says so.
  const std::vector<int> cpus = AllowedCpus();
  RoundTrip rt = MeasureRoundTrip(cpus.front(), cpus.back(), 300, 0);
  EXPECT_FALSE(rt.median_ns.has_value());
  EXPECT_EQ(rt.trips, 0);
}

}  // namespace
}  // namespace harness
