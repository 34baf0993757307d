#include "harness/core/params.h"

#include "gtest/gtest.h"
#include "harness/core/affinity.h"

namespace harness {
namespace {

TEST(ParamSpec, ValidatesIntegersAndWords) {
  ParamSpec n = IntParam("n", "count", {10}, {1}, 0, 100);
  EXPECT_TRUE(n.Validate("0").ok());
  EXPECT_TRUE(n.Validate("100").ok());
  EXPECT_FALSE(n.Validate("101").ok());
  EXPECT_FALSE(n.Validate("-1").ok());
  EXPECT_FALSE(n.Validate("1e3").ok());
  ParamSpec kind = WordParam("kind", "work", {"cpu", "wait"}, {"cpu"}, {"cpu"});
  EXPECT_TRUE(kind.Validate("wait").ok());
  EXPECT_FALSE(kind.Validate("io").ok());
}

TEST(ParamOverrides, ParsesAlternatives) {
  auto o = ParseOverrides("n=1|2,kind=wait");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ((*o)["n"], (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ((*o)["kind"], (std::vector<std::string>{"wait"}));
  EXPECT_TRUE(ParseOverrides("").ok());
}

TEST(ParamValues, NameSuffixFollowsDeclarationOrderWithWorkersLast) {
  ParamValues v;
  v.Set("workers", "2");
  v.Set("b", "x");
  v.Set("a", "1");
  std::vector<ParamSpec> specs = {IntParam("b", "", {}, {}), IntParam("a", "", {}, {})};
  EXPECT_EQ(v.NameSuffix(specs), "b:x/a:1/workers:2");
}

TEST(CpuList, FormatsAndParsesRanges) {
  EXPECT_EQ(FormatCpuList({0, 1, 2, 3, 8, 10, 11}), "0-3,8,10-11");
  auto cpus = ParseCpuList("0-3,8,10-11");
  ASSERT_TRUE(cpus.ok());
  EXPECT_EQ(*cpus, (std::vector<int>{0, 1, 2, 3, 8, 10, 11}));
  EXPECT_FALSE(AllowedCpus().empty());
}

// Malformed inputs, each rejected with a message (the CLI turns it into one
// line and exit status 2).
struct Malformed {
  const char* what;
  const char* text;
};

class MalformedOverrides : public ::testing::TestWithParam<Malformed> {};
TEST_P(MalformedOverrides, AreRejected) {
  auto o = ParseOverrides(GetParam().text);
  EXPECT_FALSE(o.ok()) << GetParam().what;
  if (!o.ok()) EXPECT_FALSE(o.status().message().empty());
}
INSTANTIATE_TEST_SUITE_P(
    Table, MalformedOverrides,
    ::testing::Values(Malformed{"no value", "n"}, Malformed{"empty value", "n="},
                      Malformed{"empty name", "=5"}, Malformed{"empty alternative", "n=1|"},
                      Malformed{"leading alternative", "n=|1"},
                      Malformed{"double comma", "n=1,,k=2"}, Malformed{"trailing comma", "n=1,"},
                      Malformed{"only comma", ","}, Malformed{"only equals", "="},
                      Malformed{"bars only", "n=||"}));

class MalformedLists : public ::testing::TestWithParam<Malformed> {};
TEST_P(MalformedLists, AreRejected) {
  auto l = ParsePositiveIntList(GetParam().text, "--cores", 64);
  EXPECT_FALSE(l.ok()) << GetParam().what;
}
INSTANTIATE_TEST_SUITE_P(
    Table, MalformedLists,
    ::testing::Values(Malformed{"zero", "0"}, Malformed{"negative", "-1"},
                      Malformed{"too many", "65"}, Malformed{"word", "two"},
                      Malformed{"float", "1.5"}, Malformed{"empty", ""}, Malformed{"blank", "  "},
                      Malformed{"trailing comma", "1,"}, Malformed{"leading comma", ",1"},
                      Malformed{"duplicate", "1,2,1"}, Malformed{"range syntax", "1-4"},
                      Malformed{"hex", "0x2"}, Malformed{"overflow", "99999999999999999999"},
                      Malformed{"semicolon", "1;2"}));

class MalformedCpuLists : public ::testing::TestWithParam<Malformed> {};
TEST_P(MalformedCpuLists, AreRejected) {
  EXPECT_FALSE(ParseCpuList(GetParam().text).ok()) << GetParam().what;
}
INSTANTIATE_TEST_SUITE_P(Table, MalformedCpuLists,
                         ::testing::Values(Malformed{"reversed range", "3-1"},
                                           Malformed{"open range", "1-"}, Malformed{"word", "a"},
                                           Malformed{"empty", ""}, Malformed{"negative", "-2"},
                                           Malformed{"huge", "100000"},
                                           Malformed{"double dash", "1--3"}));

}  // namespace
}  // namespace harness
