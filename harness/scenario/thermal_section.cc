#include "harness/scenario/thermal_section.h"

#include <fstream>
#include <sstream>

namespace nvmesim::harness {

namespace {
constexpr uint64_t kPsPerUs = 1'000'000ull;
constexpr uint64_t kPsPerMs = 1'000'000'000ull;

std::optional<uint32_t> Kelvin(TomlReader& r, const char* key) {
  // Temperatures are 16-bit kelvin fields (Identify Controller WCTEMP / CCTEMP,
  // MNTMT / MXTMT, base 2.0 Figure 275; Set Features 10h TMT1 / TMT2, Figure
  // 338); a drive model is accepted between 200 K and 500 K.
  std::optional<int64_t> v = r.Int(key, 200, 500, false, "a temperature in kelvin");
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint64_t> Positive(TomlReader& r, const char* key) {
  std::optional<uint64_t> v = r.Duration(key);
  if (v && *v == 0) r.Fail(key, "expected a duration above zero");
  return v;
}

// ENLAT / EXLAT: 32-bit fields in microseconds (Power State Descriptor, Figure 276).
uint64_t Latency(TomlReader& r, const char* key) {
  std::optional<uint64_t> v = r.Duration(key);
  if (!v) return 0;
  if (*v % kPsPerUs != 0) r.Fail(key, "expected whole microseconds (ENLAT / EXLAT, Figure 276)");
  if (*v / kPsPerUs > 0xFFFFFFFFull) r.Fail(key, "expected at most 4294967295us (32-bit field)");
  return *v;
}

// Keys a scope does not take, with the reason the error gives.
struct Excluded {
  const char* key;
  const char* why;
};

constexpr const char* kSlotKey =
    "describes the slot, not the drive: set it in the scenario's [thermal] or the controller's "
    "thermal";
constexpr const char* kHostKey =
    "is a setting of the host's thermal manager: set it in the scenario's [thermal]";
constexpr const char* kHostOrControllerKey =
    "is a threshold the host programs: set it in the scenario's [thermal] or the controller's "
    "thermal";

void RejectExcluded(TomlReader& r, ThermalScope scope) {
  static const Excluded kProfile[] = {
      {"ambient_kelvin", kSlotKey},   {"initial_kelvin", kSlotKey},   {"poll_interval", kHostKey},
      {"horizon", kHostKey},          {"apst_max_latency", kHostKey}, {"sample_interval", kHostKey},
      {"tmt1", kHostOrControllerKey}, {"tmt2", kHostOrControllerKey},
  };
  static const Excluded kController[] = {
      {"poll_interval", kHostKey},
      {"horizon", kHostKey},
      {"apst_max_latency", kHostKey},
      {"sample_interval", kHostKey},
  };
  if (scope == ThermalScope::kProfile) {
    for (const Excluded& e : kProfile)
      if (r.Has(e.key)) r.Fail(e.key, std::string("not a profile key: it ") + e.why);
  } else if (scope == ThermalScope::kController) {
    for (const Excluded& e : kController)
      if (r.Has(e.key)) r.Fail(e.key, std::string("not a per-controller key: it ") + e.why);
  }
}

std::vector<PowerStateSpec> ParsePowerStates(TomlReader& r) {
  std::vector<const toml::table*> tables = r.TableList("power_state");
  // NPSS is 0's based and 8 bits, of which the model takes 32 states (Figure 275).
  if (tables.size() > 32) r.Fail("power_state", "expected at most 32 power states (NPSS <= 31)");
  std::vector<PowerStateSpec> out;
  for (size_t i = 0; i < tables.size(); ++i) {
    TomlReader p(*tables[i], r.file(), r.KeyPath("power_state") + "[" + std::to_string(i) + "]");
    PowerStateSpec s;
    s.line = p.line();
    // MP is 16 bits in 0.01 W (or 0.0001 W with MXPS) units (Figure 276).
    s.max_watts = *p.Float("max_watts", 0.0001, 655.35, true);
    s.idle_watts = p.Float("idle_watts", 0, 655.35);
    s.active_watts = p.Float("active_watts", 0, 655.35);
    s.entry_latency_ps = Latency(p, "entry_latency");
    s.exit_latency_ps = Latency(p, "exit_latency");
    s.operational = p.Bool("operational").value_or(true);
    if (s.idle_watts && *s.idle_watts > s.max_watts) {
      p.Fail("idle_watts", "expected at most max_watts (" + std::to_string(s.max_watts) + " W)");
    }
    if (s.active_watts && *s.active_watts > s.max_watts) {
      p.Fail("active_watts", "expected at most max_watts (" + std::to_string(s.max_watts) + " W)");
    }
    if (i == 0 && !s.operational) {
      // Power state 0 is the default state and is operational (base 2.0 section 8.15).
      p.Fail("operational", "expected power state 0 to be operational");
    }
    p.RejectUnknown();
    out.push_back(s);
  }
  if (tables.empty() && r.Has("power_state")) {
    r.Fail("power_state", "expected at least one [[thermal.power_state]]");
  }
  return out;
}
}  // namespace

std::string CheckThermalCombination(const ThermalSectionSpec& s) {
  if (s.wctemp && s.cctemp && *s.wctemp >= *s.cctemp) {
    return "cctemp: expected CCTEMP above WCTEMP (" + std::to_string(*s.wctemp) + " K), got " +
           std::to_string(*s.cctemp) + " K";
  }
  if (s.mntmt && s.mxtmt && *s.mntmt > *s.mxtmt) {
    return "mxtmt: expected MXTMT at least MNTMT (" + std::to_string(*s.mntmt) + " K), got " +
           std::to_string(*s.mxtmt) + " K";
  }
  if (s.tmt1 && s.tmt2 && *s.tmt1 >= *s.tmt2) {
    // With both set TMT1 < TMT2 (base 2.0 5.27.1.16).
    return "tmt2: expected TMT2 above TMT1 (" + std::to_string(*s.tmt1) + " K), got " +
           std::to_string(*s.tmt2) + " K";
  }
  if (s.device_light_kelvin && s.device_heavy_kelvin &&
      *s.device_heavy_kelvin < *s.device_light_kelvin) {
    return "device_heavy_kelvin: expected at least device_light_kelvin (" +
           std::to_string(*s.device_light_kelvin) + " K)";
  }
  if (s.light_factor && s.heavy_factor && *s.heavy_factor > *s.light_factor) {
    return "heavy_factor: expected at most light_factor (heavy throttling keeps less)";
  }
  return "";
}

void ParseThermalTable(TomlReader& r, ThermalScope scope, ThermalSectionSpec* out) {
  ThermalSectionSpec& s = *out;
  s.present = true;
  s.file = r.file();
  s.line = r.line();
  RejectExcluded(r, scope);
  if (scope != ThermalScope::kProfile) {
    s.ambient_kelvin = r.Float("ambient_kelvin", 200, 400);
    s.initial_kelvin = r.Float("initial_kelvin", 200, 500);
  }
  s.resistance_k_per_w = r.Float("resistance_k_per_w", 0.01, 1000);
  s.capacitance_j_per_k = r.Float("capacitance_j_per_k", 1e-6, 1e6);
  s.wctemp = Kelvin(r, "wctemp");
  s.cctemp = Kelvin(r, "cctemp");
  s.mntmt = Kelvin(r, "mntmt");
  s.mxtmt = Kelvin(r, "mxtmt");
  s.device_light_kelvin = Kelvin(r, "device_light_kelvin");
  s.device_heavy_kelvin = Kelvin(r, "device_heavy_kelvin");
  s.light_factor = r.Float("light_factor", 0.01, 1);
  s.heavy_factor = r.Float("heavy_factor", 0.01, 1);
  s.hysteresis_kelvin = r.Float("hysteresis_kelvin", 0, 50);
  s.joules_per_byte = r.Float("joules_per_byte", 0, 1e-6);
  s.throttle_reference_gbps = r.Float("throttle_reference_gbps", 0, 1000);
  s.apst_supported = r.Bool("apst_supported");
  s.hctm_supported = r.Bool("hctm_supported");
  if (r.Has("power_state")) s.power_states = ParsePowerStates(r);
  if (scope != ThermalScope::kProfile) {
    s.tmt1 = Kelvin(r, "tmt1");
    s.tmt2 = Kelvin(r, "tmt2");
  }
  if (scope == ThermalScope::kScenario) {
    s.poll_interval_ps = Positive(r, "poll_interval");
    s.horizon_ps = Positive(r, "horizon");
    s.apst_max_latency_ps = Positive(r, "apst_max_latency");
    if (std::optional<uint64_t> v = Positive(r, "sample_interval")) {
      if (*v < kPsPerMs / 10) r.Fail("sample_interval", "expected at least 100us");
      s.sample_interval_ps = *v;
    }
  }
  if (std::string e = CheckThermalCombination(s); !e.empty()) {
    const size_t colon = e.find(':');
    r.Fail(e.substr(0, colon), e.substr(colon + 2));
  }
  r.RejectUnknown();
}

void ParseThermalSection(TomlReader& top, const std::string& path, ThermalSectionSpec* out) {
  const toml::table* t = top.Table("thermal");
  if (t == nullptr) return;
  TomlReader r(*t, path, "thermal");
  ParseThermalTable(r, ThermalScope::kScenario, out);
}

void ParseProfileThermal(std::string_view text, const std::string& path, ThermalSectionSpec* out) {
  const toml::table root = ParseTomlDocument(text, path);
  const toml::node* node = root.get("thermal");
  if (node == nullptr) return;
  const toml::table* t = node->as_table();
  if (t == nullptr) {
    Diagnostic d;
    d.file = path;
    d.line = TomlReader::Position(node).first;
    d.column = TomlReader::Position(node).second;
    d.key = "thermal";
    d.message = "expected a table, got " + DescribeValue(*node);
    throw ScenarioError(std::move(d));
  }
  TomlReader r(*t, path, "thermal");
  ParseThermalTable(r, ThermalScope::kProfile, out);
}

void LoadProfileThermal(const std::string& path, ThermalSectionSpec* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Diagnostic d;
    d.file = path;
    d.message = "cannot open the profile file";
    throw ScenarioError(std::move(d));
  }
  std::ostringstream text;
  text << in.rdbuf();
  ParseProfileThermal(text.str(), path, out);
}

std::optional<ThermalSectionSpec> EffectiveThermal(const ScenarioSpec& scenario,
                                                   const ControllerSpec& c) {
  if (!scenario.thermal.present && !c.thermal.present) return std::nullopt;
  ThermalSectionSpec out = c.profile_thermal;  // absent: every key unset
  auto over = [&out](const ThermalSectionSpec& t) {
    if (!t.present) return;
    auto take = [](auto& to, const auto& from) {
      if (from) to = from;
    };
    take(out.ambient_kelvin, t.ambient_kelvin);
    take(out.initial_kelvin, t.initial_kelvin);
    take(out.resistance_k_per_w, t.resistance_k_per_w);
    take(out.capacitance_j_per_k, t.capacitance_j_per_k);
    take(out.wctemp, t.wctemp);
    take(out.cctemp, t.cctemp);
    take(out.mntmt, t.mntmt);
    take(out.mxtmt, t.mxtmt);
    take(out.device_light_kelvin, t.device_light_kelvin);
    take(out.device_heavy_kelvin, t.device_heavy_kelvin);
    take(out.light_factor, t.light_factor);
    take(out.heavy_factor, t.heavy_factor);
    take(out.hysteresis_kelvin, t.hysteresis_kelvin);
    take(out.joules_per_byte, t.joules_per_byte);
    take(out.throttle_reference_gbps, t.throttle_reference_gbps);
    take(out.apst_supported, t.apst_supported);
    take(out.hctm_supported, t.hctm_supported);
    take(out.power_states, t.power_states);
    take(out.poll_interval_ps, t.poll_interval_ps);
    take(out.horizon_ps, t.horizon_ps);
    take(out.tmt1, t.tmt1);
    take(out.tmt2, t.tmt2);
    take(out.apst_max_latency_ps, t.apst_max_latency_ps);
    out.file = t.file;
    out.line = t.line;
  };
  over(scenario.thermal);
  over(c.thermal);
  // The result series is sampled on the scenario's interval.
  out.sample_interval_ps = scenario.thermal.sample_interval_ps;
  out.present = true;
  return out;
}

void ParseOptimizerSection(TomlReader& top, const std::string& path, OptimizerSectionSpec* out) {
  const toml::table* t = top.Table("optimizer");
  if (t == nullptr) return;
  TomlReader r(*t, path, "optimizer");
  OptimizerSectionSpec& s = *out;
  s.present = true;
  s.line = r.line();
  if (std::optional<std::string> g = r.Enum("goal", {"latency", "throughput"})) {
    s.throughput_goal = *g == "throughput";
  }
  s.p99_target_ps = Positive(r, "p99_target");
  if (std::optional<uint64_t> e = Positive(r, "epoch")) {
    if (*e < kPsPerMs) r.Fail("epoch", "expected at least 1ms");
    s.epoch_ps = e;
  }
  s.warn_margin_hours = r.Float("warn_margin_hours", 0.001, 1e6);
  s.hours_per_second = r.Float("hours_per_second", 1e-9, 1e9);
  r.RejectUnknown();
}

}  // namespace nvmesim::harness
