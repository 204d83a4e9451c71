#include "device_model/media/profile.h"

#include <cmath>
#include <sstream>

namespace nvmesim::device::media {
namespace {

bool PowerOfTwo(uint64_t v) { return v && !(v & (v - 1)); }

template <typename T>
std::string Range(const char* key, T v, T lo, T hi, const char* why = "") {
  if (v >= lo && v <= hi) return "";
  std::ostringstream o;
  o << key << ": " << v << " is not " << lo << ".." << hi;
  if (*why) o << " (" << why << ")";
  return o.str();
}

std::string Check(std::initializer_list<std::string> errors) {
  for (const auto& e : errors)
    if (!e.empty()) return e;
  return "";
}

std::string ValidateLink(const LinkProfile& l) {
  std::string e = Range<unsigned>("link.generation", l.generation, 1, 5, "PCIe 5.0 Table 4-1");
  if (!e.empty()) return e;
  if (l.width != 1 && l.width != 2 && l.width != 4 && l.width != 8 && l.width != 16)
    return "link.width: " + std::to_string(l.width) +
           " is not 1, 2, 4, 8 or 16 (PCIe 5.0 4.2.4.11)";
  if (!PowerOfTwo(l.max_payload_size) || l.max_payload_size < 128 || l.max_payload_size > 4096)
    return "link.max_payload_size: " + std::to_string(l.max_payload_size) +
           " is not a power of two in 128..4096 (PCIe 5.0 7.5.3.4)";
  if (!PowerOfTwo(l.max_read_request_size) || l.max_read_request_size < 128 ||
      l.max_read_request_size > 4096)
    return "link.max_read_request_size: " + std::to_string(l.max_read_request_size) +
           " is not a power of two in 128..4096 (PCIe 5.0 7.5.3.4)";
  return "";
}

std::string ValidateNand(const NandProfile& n, uint32_t unit_bytes) {
  std::string e = Check({
      Range<uint32_t>("nand.channels", n.channels, 1, 64),
      Range<uint32_t>("nand.dies_per_channel", n.dies_per_channel, 1, 64),
      Range<uint32_t>("nand.planes_per_die", n.planes_per_die, 1, 16),
      Range<uint32_t>("nand.blocks_per_plane", n.blocks_per_plane, 8, 1u << 20),
      Range<uint32_t>("nand.pages_per_block", n.pages_per_block, 1, 1u << 16),
      Range<uint32_t>("nand.page_bytes", n.page_bytes, 512, 1u << 20),
      Range<uint32_t>("nand.spare_bytes", n.spare_bytes, 0, n.page_bytes),
      Range<uint32_t>("nand.pages_per_program", n.pages_per_program, 1, 4, "QLC one-shot"),
      Range<uint64_t>("nand.t_read_ns", n.t_read_ns, 1, 10'000'000),
      Range<uint64_t>("nand.t_prog_ns", n.t_prog_ns, 1, 100'000'000),
      Range<uint64_t>("nand.t_erase_ns", n.t_erase_ns, 1, 1'000'000'000),
      // ONFI 5.1 / Toggle 5.0 NV-LPDDR4 interfaces top out at 3,600 MT/s.
      Range<uint32_t>("nand.channel_mts", n.channel_mts, 1, 3600, "ONFI 5.1 NV-LPDDR4"),
      Range<uint64_t>("nand.t_cmd_ns", n.t_cmd_ns, 0, 1'000'000),
      Range<uint64_t>("nand.t_suspend_ns", n.t_suspend_ns, 0, 10'000'000),
      Range<uint64_t>("nand.t_resume_ns", n.t_resume_ns, 0, 10'000'000),
      Range<uint32_t>("nand.max_suspends", n.max_suspends, 0, 1000),
  });
  if (!e.empty()) return e;
  if (n.pages_per_block % n.pages_per_program)
    return "nand.pages_per_block: " + std::to_string(n.pages_per_block) +
           " is not a multiple of nand.pages_per_program " + std::to_string(n.pages_per_program);
  if (n.page_bytes % unit_bytes)
    return "nand.page_bytes: " + std::to_string(n.page_bytes) +
           " is not a multiple of ftl.mapping_unit_bytes " + std::to_string(unit_bytes);
  if (n.independent_plane_reads && n.planes_per_die < 2)
    return "nand.independent_plane_reads: needs nand.planes_per_die >= 2";
  return "";
}

std::string ValidateController(const ControllerProfile& c) {
  return Check({
      Range<uint32_t>("controller.cores", c.cores, 1, 64),
      Range<uint32_t>("controller.clock_mhz", c.clock_mhz, 1, 10'000),
      Range<uint32_t>("controller.read_cycles", c.read_cycles, 0, 100'000'000),
      Range<uint32_t>("controller.write_cycles", c.write_cycles, 0, 100'000'000),
      Range<uint32_t>("controller.flush_cycles", c.flush_cycles, 0, 100'000'000),
      Range<uint32_t>("controller.deallocate_cycles", c.deallocate_cycles, 0, 100'000'000),
      Range<uint32_t>("controller.other_cycles", c.other_cycles, 0, 100'000'000),
      Range<uint32_t>("controller.unit_cycles", c.unit_cycles, 0, 100'000'000),
  });
}

}  // namespace

Geometry DeriveGeometry(const MediaProfile& p) {
  Geometry g;
  const NandProfile& n = p.nand;
  g.dies = n.channels * n.dies_per_channel;
  g.units_per_page = n.page_bytes / p.ftl.mapping_unit_bytes;
  g.program_planes = n.multi_plane ? n.planes_per_die : 1;
  g.plane_groups = n.planes_per_die / g.program_planes;
  g.units_per_program = g.units_per_page * n.pages_per_program * g.program_planes;
  g.units_per_superblock =
      uint64_t{g.dies} * n.planes_per_die * n.pages_per_block * g.units_per_page;
  g.superblocks = n.blocks_per_plane;
  g.physical_units = g.units_per_superblock * g.superblocks;
  g.user_units = static_cast<uint64_t>(
      std::floor(static_cast<double>(g.physical_units) / (1.0 + p.ftl.over_provisioning)));
  g.physical_bytes = g.physical_units * p.ftl.mapping_unit_bytes;
  g.user_bytes = g.user_units * p.ftl.mapping_unit_bytes;
  return g;
}

std::string ValidateProfile(const MediaProfile& p) {
  std::string e = ValidateLink(p.link);
  if (!e.empty() || p.unlimited) return e;
  const FtlProfile& f = p.ftl;
  if (!PowerOfTwo(f.mapping_unit_bytes) || f.mapping_unit_bytes < 512 ||
      f.mapping_unit_bytes > 65536)
    return "ftl.mapping_unit_bytes: " + std::to_string(f.mapping_unit_bytes) +
           " is not a power of two in 512..65536";
  if (!(f.over_provisioning >= 0.0 && f.over_provisioning <= 4.0)) {
    std::ostringstream o;
    o << "ftl.over_provisioning: " << f.over_provisioning << " is not 0..4";
    return o.str();
  }
  if (!(e = ValidateNand(p.nand, f.mapping_unit_bytes)).empty()) return e;
  if (!(e = ValidateController(p.controller)).empty()) return e;
  if (!(e = Range<uint64_t>("cache.bandwidth_mbps", p.cache.bandwidth_mbps, 1, 10'000'000)).empty())
    return e;
  const Geometry g = DeriveGeometry(p);
  // Physical unit numbers are 32-bit (0xFFFFFFFF marks unmapped).
  if (g.physical_units >= 0xFFFFFFFFull)
    return "nand: " + std::to_string(g.physical_units) +
           " mapping units exceed the 32-bit physical address limit (4294967294)";
  const uint64_t program_bytes = uint64_t{g.units_per_program} * f.mapping_unit_bytes;
  if (p.cache.bytes != 0 && p.cache.bytes < 2 * program_bytes)
    return "cache.bytes: " + std::to_string(p.cache.bytes) + " is below two program units (" +
           std::to_string(2 * program_bytes) + ")";
  if (p.cache.bytes > (uint64_t{1} << 40))
    return "cache.bytes: " + std::to_string(p.cache.bytes) + " is not 0..1099511627776";
  if (f.gc_low_superblocks < 2)
    return "ftl.gc_low_superblocks: " + std::to_string(f.gc_low_superblocks) + " is below 2";
  if (f.gc_high_superblocks <= f.gc_low_superblocks)
    return "ftl.gc_high_superblocks: " + std::to_string(f.gc_high_superblocks) +
           " is not above ftl.gc_low_superblocks " + std::to_string(f.gc_low_superblocks);
  // Spare superblocks must cover the GC reserve, or GC can never reach its target.
  const uint64_t spare = (g.physical_units - g.user_units) / g.units_per_superblock;
  if (spare < uint64_t{f.gc_high_superblocks} + 1)
    return "ftl.over_provisioning: " + std::to_string(f.over_provisioning) + " leaves " +
           std::to_string(spare) + " spare superblocks, below ftl.gc_high_superblocks + 1 (" +
           std::to_string(f.gc_high_superblocks + 1) + ")";
  return "";
}

}  // namespace nvmesim::device::media
