#include "pcie_model/config_space.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "spec/pcie.h"

namespace nvmesim::pcie {
namespace {

using namespace spec;

TEST(ConfigSpaceTest, HeaderIdentifiesAnNvmeFunction) {
  ConfigSpace cs;
  EXPECT_EQ(cs.Read(kCfgVendorId, 2), 0x1B36u);
  EXPECT_EQ(cs.Read(kCfgRevisionId, 4) >> 8, kNvmeClassCode);
  EXPECT_EQ(cs.Read(kCfgHeaderType, 1), 0u);
  EXPECT_TRUE(cs.Read(kCfgStatus, 2) & kStatusCapabilitiesList);
  EXPECT_EQ(cs.Read(kCfgBar0, 4) & kBarMemoryFlagsMask, kBarMemoryType64);
}

TEST(ConfigSpaceTest, BarSizingLikeAHost) {
  ConfigSpaceConfig cfg;
  cfg.bar0_size = 0x4000;
  ConfigSpace cs(cfg);
  cs.Write(kCfgBar0, 4, 0xFFFFFFFF);
  cs.Write(kCfgBar1, 4, 0xFFFFFFFF);
  const uint64_t mask = uint64_t(cs.Read(kCfgBar1, 4)) << 32 | cs.Read(kCfgBar0, 4);
  EXPECT_EQ(mask & 0xF, kBarMemoryType64);
  EXPECT_EQ(~(mask & ~uint64_t(0xF)) + 1, 0x4000u);
  cs.Write(kCfgBar0, 4, 0xC0004123);  // low bits inside the size are ignored
  cs.Write(kCfgBar1, 4, 0x12);
  EXPECT_EQ(cs.Bar0Base(), 0x12C0004000ull);
  EXPECT_TRUE(cs.Bar0Contains(0x12C0007FFCull, 4));
  EXPECT_FALSE(cs.Bar0Contains(0x12C0007FFEull, 4));
  EXPECT_FALSE(cs.Bar0Contains(0x12C0003FFCull, 4));
}

TEST(ConfigSpaceTest, CommandBitsAndReadOnlyFields) {
  ConfigSpace cs;
  EXPECT_FALSE(cs.MemorySpaceEnabled());
  cs.Write(kCfgCommand, 2, kCommandMemorySpace | kCommandBusMaster);
  EXPECT_TRUE(cs.MemorySpaceEnabled());
  EXPECT_TRUE(cs.BusMasterEnabled());
  cs.Write(kCfgVendorId, 2, 0x1234);
  EXPECT_EQ(cs.Read(kCfgVendorId, 2), 0x1B36u);
  cs.Write(kCfgRevisionId, 4, 0);
  EXPECT_EQ(cs.Read(kCfgRevisionId, 4) >> 8, kNvmeClassCode);
  EXPECT_FALSE(cs.Write(kCfgCommand + 3, 2, 0));  // crosses a dword
  EXPECT_EQ(cs.Read(kCfgCommand + 3, 2), 0u);
}

TEST(ConfigSpaceTest, CapabilityListWalks) {
  ConfigSpace cs;
  uint32_t ptr = cs.Read(kCfgCapabilitiesPointer, 1);
  std::vector<uint32_t> ids;
  while (ptr) {
    ids.push_back(cs.Read(ptr, 1));
    ptr = cs.Read(ptr + 1, 1);
  }
  EXPECT_EQ(ids, (std::vector<uint32_t>{kPowerManagement, kMsix, kPciExpress}));
  EXPECT_EQ(cs.Read(kPcieExtendedCapabilityStart, 4), 0u);
}

TEST(ConfigSpaceTest, PciExpressCapability) {
  ConfigSpaceConfig cfg;
  cfg.max_payload_supported = 512;
  cfg.max_link_generation = 4;
  cfg.max_link_width = 8;
  ConfigSpace cs(cfg);
  const uint32_t p = ConfigSpace::kPcieCapOffset;
  EXPECT_EQ(cs.Read(p + kPcieDeviceCapabilities, 4) & kDevCapMpsMask, 2u);
  EXPECT_EQ(cs.MaxPayloadSize(), 128u);
  EXPECT_EQ(cs.MaxReadRequestSize(), 512u);
  uint16_t ctl = static_cast<uint16_t>(cs.Read(p + kPcieDeviceControl, 2));
  ctl = static_cast<uint16_t>((ctl & ~(kDevCtlMpsMask | kDevCtlMrrsMask)) | (1 << kDevCtlMpsShift) |
                              (5 << kDevCtlMrrsShift));
  cs.Write(p + kPcieDeviceControl, 2, ctl);
  EXPECT_EQ(cs.MaxPayloadSize(), 256u);
  EXPECT_EQ(cs.MaxReadRequestSize(), 4096u);
  EXPECT_EQ(cs.Read(p + kPcieLinkCapabilities, 4) & kLinkCapSpeedMask, 4u);
  EXPECT_EQ((cs.Read(p + kPcieLinkCapabilities, 4) & kLinkCapWidthMask) >> kLinkCapWidthShift, 8u);
  EXPECT_EQ(cs.Read(p + kPcieLinkStatus, 2) & kLinkStaSpeedMask, 4u);
  cs.SetLinkStatus(2, 1);
  EXPECT_EQ(cs.Read(p + kPcieLinkStatus, 2), 2u | (1u << 4));
  cs.Write(p + kPcieLinkStatus, 2, 0xFFFF);  // read-only
  EXPECT_EQ(cs.Read(p + kPcieLinkStatus, 2), 2u | (1u << 4));
  EXPECT_EQ(cs.ReadCompletionBoundary(), 64u);
  cs.Write(p + kPcieLinkControl, 2, kLinkCtlRcb128);
  EXPECT_EQ(cs.ReadCompletionBoundary(), 128u);
  // Initiate FLR reads back as zero and is reported once.
  cs.Write(p + kPcieDeviceControl, 2, ctl | kDevCtlInitiateFlr);
  EXPECT_EQ(cs.Read(p + kPcieDeviceControl, 2) & kDevCtlInitiateFlr, 0u);
  EXPECT_TRUE(cs.TakeFlrRequest());
  EXPECT_FALSE(cs.TakeFlrRequest());
  // Reset restores the defaults and keeps the link status.
  cs.Reset();
  EXPECT_EQ(cs.MaxPayloadSize(), 128u);
  EXPECT_EQ(cs.Read(p + kPcieLinkStatus, 2), 2u | (1u << 4));
}

TEST(ConfigSpaceTest, PowerManagementAndStatusW1c) {
  ConfigSpace cs;
  const uint32_t pm = ConfigSpace::kPmCapOffset;
  cs.Write(pm + 4, 2, 3);
  EXPECT_EQ(cs.PowerState(), 3u);
  EXPECT_TRUE(cs.Read(pm + 4, 2) & kPmcsrNoSoftReset);
  const uint32_t st = ConfigSpace::kPcieCapOffset + kPcieDeviceStatus;
  EXPECT_EQ(cs.Read(st, 2), 0u);
}

TEST(ConfigSpaceTest, RejectsBadConfig) {
  ConfigSpaceConfig cfg;
  cfg.bar0_size = 0x3000;
  EXPECT_NE(ValidateConfigSpaceConfig(cfg).find("bar0_size"), std::string::npos);
  EXPECT_THROW(ConfigSpace{cfg}, std::invalid_argument);
  cfg = {};
  cfg.msix_vectors = 2049;
  EXPECT_NE(ValidateConfigSpaceConfig(cfg).find("1..2048"), std::string::npos);
  cfg = {};
  cfg.msix_vectors = 1024;  // 16 KiB of table does not fit at 0x2000 in 16 KiB
  EXPECT_NE(ValidateConfigSpaceConfig(cfg).find("does not fit"), std::string::npos);
  cfg = {};
  cfg.msix_pba_offset = 0x2008;
  EXPECT_NE(ValidateConfigSpaceConfig(cfg).find("overlap"), std::string::npos);
  cfg = {};
  cfg.max_payload_supported = 96;
  EXPECT_NE(ValidateConfigSpaceConfig(cfg).find("max_payload_supported"), std::string::npos);
}

}  // namespace
}  // namespace nvmesim::pcie
