#include "spec/command_fields.h"

#include <gtest/gtest.h>

#include <cstring>

namespace nvmesim::spec {
namespace {

TEST(CommandFieldsTest, CreateIoCq) {
  CreateIoCqFields f{3, 1023, true, true, 5};
  EXPECT_EQ(f.Cdw10(), 0x03FF'0003u);
  EXPECT_EQ(f.Cdw11(), 0x0005'0003u);
  CreateIoCqFields polled{4, 15, true, false, 0};
  EXPECT_EQ(polled.Cdw11(), 0x1u);
  const auto d = CreateIoCqFields::Decode(0x03FF'0003u, 0x0005'0002u);
  EXPECT_EQ(d.qid, 3);
  EXPECT_EQ(d.qsize, 1023);
  EXPECT_FALSE(d.pc);
  EXPECT_TRUE(d.ien);
  EXPECT_EQ(d.iv, 5);
}

TEST(CommandFieldsTest, CreateIoSq) {
  CreateIoSqFields f{2, 255, true, QueuePriority::kLow, 7, 1};
  EXPECT_EQ(f.Cdw10(), 0x00FF'0002u);
  EXPECT_EQ(f.Cdw11(), 0x0007'0007u);  // PC | QPRIO 11b << 1 | CQID 7 << 16
  EXPECT_EQ(f.Cdw12(), 1u);
  const auto d = CreateIoSqFields::Decode(0x00FF'0002u, 0x0009'0004u, 0x2u);
  EXPECT_EQ(d.qid, 2);
  EXPECT_EQ(d.qsize, 255);
  EXPECT_FALSE(d.pc);
  EXPECT_EQ(d.qprio, QueuePriority::kMedium);
  EXPECT_EQ(d.cqid, 9);
  EXPECT_EQ(d.nvmsetid, 2);
  EXPECT_STREQ(QueuePriorityName(QueuePriority::kHigh), "High");
}

TEST(CommandFieldsTest, DeleteAndAbort) {
  EXPECT_EQ(DeleteQueueCdw10(9), 9u);
  EXPECT_EQ(DeleteQueueQid(0xFFFF'0009u), 9);
  EXPECT_EQ(AbortCdw10(1, 0x1234), 0x1234'0001u);
  EXPECT_EQ(AbortSqid(0x1234'0001u), 1);
  EXPECT_EQ(AbortCid(0x1234'0001u), 0x1234);
  EXPECT_EQ(kAbortDw0NotAborted, 1u);
}

TEST(CommandFieldsTest, ReadWriteEveryField) {
  RwFields f;
  f.slba = 0x0000'0012'3456'789Aull;
  f.nlb = 7;
  EXPECT_EQ(f.Cdw10(), 0x3456'789Au);
  EXPECT_EQ(f.Cdw11(), 0x12u);
  EXPECT_EQ(f.Cdw12(), 7u);
  EXPECT_EQ(f.NumberOfBlocks(), 8u);
  EXPECT_EQ(RwFields{.dtype = 0xF}.Cdw12(), 0x00F0'0000u);
  EXPECT_EQ(RwFields{.stc = true}.Cdw12(), 0x0100'0000u);
  EXPECT_EQ(RwFields{.deac = true}.Cdw12(), 0x0200'0000u);
  EXPECT_EQ(RwFields{.prinfo = 0xF}.Cdw12(), 0x3C00'0000u);
  EXPECT_EQ(RwFields{.fua = true}.Cdw12(), 0x4000'0000u);
  EXPECT_EQ(RwFields{.lr = true}.Cdw12(), 0x8000'0000u);
  EXPECT_EQ((RwFields{.dsm = 0xAB, .dspec = 0xCDEF}.Cdw13()), 0xCDEF'00ABu);
  EXPECT_EQ(RwFields{.reftag = 0x11223344}.Cdw14(), 0x11223344u);
  EXPECT_EQ((RwFields{.lbat = 0x5566, .lbatm = 0x7788}.Cdw15()), 0x7788'5566u);
  const auto d =
      RwFields::Decode(0x3456'789Au, 0x12u, 0xFFFF'FFFFu, 0xCDEF'00ABu, 9u, 0x7788'5566u);
  EXPECT_EQ(d.slba, 0x0000'0012'3456'789Aull);
  EXPECT_EQ(d.nlb, 0xFFFF);
  EXPECT_EQ(d.dtype, 0xF);
  EXPECT_TRUE(d.stc);
  EXPECT_TRUE(d.deac);
  EXPECT_EQ(d.prinfo, 0xF);
  EXPECT_TRUE(d.fua);
  EXPECT_TRUE(d.lr);
  EXPECT_EQ(d.dsm, 0xAB);
  EXPECT_EQ(d.dspec, 0xCDEF);
  EXPECT_EQ(d.reftag, 9u);
  EXPECT_EQ(d.lbat, 0x5566);
  EXPECT_EQ(d.lbatm, 0x7788);
  EXPECT_EQ(d.NumberOfBlocks(), 65536u);
}

TEST(CommandFieldsTest, DatasetManagementRange) {
  DsmRange r{0x01, 8, 0x1000};
  uint8_t b[16];
  std::memcpy(b, &r, sizeof b);
  EXPECT_EQ(b[0], 0x01);
  EXPECT_EQ(b[4], 8);
  EXPECT_EQ(b[9], 0x10);
  EXPECT_EQ(kDsmDeallocate, 4u);
  EXPECT_EQ(kDsmMaxRanges, 256u);
}

TEST(CommandFieldsTest, FirmwareCommit) {
  EXPECT_EQ(FirmwareCommitCdw10(2, FirmwareCommitAction::kActivateImmediately), 0x1Au);
  EXPECT_EQ(FirmwareCommitCdw10(7, FirmwareCommitAction::kActivateBootPartition, true),
            0x8000'003Fu);
  EXPECT_EQ(FirmwareCommitSlot(0x1Au), 2);
  EXPECT_EQ(FirmwareCommitCa(0x1Au), FirmwareCommitAction::kActivateImmediately);
  EXPECT_STREQ(FirmwareCommitActionName(FirmwareCommitAction::kActivateOnReset),
               "Activate at Next Reset");
}

TEST(CommandFieldsTest, FormatNvm) {
  FormatNvmFields f;
  f.lbaf = 0x2B;  // low 4 bits Bh, high 2 bits 2
  f.mset = true;
  f.pi = 5;
  f.pil = true;
  f.ses = 2;
  EXPECT_EQ(f.Cdw10(), 0x0000'25BBu);  // LBAFU 2<<12 | SES 2<<9 | PIL 1<<8 | PI 5<<5 | MSET | Bh
  const auto d = FormatNvmFields::Decode(f.Cdw10());
  EXPECT_EQ(d.lbaf, 0x2B);
  EXPECT_TRUE(d.mset);
  EXPECT_EQ(d.pi, 5);
  EXPECT_TRUE(d.pil);
  EXPECT_EQ(d.ses, 2);
}

TEST(CommandFieldsTest, SelectAndSelfTest) {
  EXPECT_EQ(SelectCdw10(static_cast<uint8_t>(NamespaceAttachSelect::kDetach)), 1u);
  EXPECT_EQ(SelectField(0xFFFF'FFF1u), 1);
  EXPECT_EQ(static_cast<int>(NamespaceManagementSelect::kDelete), 1);
  EXPECT_EQ(static_cast<int>(SelfTestCode::kAbort), 0xF);
  EXPECT_STREQ(SelfTestCodeName(SelfTestCode::kShort), "Short Device Self-test");
}

}  // namespace
}  // namespace nvmesim::spec
