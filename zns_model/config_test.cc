#include "zns_model/config.h"

#include <gtest/gtest.h>

#include "zns_model/test_util.h"

namespace nvmesim::zns {
namespace {

// The message names the field (and the limit) it rejects.
void ExpectRejected(const ZonedNamespaceConfig& c, const std::string& needle) {
  const std::string why = ValidateConfig(c);
  EXPECT_NE(why.find(needle), std::string::npos) << "got: \"" << why << "\"";
  std::string error;
  EXPECT_EQ(ZonedNamespace::Create(c, &error), nullptr);
  EXPECT_EQ(error, why);
}

TEST(ConfigTest, SmallConfigIsValid) { EXPECT_EQ(ValidateConfig(testing::SmallConfig()), ""); }

TEST(ConfigTest, RejectsZeroZones) {
  auto c = testing::SmallConfig();
  c.zone_count = 0;
  ExpectRejected(c, "zone_count is 0");
}

TEST(ConfigTest, RejectsNonPowerOfTwoZoneSizeWhenRequired) {
  auto c = testing::SmallConfig();
  c.zone_size_lbas = 96;
  ExpectRejected(c, "zone_size_lbas (96) is not a power of two");
  c.require_power_of_two_zone_size = false;
  EXPECT_EQ(ValidateConfig(c), "");
  auto ns = testing::Make(c);
  EXPECT_EQ(ns->ZoneIndex(95), 0u);
  EXPECT_EQ(ns->ZoneIndex(96), 1u);
}

TEST(ConfigTest, RejectsCapacityAboveSize) {
  auto c = testing::SmallConfig();
  c.zone_capacity_lbas = 65;
  ExpectRejected(c, "zone_capacity_lbas (65) exceeds zone_size_lbas (64)");
  c.zone_capacity_lbas = 0;
  ExpectRejected(c, "zone_capacity_lbas is 0");
}

TEST(ConfigTest, RejectsMorAboveMar) {
  auto c = testing::SmallConfig();
  c.max_open_zones = 4;
  c.max_active_zones = 3;
  ExpectRejected(c, "max_open_zones (4) exceeds max_active_zones (3)");
  c.max_open_zones = 0;  // unlimited open with limited active
  ExpectRejected(c, "max_open_zones is 0 (no limit) but max_active_zones is 3");
  c.max_active_zones = 0;
  EXPECT_EQ(ValidateConfig(c), "");
}

TEST(ConfigTest, RejectsBadZrwa) {
  auto c = testing::SmallConfig();
  c.zrwa_size_lbas = 8;
  ExpectRejected(c, "zrwa_zones is 0");
  c.zrwa_zones = 2;
  c.zrwa_flush_granularity_lbas = 3;
  ExpectRejected(c, "zrwa_size_lbas (8) is not a multiple of zrwa_flush_granularity_lbas (3)");
  c.zrwa_flush_granularity_lbas = 16;
  c.zrwa_size_lbas = 64;
  ExpectRejected(c, "zrwa_size_lbas (64) exceeds zone_capacity_lbas (48)");
  c.zrwa_size_lbas = 32;
  c.zrwa_flush_granularity_lbas = 32;
  ExpectRejected(c, "multiples of zrwa_flush_granularity_lbas (32)");
  c.zrwa_flush_granularity_lbas = 8;
  c.zrwa_zones = 4;
  ExpectRejected(c, "zrwa_zones (4) exceeds max_active_zones (3)");
  c.zrwa_zones = 3;
  EXPECT_EQ(ValidateConfig(c), "");
  c.zrwa_size_lbas = 0x10000;
  ExpectRejected(c, "ZRWASZ is 16 bits");
}

TEST(ConfigTest, RejectsBadExtensionAndFormats) {
  auto c = testing::SmallConfig();
  c.descriptor_extension_bytes = 100;
  ExpectRejected(c, "descriptor_extension_bytes (100) must be a multiple of 64");
  c.descriptor_extension_bytes = 256 * 64;
  ExpectRejected(c, "descriptor_extension_bytes (16384)");
  c.descriptor_extension_bytes = 255 * 64;
  EXPECT_EQ(ValidateConfig(c), "");
  c.lba_bytes = 1000;
  ExpectRejected(c, "lba_bytes (1000)");
  c.lba_bytes = 4096;
  c.zasl = 60;
  ExpectRejected(c, "zasl (60) overflows");
}

TEST(ConfigTest, AppendLimitFromZasl) {
  auto c = testing::SmallConfig();
  EXPECT_EQ(MaxAppendLbas(c), 0u);  // MDTS applies
  c.zasl = 3;                       // 8 x 4 KiB
  c.lba_bytes = 512;
  EXPECT_EQ(MaxAppendLbas(c), 64u);
}

TEST(ConfigTest, RejectsZoneSpaceOverflow) {
  auto c = testing::SmallConfig();
  c.zone_count = 0xFFFFFFFFu;
  c.zone_size_lbas = uint64_t{1} << 40;
  c.zone_capacity_lbas = 1;
  ExpectRejected(c, "overflows the 64-bit LBA space");
}

}  // namespace
}  // namespace nvmesim::zns
