#include "device_model/thermal/thermal_model.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

namespace nvmesim::device::thermal {

namespace {
constexpr double kPsPerSecond = 1e12;
constexpr uint64_t kPsPerMs = 1'000'000'000ull;
// Rounded composite >= K  <=>  model temperature >= K - 0.5.
double Level(double kelvin) { return kelvin - 0.5; }
}  // namespace

ThermalModel::ThermalModel(const ThermalConfig& config, uint64_t start_ps) : cfg_(config) {
  const std::string err = ValidateThermalConfig(cfg_);
  if (!err.empty()) throw std::invalid_argument("thermal config: " + err);
  descriptors_ = cfg_.power_states.empty() ? DefaultPowerStateDescriptors() : cfg_.power_states;
  const std::string perr = DecodePowerStates(
      descriptors_.data(), static_cast<uint8_t>(descriptors_.size() - 1), cfg_.power, &states_);
  if (!perr.empty()) throw std::invalid_argument("thermal config: " + perr);
  rc_ = ThermalRc(cfg_.ambient_kelvin, cfg_.resistance_k_per_w, cfg_.capacitance_j_per_k);
  temp_ = cfg_.initial_kelvin > 0 ? cfg_.initial_kelvin : cfg_.ambient_kelvin;
  last_ps_ = start_ps;
  idle_since_ps_ = start_ps;
  state_since_ps_ = start_ps;
  over_ = cfg_.wctemp;  // over temperature threshold default: WCTEMP (FID 04h)
  stats_.energy_per_state_joules.assign(states_.size(), 0.0);
  stats_.time_per_state_ps.assign(states_.size(), 0);
  stats_.max_kelvin = temp_;
  last_power_ = PowerNow(0, 0);
  ConfigureAll();
  Reevaluate();
  // The starting state is neither an event nor a transition.
  events_.clear();
  ThermalStats fresh;
  fresh.energy_per_state_joules = std::move(stats_.energy_per_state_joules);
  fresh.time_per_state_ps = std::move(stats_.time_per_state_ps);
  fresh.max_kelvin = temp_;
  stats_ = std::move(fresh);
}

void ThermalModel::Configure(Machine m, bool enabled, bool rising, double enter, double exit) {
  Boundary& b = m_[m];
  b.enabled = enabled;
  b.rising = rising;
  b.enter = enter;
  b.exit = exit;
  if (!enabled) b.active = false;
}

void ThermalModel::ConfigureAll() {
  const double h = cfg_.hysteresis_kelvin;
  const uint16_t dl = cfg_.device_light_kelvin ? cfg_.device_light_kelvin : cfg_.wctemp;
  const uint16_t dh = cfg_.device_heavy_kelvin
                          ? cfg_.device_heavy_kelvin
                          : static_cast<uint16_t>((cfg_.wctemp + cfg_.cctemp) / 2);
  const uint16_t sd = cfg_.shutdown_kelvin ? cfg_.shutdown_kelvin : cfg_.cctemp;
  Configure(kHostLight, tmt1_ != 0, true, Level(tmt1_), Level(tmt1_ - h));
  Configure(kHostHeavy, tmt2_ != 0, true, Level(tmt2_), Level(tmt2_ - h));
  Configure(kDeviceLight, true, true, Level(dl), Level(dl - h));
  Configure(kDeviceHeavy, true, true, Level(dh), Level(dh - h));
  // Threshold events and SMART times have no hysteresis: they follow the
  // composite temperature exactly.
  Configure(kOver, true, true, Level(over_), Level(over_));
  Configure(kUnder, under_ != 0, false, Level(under_), Level(under_));
  Configure(kWarning, true, true, Level(cfg_.wctemp), Level(cfg_.wctemp));
  Configure(kCritical, true, true, Level(cfg_.cctemp), Level(cfg_.cctemp));
  Configure(kShutdownTrip, cfg_.critical_shutdown, true, Level(sd), Level(sd - h));
}

// Brings every condition in line with the current temperature (after a
// threshold changes or the temperature is forced), as transitions.
void ThermalModel::Reevaluate() {
  for (int i = 0; i < kMachineCount; ++i) {
    const Boundary& b = m_[i];
    if (!b.enabled) continue;
    bool want;
    if (b.rising) {
      want = b.active ? !(temp_ < b.exit) : temp_ >= b.enter;
    } else {
      want = b.active ? !(temp_ >= b.exit) : temp_ < b.enter;
    }
    if (want != b.active) Toggle(static_cast<Machine>(i));
  }
}

ThrottleLevel ThermalModel::host_level() const {
  if (m_[kHostHeavy].active) return ThrottleLevel::kHeavy;
  if (m_[kHostLight].active) return ThrottleLevel::kLight;
  return ThrottleLevel::kNone;
}

ThrottleLevel ThermalModel::device_level() const {
  if (m_[kDeviceHeavy].active) return ThrottleLevel::kHeavy;
  if (m_[kDeviceLight].active) return ThrottleLevel::kLight;
  return ThrottleLevel::kNone;
}

ThrottleLevel ThermalModel::throttle_level() const {
  if (shutdown_) return ThrottleLevel::kShutdown;
  return std::max(host_level(), device_level());
}

double ThermalModel::throughput_factor() const {
  if (shutdown_) return 0.0;
  double f = 1.0;
  switch (throttle_level()) {
    case ThrottleLevel::kLight:
      f = cfg_.light_factor;
      break;
    case ThrottleLevel::kHeavy:
      f = cfg_.heavy_factor;
      break;
    default:
      break;
  }
  const uint32_t ps = states_[ps_].operational ? ps_ : last_operational_ps_;
  return f * states_[ps].perf_factor;
}

uint16_t ThermalModel::composite_kelvin() const {
  const double r = std::floor(temp_ + 0.5);
  if (r <= 0) return 0;
  if (r >= 65535) return 65535;
  return static_cast<uint16_t>(r);
}

void ThermalModel::Emit(ThermalEventKind kind, uint8_t value) {
  events_.push_back(ThermalEvent{last_ps_, kind, composite_kelvin(), value});
}

std::vector<ThermalEvent> ThermalModel::TakeEvents() {
  std::vector<ThermalEvent> out;
  out.swap(events_);
  return out;
}

void ThermalModel::NoteLevels(ThrottleLevel host_before, ThrottleLevel device_before,
                              ThrottleLevel before) {
  const ThrottleLevel host = host_level(), dev = device_level();
  // SMART TMT1/TMT2 transition counts (Figure 207 bytes 216/220) count moves
  // into a lighter or heavier host-requested throttle; they never wrap.
  auto bump = [](uint32_t& c) {
    if (c != std::numeric_limits<uint32_t>::max()) ++c;
  };
  if (host > host_before) {
    if (host == ThrottleLevel::kHeavy)
      bump(stats_.tmt2_transitions);
    else
      bump(stats_.tmt1_transitions);
  }
  if (dev > device_before) {
    if (dev == ThrottleLevel::kHeavy)
      ++stats_.device_heavy_transitions;
    else
      ++stats_.device_light_transitions;
  }
  const ThrottleLevel now = throttle_level();
  if (now != before) Emit(ThermalEventKind::kThrottleChanged, static_cast<uint8_t>(now));
}

void ThermalModel::Toggle(Machine m) {
  const ThrottleLevel hb = host_level(), db = device_level(), before = throttle_level();
  Boundary& b = m_[m];
  b.active = !b.active;
  switch (m) {
    case kOver:
      if (b.active) ++stats_.over_threshold_events;
      Emit(b.active ? ThermalEventKind::kOverThreshold : ThermalEventKind::kOverThresholdCleared);
      break;
    case kUnder:
      if (b.active) ++stats_.under_threshold_events;
      Emit(b.active ? ThermalEventKind::kUnderThreshold : ThermalEventKind::kUnderThresholdCleared);
      break;
    case kWarning:
      Emit(b.active ? ThermalEventKind::kWarningEntered : ThermalEventKind::kWarningCleared);
      break;
    case kCritical:
      Emit(b.active ? ThermalEventKind::kCriticalEntered : ThermalEventKind::kCriticalCleared);
      break;
    case kShutdownTrip:
      if (b.active && !shutdown_) {
        shutdown_ = true;
        ++stats_.shutdowns;
        Emit(ThermalEventKind::kShutdown);
      }
      break;
    default:
      break;
  }
  NoteLevels(hb, db, before);
}

double ThermalModel::PowerNow(double busy_fraction, double bytes_per_second) const {
  if (shutdown_) return 0.0;
  return PowerWatts(states_[ps_], cfg_.power, busy_fraction, bytes_per_second);
}

void ThermalModel::Integrate(uint64_t ps, double watts) {
  if (ps == 0) return;
  const double s = static_cast<double>(ps) / kPsPerSecond;
  const double before = temp_;
  temp_ = rc_.Step(temp_, watts, s);
  stats_.max_kelvin = std::max({stats_.max_kelvin, before, temp_});
  stats_.energy_joules += watts * s;
  stats_.energy_per_state_joules[ps_] += watts * s;
  stats_.time_per_state_ps[ps_] += ps;
  const ThrottleLevel host = host_level(), dev = device_level();
  if (host == ThrottleLevel::kLight) stats_.tmt1_ps += ps;
  if (host == ThrottleLevel::kHeavy) stats_.tmt2_ps += ps;
  if (dev == ThrottleLevel::kLight) stats_.device_light_ps += ps;
  if (dev == ThrottleLevel::kHeavy) stats_.device_heavy_ps += ps;
  if (throttle_level() != ThrottleLevel::kNone) stats_.throttled_ps += ps;
  if (m_[kCritical].active)
    stats_.critical_ps += ps;
  else if (m_[kWarning].active)
    stats_.warning_ps += ps;
}

double ThermalModel::CrossingSeconds(const Boundary& b, double watts) const {
  const bool upward = b.rising != b.active;  // rising machines leave by falling
  const double level = b.active ? b.exit : b.enter;
  const double tinf = rc_.SteadyState(watts);
  // An "under" machine enters when T < level and leaves when T >= level; a
  // rising one enters at T >= level and leaves at T < level.
  if (upward) {
    if (!(tinf > level)) return ThermalRc::kNever;
    if (temp_ >= level) return 0;
    return rc_.tau_seconds() * std::log((tinf - temp_) / (tinf - level));
  }
  if (!(tinf < level)) return ThermalRc::kNever;
  if (temp_ < level) return 0;
  return rc_.tau_seconds() * std::log((temp_ - tinf) / (level - tinf));
}

bool ThermalModel::ApstDue(uint64_t* due_ps) const {
  if (!apst_enabled_ || !idle_ || shutdown_) return false;
  const spec::ApstEntry& e = apst_.entry[ps_];
  if (e.itpt() == 0) return false;  // ITPT 0: no transition from this state
  *due_ps = std::max(idle_since_ps_, state_since_ps_) + uint64_t{e.itpt()} * kPsPerMs;
  return true;
}

void ThermalModel::ApstTransition() {
  const uint32_t target = apst_.entry[ps_].itps();
  ps_ = target;
  state_since_ps_ = last_ps_;
  ++stats_.apst_transitions;
  Emit(ThermalEventKind::kPowerStateChanged, static_cast<uint8_t>(target));
}

void ThermalModel::Advance(uint64_t now_ps, const Activity& activity) {
  if (now_ps <= last_ps_) return;  // simulated time never runs backwards
  const double span_s = static_cast<double>(now_ps - last_ps_) / kPsPerSecond;
  last_busy_ = std::min(1.0, static_cast<double>(activity.busy_ps) / (span_s * kPsPerSecond));
  last_bps_ = static_cast<double>(activity.bytes) / span_s;
  for (int guard = 0; last_ps_ < now_ps; ++guard) {
    const double watts = PowerNow(last_busy_, last_bps_);
    last_power_ = watts;
    uint64_t seg = now_ps - last_ps_;
    int which = -1;  // machine index, kMachineCount for APST
    if (guard < 10000) {
      uint64_t due = 0;
      if (ApstDue(&due)) {
        const uint64_t d = due > last_ps_ ? due - last_ps_ : 0;
        if (d <= seg) {
          seg = d;
          which = kMachineCount;
        }
      }
      for (int i = 0; i < kMachineCount; ++i) {
        if (!m_[i].enabled) continue;
        const double t = CrossingSeconds(m_[i], watts);
        if (!std::isfinite(t)) continue;
        const double tps = std::max(0.0, t) * kPsPerSecond;
        if (tps > static_cast<double>(seg)) continue;
        // A crossing at the very end of the interval counts now; at a tie
        // the earlier-listed condition goes first.
        const uint64_t at = std::min<uint64_t>(seg, static_cast<uint64_t>(std::llround(tps)));
        if (which >= 0 && at >= seg) continue;
        seg = at;
        which = i;
      }
    }
    Integrate(seg, watts);
    last_ps_ += seg;
    if (which == kMachineCount)
      ApstTransition();
    else if (which >= 0)
      Toggle(static_cast<Machine>(which));
  }
}

uint64_t ThermalModel::NextEventPs() const {
  uint64_t best = UINT64_MAX;
  if (!completions_.empty()) best = std::max(completions_.front().time_ps, last_ps_);
  uint64_t due = 0;
  if (ApstDue(&due)) best = std::max(due, last_ps_);
  const double watts = PowerNow(last_busy_, last_bps_);
  for (const Boundary& b : m_) {
    if (!b.enabled) continue;
    const double t = CrossingSeconds(b, watts);
    if (!std::isfinite(t) || t * kPsPerSecond > 1.8e19) continue;
    best = std::min(best, last_ps_ + static_cast<uint64_t>(std::llround(t * kPsPerSecond)));
  }
  return best;
}

void ThermalModel::AdvanceBusy(uint64_t now_ps) {
  if (outstanding_ > 0 && now_ps > busy_mark_ps_) {
    pending_busy_ps_ += now_ps - busy_mark_ps_;
    busy_mark_ps_ = now_ps;
  }
  if (now_ps <= last_ps_) return;
  Advance(now_ps, Activity{pending_busy_ps_, pending_bytes_});
  pending_busy_ps_ = 0;
  pending_bytes_ = 0;
}

void ThermalModel::Tick(uint64_t now_ps) {
  // Completions reported ahead of time take effect at their own instants.
  while (!completions_.empty() && completions_.front().time_ps <= now_ps) {
    std::pop_heap(completions_.begin(), completions_.end(), std::greater<>());
    const Completion c = completions_.back();
    completions_.pop_back();
    const uint64_t at = std::max(c.time_ps, last_ps_);
    pending_bytes_ += c.bytes;  // moved while the command ran: before it ends
    AdvanceBusy(at);            // still busy up to the completion
    if (outstanding_ > 0 && --outstanding_ == 0) {
      idle_ = true;
      idle_since_ps_ = at;
    }
  }
  AdvanceBusy(now_ps);
}

uint64_t ThermalModel::CommandStarted(uint64_t now_ps) {
  uint64_t latency = 0;
  Tick(now_ps);  // completions due by now; closes an idle interval (APST inside it)
  if (outstanding_ == 0) {
    idle_ = false;
    busy_mark_ps_ = now_ps;
    if (!states_[ps_].operational && !shutdown_) {
      // Wake to the most recent operational state: finish entering the
      // non-operational state (ENLAT), then leave it (EXLAT).
      const PowerState& s = states_[ps_];
      const uint64_t in_state = now_ps - std::min(now_ps, state_since_ps_);
      latency = s.exit_ps + (s.entry_ps > in_state ? s.entry_ps - in_state : 0);
      ps_ = last_operational_ps_;
      state_since_ps_ = now_ps;
      ++stats_.wakeups;
      stats_.wake_latency_ps += latency;
      Emit(ThermalEventKind::kPowerStateChanged, static_cast<uint8_t>(ps_));
    }
  }
  ++outstanding_;
  return latency;
}

void ThermalModel::CommandCompleted(uint64_t now_ps, uint64_t bytes) {
  if (outstanding_ == 0 && completions_.empty()) {  // no command in flight: bytes only
    pending_bytes_ += bytes;
    return;
  }
  completions_.push_back(Completion{now_ps, completion_seq_++, bytes});
  std::push_heap(completions_.begin(), completions_.end(), std::greater<>());
  if (now_ps <= last_ps_) Tick(last_ps_);  // already past: apply at once
}

void ThermalModel::SetAmbient(uint64_t now_ps, double kelvin) {
  Tick(now_ps);
  rc_.set_ambient(kelvin);
}

void ThermalModel::ForceTemperature(uint64_t now_ps, double kelvin) {
  Tick(now_ps);
  temp_ = kelvin;
  stats_.max_kelvin = std::max(stats_.max_kelvin, temp_);
  Reevaluate();
}

bool ThermalModel::Restart(uint64_t now_ps) {
  Tick(now_ps);
  if (!shutdown_) return true;
  if (m_[kShutdownTrip].active) return false;  // not cooled below the hysteresis yet
  shutdown_ = false;
  return true;
}

}  // namespace nvmesim::device::thermal
