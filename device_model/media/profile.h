// Device performance profile: the physical parameters a media model is built
// from (NAND geometry and timing, controller cores, DRAM write buffer, FTL
// policy, PCIe link). Headline figures (IOPS, bandwidth) are never stated
// here; they emerge from these numbers (docs/profiles.md).
#pragma once

#include <cstdint>
#include <string>

namespace nvmesim::device::media {

struct LinkProfile {
  unsigned generation = 5;               // PCIe 5.0 4.2 Table 4-1: 1..5
  unsigned width = 4;                    // x1 x2 x4 x8 x16 (PCIe 5.0 4.2.4.11)
  uint32_t max_payload_size = 256;       // 128..4096, power of two (PCIe 5.0 7.5.3.4)
  uint32_t max_read_request_size = 512;  // 128..4096, power of two (PCIe 5.0 7.5.3.4)
};

struct NandProfile {
  uint32_t channels = 8;
  uint32_t dies_per_channel = 4;
  uint32_t planes_per_die = 4;
  uint32_t blocks_per_plane = 1024;
  uint32_t pages_per_block = 1536;
  uint32_t page_bytes = 16384;           // user data per page
  uint32_t spare_bytes = 2048;           // ECC parity + metadata per page, moved with the data
  uint32_t pages_per_program = 1;        // pages programmed by one operation (one-shot TLC: 3)
  uint64_t t_read_ns = 50'000;           // tR: array to page register
  uint64_t t_prog_ns = 600'000;          // tPROG of one program operation
  uint64_t t_erase_ns = 3'000'000;       // tBERS
  uint32_t channel_mts = 2400;           // channel transfer rate, MT/s, 8-bit bus (ONFI 5.x: 3600)
  uint64_t t_cmd_ns = 300;               // command + address cycles + status poll per operation
  bool multi_plane = true;               // program/read/erase planes of a die together
  bool independent_plane_reads = false;  // planes read independently (single-unit reads)
  bool cache_read = true;                // array reads the next page while data moves out
  bool suspend = false;                  // program/erase suspend for reads
  uint64_t t_suspend_ns = 20'000;        // suspend latency before the read may start
  uint64_t t_resume_ns = 5'000;          // extra time to resume the suspended operation
  uint32_t max_suspends = 4;             // suspends allowed per program/erase
};

struct ControllerProfile {
  uint32_t cores = 4;  // embedded cores running the command path
  uint32_t clock_mhz = 1000;
  uint32_t read_cycles = 2000;  // per command
  uint32_t write_cycles = 2000;
  uint32_t flush_cycles = 1000;
  uint32_t deallocate_cycles = 1000;
  uint32_t other_cycles = 1000;
  uint32_t unit_cycles = 0;  // per mapping unit touched (FTL lookup/update)
};

struct CacheProfile {
  uint64_t bytes = uint64_t{16} << 20;  // DRAM write buffer; 0 = write-through
  uint64_t bandwidth_mbps = 12'800;     // DRAM bandwidth, MB/s (10^6 bytes per second)
  bool power_loss_protected = false;    // buffered data counts as durable (FUA acks from it)
};

struct FtlProfile {
  uint32_t mapping_unit_bytes = 4096;  // page-level mapping granularity
  double over_provisioning = 0.07;     // (physical - user) / user
  uint32_t gc_low_superblocks = 4;     // start GC at or below this many free superblocks
  uint32_t gc_high_superblocks = 8;    // GC until this many are free
};

struct MediaProfile {
  std::string name;
  bool unlimited = false;  // media costs nothing: link-ceiling tests
  LinkProfile link;
  NandProfile nand;
  ControllerProfile controller;
  CacheProfile cache;
  FtlProfile ftl;
};

// "" when valid, otherwise the first problem: "<key>: <value> <reason> (<limit>)",
// keys spelled as in the TOML file, e.g. "nand.channel_mts: 4000 is not 1..3600".
std::string ValidateProfile(const MediaProfile& p);

// Derived geometry (valid profiles only).
struct Geometry {
  uint32_t dies = 0;                  // channels x dies_per_channel
  uint32_t units_per_page = 0;        // mapping units per page
  uint32_t program_planes = 0;        // planes in one program operation
  uint32_t plane_groups = 0;          // planes_per_die / program_planes
  uint32_t units_per_program = 0;     // mapping units in one program operation
  uint64_t units_per_superblock = 0;  // one block on every plane of every die
  uint32_t superblocks = 0;           // blocks_per_plane
  uint64_t physical_units = 0;
  uint64_t user_units = 0;  // physical / (1 + over_provisioning)
  uint64_t physical_bytes = 0;
  uint64_t user_bytes = 0;
};
Geometry DeriveGeometry(const MediaProfile& p);

}  // namespace nvmesim::device::media
