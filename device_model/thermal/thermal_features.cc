// Set Features handlers, SMART and Identify output, names and validation of
// the thermal model.
#include <algorithm>
#include <cstring>

#include "device_model/thermal/thermal_model.h"

namespace nvmesim::device::thermal {

using spec::GenericStatus;
using spec::Status;

std::string ValidateThermalConfig(const ThermalConfig& c) {
  if (c.power_states.size() > 32) return "power_states has more than 32 entries (NPSS <= 31)";
  if (!(c.resistance_k_per_w > 0)) return "resistance_k_per_w must be > 0";
  if (!(c.capacitance_j_per_k > 0)) return "capacitance_j_per_k must be > 0";
  if (!(c.ambient_kelvin > 0) || c.ambient_kelvin > 65535)
    return "ambient_kelvin must be in (0, 65535]";
  if (c.initial_kelvin < 0 || c.initial_kelvin > 65535)
    return "initial_kelvin must be in [0, 65535]";
  // WCTEMP/CCTEMP are 16-bit kelvin fields (Figure 275); a zero WCTEMP means
  // "not reported", which this model does not support.
  if (c.wctemp == 0) return "wctemp must be > 0 kelvin";
  if (c.cctemp <= c.wctemp) return "cctemp must be above wctemp";
  if (c.hctm_supported && (c.mntmt == 0 || c.mxtmt < c.mntmt)) {
    return "mntmt must be > 0 and <= mxtmt when host controlled thermal management is supported";
  }
  if (!(c.light_factor > 0 && c.light_factor <= 1)) return "light_factor must be in (0, 1]";
  if (!(c.throttle_reference_bps >= 0 && c.throttle_reference_bps <= 1e12)) {
    return "throttle_reference_bps must be in [0, 1e12] bytes/s";
  }
  if (!(c.heavy_factor > 0 && c.heavy_factor <= c.light_factor)) {
    return "heavy_factor must be in (0, light_factor]";
  }
  if (c.hysteresis_kelvin < 0 || c.hysteresis_kelvin > 50)
    return "hysteresis_kelvin must be in [0, 50]";
  const uint16_t dl = c.device_light_kelvin ? c.device_light_kelvin : c.wctemp;
  const uint16_t dh = c.device_heavy_kelvin ? c.device_heavy_kelvin
                                            : static_cast<uint16_t>((c.wctemp + c.cctemp) / 2);
  if (dh < dl) return "device_heavy_kelvin must be >= device_light_kelvin";
  if (!(c.power.joules_per_byte >= 0)) return "power.joules_per_byte must be >= 0";
  return "";
}

const char* ThrottleLevelName(ThrottleLevel level) {
  switch (level) {
    case ThrottleLevel::kNone:
      return "none";
    case ThrottleLevel::kLight:
      return "light";
    case ThrottleLevel::kHeavy:
      return "heavy";
    case ThrottleLevel::kShutdown:
      return "shutdown";
  }
  return "?";
}

const char* ThermalEventKindName(ThermalEventKind kind) {
  switch (kind) {
    case ThermalEventKind::kOverThreshold:
      return "over_threshold";
    case ThermalEventKind::kOverThresholdCleared:
      return "over_threshold_cleared";
    case ThermalEventKind::kUnderThreshold:
      return "under_threshold";
    case ThermalEventKind::kUnderThresholdCleared:
      return "under_threshold_cleared";
    case ThermalEventKind::kWarningEntered:
      return "warning_entered";
    case ThermalEventKind::kWarningCleared:
      return "warning_cleared";
    case ThermalEventKind::kCriticalEntered:
      return "critical_entered";
    case ThermalEventKind::kCriticalCleared:
      return "critical_cleared";
    case ThermalEventKind::kThrottleChanged:
      return "throttle_changed";
    case ThermalEventKind::kShutdown:
      return "shutdown";
    case ThermalEventKind::kPowerStateChanged:
      return "power_state_changed";
  }
  return "?";
}

bool IsTemperatureThresholdEvent(ThermalEventKind kind) {
  return kind == ThermalEventKind::kOverThreshold || kind == ThermalEventKind::kUnderThreshold;
}

Status ThermalModel::SetPowerState(uint64_t now_ps, uint32_t ps) {
  if (ps > npss()) return Status(GenericStatus::kInvalidField, true);  // PS <= NPSS (FID 02h)
  Tick(now_ps);
  if (ps != ps_) {
    ps_ = ps;
    state_since_ps_ = now_ps;
    ++stats_.host_power_state_changes;
    Emit(ThermalEventKind::kPowerStateChanged, static_cast<uint8_t>(ps));
  }
  if (states_[ps].operational) last_operational_ps_ = ps;
  return Status::Ok();
}

Status ThermalModel::SetHostThermalManagement(uint64_t now_ps, uint16_t tmt1, uint16_t tmt2) {
  // Host Controlled Thermal Management (FID 10h): unsupported when HCTMA bit 0
  // is clear; a non-zero TMT outside [MNTMT, MXTMT], or TMT1 >= TMT2 with both
  // non-zero, is an Invalid Field in Command.
  if (!cfg_.hctm_supported) return Status(GenericStatus::kInvalidField, true);
  auto in_range = [&](uint16_t t) { return t == 0 || (t >= cfg_.mntmt && t <= cfg_.mxtmt); };
  if (!in_range(tmt1) || !in_range(tmt2)) return Status(GenericStatus::kInvalidField, true);
  if (tmt1 != 0 && tmt2 != 0 && tmt1 >= tmt2) return Status(GenericStatus::kInvalidField, true);
  Tick(now_ps);
  tmt1_ = tmt1;
  tmt2_ = tmt2;
  const ThrottleLevel hb = host_level(), db = device_level(), before = throttle_level();
  ConfigureAll();  // disabling a level clears it
  NoteLevels(hb, db, before);
  Reevaluate();
  return Status::Ok();
}

Status ThermalModel::SetTemperatureThreshold(uint64_t now_ps, spec::ThresholdType type,
                                             uint16_t kelvin) {
  Tick(now_ps);
  if (type == spec::ThresholdType::kOverTemperature) {
    over_ = kelvin;
  } else if (type == spec::ThresholdType::kUnderTemperature) {
    under_ = kelvin;
  } else {
    return Status(GenericStatus::kInvalidField, true);  // THSEL 2h-3h reserved (FID 04h)
  }
  // A changed threshold is judged afresh: moving it across the temperature
  // raises (or clears) the condition as a crossing would.
  ConfigureAll();
  Reevaluate();
  return Status::Ok();
}

Status ThermalModel::SetApst(uint64_t now_ps, bool enable, const spec::ApstData& table) {
  // Autonomous Power State Transition (FID 0Ch): only when APSTA bit 0 is set.
  if (!cfg_.apst_supported) return Status(GenericStatus::kInvalidField, true);
  for (unsigned i = 0; i <= npss(); ++i) {
    const spec::ApstEntry& e = table.entry[i];
    if (e.itpt() == 0) continue;
    // ITPS names a supported, non-operational power state.
    if (e.itps() > npss() || states_[e.itps()].operational) {
      return Status(GenericStatus::kInvalidField, true);
    }
  }
  Tick(now_ps);
  apst_ = table;
  apst_enabled_ = enable;
  return Status::Ok();
}

void ThermalModel::ResetFeatures(uint64_t now_ps) {
  Tick(now_ps);
  if (ps_ != 0) {
    ps_ = 0;
    state_since_ps_ = now_ps;
    Emit(ThermalEventKind::kPowerStateChanged, 0);
  }
  last_operational_ps_ = 0;
  apst_enabled_ = false;
  apst_ = spec::ApstData{};
  const ThrottleLevel hb = host_level(), db = device_level(), before = throttle_level();
  tmt1_ = tmt2_ = 0;
  over_ = cfg_.wctemp;
  under_ = 0;
  ConfigureAll();
  NoteLevels(hb, db, before);
  Reevaluate();
}

void ThermalModel::FillSmart(spec::SmartHealthLog& log) const {
  auto sat32 = [](uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, 0xFFFFFFFFu)); };
  constexpr uint64_t kPsPerMinute = 60'000'000'000'000ull;
  constexpr uint64_t kPsPerSecond = 1'000'000'000'000ull;
  // Critical Warning bit 1: composite >= over threshold or < under threshold.
  const bool temp_warning = m_[kOver].active || m_[kUnder].active;
  log.critical_warning =
      static_cast<uint8_t>((log.critical_warning & ~spec::kCriticalWarningTemperature) |
                           (temp_warning ? spec::kCriticalWarningTemperature : 0));
  log.composite_temperature = composite_kelvin();
  log.warning_composite_temperature_time = sat32(stats_.warning_ps / kPsPerMinute);
  log.critical_composite_temperature_time = sat32(stats_.critical_ps / kPsPerMinute);
  log.temperature_sensor[0] = composite_kelvin();
  log.thermal_management_temperature1_transition_count = stats_.tmt1_transitions;
  log.thermal_management_temperature2_transition_count = stats_.tmt2_transitions;
  log.total_time_thermal_management_temperature1 = sat32(stats_.tmt1_ps / kPsPerSecond);
  log.total_time_thermal_management_temperature2 = sat32(stats_.tmt2_ps / kPsPerSecond);
}

void ThermalModel::FillSmartBytes(uint8_t* log512) const {
  spec::SmartHealthLog log;
  std::memcpy(&log, log512, sizeof(log));
  FillSmart(log);
  std::memcpy(log512, &log, sizeof(log));
}

void ThermalModel::FillIdentify(spec::IdentifyController& id) const {
  id.npss = npss();
  id.apsta = cfg_.apst_supported ? 1 : 0;  // APSTA bit 0
  id.wctemp = cfg_.wctemp;
  id.cctemp = cfg_.cctemp;
  id.hctma = cfg_.hctm_supported ? 1 : 0;  // HCTMA bit 0
  id.mntmt = cfg_.hctm_supported ? cfg_.mntmt : 0;
  id.mxtmt = cfg_.hctm_supported ? cfg_.mxtmt : 0;
  for (size_t i = 0; i < descriptors_.size(); ++i) id.psd[i] = descriptors_[i];
}

}  // namespace nvmesim::device::thermal
