#include "harness/scenario/thermal_section.h"

namespace nvmesim::harness {

namespace {
constexpr uint64_t kPsPerMs = 1'000'000'000ull;

std::optional<uint32_t> Kelvin(TomlReader& r, const char* key) {
  // Temperatures are 16-bit kelvin fields (Identify Controller WCTEMP / CCTEMP,
  // base 2.0 Figure 275; Set Features 10h TMT1 / TMT2, Figure 338); a drive
  // model is accepted between 200 K and 500 K.
  std::optional<int64_t> v = r.Int(key, 200, 500, false, "a temperature in kelvin");
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint64_t> Positive(TomlReader& r, const char* key) {
  std::optional<uint64_t> v = r.Duration(key);
  if (v && *v == 0) r.Fail(key, "expected a duration above zero");
  return v;
}
}  // namespace

void ParseThermalSection(TomlReader& top, const std::string& path, ThermalSectionSpec* out) {
  const toml::table* t = top.Table("thermal");
  if (t == nullptr) return;
  TomlReader r(*t, path, "thermal");
  ThermalSectionSpec& s = *out;
  s.present = true;
  s.line = r.line();
  s.ambient_kelvin = r.Float("ambient_kelvin", 200, 400);
  s.initial_kelvin = r.Float("initial_kelvin", 200, 500);
  s.resistance_k_per_w = r.Float("resistance_k_per_w", 0.01, 1000);
  s.capacitance_j_per_k = r.Float("capacitance_j_per_k", 1e-6, 1e6);
  s.wctemp = Kelvin(r, "wctemp");
  s.cctemp = Kelvin(r, "cctemp");
  s.device_light_kelvin = Kelvin(r, "device_light_kelvin");
  s.device_heavy_kelvin = Kelvin(r, "device_heavy_kelvin");
  s.light_factor = r.Float("light_factor", 0.01, 1);
  s.heavy_factor = r.Float("heavy_factor", 0.01, 1);
  s.hysteresis_kelvin = r.Float("hysteresis_kelvin", 0, 50);
  s.joules_per_byte = r.Float("joules_per_byte", 0, 1e-6);
  s.throttle_reference_gbps = r.Float("throttle_reference_gbps", 0, 1000);
  s.apst_supported = r.Bool("apst_supported");
  s.hctm_supported = r.Bool("hctm_supported");
  s.poll_interval_ps = Positive(r, "poll_interval");
  s.horizon_ps = Positive(r, "horizon");
  s.tmt1 = Kelvin(r, "tmt1");
  s.tmt2 = Kelvin(r, "tmt2");
  s.apst_max_latency_ps = Positive(r, "apst_max_latency");
  if (std::optional<uint64_t> v = Positive(r, "sample_interval")) {
    if (*v < kPsPerMs / 10) r.Fail("sample_interval", "expected at least 100us");
    s.sample_interval_ps = *v;
  }
  if (s.wctemp && s.cctemp && *s.wctemp >= *s.cctemp) {
    r.Fail("cctemp", "expected CCTEMP above WCTEMP (" + std::to_string(*s.wctemp) + " K)");
  }
  if (s.tmt1 && s.tmt2 && *s.tmt1 >= *s.tmt2) {
    // With both set TMT1 < TMT2 (base 2.0 5.27.1.16).
    r.Fail("tmt2", "expected TMT2 above TMT1 (" + std::to_string(*s.tmt1) + " K)");
  }
  if (s.light_factor && s.heavy_factor && *s.heavy_factor > *s.light_factor) {
    r.Fail("heavy_factor", "expected at most light_factor (heavy throttling keeps less)");
  }
  r.RejectUnknown();
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
