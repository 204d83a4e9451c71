#include "spec/zns.h"

#include <gtest/gtest.h>

#include <cstring>

namespace nvmesim::spec {
namespace {

TEST(ZnsSpecTest, ZoneStateValuesMatchTheZsField) {
  EXPECT_EQ(static_cast<int>(ZoneState::kEmpty), 0x1);
  EXPECT_EQ(static_cast<int>(ZoneState::kImplicitlyOpened), 0x2);
  EXPECT_EQ(static_cast<int>(ZoneState::kExplicitlyOpened), 0x3);
  EXPECT_EQ(static_cast<int>(ZoneState::kClosed), 0x4);
  EXPECT_EQ(static_cast<int>(ZoneState::kReadOnly), 0xD);
  EXPECT_EQ(static_cast<int>(ZoneState::kFull), 0xE);
  EXPECT_EQ(static_cast<int>(ZoneState::kOffline), 0xF);
  EXPECT_STREQ(ZoneStateName(ZoneState::kImplicitlyOpened), "Implicitly Opened");
  EXPECT_STREQ(ZoneStateName(static_cast<ZoneState>(0x7)), "Reserved");
}

TEST(ZnsSpecTest, ZoneDescriptorStateSitsInTheHighNibble) {
  ZoneDescriptor d{};
  d.set_state(ZoneState::kFull);
  d.set_type(ZoneType::kSequentialWriteRequired);
  EXPECT_EQ(d.zs, 0xE0);
  EXPECT_EQ(d.zt, 0x02);
  EXPECT_EQ(d.state(), ZoneState::kFull);
  EXPECT_EQ(d.type(), ZoneType::kSequentialWriteRequired);

  // Byte-level layout as a host sees it (little-endian fields).
  d.zcap = 0x1122334455667788ull;
  d.zslba = 0x10;
  d.wp = 0x18;
  uint8_t raw[64];
  std::memcpy(raw, &d, sizeof raw);
  EXPECT_EQ(raw[1], 0xE0);
  EXPECT_EQ(raw[8], 0x88);
  EXPECT_EQ(raw[15], 0x11);
  EXPECT_EQ(raw[16], 0x10);
  EXPECT_EQ(raw[24], 0x18);
}

TEST(ZnsSpecTest, ActionsAndReportingOptions) {
  EXPECT_EQ(static_cast<int>(ZoneSendAction::kClose), 0x01);
  EXPECT_EQ(static_cast<int>(ZoneSendAction::kFinish), 0x02);
  EXPECT_EQ(static_cast<int>(ZoneSendAction::kOpen), 0x03);
  EXPECT_EQ(static_cast<int>(ZoneSendAction::kReset), 0x04);
  EXPECT_EQ(static_cast<int>(ZoneSendAction::kOffline), 0x05);
  EXPECT_EQ(static_cast<int>(ZoneSendAction::kSetZoneDescriptorExtension), 0x10);
  EXPECT_EQ(static_cast<int>(ZoneSendAction::kFlushExplicitZrwa), 0x11);
  EXPECT_EQ(static_cast<int>(ZoneReceiveAction::kExtendedReportZones), 0x01);
  EXPECT_EQ(static_cast<int>(ZoneReportingOption::kFull), 0x5);
  EXPECT_EQ(static_cast<int>(ZoneReportingOption::kReadOnly), 0x6);
  EXPECT_EQ(static_cast<int>(ZoneReportingOption::kOffline), kMaxZoneReportingOption);
  EXPECT_STREQ(ZoneSendActionName(ZoneSendAction::kFlushExplicitZrwa), "Flush Explicit ZRWA Range");
}

TEST(ZnsSpecTest, CommandDwordFields) {
  // Open, Select All, ZRWAA.
  const uint32_t send = 0x03 | (1u << 8) | (1u << 9);
  EXPECT_EQ(ZoneSendActionField(send), 0x03);
  EXPECT_TRUE(ZoneSendSelectAll(send));
  EXPECT_TRUE(ZoneSendZrwaAllocate(send));
  EXPECT_FALSE(ZoneSendSelectAll(0x04));
  // Extended report, Closed zones, partial.
  const uint32_t recv = 0x01 | (0x04u << 8) | (1u << 16);
  EXPECT_EQ(ZoneReceiveActionField(recv), 0x01);
  EXPECT_EQ(ZoneReceiveReportingOption(recv), 0x04);
  EXPECT_TRUE(ZoneReceivePartialReport(recv));
  EXPECT_EQ(ZoneReceiveBufferBytes(0), 4u);
  EXPECT_EQ(ZoneReceiveBufferBytes(1023), 4096u);
}

TEST(ZnsSpecTest, ZrwaStatusCodes) {
  EXPECT_EQ(InvalidZoneOperationRequest().type, StatusCodeType::kCommandSpecific);
  EXPECT_EQ(InvalidZoneOperationRequest().code, 0xB6);
  EXPECT_EQ(ZrwaResourcesUnavailable().code, 0xB7);
  EXPECT_FALSE(ZrwaResourcesUnavailable().ok());
}

TEST(ZnsSpecTest, IdentifyLayouts) {
  ZnsIdentifyNamespace ns{};
  ns.lbafe[1].zsze = 0x8000;
  ns.lbafe[1].zdes = 2;
  uint8_t raw[4096];
  std::memcpy(raw, &ns, sizeof raw);
  EXPECT_EQ(raw[2816 + 16 + 1], 0x80);  // lbafe[1].zsze byte 1
  EXPECT_EQ(raw[2816 + 16 + 8], 2);     // lbafe[1].zdes
  EXPECT_EQ(kMaxZoneDescriptorExtensionBytes, 255u * 64u);
}

}  // namespace
}  // namespace nvmesim::spec
