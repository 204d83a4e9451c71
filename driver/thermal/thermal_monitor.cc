#include "driver/thermal/thermal_monitor.h"

#include <algorithm>

#include "spec/features.h"

namespace nvmesim::driver::thermal {

SmartSample SampleFromSmartLog(uint64_t time_ns, const spec::SmartHealthLog& log) {
  SmartSample s;
  s.time_ns = time_ns;
  s.composite_kelvin = static_cast<uint16_t>(log.composite_temperature.value());
  s.critical_warning = log.critical_warning;
  s.available_spare = log.available_spare;
  s.available_spare_threshold = log.available_spare_threshold;
  s.percentage_used = log.percentage_used;
  s.media_errors = log.media_errors.lo;
  s.data_units_written = log.data_units_written.lo;
  s.warning_minutes = log.warning_composite_temperature_time;
  s.critical_minutes = log.critical_composite_temperature_time;
  s.tmt1_transitions = log.thermal_management_temperature1_transition_count;
  s.tmt2_transitions = log.thermal_management_temperature2_transition_count;
  s.tmt1_seconds = log.total_time_thermal_management_temperature1;
  s.tmt2_seconds = log.total_time_thermal_management_temperature2;
  return s;
}

ThermalMonitor::ThermalMonitor(size_t history, size_t slope_window)
    : capacity_(std::max<size_t>(history, 2)), window_(std::max<size_t>(slope_window, 2)) {
  ring_.reserve(capacity_);
}

void ThermalMonitor::AddSample(const SmartSample& s) {
  const Point p{s.time_ns, s.composite_kelvin};
  if (ring_.size() < capacity_) {
    ring_.push_back(p);
  } else {
    ring_[next_] = p;
  }
  next_ = (next_ + 1) % capacity_;
  ++stats_.samples;
  sum_kelvin_ += s.composite_kelvin;
  stats_.mean_kelvin = sum_kelvin_ / static_cast<double>(stats_.samples);
  stats_.last_kelvin = s.composite_kelvin;
  if (stats_.samples == 1) {
    stats_.min_kelvin = stats_.max_kelvin = s.composite_kelvin;
  } else {
    stats_.min_kelvin = std::min(stats_.min_kelvin, s.composite_kelvin);
    stats_.max_kelvin = std::max(stats_.max_kelvin, s.composite_kelvin);
  }
  const bool warn = s.critical_warning & spec::kCriticalWarningTemperature;
  const bool was = have_last_ && (last_.critical_warning & spec::kCriticalWarningTemperature);
  if (warn && !was) ++stats_.critical_warnings;
  if (have_last_) {
    const uint64_t before = uint64_t{last_.tmt1_transitions} + last_.tmt2_transitions;
    const uint64_t now = uint64_t{s.tmt1_transitions} + s.tmt2_transitions;
    if (now > before) stats_.throttle_episodes_seen += now - before;
  }
  stats_.tmt1_transitions = s.tmt1_transitions;
  stats_.tmt2_transitions = s.tmt2_transitions;
  stats_.tmt1_seconds = s.tmt1_seconds;
  stats_.tmt2_seconds = s.tmt2_seconds;
  stats_.warning_minutes = s.warning_minutes;
  stats_.critical_minutes = s.critical_minutes;
  last_ = s;
  have_last_ = true;
  UpdateSlope();
}

bool ThermalMonitor::OnAsyncEvent(uint32_t dw0) {
  if (spec::AsyncEventDw0Type(dw0) != spec::AsyncEventType::kSmartHealthStatus) return false;
  if (spec::AsyncEventDw0Info(dw0) !=
      static_cast<uint8_t>(spec::AsyncEventSmart::kTemperatureThreshold)) {
    return false;
  }
  ++stats_.threshold_events;
  return true;
}

std::vector<ThermalMonitor::Point> ThermalMonitor::History() const {
  std::vector<Point> out;
  out.reserve(ring_.size());
  if (ring_.size() < capacity_) return ring_;
  for (size_t i = 0; i < capacity_; ++i) out.push_back(ring_[(next_ + i) % capacity_]);
  return out;
}

void ThermalMonitor::UpdateSlope() {
  const size_t n = std::min(window_, ring_.size());
  if (n < 2) {
    stats_.slope_k_per_min = 0;
    return;
  }
  // Least squares slope over the newest n points (time relative to the newest).
  const size_t newest = (next_ + capacity_ - 1) % capacity_;
  const size_t size = ring_.size();
  const double t_ref = static_cast<double>(ring_[newest % size].time_ns);
  double st = 0, sk = 0, stt = 0, stk = 0;
  for (size_t i = 0; i < n; ++i) {
    const Point& p = ring_[(newest + size - i) % size];
    const double t = (static_cast<double>(p.time_ns) - t_ref) / 60e9;  // minutes
    st += t;
    sk += p.kelvin;
    stt += t * t;
    stk += t * p.kelvin;
  }
  const double dn = static_cast<double>(n);
  const double den = dn * stt - st * st;
  stats_.slope_k_per_min = den > 0 ? (dn * stk - st * sk) / den : 0;
}

}  // namespace nvmesim::driver::thermal
