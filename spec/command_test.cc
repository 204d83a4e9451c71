#include "spec/command.h"

#include <gtest/gtest.h>

#include <cstring>

namespace nvmesim::spec {
namespace {

TEST(CommandTest, SqeLayoutByBytes) {
  // Fill an SQE through its fields and check each lands at the spec's byte.
  Sqe sqe;
  sqe.opcode = 0x02;
  sqe.set_fuse(FusedOperation::kSecond).set_psdt(DataPointerType::kSglMptrSgl);
  sqe.cid = 0xBEEF;
  sqe.nsid = 0x11223344;
  sqe.mptr = 0x0102030405060708ull;
  sqe.prp1 = 0xA1A2A3A4A5A6A7A8ull;
  sqe.prp2 = 0xB1B2B3B4B5B6B7B8ull;
  sqe.cdw10 = 10;
  sqe.cdw15 = 15;
  uint8_t b[64];
  std::memcpy(b, &sqe, 64);
  EXPECT_EQ(b[0], 0x02);
  EXPECT_EQ(b[1], 0x82);  // FUSE 10b in bits 1:0, PSDT 10b in bits 7:6
  EXPECT_EQ(b[2], 0xEF);
  EXPECT_EQ(b[3], 0xBE);
  EXPECT_EQ(b[4], 0x44);
  EXPECT_EQ(b[16], 0x08);
  EXPECT_EQ(b[24], 0xA8);
  EXPECT_EQ(b[32], 0xB8);
  EXPECT_EQ(b[40], 10);
  EXPECT_EQ(b[60], 15);
  EXPECT_EQ(sqe.fuse(), FusedOperation::kSecond);
  EXPECT_EQ(sqe.psdt(), DataPointerType::kSglMptrSgl);
  EXPECT_EQ(sqe.dword(0), 0xBEEF8202u);
  EXPECT_EQ(sqe.dword(1), 0x11223344u);
  EXPECT_EQ(sqe.dword(10), 10u);
  sqe.set_fuse(FusedOperation::kNormal);
  EXPECT_EQ(sqe.flags, 0x80);
  sqe.set_psdt(DataPointerType::kPrp);
  EXPECT_EQ(sqe.flags, 0x00);
}

TEST(CommandTest, SglOverlaysDataPointer) {
  Sqe sqe;
  SglDescriptor d;
  d.address = 0x1000'2000'3000ull;
  d.length = 0x4000;
  d.set_type(SglDescriptorType::kLastSegment).set_subtype(SglDescriptorSubtype::kOffset);
  EXPECT_EQ(d.identifier, 0x31);
  sqe.set_sgl(d);
  EXPECT_EQ(sqe.prp1, 0x1000'2000'3000ull);
  // PRP2's low dword is the length, its top byte the identifier.
  EXPECT_EQ(sqe.prp2, 0x3100'0000'0000'4000ull);
  const SglDescriptor back = sqe.sgl();
  EXPECT_EQ(back.address, d.address);
  EXPECT_EQ(back.length, 0x4000u);
  EXPECT_EQ(back.type(), SglDescriptorType::kLastSegment);
  EXPECT_EQ(back.subtype(), SglDescriptorSubtype::kOffset);
  EXPECT_EQ(sqe.cdw10, 0u);  // nothing past DPTR touched
  EXPECT_EQ(sqe.mptr, 0u);
}

TEST(CommandTest, SglEnumValues) {
  EXPECT_EQ(static_cast<int>(SglDescriptorType::kDataBlock), 0);
  EXPECT_EQ(static_cast<int>(SglDescriptorType::kBitBucket), 1);
  EXPECT_EQ(static_cast<int>(SglDescriptorType::kSegment), 2);
  EXPECT_EQ(static_cast<int>(SglDescriptorType::kLastSegment), 3);
  EXPECT_EQ(static_cast<int>(SglDescriptorType::kKeyedDataBlock), 4);
  EXPECT_EQ(static_cast<int>(SglDescriptorType::kTransportDataBlock), 5);
  EXPECT_STREQ(SglDescriptorTypeName(SglDescriptorType::kBitBucket), "SGL Bit Bucket");
  EXPECT_STREQ(SglDescriptorTypeName(static_cast<SglDescriptorType>(9)), "Reserved");
  EXPECT_STREQ(FusedOperationName(FusedOperation::kFirst), "Fused Operation, First Command");
  EXPECT_STREQ(DataPointerTypeName(DataPointerType::kPrp), "PRP");
}

TEST(CommandTest, CqeStatusAtByte14WithPhaseInBit0) {
  EXPECT_EQ(offsetof(Cqe, status), 14u);
  Cqe cqe;
  cqe.dw0 = 0xCAFEF00D;
  cqe.sq_head = 7;
  cqe.sq_id = 3;
  cqe.cid = 0x1234;
  cqe.set_status(Status(GenericStatus::kLbaOutOfRange, true), true);
  uint8_t b[16];
  std::memcpy(b, &cqe, 16);
  EXPECT_EQ(b[0], 0x0D);
  EXPECT_EQ(b[8], 7);
  EXPECT_EQ(b[10], 3);
  EXPECT_EQ(b[12], 0x34);
  // Status field: P=1, SC=0x80 in bits 8:1, SCT=0, DNR bit 15.
  EXPECT_EQ(b[14], 0x01);  // (0x80 << 1) | 1 = 0x101 -> low byte 0x01
  EXPECT_EQ(b[15], 0x81);  // high byte: bit 8 (SC msb) and bit 15 (DNR)
  EXPECT_TRUE(cqe.phase());
  EXPECT_EQ(cqe.status_value(), Status(GenericStatus::kLbaOutOfRange, true));
  cqe.set_status(Status::Ok(), false);
  EXPECT_FALSE(cqe.phase());
  EXPECT_TRUE(cqe.status_value().ok());
  EXPECT_EQ(cqe.status, 0u);
}

TEST(CommandTest, Constants) {
  EXPECT_EQ(sizeof(Sqe), kSqeSize);
  EXPECT_EQ(sizeof(Cqe), kCqeSize);
  EXPECT_EQ(1u << kSqesLog2, kSqeSize);
  EXPECT_EQ(1u << kCqesLog2, kCqeSize);
  EXPECT_EQ(kNsidAll, 0xFFFFFFFFu);
}

}  // namespace
}  // namespace nvmesim::spec
