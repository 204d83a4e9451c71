#include "device_model/data_transfer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>

namespace nvmesim::device {
namespace {

using spec::GenericStatus;
using spec::SglDescriptor;
using spec::SglDescriptorType;

// Host memory [0x10000, 0x10000 + 1 MiB).
class FakeDma : public DmaPort {
 public:
  FakeDma() : mem(1 << 20, 0) {}
  bool DmaRead(uint64_t a, void* d, uint64_t n) override {
    if (a < kBase || a + n > kBase + mem.size()) return false;
    std::memcpy(d, &mem[a - kBase], n);
    ++reads;
    return true;
  }
  bool DmaWrite(uint64_t a, const void* s, uint64_t n) override {
    if (a < kBase || a + n > kBase + mem.size()) return false;
    std::memcpy(&mem[a - kBase], s, n);
    return true;
  }
  void Put64(uint64_t a, uint64_t v) { std::memcpy(&mem[a - kBase], &v, 8); }
  void PutSgl(uint64_t a, const SglDescriptor& d) { std::memcpy(&mem[a - kBase], &d, 16); }
  static constexpr uint64_t kBase = 0x10000;
  std::vector<uint8_t> mem;
  int reads = 0;
};

SglDescriptor Desc(SglDescriptorType t, uint64_t addr, uint32_t len) {
  SglDescriptor d;
  d.address = addr;
  d.length = len;
  d.set_type(t);
  return d;
}

TEST(Prp, SinglePageAndTwoPages) {
  FakeDma dma;
  std::vector<DmaSegment> segs;
  ASSERT_TRUE(BuildPrpTransfer(0x20000, 0, 4096, 4096, dma, segs).ok());
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].len, 4096u);
  ASSERT_TRUE(BuildPrpTransfer(0x20800, 0x30000, 4096, 4096, dma, segs).ok());
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].len, 2048u);
  EXPECT_EQ(segs[1].addr, 0x30000u);
  EXPECT_TRUE(
      BuildPrpTransfer(0x20802, 0, 16, 4096, dma, segs).Is(GenericStatus::kPrpOffsetInvalid));
  EXPECT_TRUE(BuildPrpTransfer(0x20800, 0x30010, 4096, 4096, dma, segs)
                  .Is(GenericStatus::kPrpOffsetInvalid));
}

TEST(Prp, ChainedListsAndMergedContiguousPages) {
  FakeDma dma;
  // 4 KiB pages with a list page that only has room for 3 entries (starts at
  // offset 4096-24) so the 3rd entry chains to a second list page.
  const uint64_t list1 = 0x40000 - 24;
  const uint64_t list2 = 0x50000;
  dma.Put64(list1, 0x60000);
  dma.Put64(list1 + 8, 0x61000);
  dma.Put64(list1 + 16, list2);
  dma.Put64(list2, 0x62000);
  dma.Put64(list2 + 8, 0x70000);
  std::vector<DmaSegment> segs;
  ASSERT_TRUE(BuildPrpTransfer(0x20000, list1, 5 * 4096, 4096, dma, segs).ok());
  // 0x20000 | 0x60000..0x62FFF merged | 0x70000
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[1].addr, 0x60000u);
  EXPECT_EQ(segs[1].len, 3 * 4096u);
  EXPECT_EQ(segs[2].addr, 0x70000u);
  // A chained pointer with an offset is invalid.
  dma.Put64(list1 + 16, list2 + 8);
  EXPECT_TRUE(BuildPrpTransfer(0x20000, list1, 5 * 4096, 4096, dma, segs)
                  .Is(GenericStatus::kPrpOffsetInvalid));
  // A list outside host memory is a transfer error.
  EXPECT_TRUE(BuildPrpTransfer(0x20000, 0x8000'0000, 5 * 4096, 4096, dma, segs)
                  .Is(GenericStatus::kDataTransferError));
}

TEST(Sgl, DataBlockSegmentsAndBitBucket) {
  FakeDma dma;
  TransferLimits lim;
  lim.bit_bucket_allowed = true;
  std::vector<DmaSegment> segs;
  ASSERT_TRUE(
      BuildSglTransfer(Desc(SglDescriptorType::kDataBlock, 0x20000, 8192), 4096, lim, dma, segs)
          .ok());
  EXPECT_EQ(segs.size(), 1u);
  EXPECT_TRUE(
      BuildSglTransfer(Desc(SglDescriptorType::kDataBlock, 0x20000, 100), 4096, lim, dma, segs)
          .Is(GenericStatus::kDataSglLengthInvalid));
  // Segment -> [data 1000, bit bucket 96, last segment] -> [data 3000]
  dma.PutSgl(0x30000, Desc(SglDescriptorType::kDataBlock, 0x40000, 1000));
  dma.PutSgl(0x30010, Desc(SglDescriptorType::kBitBucket, 0, 96));
  dma.PutSgl(0x30020, Desc(SglDescriptorType::kLastSegment, 0x31000, 16));
  dma.PutSgl(0x31000, Desc(SglDescriptorType::kDataBlock, 0x50000, 3000));
  ASSERT_TRUE(
      BuildSglTransfer(Desc(SglDescriptorType::kSegment, 0x30000, 48), 4096, lim, dma, segs).ok());
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_TRUE(segs[1].bit_bucket);
  EXPECT_EQ(segs[2].len, 3000u);
  // Bit bucket refused for host-to-controller transfers.
  lim.bit_bucket_allowed = false;
  EXPECT_TRUE(BuildSglTransfer(Desc(SglDescriptorType::kSegment, 0x30000, 48), 4096, lim, dma, segs)
                  .Is(GenericStatus::kSglDescriptorTypeInvalid));
}

TEST(Sgl, MalformedSegments) {
  FakeDma dma;
  TransferLimits lim;
  std::vector<DmaSegment> segs;
  EXPECT_TRUE(BuildSglTransfer(Desc(SglDescriptorType::kSegment, 0x30000, 0), 512, lim, dma, segs)
                  .Is(GenericStatus::kInvalidSglSegmentDescriptor));
  EXPECT_TRUE(BuildSglTransfer(Desc(SglDescriptorType::kSegment, 0x30000, 24), 512, lim, dma, segs)
                  .Is(GenericStatus::kInvalidSglSegmentDescriptor));
  EXPECT_TRUE(BuildSglTransfer(Desc(SglDescriptorType::kLastSegment, ~uint64_t{0} - 8, 32), 512,
                               lim, dma, segs)
                  .Is(GenericStatus::kInvalidSglSegmentDescriptor));
  EXPECT_TRUE(BuildSglTransfer(Desc(SglDescriptorType::kDataBlock, ~uint64_t{0} - 8, 512), 512, lim,
                               dma, segs)
                  .Is(GenericStatus::kDataTransferError));
  EXPECT_TRUE(
      BuildSglTransfer(Desc(SglDescriptorType::kKeyedDataBlock, 0x30000, 512), 512, lim, dma, segs)
          .Is(GenericStatus::kSglDescriptorTypeInvalid));
  // A segment chaining to itself ends in a status, not a hang.
  dma.PutSgl(0x30000, Desc(SglDescriptorType::kDataBlock, 0x40000, 0));
  dma.PutSgl(0x30010, Desc(SglDescriptorType::kSegment, 0x30000, 32));
  EXPECT_TRUE(BuildSglTransfer(Desc(SglDescriptorType::kSegment, 0x30000, 32), 512, lim, dma, segs)
                  .Is(GenericStatus::kInvalidNumberOfSglDescriptors));
  // Segment descriptor inside a Last Segment.
  dma.PutSgl(0x32000, Desc(SglDescriptorType::kSegment, 0x30000, 32));
  EXPECT_TRUE(
      BuildSglTransfer(Desc(SglDescriptorType::kLastSegment, 0x32000, 16), 512, lim, dma, segs)
          .Is(GenericStatus::kInvalidSglSegmentDescriptor));
}

}  // namespace
}  // namespace nvmesim::device
