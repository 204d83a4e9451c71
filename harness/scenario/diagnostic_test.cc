#include "harness/scenario/diagnostic.h"

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

TEST(ClosestName, SuggestsANearMissOnly) {
  const std::vector<std::string> fio = {"bs", "iodepth", "numjobs", "rwmixread", "rwmixwrite"};
  EXPECT_EQ(ClosestName("iodepht", fio), "iodepth");  // two letters swapped: two edits
  EXPECT_EQ(ClosestName("IODEPTH", fio), "iodepth");  // case ignored
  EXPECT_EQ(ClosestName("numjob", fio), "numjobs");   // one letter missing
  EXPECT_EQ(ClosestName("rwmixred", fio), "rwmixread");
  EXPECT_EQ(ClosestName("blocksz", fio), "");  // three edits from anything
  EXPECT_EQ(ClosestName("bz", fio), "");       // too short to guess from one edit
  EXPECT_EQ(ClosestName("rwmixwrit", fio), "rwmixwrite");
  // Equally near: the earlier candidate.
  EXPECT_EQ(ClosestName("abcx", {"abcy", "abcz"}), "abcy");
  EXPECT_EQ(DidYouMean("iodepht", fio), " (did you mean \"iodepth\"?)");
  EXPECT_EQ(DidYouMean("zzzzzz", fio), "");
}

}  // namespace
}  // namespace nvmesim::harness
