#include "harness/explore/schedule.h"

#include "gtest/gtest.h"

namespace harness::explore {
namespace {

namespace inject = runtime::inject;

TEST(ScheduleTest, IdsRoundTrip) {
  for (const Schedule& s : {Schedule::Plain(), Schedule::Delay(inject::Point::kChannelSend, 3),
                            Schedule::Pct(12345678901234ull, 3, 777)}) {
    auto parsed = ParseSchedule(s.Id());
    ASSERT_TRUE(parsed.ok()) << s.Id() << ": " << parsed.status();
    EXPECT_EQ(parsed->Id(), s.Id());
    EXPECT_EQ(parsed->kind, s.kind);
  }
  EXPECT_EQ(Schedule::Plain().Id(), "0:none:0");
  EXPECT_EQ(Schedule::Delay(inject::Point::kChannelSend, 3).Id(), "0:channel.send:3");
  EXPECT_EQ(Schedule::Pct(9, 3, 400).Id(), "9:pct3:400");
  auto pct = ParseSchedule("9:pct3:400");
  ASSERT_TRUE(pct.ok());
  EXPECT_EQ(pct->seed, 9u);
  EXPECT_EQ(pct->depth, 3);
  EXPECT_EQ(pct->steps, 400);
  EXPECT_EQ(pct->StrategyName(), "pct");
}

TEST(ScheduleTest, BadIdsNameTheProblem) {
  struct Bad {
    const char* id;
    const char* says;
  };
  for (const Bad& b :
       {Bad{"", "SEED:POINT:HIT"}, Bad{"1:2", "SEED:POINT:HIT"}, Bad{"x:none:0", "SEED 'x'"},
        Bad{"0:none:1", "0:none:0"}, Bad{"0:nope:1", "unknown point 'nope'"},
        Bad{"0:channel.send:0", "from 1"}, Bad{"0:channel.send:-1", "HIT"},
        Bad{"1:pct0:5", "depth"}, Bad{"1:pct3:0", "steps"}, Bad{"1:pctx:5", "depth"}}) {
    auto parsed = ParseSchedule(b.id);
    ASSERT_FALSE(parsed.ok()) << b.id;
    EXPECT_NE(parsed.status().message().find(b.says), std::string::npos)
        << b.id << ": " << parsed.status().message();
  }
}

TEST(ScheduleTest, DelaySchedulesCoverShallowHitsOfEveryPointFirst) {
  HitCounts counts{};
  counts[static_cast<size_t>(inject::Point::kChannelSend)] = 3;
  counts[static_cast<size_t>(inject::Point::kChannelRecv)] = 1;
  std::vector<std::string> ids;
  for (const Schedule& s : DelaySchedules(counts, 2)) ids.push_back(s.Id());
  // The rarer point (recv) first within each hit number.
  EXPECT_EQ(ids,
            (std::vector<std::string>{"0:channel.recv:1", "0:channel.send:1", "0:channel.send:2"}));
  EXPECT_TRUE(DelaySchedules(HitCounts{}, 5).empty());
}

}  // namespace
}  // namespace harness::explore
