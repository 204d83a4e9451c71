#include "driver/config_toml.h"

#include <sstream>
#include <string>

namespace nvmesim::driver {

std::string ConfigResult::ErrorText() const {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += '\n';
    out += e;
  }
  return out;
}

namespace {

const char* TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date/time";
  }
}

std::string Key(std::string_view k) { return "advanced_nvme." + std::string(k); }

class Reader {
 public:
  explicit Reader(ConfigResult& r) : errors_(r.errors), keys_(r.error_keys) {}

  // An error about `key`.
  void Fail(std::string_view key, std::string message) {
    errors_.push_back(std::move(message));
    keys_.emplace_back(key);
  }

  void Bool(const toml::node& n, std::string_view key, bool& out) {
    if (auto v = n.value<bool>(); v && n.is_boolean()) {
      out = *v;
    } else {
      Fail(key, Key(key) + ": expected a boolean (true/false), got " + TypeName(n));
    }
  }

  // Integer in [0, max]; range checks against NVMe limits happen in Validate.
  template <typename T>
  void Int(const toml::node& n, std::string_view key, T& out, uint64_t max) {
    if (!n.is_integer()) {
      Fail(key, Key(key) + ": expected an integer, got " + TypeName(n));
      return;
    }
    const int64_t v = *n.value<int64_t>();
    if (v < 0) {
      Fail(key, Key(key) + " = " + std::to_string(v) + " must not be negative");
      return;
    }
    if (static_cast<uint64_t>(v) > max) {
      Fail(key,
           Key(key) + " = " + std::to_string(v) + " exceeds the limit of " + std::to_string(max));
      return;
    }
    out = static_cast<T>(v);
  }

  void Size(const toml::node& n, std::string_view key, uint64_t& out) {
    if (n.is_integer()) {
      const int64_t v = *n.value<int64_t>();
      if (v < 0) {
        Fail(key, Key(key) + " = " + std::to_string(v) + " must not be negative");
        return;
      }
      out = static_cast<uint64_t>(v);
      return;
    }
    if (!n.is_string()) {
      Fail(key, Key(key) +
                    ": expected a size such as \"256MB\" or an integer byte "
                    "count, got " +
                    TypeName(n));
      return;
    }
    std::string why;
    if (auto v = ParseSize(*n.value<std::string>(), &why)) {
      out = *v;
    } else {
      Fail(key, Key(key) + ": " + why);
    }
  }

  void Policy(const toml::node& n, std::string_view key, LoadBalancing& out) {
    if (n.is_boolean()) {
      out = *n.value<bool>() ? LoadBalancing::kRoundRobin : LoadBalancing::kNone;
      return;
    }
    if (n.is_string()) {
      const std::string s = *n.value<std::string>();
      for (auto p : {LoadBalancing::kNone, LoadBalancing::kRoundRobin, LoadBalancing::kQueueDepth,
                     LoadBalancing::kNuma, LoadBalancing::kLatency}) {
        if (s == LoadBalancingName(p)) {
          out = p;
          return;
        }
      }
      Fail(key,
           Key(key) + " = \"" + s +
               "\": expected one of none, round_robin, queue_depth, numa, latency, or a boolean");
      return;
    }
    Fail(key, Key(key) + ": expected a policy name or a boolean, got " + TypeName(n));
  }

 private:
  std::vector<std::string>& errors_;
  std::vector<std::string>& keys_;
};

}  // namespace

ConfigResult LoadAdvancedNvmeSection(const toml::table& section) {
  ConfigResult r;
  AdvancedNvmeConfig& c = r.config;
  Reader rd(r);
  // Generous type ceilings; the NVMe limits are applied by Validate below so
  // every message names the spec limit.
  constexpr uint64_t k32 = 0xFFFFFFFFull;
  for (const auto& [k, node] : section) {
    const std::string_view key = k.str();
    if (key == "controller_max_count")
      rd.Int(node, key, c.controller_max_count, k32);
    else if (key == "controller_max_namespaces")
      rd.Int(node, key, c.controller_max_namespaces, k32);
    else if (key == "controller_max_queues")
      rd.Int(node, key, c.controller_max_queues, k32);
    else if (key == "controller_max_queue_depth")
      rd.Int(node, key, c.controller_max_queue_depth, k32);
    else if (key == "queue_count")
      rd.Int(node, key, c.queue_count, k32);
    else if (key == "queue_depth")
      rd.Int(node, key, c.queue_depth, k32);
    else if (key == "queue_intelligent_scheduling")
      rd.Bool(node, key, c.queue_intelligent_scheduling);
    else if (key == "queue_ai_optimization")
      rd.Bool(node, key, c.queue_ai_optimization);
    else if (key == "queue_adaptive_sizing")
      rd.Bool(node, key, c.queue_adaptive_sizing);
    else if (key == "zns_enabled")
      rd.Bool(node, key, c.zns_enabled);
    else if (key == "zns_max_zones")
      rd.Int(node, key, c.zns_max_zones, k32);
    else if (key == "zns_zone_size")
      rd.Size(node, key, c.zns_zone_size);
    else if (key == "zns_zone_optimization")
      rd.Bool(node, key, c.zns_zone_optimization);
    else if (key == "multipath_enabled")
      rd.Bool(node, key, c.multipath_enabled);
    else if (key == "multipath_max_paths")
      rd.Int(node, key, c.multipath_max_paths, k32);
    else if (key == "multipath_load_balancing")
      rd.Policy(node, key, c.multipath_load_balancing);
    else if (key == "multipath_failover_enabled")
      rd.Bool(node, key, c.multipath_failover_enabled);
    else if (key == "ai_optimization_enabled")
      rd.Bool(node, key, c.ai_optimization_enabled);
    else if (key == "machine_learning_enabled")
      rd.Bool(node, key, c.machine_learning_enabled);
    else if (key == "predictive_maintenance")
      rd.Bool(node, key, c.predictive_maintenance);
    else if (key == "real_time_optimization")
      rd.Bool(node, key, c.real_time_optimization);
    else if (key == "advanced_power_management")
      rd.Bool(node, key, c.advanced_power_management);
    else if (key == "thermal_monitoring")
      rd.Bool(node, key, c.thermal_monitoring);
    else if (key == "predictive_thermal_management")
      rd.Bool(node, key, c.predictive_thermal_management);
    else if (key == "adaptive_power_optimization")
      rd.Bool(node, key, c.adaptive_power_optimization);
    else {
      std::string known;
      for (std::string_view name : AdvancedNvmeKeys()) {
        known += (known.empty() ? "" : ", ") + std::string(name);
      }
      rd.Fail(key, Key(key) + ": unknown key (known keys: " + known + ")");
    }
  }
  if (r.errors.empty()) {
    for (auto& e : ValidateAdvancedNvmeConfig(c)) {
      r.errors.push_back(std::move(e));
      r.error_keys.emplace_back();  // a rule across keys or a limit: no one key
    }
  }
  return r;
}

ConfigResult ParseAdvancedNvmeToml(std::string_view document) {
  toml::table root;
  try {
    root = toml::parse(document);
  } catch (const toml::parse_error& err) {
    ConfigResult r;
    std::ostringstream os;
    os << "TOML syntax error at line " << err.source().begin.line << ", column "
       << err.source().begin.column << ": " << err.description();
    r.errors.push_back(os.str());
    r.error_keys.emplace_back();  // the line is in the message
    return r;
  }
  const toml::node* section = root.get("advanced_nvme");
  if (section == nullptr) return ConfigResult{};
  if (!section->is_table()) {
    ConfigResult r;
    Reader(r).Fail("", std::string("advanced_nvme: expected a table, got ") + TypeName(*section));
    return r;
  }
  return LoadAdvancedNvmeSection(*section->as_table());
}

}  // namespace nvmesim::driver
