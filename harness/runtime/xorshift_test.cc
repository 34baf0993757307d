// XorShift64 is Marsaglia's xorshift64 (13, 7, 17): a seed replays the same
// perturbation sequence (`harness stress --seed`) only while it stays so.
#include "harness/runtime/xorshift.h"

#include "gtest/gtest.h"

namespace harness::runtime {
namespace {

TEST(XorShift64, IsMarsagliasSequence) {
  uint64_t state = 1;
  EXPECT_EQ(XorShift64(state), 0x40822041u);
  EXPECT_EQ(state, 0x40822041u);
  EXPECT_EQ(XorShift64(state), 0x100041060c011441u);
  EXPECT_EQ(XorShift64(state), 0x9b1e842f6e862629u);
}

}  // namespace
}  // namespace harness::runtime
