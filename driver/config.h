// The driver's `[advanced_nvme]` configuration: every key, its default and
// the NVMe limit it is checked against. Values beyond a spec limit are
// rejected with the key and the limit, never clamped. TOML loading lives in
// config_toml.h so this header stays free of the TOML library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nvmesim::driver {

// Path selection policy of the multipath layer (its own issue; parsed now).
// kLatency: the latency-aware policy that learns each path's service time online.
enum class LoadBalancing : uint8_t {
  kNone = 0,
  kRoundRobin = 1,
  kQueueDepth = 2,
  kNuma = 3,
  kLatency = 4
};
const char* LoadBalancingName(LoadBalancing policy);

// NVMe limits the keys are checked against.
namespace limits {
// CAP.MQES is a 0-based 16-bit field: at most 65,536 entries per I/O queue
// (NVMe 2.0 base 3.1.3.1, Figure 36).
inline constexpr uint32_t kMaxIoQueueEntries = 65536;
// A queue holds at least two entries (base 3.3.1: one slot is always empty).
inline constexpr uint32_t kMinQueueEntries = 2;
// Number of Queues NSQR/NCQR are 0-based 16-bit and FFFFh is invalid:
// at most 65,535 I/O queues (base 5.27.1).
inline constexpr uint32_t kMaxIoQueues = 65535;
// CNTLID FFF0h-FFFFh are reserved: controller ids 0..FFEFh (base 5.17.2.1,
// Identify Controller, base 5.17 CNTLID).
inline constexpr uint32_t kMaxControllers = 0xFFF0;
// NSID FFFFFFFFh is the broadcast value; valid NSIDs are 1..FFFFFFFEh (base 3.2.1.1).
inline constexpr uint64_t kMaxNamespaces = 0xFFFFFFFEull;
// Smallest logical block: LBADS >= 9, 512 bytes (NVM command set 4.1.5.1, LBA Format, NVM 4.1.5).
inline constexpr uint64_t kMinLogicalBlockBytes = 512;
}  // namespace limits

struct AdvancedNvmeConfig {
  // Controllers, namespaces and queues.
  uint32_t controller_max_count = 32;
  uint32_t controller_max_namespaces = 2048;
  uint32_t controller_max_queues = 128;         // I/O queue pairs per controller
  uint32_t controller_max_queue_depth = 65536;  // entries per I/O queue
  uint32_t queue_count = 4;                     // I/O queue pairs requested
  uint32_t queue_depth = 1024;                  // entries per I/O queue requested
  bool queue_intelligent_scheduling = false;
  bool queue_ai_optimization = false;
  bool queue_adaptive_sizing = false;
  // Zoned namespaces (zns issue).
  bool zns_enabled = false;
  uint32_t zns_max_zones = 4096;
  uint64_t zns_zone_size = 256ull << 20;  // bytes
  bool zns_zone_optimization = false;
  // Multipath (multipath issue).
  bool multipath_enabled = false;
  uint32_t multipath_max_paths = 16;
  LoadBalancing multipath_load_balancing = LoadBalancing::kRoundRobin;
  bool multipath_failover_enabled = true;
  // Optimisation, prediction, power and thermal (later issues).
  bool ai_optimization_enabled = false;
  bool machine_learning_enabled = false;
  bool predictive_maintenance = false;
  bool real_time_optimization = false;
  bool advanced_power_management = false;
  bool thermal_monitoring = true;
  bool predictive_thermal_management = false;
  bool adaptive_power_optimization = false;
};

// Every key of the section, in documentation order.
const std::vector<std::string_view>& AdvancedNvmeKeys();

// Checks ranges and cross-key rules; returns one message per problem, each
// naming the key and the limit. Empty when valid.
std::vector<std::string> ValidateAdvancedNvmeConfig(const AdvancedNvmeConfig& config);

// "256MB", "4KiB", "1 GB", "4096" -> bytes. K/M/G/T (with or without "B" or
// "iB") are powers of 1024. Returns nullopt and sets *error on bad input.
std::optional<uint64_t> ParseSize(std::string_view text, std::string* error);

}  // namespace nvmesim::driver
