#include "zns_model/config.h"

#include <bit>
#include <cstdio>
#include <limits>

#include "spec/zns.h"

namespace nvmesim::zns {
namespace {

std::string Format(const char* fmt, unsigned long long a, unsigned long long b = 0) {
  char buf[320];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

}  // namespace

std::string ValidateConfig(const ZonedNamespaceConfig& c) {
  using ull = unsigned long long;
  if (c.zone_count == 0) return "zone_count is 0: a zoned namespace needs at least 1 zone";
  if (c.zone_size_lbas == 0) return "zone_size_lbas is 0: ZSZE must be at least 1 LBA";
  if (c.require_power_of_two_zone_size && !std::has_single_bit(c.zone_size_lbas)) {
    return Format(
        "zone_size_lbas (%llu) is not a power of two "
        "(require_power_of_two_zone_size is set)",
        ull{c.zone_size_lbas});
  }
  if (c.zone_capacity_lbas == 0) return "zone_capacity_lbas is 0: ZCAP must be at least 1 LBA";
  if (c.zone_capacity_lbas > c.zone_size_lbas) {
    return Format(
        "zone_capacity_lbas (%llu) exceeds zone_size_lbas (%llu): ZCAP <= ZSZE "
        "(ZNS 1.1 2.1.1)",
        ull{c.zone_capacity_lbas}, ull{c.zone_size_lbas});
  }
  if (c.zone_size_lbas > std::numeric_limits<uint64_t>::max() / c.zone_count) {
    return Format("zone_count (%llu) x zone_size_lbas (%llu) overflows the 64-bit LBA space",
                  ull{c.zone_count}, ull{c.zone_size_lbas});
  }
  if (c.max_active_zones != 0 && c.max_open_zones == 0) {
    return Format(
        "max_open_zones is 0 (no limit) but max_active_zones is %llu: MOR must be "
        "<= MAR (ZNS 1.1 Identify Namespace)",
        ull{c.max_active_zones});
  }
  if (c.max_active_zones != 0 && c.max_open_zones > c.max_active_zones) {
    return Format(
        "max_open_zones (%llu) exceeds max_active_zones (%llu): MOR must be <= MAR "
        "(ZNS 1.1 Identify Namespace)",
        ull{c.max_open_zones}, ull{c.max_active_zones});
  }
  if (!std::has_single_bit(c.lba_bytes) || c.lba_bytes < 512) {
    return Format("lba_bytes (%llu) must be a power of two >= 512 (LBADS >= 9)", ull{c.lba_bytes});
  }
  if (!std::has_single_bit(c.mpsmin_bytes) || c.mpsmin_bytes < 4096 ||
      c.mpsmin_bytes > (1u << 27)) {
    return Format("mpsmin_bytes (%llu) must be 2^(12 + CAP.MPSMIN) with MPSMIN 0..15",
                  ull{c.mpsmin_bytes});
  }
  if (c.zasl != 0) {
    const int shift_limit = 63 - std::countr_zero(c.mpsmin_bytes);
    if (c.zasl > shift_limit) {
      return Format(
          "zasl (%llu) overflows: 2^zasl x mpsmin_bytes must fit in 64 bits "
          "(zasl <= %llu)",
          ull{c.zasl}, ull(shift_limit));
    }
    if ((uint64_t{c.mpsmin_bytes} << c.zasl) < c.lba_bytes) {
      return Format("zasl (%llu) allows appends smaller than one LBA of %llu bytes", ull{c.zasl},
                    ull{c.lba_bytes});
    }
  }
  if (c.zrwa_zones == 0) {
    if (c.zrwa_size_lbas != 0 || c.zrwa_flush_granularity_lbas != 0) {
      return "zrwa_size_lbas / zrwa_flush_granularity_lbas are set but zrwa_zones is 0 "
             "(ZRWA not supported)";
    }
  } else {
    if (c.zrwa_flush_granularity_lbas == 0 || c.zrwa_flush_granularity_lbas > 0xFFFF) {
      return Format("zrwa_flush_granularity_lbas (%llu) must be 1..65535 (ZRWAFG is 16 bits)",
                    ull{c.zrwa_flush_granularity_lbas});
    }
    if (c.zrwa_size_lbas == 0 || c.zrwa_size_lbas > 0xFFFF) {
      return Format("zrwa_size_lbas (%llu) must be 1..65535 (ZRWASZ is 16 bits)",
                    ull{c.zrwa_size_lbas});
    }
    if (c.zrwa_size_lbas % c.zrwa_flush_granularity_lbas != 0) {
      return Format(
          "zrwa_size_lbas (%llu) is not a multiple of zrwa_flush_granularity_lbas "
          "(%llu)",
          ull{c.zrwa_size_lbas}, ull{c.zrwa_flush_granularity_lbas});
    }
    if (c.zrwa_size_lbas > c.zone_capacity_lbas) {
      return Format("zrwa_size_lbas (%llu) exceeds zone_capacity_lbas (%llu)",
                    ull{c.zrwa_size_lbas}, ull{c.zone_capacity_lbas});
    }
    if (c.zone_capacity_lbas % c.zrwa_flush_granularity_lbas != 0 ||
        c.zone_size_lbas % c.zrwa_flush_granularity_lbas != 0) {
      return Format(
          "zone_capacity_lbas (%llu) and zone_size_lbas must be multiples of "
          "zrwa_flush_granularity_lbas (%llu)",
          ull{c.zone_capacity_lbas}, ull{c.zrwa_flush_granularity_lbas});
    }
    if (c.max_active_zones != 0 && c.zrwa_zones > c.max_active_zones) {
      return Format(
          "zrwa_zones (%llu) exceeds max_active_zones (%llu): a ZRWA belongs to an "
          "active zone",
          ull{c.zrwa_zones}, ull{c.max_active_zones});
    }
  }
  if (c.descriptor_extension_bytes % spec::kZoneDescriptorExtensionUnit != 0 ||
      c.descriptor_extension_bytes > spec::kMaxZoneDescriptorExtensionBytes) {
    return Format(
        "descriptor_extension_bytes (%llu) must be a multiple of 64 up to %llu "
        "(ZDES is 8 bits in 64-byte units)",
        ull{c.descriptor_extension_bytes}, ull{spec::kMaxZoneDescriptorExtensionBytes});
  }
  return "";
}

uint64_t MaxAppendLbas(const ZonedNamespaceConfig& c) {
  if (c.zasl == 0) return 0;
  return (uint64_t{c.mpsmin_bytes} << c.zasl) / c.lba_bytes;
}

}  // namespace nvmesim::zns
