#include "driver/config.h"

#include <cctype>
#include <string>

namespace nvmesim::driver {

const char* LoadBalancingName(LoadBalancing policy) {
  switch (policy) {
    case LoadBalancing::kNone:
      return "none";
    case LoadBalancing::kRoundRobin:
      return "round_robin";
    case LoadBalancing::kQueueDepth:
      return "queue_depth";
    case LoadBalancing::kNuma:
      return "numa";
    case LoadBalancing::kLatency:
      return "latency";
  }
  return "?";
}

const std::vector<std::string_view>& AdvancedNvmeKeys() {
  static const std::vector<std::string_view> keys = {
      "controller_max_count",
      "controller_max_namespaces",
      "controller_max_queues",
      "controller_max_queue_depth",
      "queue_count",
      "queue_depth",
      "queue_intelligent_scheduling",
      "queue_ai_optimization",
      "queue_adaptive_sizing",
      "zns_enabled",
      "zns_max_zones",
      "zns_zone_size",
      "zns_zone_optimization",
      "multipath_enabled",
      "multipath_max_paths",
      "multipath_load_balancing",
      "multipath_failover_enabled",
      "ai_optimization_enabled",
      "machine_learning_enabled",
      "predictive_maintenance",
      "real_time_optimization",
      "advanced_power_management",
      "thermal_monitoring",
      "predictive_thermal_management",
      "adaptive_power_optimization",
  };
  return keys;
}

namespace {

void CheckRange(std::vector<std::string>& errors, const char* key, uint64_t value, uint64_t min,
                uint64_t max, const char* why) {
  if (value < min) {
    errors.push_back(std::string("advanced_nvme.") + key + " = " + std::to_string(value) +
                     " is below the minimum of " + std::to_string(min) + " (" + why + ")");
  } else if (value > max) {
    errors.push_back(std::string("advanced_nvme.") + key + " = " + std::to_string(value) +
                     " exceeds the limit of " + std::to_string(max) + " (" + why + ")");
  }
}

}  // namespace

std::vector<std::string> ValidateAdvancedNvmeConfig(const AdvancedNvmeConfig& c) {
  std::vector<std::string> e;
  CheckRange(e, "controller_max_count", c.controller_max_count, 1, limits::kMaxControllers,
             "NVMe controller ids stop at FFEFh, base 2.0 5.17.2.1");
  CheckRange(e, "controller_max_namespaces", c.controller_max_namespaces, 1, limits::kMaxNamespaces,
             "valid NSIDs are 1..FFFFFFFEh, base 2.0 3.2.1.1");
  CheckRange(e, "controller_max_queues", c.controller_max_queues, 1, limits::kMaxIoQueues,
             "Number of Queues allows at most 65535 I/O queues, base 2.0 5.27.1");
  CheckRange(e, "controller_max_queue_depth", c.controller_max_queue_depth,
             limits::kMinQueueEntries, limits::kMaxIoQueueEntries,
             "NVMe allows 2..65536 entries per I/O queue, CAP.MQES, base 2.0 3.1.3.1");
  CheckRange(e, "queue_count", c.queue_count, 1, limits::kMaxIoQueues,
             "Number of Queues allows at most 65535 I/O queues, base 2.0 5.27.1");
  CheckRange(e, "queue_depth", c.queue_depth, limits::kMinQueueEntries, limits::kMaxIoQueueEntries,
             "NVMe allows 2..65536 entries per I/O queue, CAP.MQES, base 2.0 3.1.3.1");
  CheckRange(e, "zns_max_zones", c.zns_max_zones, 1, 0xFFFFFFFFull,
             "zone count of one namespace as a 32-bit value");
  CheckRange(e, "multipath_max_paths", c.multipath_max_paths, 1, limits::kMaxControllers,
             "one path per controller, controller ids stop at FFEFh, base 2.0 5.17.2.1");
  if (c.zns_zone_size < limits::kMinLogicalBlockBytes ||
      c.zns_zone_size % limits::kMinLogicalBlockBytes != 0) {
    e.push_back("advanced_nvme.zns_zone_size = " + std::to_string(c.zns_zone_size) +
                " bytes must be a non-zero multiple of 512 (ZSZE counts logical blocks of at "
                "least 512 bytes, ZNS 1.1 4.1.5.1)");
  }
  if (c.queue_depth > c.controller_max_queue_depth && c.queue_depth <= limits::kMaxIoQueueEntries) {
    e.push_back(
        "advanced_nvme.queue_depth = " + std::to_string(c.queue_depth) +
        " exceeds controller_max_queue_depth = " + std::to_string(c.controller_max_queue_depth));
  }
  if (c.queue_count > c.controller_max_queues && c.queue_count <= limits::kMaxIoQueues) {
    e.push_back("advanced_nvme.queue_count = " + std::to_string(c.queue_count) +
                " exceeds controller_max_queues = " + std::to_string(c.controller_max_queues));
  }
  return e;
}

std::optional<uint64_t> ParseSize(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<uint64_t> {
    if (error) *error = "size \"" + std::string(text) + "\": " + why;
    return std::nullopt;
  };
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  if (i == text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) {
    return fail("expected a number followed by an optional unit (B, KB, MB, GB, TB)");
  }
  uint64_t value = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    const uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (value > (UINT64_MAX - digit) / 10) return fail("number too large");
    value = value * 10 + digit;
  }
  while (i < text.size() && text[i] == ' ') ++i;
  std::string unit;
  for (; i < text.size(); ++i) {
    if (text[i] == ' ') break;
    unit.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(text[i]))));
  }
  while (i < text.size() && text[i] == ' ') ++i;
  if (i != text.size()) return fail("unexpected text after the unit");
  unsigned shift = 0;
  if (unit.empty() || unit == "B") {
    shift = 0;
  } else {
    static constexpr const char kPrefixes[] = "KMGTP";
    const size_t p = std::string_view(kPrefixes).find(unit[0]);
    const std::string rest = unit.substr(1);
    if (p == std::string_view::npos || !(rest.empty() || rest == "B" || rest == "IB")) {
      return fail("unknown unit \"" + unit + "\" (use B, KB, MB, GB, TB or KiB, MiB ...)");
    }
    shift = static_cast<unsigned>(10 * (p + 1));
  }
  if (shift > 0 && value > (UINT64_MAX >> shift)) return fail("size overflows 64 bits");
  return value << shift;
}

}  // namespace nvmesim::driver
