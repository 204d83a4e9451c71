#include "harness/workload/stamps.h"

#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "harness/workload/crc32c.h"

namespace nvmesim::harness {
namespace {

TEST(Crc32c, KnownVectors) {
  EXPECT_EQ(Crc32c(0, "123456789", 9), 0xE3069283u);  // the standard check value
  std::vector<uint8_t> zeros(32, 0);
  EXPECT_EQ(Crc32c(0, zeros.data(), zeros.size()), 0x8A9136AAu);  // RFC 3720 B.4
  std::vector<uint8_t> ones(32, 0xFF);
  EXPECT_EQ(Crc32c(0, ones.data(), ones.size()), 0x62A8AB43u);
  // Incremental equals one shot.
  const char* text = "The quick brown fox jumps over the lazy dog";
  uint32_t whole = Crc32c(0, text, std::strlen(text));
  EXPECT_EQ(Crc32c(Crc32c(0, text, 5), text + 5, std::strlen(text) - 5), whole);
}

TEST(Crc32c, DispatchedAndTableVersionsAgree) {
  std::vector<uint8_t> data(4200);
  uint64_t x = 12345;
  for (uint8_t& b : data) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    b = static_cast<uint8_t>(x >> 56);
  }
  for (size_t len : {0u, 1u, 7u, 8u, 9u, 63u, 512u, 4096u, 4200u}) {
    for (size_t off : {0u, 1u, 3u}) {
      if (off + len > data.size()) continue;
      EXPECT_EQ(Crc32c(0, data.data() + off, len), Crc32cTables(0, data.data() + off, len))
          << len << "+" << off;
      EXPECT_EQ(Crc32c(0xDEADBEEF, data.data() + off, len),
                Crc32cTables(0xDEADBEEF, data.data() + off, len));
    }
  }
  EXPECT_EQ(Crc32cTables(0, "123456789", 9), 0xE3069283u);
}

class StampsTest : public ::testing::TestWithParam<uint32_t> {};

TEST_P(StampsTest, RoundTripAndEveryKindOfDamage) {
  const uint32_t lba_size = GetParam();
  const uint32_t nlb = 4;
  std::vector<uint8_t> buf(nlb * lba_size);
  WriteStamp stamp{17, 0xABCDEF};
  FillBlocks(buf, 1000, nlb, lba_size, stamp);
  EXPECT_FALSE(VerifyBlocks(buf, 1000, nlb, lba_size, stamp).has_value());
  DecodedBlock d = DecodeBlock(buf.data() + lba_size, lba_size);
  EXPECT_TRUE(d.has_magic);
  EXPECT_TRUE(d.crc_ok);
  EXPECT_EQ(d.stamp, (BlockStamp{1001, 17, 0xABCDEF}));

  // One flipped bit deep in the third block.
  std::vector<uint8_t> flipped = buf;
  flipped[2 * lba_size + lba_size - 3] ^= 0x10;
  auto m = VerifyBlocks(flipped, 1000, nlb, lba_size, stamp);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->lba, 1002u);
  EXPECT_EQ(m->block_index, 2u);
  EXPECT_EQ(m->reason, MismatchReason::kCorrupt);

  // Read from the wrong place: blocks of LBA 1000.. checked as 2000..
  m = VerifyBlocks(buf, 2000, nlb, lba_size, stamp);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->reason, MismatchReason::kWrongLba);
  EXPECT_EQ(m->lba, 2000u);
  EXPECT_EQ(m->found.lba, 1000u);
  EXPECT_EQ(m->expected.lba, 2000u);

  // Stale: generation 17 found, 18 expected.
  m = VerifyBlocks(buf, 1000, nlb, lba_size, WriteStamp{18, 0xABCDEF});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->reason, MismatchReason::kStale);
  EXPECT_EQ(m->found.generation, 17u);
  EXPECT_EQ(m->expected.generation, 18u);
  EXPECT_NE(m->ToString().find("LBA 1000: stale data"), std::string::npos) << m->ToString();
  EXPECT_NE(m->ToString().find("gen=18"), std::string::npos);

  // Another job's write.
  m = VerifyBlocks(buf, 1000, nlb, lba_size, WriteStamp{17, 0x1});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->reason, MismatchReason::kUnexpectedWrite);

  // Zeroed block: no stamp.
  std::vector<uint8_t> zeroed = buf;
  std::memset(zeroed.data() + 3 * lba_size, 0, lba_size);
  m = VerifyBlocks(zeroed, 1000, nlb, lba_size, stamp);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->reason, MismatchReason::kNoStamp);
  EXPECT_EQ(m->lba, 1003u);

  // A changed header field is caught by the CRC too (forged generation).
  std::vector<uint8_t> forged = buf;
  forged[16] ^= 1;
  m = VerifyBlocks(forged, 1000, nlb, lba_size, stamp);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->reason, MismatchReason::kCorrupt);
}

INSTANTIATE_TEST_SUITE_P(LbaSizes, StampsTest, ::testing::Values(512u, 4096u));

TEST(Stamps, PatternFillAndDistinctBlocks) {
  std::vector<uint8_t> a(4096), b(4096);
  const uint8_t pattern[] = {0xde, 0xad, 0xbe, 0xef};
  FillBlocks(a, 5, 1, 4096, WriteStamp{1, 2}, pattern);
  EXPECT_EQ(a[kStampHeaderBytes], 0xde);
  EXPECT_EQ(a[kStampHeaderBytes + 5], 0xad);
  EXPECT_FALSE(VerifyBlocks(a, 5, 1, 4096, WriteStamp{1, 2}).has_value());
  FillBlocks(b, 5, 1, 4096, WriteStamp{2, 2});
  // Different writes to the same LBA differ beyond the header (the fill depends on them).
  EXPECT_NE(std::memcmp(a.data() + 64, b.data() + 64, 4096 - 64), 0);
}

}  // namespace
}  // namespace nvmesim::harness
