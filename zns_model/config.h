// Geometry and limits of one zoned namespace, and their validation.
// Field meanings follow the ZNS 1.1 Identify Namespace (CNS 05h, CSI 02h) and
// Identify Controller (CNS 06h, CSI 02h) data structures; counts here are
// plain counts (1-based), the Identify fields are 0's based (see FillIdentify*).
#pragma once

#include <cstdint>
#include <string>

namespace nvmesim::zns {

struct ZonedNamespaceConfig {
  uint32_t zone_count = 0;          // number of zones; >= 1
  uint64_t zone_size_lbas = 0;      // ZSZE (LBA Format Extension)
  uint64_t zone_capacity_lbas = 0;  // ZCAP of every zone; 1..ZSZE (ZNS 1.1 2.1.1)
  // Linux's zoned block layer needs a power-of-two zone size; the ZNS spec
  // does not. Default on; turn off to model a device with other zone sizes.
  bool require_power_of_two_zone_size = true;

  // Maximum Open / Active Resources as counts; 0 = no limit (reported as
  // FFFFFFFFh in MOR/MAR). MOR <= MAR when MAR is limited.
  uint32_t max_open_zones = 0;
  uint32_t max_active_zones = 0;

  // Zone Append Size Limit (Identify Controller ZASL): 2^zasl x mpsmin_bytes;
  // 0 = no limit beyond MDTS (the device model enforces MDTS).
  uint8_t zasl = 0;
  uint32_t mpsmin_bytes = 4096;  // CAP.MPSMIN as bytes (2^(12 + MPSMIN))
  uint32_t lba_bytes = 4096;     // logical block size (2^LBADS), 512 or more

  bool read_across_zone_boundaries = false;  // OZCS.RAZB
  bool zone_active_excursions = false;       // ZOC.ZAE: controller may finish zones

  // Zone Random Write Area (ZNS 1.1 Zone Random Write Area section).
  // zrwa_zones = 0: not supported (OZCS.ZRWASUP = 0) and size/granularity must be 0.
  uint32_t zrwa_zones = 0;                   // NUMZRWA as a count
  uint32_t zrwa_size_lbas = 0;               // ZRWASZ, a multiple of ZRWAFG
  uint32_t zrwa_flush_granularity_lbas = 0;  // ZRWAFG; divides ZCAP and ZSZE
  bool zrwa_explicit_flush = true;           // ZRWACAP.EXPFLUSHSUP

  // Zone descriptor extension size in bytes: a multiple of 64, at most
  // 255 x 64 (LBA Format Extension ZDES). 0 = not supported.
  uint32_t descriptor_extension_bytes = 0;

  // Reset / Finish Recommended Limits reported in Identify (seconds, 0 = none).
  uint32_t reset_recommended_limit_s = 0;
  uint32_t finish_recommended_limit_s = 0;
};

// "" when the configuration is valid; otherwise one sentence naming the
// field, its value and the limit it breaks.
std::string ValidateConfig(const ZonedNamespaceConfig& config);

// Largest Zone Append in LBAs the ZASL allows; 0 = no ZASL limit.
uint64_t MaxAppendLbas(const ZonedNamespaceConfig& config);

}  // namespace nvmesim::zns
