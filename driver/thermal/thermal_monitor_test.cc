#include "driver/thermal/thermal_monitor.h"

#include <gtest/gtest.h>

#include <string>

#include "driver/thermal/thermal_stats.h"
#include "spec/features.h"

namespace nvmesim::driver::thermal {
namespace {

SmartSample At(double seconds, uint16_t kelvin) {
  SmartSample s;
  s.time_ns = static_cast<uint64_t>(seconds * 1e9);
  s.composite_kelvin = kelvin;
  return s;
}

TEST(ThermalMonitor, ParsesTheSmartLog) {
  spec::SmartHealthLog log;
  log.composite_temperature = 341;
  log.critical_warning = spec::kCriticalWarningTemperature;
  log.percentage_used = 7;
  log.media_errors.lo = 3;
  log.warning_composite_temperature_time = 12;
  log.thermal_management_temperature1_transition_count = 4;
  log.total_time_thermal_management_temperature2 = 99;
  const SmartSample s = SampleFromSmartLog(5, log);
  EXPECT_EQ(s.time_ns, 5u);
  EXPECT_EQ(s.composite_kelvin, 341);
  EXPECT_EQ(s.percentage_used, 7);
  EXPECT_EQ(s.media_errors, 3u);
  EXPECT_EQ(s.warning_minutes, 12u);
  EXPECT_EQ(s.tmt1_transitions, 4u);
  EXPECT_EQ(s.tmt2_seconds, 99u);
}

TEST(ThermalMonitor, TrendMinMaxAndHistory) {
  ThermalMonitor m(8, 4);
  for (int i = 0; i < 12; ++i)
    m.AddSample(At(i * 6.0, static_cast<uint16_t>(320 + i)));  // +10 K/min
  const ThermalMonitorStats& s = m.stats();
  EXPECT_EQ(s.samples, 12u);
  EXPECT_EQ(s.min_kelvin, 320);
  EXPECT_EQ(s.max_kelvin, 331);
  EXPECT_EQ(s.last_kelvin, 331);
  EXPECT_NEAR(s.slope_k_per_min, 10.0, 1e-9);
  const auto h = m.History();
  ASSERT_EQ(h.size(), 8u);  // ring keeps the newest 8, oldest first
  EXPECT_EQ(h.front().kelvin, 324);
  EXPECT_EQ(h.back().kelvin, 331);
  ThermalMonitor flat;
  for (int i = 0; i < 10; ++i) flat.AddSample(At(i, 330));
  EXPECT_NEAR(flat.stats().slope_k_per_min, 0.0, 1e-12);
}

TEST(ThermalMonitor, StatsShowTheTrendPerMinuteOrPerSecondWhenFast) {
  ThermalMonitor slow, fast;
  for (int i = 0; i < 4; ++i) {
    slow.AddSample(At(60.0 * i, static_cast<uint16_t>(320 + i)));  // 1 K a minute
    fast.AddSample(At(0.01 * i, static_cast<uint16_t>(320 + i)));  // 100 K a second
  }
  ThermalStatsView view;
  view.monitor = &slow;
  std::string text = FormatThermalStats(view);
  EXPECT_NE(text.find("trend: +1.00 K/min"), std::string::npos) << text;
  view.monitor = &fast;
  text = FormatThermalStats(view);
  EXPECT_NE(text.find("trend: +100.00 K/s"), std::string::npos) << text;
  ThermalMonitor one;  // a single sample has no trend yet
  one.AddSample(At(0, 320));
  view.monitor = &one;
  text = FormatThermalStats(view);
  EXPECT_NE(text.find("trend: none yet (1 sample)\n"), std::string::npos) << text;
}

TEST(ThermalMonitor, RecognisesTemperatureEventsAndThrottleEpisodes) {
  ThermalMonitor m;
  using spec::AsyncEventDw0;
  using spec::AsyncEventType;
  EXPECT_TRUE(m.OnAsyncEvent(AsyncEventDw0(AsyncEventType::kSmartHealthStatus, 0x01, 0x02)));
  EXPECT_FALSE(m.OnAsyncEvent(AsyncEventDw0(AsyncEventType::kSmartHealthStatus, 0x02, 0x02)));
  EXPECT_FALSE(m.OnAsyncEvent(AsyncEventDw0(AsyncEventType::kNotice, 0x01, 0x02)));
  EXPECT_EQ(m.stats().threshold_events, 1u);
  SmartSample a = At(0, 330), b = At(1, 345);
  b.tmt1_transitions = 1;
  b.tmt2_transitions = 1;
  b.critical_warning = spec::kCriticalWarningTemperature;
  m.AddSample(a);
  m.AddSample(b);
  m.AddSample(b);
  EXPECT_EQ(m.stats().throttle_episodes_seen, 2u);
  EXPECT_EQ(m.stats().critical_warnings, 1u);  // counted on the rising edge only
}

}  // namespace
}  // namespace nvmesim::driver::thermal
