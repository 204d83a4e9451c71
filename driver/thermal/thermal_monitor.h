// thermal_monitoring: what the driver learns about temperature from the SMART
// / Health log (Base 2.0 §5.16.1, Figure 207) and from temperature-threshold
// asynchronous events (Base 2.0 §5.2: SMART / Health Status, Temperature
// Threshold, log page 02h). Samples come from a poller (smart_poller.h) or
// any other reader; this class only keeps the history and derives figures.
#pragma once

#include <cstdint>
#include <vector>

#include "spec/log_pages.h"

namespace nvmesim::driver::thermal {

// The fields of one SMART / Health read the thermal and maintenance code uses.
struct SmartSample {
  uint64_t time_ns = 0;
  uint16_t composite_kelvin = 0;           // byte 1
  uint8_t critical_warning = 0;            // byte 0
  uint8_t available_spare = 100;           // byte 3
  uint8_t available_spare_threshold = 10;  // byte 4
  uint8_t percentage_used = 0;             // byte 5
  uint64_t media_errors = 0;               // byte 160 (low 64 bits)
  uint64_t data_units_written = 0;         // byte 48 (low 64 bits)
  uint32_t warning_minutes = 0;            // byte 192
  uint32_t critical_minutes = 0;           // byte 196
  uint32_t tmt1_transitions = 0;           // byte 216
  uint32_t tmt2_transitions = 0;           // byte 220
  uint32_t tmt1_seconds = 0;               // byte 224
  uint32_t tmt2_seconds = 0;               // byte 228
};
SmartSample SampleFromSmartLog(uint64_t time_ns, const spec::SmartHealthLog& log);

struct ThermalMonitorStats {
  uint64_t samples = 0;
  uint64_t threshold_events = 0;   // temperature threshold AERs seen
  uint64_t critical_warnings = 0;  // samples with critical warning bit 1 newly set
  uint16_t last_kelvin = 0, min_kelvin = 0, max_kelvin = 0;
  double mean_kelvin = 0;
  double slope_k_per_min = 0;                           // least squares over the recent window
  uint32_t tmt1_transitions = 0, tmt2_transitions = 0;  // latest SMART values
  uint32_t tmt1_seconds = 0, tmt2_seconds = 0;
  uint32_t warning_minutes = 0, critical_minutes = 0;
  uint64_t throttle_episodes_seen = 0;  // increases of TMT1+TMT2 transition counts between samples
};

class ThermalMonitor {
 public:
  struct Point {
    uint64_t time_ns;
    uint16_t kelvin;
  };
  explicit ThermalMonitor(size_t history = 512, size_t slope_window = 16);

  void AddSample(const SmartSample& s);
  // Feeds an asynchronous event completion dword 0. True when it is a
  // temperature threshold event (the caller should read the SMART log now:
  // the event type stays masked until it does, Base 2.0 §5.2).
  bool OnAsyncEvent(uint32_t dw0);

  const ThermalMonitorStats& stats() const { return stats_; }
  // Oldest first.
  std::vector<Point> History() const;
  const SmartSample* last() const { return have_last_ ? &last_ : nullptr; }

 private:
  void UpdateSlope();
  size_t capacity_, window_;
  std::vector<Point> ring_;
  size_t next_ = 0;
  double sum_kelvin_ = 0;
  SmartSample last_{};
  bool have_last_ = false;
  ThermalMonitorStats stats_;
};

}  // namespace nvmesim::driver::thermal
