// PRP and SGL construction, independent of any controller.
#include "driver/data_pointer.h"

#include <gtest/gtest.h>

#include <cstring>

#include "driver/retry.h"
#include "driver/testing/fake_platform.h"

namespace nvmesim::driver {
namespace {

constexpr uint32_t kPage = 4096;

uint64_t ListEntry(const hal::DmaBuffer& page, int i) {
  uint64_t v;
  std::memcpy(&v, page.cpu + 8 * i, 8);
  return v;
}

TEST(Prp, SinglePageNeedsOnlyPrp1) {
  testing::FakeDma dma;
  hal::DmaBuffer list;
  spec::Sqe s;
  const DataSegment seg[] = {{0x10000 + 100 * 4, 2048}};
  ASSERT_TRUE(BuildPrp(seg, 1, 0, 2048, kPage, s, list, &dma).ok());
  EXPECT_EQ(s.prp1, 0x10000u + 400);
  EXPECT_EQ(s.prp2, 0u);
  EXPECT_FALSE(list.valid());  // no list page allocated
}

TEST(Prp, UnalignedStartSpanningFivePagesUsesList) {
  testing::FakeDma dma;
  hal::DmaBuffer list;
  spec::Sqe s;
  const uint64_t base = 0x200000;
  const DataSegment seg[] = {{base + 0x204, 4 * kPage}};  // touches 5 pages
  ASSERT_TRUE(BuildPrp(seg, 1, 0, 4 * kPage, kPage, s, list, &dma).ok());
  ASSERT_TRUE(list.valid());
  EXPECT_EQ(s.prp1, base + 0x204);
  EXPECT_EQ(s.prp2, list.bus);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ListEntry(list, i), base + (i + 1) * kPage) << i;
}

TEST(Prp, ScatteredPagesAndSubRangesOfThem) {
  testing::FakeDma dma;
  hal::DmaBuffer list;
  spec::Sqe s;
  // Three discontiguous pieces: tail of a page, a full page, head of a page.
  const DataSegment seg[] = {{0x5000 + 3072, 1024}, {0x9000, kPage}, {0x3000, 512}};
  ASSERT_TRUE(BuildPrp(seg, 3, 0, 1024 + kPage + 512, kPage, s, list, &dma).ok());
  EXPECT_EQ(s.prp1, 0x5000u + 3072);
  EXPECT_EQ(ListEntry(list, 0), 0x9000u);
  EXPECT_EQ(ListEntry(list, 1), 0x3000u);
  // The bytes [1024 + 512, ...) of the same buffer: starts mid second piece.
  spec::Sqe t;
  ASSERT_TRUE(BuildPrp(seg, 3, 1536, kPage - 512 + 512, kPage, t, list, &dma).ok());
  EXPECT_EQ(t.prp1, 0x9000u + 512);
  EXPECT_EQ(t.prp2, 0x3000u);
}

TEST(Prp, RejectsLayoutsPrpsCannotDescribe) {
  testing::FakeDma dma;
  hal::DmaBuffer list;
  spec::Sqe s;
  const DataSegment mid_end[] = {{0x1000, 512}, {0x3000, 512}};  // first piece ends mid-page
  EXPECT_TRUE(BuildPrp(mid_end, 2, 0, 1024, kPage, s, list, &dma)
                  .Is(spec::GenericStatus::kPrpOffsetInvalid));
  EXPECT_FALSE(PrpCompatible(mid_end, 2, kPage));
  const DataSegment odd[] = {{0x1002, 512}};  // not dword aligned
  EXPECT_TRUE(
      BuildPrp(odd, 1, 0, 512, kPage, s, list, &dma).Is(spec::GenericStatus::kPrpOffsetInvalid));
  const DataSegment shortbuf[] = {{0x1000, 512}};
  EXPECT_TRUE(BuildPrp(shortbuf, 1, 0, 1024, kPage, s, list, &dma)
                  .Is(spec::GenericStatus::kDataSglLengthInvalid));
  const DataSegment ok[] = {{0x1000 + 8, kPage - 8}, {0x7000, 100}};
  EXPECT_TRUE(PrpCompatible(ok, 2, kPage));
}

TEST(Prp, LargestTransferFitsOneListPage) {
  testing::FakeDma dma;
  hal::DmaBuffer list;
  spec::Sqe s;
  const uint64_t max = MaxPrpTransfer(kPage);
  EXPECT_EQ(max, 512u * kPage);
  const DataSegment seg[] = {{0x100000 + 4, max}};  // offset start: 513 pages
  ASSERT_TRUE(BuildPrp(seg, 1, 0, max, kPage, s, list, &dma).ok());
  EXPECT_EQ(ListEntry(list, 511), 0x100000u + 512 * kPage);
  const DataSegment big[] = {{0x100000 + 4, max + kPage}};
  EXPECT_FALSE(BuildPrp(big, 1, 0, max + kPage, kPage, s, list, &dma).ok());
}

TEST(Sgl, DataBlockAndSegmentList) {
  testing::FakeDma dma;
  hal::DmaBuffer list;
  spec::Sqe s;
  const DataSegment one[] = {{0x1234, 1000}};
  ASSERT_TRUE(BuildSgl(one, 1, 0, 1000, SglSupport::kByteAligned, kPage, s, list, &dma).ok());
  EXPECT_EQ(s.psdt(), spec::DataPointerType::kSglMptrContiguous);
  EXPECT_EQ(s.sgl().type(), spec::SglDescriptorType::kDataBlock);
  EXPECT_EQ(s.sgl().address, 0x1234u);
  EXPECT_EQ(s.sgl().length, 1000u);
  const DataSegment three[] = {{0x1000, 100}, {0x2000, 200}, {0x3000, 300}};
  ASSERT_TRUE(BuildSgl(three, 3, 50, 500, SglSupport::kByteAligned, kPage, s, list, &dma).ok());
  EXPECT_EQ(s.sgl().type(), spec::SglDescriptorType::kLastSegment);
  EXPECT_EQ(s.sgl().length, 48u);
  spec::SglDescriptor d[3];
  std::memcpy(d, list.cpu, sizeof d);
  EXPECT_EQ(d[0].address, 0x1000u + 50);
  EXPECT_EQ(d[0].length, 50u);
  EXPECT_EQ(d[1].length, 200u);
  EXPECT_EQ(d[2].length, 250u);
  EXPECT_TRUE(BuildSgl(three, 3, 1, 10, SglSupport::kDwordAligned, kPage, s, list, &dma)
                  .Is(spec::GenericStatus::kSglDataBlockGranularityInvalid));
  EXPECT_FALSE(BuildSgl(one, 1, 0, 1000, SglSupport::kNone, kPage, s, list, &dma).ok());
}

TEST(Retry, Decisions) {
  const spec::Status media(spec::MediaStatus::kUnrecoveredReadError);
  EXPECT_EQ(DecideRetry(spec::Status::Ok(), 0, 5, false), RetryDecision::kComplete);
  EXPECT_EQ(DecideRetry(media, 0, 5, false), RetryDecision::kRetry);
  EXPECT_EQ(DecideRetry(media, 5, 5, false), RetryDecision::kComplete);
  EXPECT_EQ(DecideRetry(media.WithDnr(), 0, 5, false), RetryDecision::kComplete);
  const spec::Status path(spec::PathStatus::kAsymmetricAccessInaccessible);
  EXPECT_EQ(DecideRetry(path, 0, 5, true), RetryDecision::kPathError);
  EXPECT_EQ(DecideRetry(path, 0, 5, false), RetryDecision::kRetry);
  EXPECT_EQ(DecideRetry(path.WithDnr(), 0, 5, true), RetryDecision::kComplete);
  const uint16_t crdt[3] = {1, 5, 20};
  spec::Status crd = media;
  EXPECT_EQ(RetryDelayNs(crd, crdt), 0u);
  crd.crd = 3;
  EXPECT_EQ(RetryDelayNs(crd, crdt), 2'000'000'000u);
}

}  // namespace
}  // namespace nvmesim::driver
