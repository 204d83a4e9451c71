#include "harness/workload/data_oracle.h"

#include <vector>

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

constexpr uint32_t kLba = 512;

std::vector<uint8_t> Block(uint64_t lba, uint64_t gen, uint64_t seed = 9, uint32_t nlb = 1) {
  std::vector<uint8_t> b(nlb * kLba);
  FillBlocks(b, lba, nlb, kLba, WriteStamp{gen, seed});
  return b;
}

TEST(DataOracle, AcknowledgedWritesMustBeRead) {
  DataOracle o(kLba);
  std::vector<uint8_t> junk(kLba, 0x5A);
  EXPECT_FALSE(o.VerifyRead(junk, 10, 1).has_value());  // never written: anything
  EXPECT_EQ(o.StateOf(10), LbaState::kUnwritten);
  o.WriteSubmitted(10, 2, WriteStamp{1, 9});
  EXPECT_EQ(o.StateOf(11), LbaState::kInFlight);
  EXPECT_FALSE(o.VerifyRead(Block(10, 1, 9, 2), 10, 2).has_value());  // new contents ok
  o.WriteCompleted(10, 2, WriteStamp{1, 9}, /*durable=*/false);
  EXPECT_EQ(o.StateOf(10), LbaState::kAcknowledged);
  EXPECT_FALSE(o.VerifyRead(Block(10, 1, 9, 2), 10, 2).has_value());
  o.WriteSubmitted(11, 1, WriteStamp{2, 9});
  o.WriteCompleted(11, 1, WriteStamp{2, 9}, false);
  auto m = o.VerifyRead(Block(10, 1, 9, 2), 10, 2);  // LBA 11 is stale now
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->lba, 11u);
  EXPECT_EQ(m->reason, MismatchReason::kStale);
  EXPECT_EQ(m->expected.generation, 2u);
  EXPECT_EQ(m->found.generation, 1u);
  ASSERT_TRUE(o.Expected(11).has_value());
  EXPECT_EQ(o.Expected(11)->generation, 2u);
}

TEST(DataOracle, FlushMakesEarlierWritesDurableAndPowerLossKeepsThem) {
  DataOracle o(kLba);
  o.WriteCompleted(1, 1, WriteStamp{1, 9}, false);
  uint64_t token = o.FlushSubmitted();
  o.WriteCompleted(2, 1, WriteStamp{2, 9}, false);  // after the flush was submitted
  o.FlushCompleted(token);
  EXPECT_EQ(o.StateOf(1), LbaState::kDurable);
  EXPECT_EQ(o.StateOf(2), LbaState::kAcknowledged);
  o.WriteCompleted(1, 1, WriteStamp{3, 9}, false);  // overwrite the durable one, unflushed
  o.PowerLoss();
  EXPECT_EQ(o.StateOf(1), LbaState::kUncertain);
  // LBA 1 may hold the durable generation 1 or the lost generation 3 - nothing else.
  EXPECT_FALSE(o.VerifyRead(Block(1, 1), 1, 1).has_value());
  EXPECT_EQ(o.StateOf(1), LbaState::kDurable);               // pinned by the read
  EXPECT_TRUE(o.VerifyRead(Block(1, 3), 1, 1).has_value());  // cannot flip back
  // LBA 2 was never flushed: unwritten (anything) or generation 2.
  std::vector<uint8_t> zeros(kLba, 0);
  EXPECT_FALSE(o.VerifyRead(zeros, 2, 1).has_value());
}

TEST(DataOracle, DurableWritesSurvivePowerLossExactly) {
  DataOracle o(kLba);
  o.WriteCompleted(7, 1, WriteStamp{4, 9}, /*durable=*/true);  // FUA
  o.PowerLoss();
  EXPECT_EQ(o.StateOf(7), LbaState::kDurable);
  EXPECT_FALSE(o.VerifyRead(Block(7, 4), 7, 1).has_value());
  auto m = o.VerifyRead(Block(7, 3), 7, 1);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->reason, MismatchReason::kStale);
  std::vector<uint8_t> zeros(kLba, 0);
  m = o.VerifyRead(zeros, 7, 1);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->reason, MismatchReason::kNoStamp);
}

TEST(DataOracle, PowerLossNeverAllowsForeignData) {
  DataOracle o(kLba);
  o.WriteCompleted(3, 1, WriteStamp{1, 9}, true);
  o.WriteCompleted(3, 1, WriteStamp{2, 9}, false);
  o.WriteSubmitted(3, 1, WriteStamp{3, 9});
  o.PowerLoss();
  EXPECT_FALSE(o.VerifyRead(Block(3, 3), 3, 1).has_value());  // in flight may have landed
  DataOracle p(kLba);
  p.WriteCompleted(3, 1, WriteStamp{1, 9}, true);
  p.WriteCompleted(3, 1, WriteStamp{2, 9}, false);
  p.PowerLoss();
  EXPECT_TRUE(p.VerifyRead(Block(3, 5), 3, 1).has_value());  // a write that never happened
  EXPECT_TRUE(p.VerifyRead(Block(4, 1), 3, 1).has_value());  // another LBA's block
}

TEST(DataOracle, ZoneAppendsAreCheckedAgainstTheirStampedHeaders) {
  DataOracle o(kLba);
  // Two appends to the zone at LBA 1000, both stamped as if written at the zone start.
  o.AppendCompleted(1000, 2, 1000, WriteStamp{1, 9}, false);
  o.AppendCompleted(1002, 2, 1000, WriteStamp{2, 9}, false);
  EXPECT_FALSE(o.VerifyRead(Block(1000, 2, 9, 2), 1002, 2).has_value());
  EXPECT_FALSE(o.VerifyRead(Block(1000, 1, 9, 2), 1000, 2).has_value());
  ASSERT_TRUE(o.Expected(1003).has_value());
  EXPECT_EQ(o.Expected(1003)->lba, 1001u);
  // The first append's data where the second should be: caught.
  auto m = o.VerifyRead(Block(1000, 1, 9, 2), 1002, 2);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->lba, 1002u);
  EXPECT_EQ(m->reason, MismatchReason::kStale);
}

TEST(DataOracle, TrimsAndFailedWrites) {
  DataOracle o(kLba, DeallocatedReads::kZeroes);
  o.WriteCompleted(5, 1, WriteStamp{1, 9}, true);
  o.TrimCompleted(5, 1, true);
  EXPECT_EQ(o.StateOf(5), LbaState::kDeallocated);
  std::vector<uint8_t> zeros(kLba, 0), ones(kLba, 0xFF);
  EXPECT_FALSE(o.VerifyRead(zeros, 5, 1).has_value());
  auto m = o.VerifyRead(ones, 5, 1);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->reason, MismatchReason::kNotDeallocated);
  m = o.VerifyRead(Block(5, 1), 5, 1);  // old data after a trim with DLFEAT=zeroes
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->reason, MismatchReason::kNotDeallocated);

  o.WriteSubmitted(6, 1, WriteStamp{2, 9});
  o.WriteFailed(6, 1, WriteStamp{2, 9});
  EXPECT_EQ(o.StateOf(6), LbaState::kIndeterminate);
  EXPECT_FALSE(o.VerifyRead(ones, 6, 1).has_value());
}

}  // namespace
}  // namespace nvmesim::harness
