#include "spec/opcodes.h"

#include <gtest/gtest.h>

#include <string>

namespace nvmesim::spec {
namespace {

TEST(OpcodesTest, AdminValues) {
  EXPECT_EQ(static_cast<int>(AdminOpcode::kDeleteIoSq), 0x00);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kCreateIoSq), 0x01);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kGetLogPage), 0x02);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kDeleteIoCq), 0x04);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kCreateIoCq), 0x05);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kIdentify), 0x06);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kAbort), 0x08);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kSetFeatures), 0x09);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kGetFeatures), 0x0A);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kAsyncEventRequest), 0x0C);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kNamespaceManagement), 0x0D);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kFirmwareCommit), 0x10);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kFirmwareImageDownload), 0x11);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kDeviceSelfTest), 0x14);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kNamespaceAttachment), 0x15);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kKeepAlive), 0x18);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kDirectiveSend), 0x19);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kDirectiveReceive), 0x1A);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kVirtualizationManagement), 0x1C);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kDoorbellBufferConfig), 0x7C);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kFormatNvm), 0x80);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kSecuritySend), 0x81);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kSecurityReceive), 0x82);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kSanitize), 0x84);
  EXPECT_EQ(static_cast<int>(AdminOpcode::kGetLbaStatus), 0x86);
}

TEST(OpcodesTest, IoValues) {
  EXPECT_EQ(static_cast<int>(NvmOpcode::kFlush), 0x00);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kWrite), 0x01);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kRead), 0x02);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kWriteUncorrectable), 0x04);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kCompare), 0x05);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kWriteZeroes), 0x08);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kDatasetManagement), 0x09);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kVerify), 0x0C);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kReservationRegister), 0x0D);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kReservationReport), 0x0E);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kReservationAcquire), 0x11);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kReservationRelease), 0x15);
  EXPECT_EQ(static_cast<int>(NvmOpcode::kCopy), 0x19);
  EXPECT_EQ(static_cast<int>(ZnsOpcode::kZoneManagementSend), 0x79);
  EXPECT_EQ(static_cast<int>(ZnsOpcode::kZoneManagementReceive), 0x7A);
  EXPECT_EQ(static_cast<int>(ZnsOpcode::kZoneAppend), 0x7D);
}

TEST(OpcodesTest, Names) {
  EXPECT_STREQ(AdminOpcodeName(0x06), "Identify");
  EXPECT_STREQ(AdminOpcodeName(0x0C), "Asynchronous Event Request");
  EXPECT_STREQ(AdminOpcodeName(0x86), "Get LBA Status");
  EXPECT_EQ(AdminOpcodeName(0x03), nullptr);
  EXPECT_EQ(AdminOpcodeName(0xFF), nullptr);
  EXPECT_STREQ(IoOpcodeName(0x02), "Read");
  EXPECT_STREQ(IoOpcodeName(0x7D), "Zone Append");
  EXPECT_STREQ(IoOpcodeName(0x79), "Zone Management Send");
  EXPECT_EQ(IoOpcodeName(0x03), nullptr);
  EXPECT_STREQ(OpcodeName(NvmOpcode::kWriteZeroes), "Write Zeroes");
  EXPECT_STREQ(OpcodeName(AdminOpcode::kKeepAlive), "Keep Alive");
  // Every named admin opcode 0x00-0xBF has a name; count them.
  int named = 0;
  for (int op = 0; op < 256; ++op) named += AdminOpcodeName(static_cast<uint8_t>(op)) != nullptr;
  EXPECT_EQ(named, 30);
}

TEST(OpcodesTest, DataTransferDirectionFromOpcodeBits) {
  EXPECT_EQ(OpcodeDataTransfer(0x01), DataTransferDirection::kHostToController);  // Write
  EXPECT_EQ(OpcodeDataTransfer(0x02), DataTransferDirection::kControllerToHost);  // Read
  EXPECT_EQ(OpcodeDataTransfer(0x06), DataTransferDirection::kControllerToHost);  // Identify
  EXPECT_EQ(OpcodeDataTransfer(0x7D), DataTransferDirection::kHostToController);  // Zone Append
  EXPECT_EQ(OpcodeDataTransfer(0x00), DataTransferDirection::kNone);              // Flush
  EXPECT_STREQ(DataTransferDirectionName(DataTransferDirection::kBidirectional), "Bidirectional");
}

}  // namespace
}  // namespace nvmesim::spec
