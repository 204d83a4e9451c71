#include "device_model/thermal/thermal_model.h"

#include <cmath>

#include <gtest/gtest.h>

namespace nvmesim::device::thermal {
namespace {

constexpr uint64_t kMs = 1'000'000'000ull;  // ps
constexpr uint64_t kS = 1'000 * kMs;

// Full-busy load moving `bps` bytes per second over `span` ps.
Activity Load(uint64_t span, double bps) {
  return Activity{span, static_cast<uint64_t>(bps * static_cast<double>(span) / 1e12)};
}

// Runs `model` from its current time for `duration` ps in steps of `step`.
void Drive(ThermalModel& m, uint64_t duration, uint64_t step, double bps, bool busy = true) {
  const uint64_t end = m.now_ps() + duration;
  while (m.now_ps() < end) {
    const uint64_t next = std::min(end, m.now_ps() + step);
    m.Advance(next, busy ? Load(next - m.now_ps(), bps) : Activity{});
  }
}

double ClosedForm(double t0, double ambient, double watts, double r, double c, double seconds) {
  const double tinf = ambient + watts * r;
  return tinf + (t0 - tinf) * std::exp(-seconds / (r * c));
}

TEST(ThermalModel, TemperatureFollowsClosedFormWhateverTheStep) {
  ThermalConfig cfg;
  ThermalModel coarse(cfg), fine(cfg), uneven(cfg);
  // PS0 busy (3 W) + 3 GB/s x 1 nJ/B = 6 W; steady state 308 + 36 = 344 K.
  Drive(coarse, 120 * kS, 120 * kS, 3e9);
  Drive(fine, 120 * kS, 1 * kMs, 3e9);
  for (uint64_t step : {7 * kMs, 13 * kS, 3 * kMs, 20 * kS, 26'990 * kMs, 60 * kS}) {
    Drive(uneven, step, step, 3e9);
  }
  const double expect = ClosedForm(308, 308, 6.0, 6.0, 5.0, 120.0);
  EXPECT_NEAR(coarse.temperature_kelvin(), expect, 1e-9);
  EXPECT_NEAR(fine.temperature_kelvin(), expect, 1e-6);
  EXPECT_NEAR(uneven.temperature_kelvin(), expect, 1e-6);
  EXPECT_NEAR(coarse.last_power_watts(), 6.0, 1e-9);
  EXPECT_NEAR(coarse.stats().energy_joules, 720.0, 1e-6);
  EXPECT_NEAR(fine.stats().energy_joules, 720.0, 1e-3);
  // Time accounting does not depend on the step either (WCTEMP 343 reached).
  EXPECT_GT(coarse.stats().warning_ps, 0u);
  EXPECT_NEAR(static_cast<double>(coarse.stats().warning_ps),
              static_cast<double>(fine.stats().warning_ps), 1e3);
  EXPECT_NEAR(static_cast<double>(coarse.stats().device_light_ps),
              static_cast<double>(fine.stats().device_light_ps), 1e3);
}

TEST(ThermalModel, HostThrottlingEntersAndExitsWithHysteresis) {
  ThermalConfig cfg;
  ThermalModel m(cfg);
  ASSERT_TRUE(m.SetHostThermalManagement(0, 335, 340).ok());
  EXPECT_EQ(m.host_level(), ThrottleLevel::kNone);
  EXPECT_DOUBLE_EQ(m.throughput_factor(), 1.0);
  Drive(m, 120 * kS, 10 * kMs, 3e9);  // towards 344 K
  EXPECT_EQ(m.host_level(), ThrottleLevel::kHeavy);
  EXPECT_DOUBLE_EQ(m.throughput_factor(), cfg.heavy_factor);
  EXPECT_EQ(m.stats().tmt1_transitions, 1u);
  EXPECT_EQ(m.stats().tmt2_transitions, 1u);

  // Entry times are the exact crossings of 334.5 K and 339.5 K (composite
  // rounded >= TMT), not multiples of the 10 ms step.
  const double t1 = 30.0 * std::log(36.0 / (344.0 - 334.5));
  const double t2 = 30.0 * std::log(36.0 / (344.0 - 339.5));
  std::vector<ThermalEvent> throttle;
  for (const ThermalEvent& e : m.TakeEvents()) {
    if (e.kind == ThermalEventKind::kThrottleChanged) throttle.push_back(e);
  }
  ASSERT_GE(throttle.size(), 2u);
  EXPECT_EQ(throttle[0].value, static_cast<uint8_t>(ThrottleLevel::kLight));
  EXPECT_NEAR(throttle[0].time_ps / 1e12, t1, 1e-6);
  EXPECT_EQ(throttle[1].value, static_cast<uint8_t>(ThrottleLevel::kHeavy));
  EXPECT_NEAR(throttle[1].time_ps / 1e12, t2, 1e-6);
  EXPECT_NEAR(m.stats().tmt1_ps / 1e12, t2 - t1, 1e-6);

  // Cooling (idle, 1 W: steady 314 K). Below TMT2 but within the hysteresis:
  // still heavy; below TMT2 - 2 K: light; below TMT1 - 2 K: none.
  while (m.temperature_kelvin() > 338.6) Drive(m, 1 * kMs, 1 * kMs, 0, false);
  EXPECT_EQ(m.composite_kelvin(), 339);
  EXPECT_EQ(m.host_level(), ThrottleLevel::kHeavy);
  while (m.temperature_kelvin() > 337.0) Drive(m, 1 * kMs, 1 * kMs, 0, false);
  EXPECT_EQ(m.host_level(), ThrottleLevel::kLight);
  while (m.temperature_kelvin() > 333.0) Drive(m, 1 * kMs, 1 * kMs, 0, false);
  EXPECT_EQ(m.host_level(), ThrottleLevel::kLight);  // 333 K is within TMT1 - 2 K
  while (m.temperature_kelvin() > 332.0) Drive(m, 1 * kMs, 1 * kMs, 0, false);
  EXPECT_EQ(m.host_level(), ThrottleLevel::kNone);
  EXPECT_DOUBLE_EQ(m.throughput_factor(), 1.0);
  // Leaving a level is not a transition: counts unchanged.
  EXPECT_EQ(m.stats().tmt1_transitions, 1u);
  EXPECT_EQ(m.stats().tmt2_transitions, 1u);

  // SMART bytes 216-231 carry the counts and whole seconds.
  spec::SmartHealthLog log;
  m.FillSmart(log);
  EXPECT_EQ(log.thermal_management_temperature1_transition_count, 1u);
  EXPECT_EQ(log.thermal_management_temperature2_transition_count, 1u);
  EXPECT_EQ(log.total_time_thermal_management_temperature1,
            m.stats().tmt1_ps / 1'000'000'000'000ull);
  EXPECT_EQ(log.total_time_thermal_management_temperature2,
            m.stats().tmt2_ps / 1'000'000'000'000ull);
  EXPECT_GT(log.total_time_thermal_management_temperature2, 0u);
  EXPECT_EQ(log.composite_temperature.value(), m.composite_kelvin());
  EXPECT_EQ(log.temperature_sensor[0], m.composite_kelvin());
}

TEST(ThermalModel, DeviceThrottlesOnItsOwnWithoutHostManagement) {
  ThermalConfig cfg;
  ThermalModel m(cfg);
  Drive(m, 100 * kS, 100 * kMs, 3e9);  // 344 K steady: above WCTEMP 343, below 350
  EXPECT_EQ(m.host_level(), ThrottleLevel::kNone);
  EXPECT_EQ(m.device_level(), ThrottleLevel::kLight);
  EXPECT_EQ(m.stats().tmt1_transitions, 0u);  // not host controlled: not in SMART
  EXPECT_EQ(m.stats().device_light_transitions, 1u);
  EXPECT_DOUBLE_EQ(m.throughput_factor(), cfg.light_factor);
}

TEST(ThermalModel, HostThermalManagementValidation) {
  ThermalConfig cfg;  // MNTMT 313, MXTMT 353
  ThermalModel m(cfg);
  EXPECT_FALSE(m.SetHostThermalManagement(0, 340, 340).ok());  // TMT1 >= TMT2
  EXPECT_FALSE(m.SetHostThermalManagement(0, 345, 340).ok());
  EXPECT_FALSE(m.SetHostThermalManagement(0, 300, 0).ok());  // below MNTMT
  EXPECT_FALSE(m.SetHostThermalManagement(0, 0, 360).ok());  // above MXTMT
  EXPECT_TRUE(m.SetHostThermalManagement(0, 0, 340).ok());   // TMT1 disabled
  EXPECT_TRUE(m.SetHostThermalManagement(0, 320, 0).ok());
  EXPECT_EQ(m.tmt1(), 320);
  const spec::Status s = m.SetHostThermalManagement(0, 350, 340);
  EXPECT_TRUE(s.Is(spec::GenericStatus::kInvalidField));
  EXPECT_TRUE(s.dnr);
  EXPECT_EQ(m.tmt1(), 320);  // unchanged by a refused command
  cfg.hctm_supported = false;
  ThermalModel off(cfg);
  EXPECT_FALSE(off.SetHostThermalManagement(0, 320, 330).ok());
}

TEST(ThermalModel, SettingTmtBelowTheTemperatureThrottlesAtOnce) {
  ThermalConfig cfg;
  cfg.initial_kelvin = 330;
  ThermalModel m(cfg);
  ASSERT_TRUE(m.SetHostThermalManagement(5 * kMs, 320, 325).ok());
  EXPECT_EQ(m.host_level(), ThrottleLevel::kHeavy);
  EXPECT_EQ(m.stats().tmt2_transitions, 1u);
  ASSERT_TRUE(m.SetHostThermalManagement(6 * kMs, 0, 0).ok());  // disabled: released
  EXPECT_EQ(m.host_level(), ThrottleLevel::kNone);
}

TEST(ThermalModel, TemperatureThresholdEventsAndCriticalWarning) {
  ThermalConfig cfg;
  ThermalModel m(cfg);
  // Over threshold defaults to WCTEMP (343): crossing at 342.5 K model temperature.
  Drive(m, 100 * kS, 250 * kMs, 3e9);
  std::vector<ThermalEvent> ev = m.TakeEvents();
  int over = 0;
  for (const ThermalEvent& e : ev) {
    if (e.kind == ThermalEventKind::kOverThreshold) {
      ++over;
      EXPECT_TRUE(IsTemperatureThresholdEvent(e.kind));
      EXPECT_EQ(e.kelvin, 343);
      EXPECT_NEAR(e.time_ps / 1e12, 30.0 * std::log(36.0 / 1.5), 1e-6);
    }
  }
  EXPECT_EQ(over, 1);
  spec::SmartHealthLog log;
  m.FillSmart(log);
  EXPECT_TRUE(log.critical_warning & spec::kCriticalWarningTemperature);
  // Raising the threshold above the temperature clears the condition.
  ASSERT_TRUE(
      m.SetTemperatureThreshold(m.now_ps(), spec::ThresholdType::kOverTemperature, 350).ok());
  m.FillSmart(log);
  EXPECT_FALSE(log.critical_warning & spec::kCriticalWarningTemperature);
  bool cleared = false;
  for (const ThermalEvent& e : m.TakeEvents())
    cleared |= e.kind == ThermalEventKind::kOverThresholdCleared;
  EXPECT_TRUE(cleared);
  // An under threshold above the temperature is an immediate event.
  ThermalModel cold(cfg);
  ASSERT_TRUE(cold.SetTemperatureThreshold(0, spec::ThresholdType::kUnderTemperature, 310).ok());
  ev = cold.TakeEvents();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, ThermalEventKind::kUnderThreshold);
  EXPECT_TRUE(IsTemperatureThresholdEvent(ev[0].kind));
  EXPECT_EQ(cold.stats().under_threshold_events, 1u);
}

TEST(ThermalModel, CriticalTemperatureShutsDownUntilCooled) {
  ThermalConfig cfg;
  cfg.ambient_kelvin = 330;
  cfg.shutdown_kelvin = 362;  // CCTEMP 358 reached first
  ThermalModel m(cfg);
  // 8 W cap: steady 378 K > CCTEMP 358
  while (!m.shut_down() && m.now_ps() < 400 * kS) Drive(m, 100 * kMs, 100 * kMs, 10e9);
  ASSERT_TRUE(m.shut_down());
  EXPECT_EQ(m.throttle_level(), ThrottleLevel::kShutdown);
  EXPECT_DOUBLE_EQ(m.throughput_factor(), 0.0);
  EXPECT_EQ(m.stats().shutdowns, 1u);
  EXPECT_GT(m.stats().critical_ps, 0u);
  EXPECT_LT(m.stats().max_kelvin, 361.5 + 1e-6);  // power cut at the 361.5 K crossing
  EXPECT_FALSE(m.Restart(m.now_ps()));            // still hot
  Drive(m, 200 * kS, 1 * kS, 10e9);               // no power while shut down: cools to 330
  EXPECT_LT(m.temperature_kelvin(), 340.0);
  EXPECT_TRUE(m.Restart(m.now_ps()));
  EXPECT_FALSE(m.shut_down());
  spec::SmartHealthLog log;
  m.FillSmart(log);
  EXPECT_EQ(log.critical_composite_temperature_time, m.stats().critical_ps / 60'000'000'000'000ull);
}

TEST(ThermalModel, ConfigValidationNamesTheField) {
  ThermalConfig cfg;
  cfg.cctemp = 340;
  EXPECT_NE(ValidateThermalConfig(cfg).find("cctemp"), std::string::npos);
  cfg = ThermalConfig{};
  cfg.resistance_k_per_w = 0;
  EXPECT_NE(ValidateThermalConfig(cfg).find("resistance"), std::string::npos);
  EXPECT_THROW(ThermalModel{cfg}, std::invalid_argument);
  cfg = ThermalConfig{};
  cfg.heavy_factor = 0.9;  // above light_factor
  EXPECT_NE(ValidateThermalConfig(cfg).find("heavy_factor"), std::string::npos);
}

TEST(ThermalModel, PowerManagementFeatureAndIdentify) {
  ThermalModel m(ThermalConfig{});
  EXPECT_FALSE(m.SetPowerState(0, 5).ok());  // NPSS = 4
  ASSERT_TRUE(m.SetPowerState(0, 2).ok());
  EXPECT_DOUBLE_EQ(m.throughput_factor(), 4.5 / 8.0);
  spec::IdentifyController id;
  m.FillIdentify(id);
  EXPECT_EQ(id.npss, 4);
  EXPECT_EQ(id.wctemp, 343);
  EXPECT_EQ(id.cctemp, 358);
  EXPECT_EQ(id.hctma, 1);
  EXPECT_EQ(id.psd[4].exlat, 8000u);
  m.ResetFeatures(1 * kMs);
  EXPECT_EQ(m.power_state(), 0u);
}

}  // namespace
}  // namespace nvmesim::device::thermal

namespace nvmesim::device::thermal {
namespace {

TEST(ThermalModel, EventStyleFeedingTracksBusyTimeExactly) {
  ThermalConfig cfg;
  ThermalModel m(cfg);
  // Busy 0-10 ms (15 MB) and 20-30 ms (30 MB), idle otherwise. Bytes count
  // in the stretch that ends with their command's completion (all under MP).
  m.CommandStarted(0);
  m.CommandStarted(2 * kMs);  // overlapping command: still one busy interval
  m.CommandCompleted(8 * kMs, 10'000'000);
  m.CommandCompleted(10 * kMs, 5'000'000);
  m.CommandStarted(20 * kMs);
  m.CommandCompleted(30 * kMs, 30'000'000);
  m.Tick(40 * kMs);
  // Energy: idle 1 W for 40 ms + (active - idle) 2 W for 20 ms + 45 MB x 1 nJ/B.
  EXPECT_NEAR(m.stats().energy_joules, 0.040 + 0.040 + 0.045, 1e-9);
}

TEST(ThermalModel, NextEventPsIsTheNextCrossing) {
  ThermalConfig cfg;
  ThermalModel m(cfg);
  m.Advance(1 * kS, Load(1 * kS, 3e9));  // 6 W from now on
  const uint64_t next = m.NextEventPs();
  // First boundary ahead: the device light throttle / over threshold / warning at 342.5 K.
  const double t0 = m.temperature_kelvin();
  const double expect = 30.0 * std::log((344.0 - t0) / (344.0 - 342.5));
  EXPECT_NEAR((next - m.now_ps()) / 1e12, expect, 1e-6);
  m.Advance(next - 1'000'000, Load(next - 1'000'000 - m.now_ps(), 3e9));
  EXPECT_EQ(m.device_level(), ThrottleLevel::kNone);  // 1 us before
  // (Load() truncates bytes, so the power is a hair under 6 W: allow 1 ns.)
  m.Advance(next + 1'000, Load(next + 1'000 - m.now_ps(), 3e9));
  EXPECT_EQ(m.device_level(), ThrottleLevel::kLight);
  // With APST armed and idle, the next event is the idle transition.
  ThermalModel idle(cfg);
  spec::ApstData t;
  t.entry[0].set_itps(3).set_itpt(25);
  ASSERT_TRUE(idle.SetApst(0, true, t).ok());
  EXPECT_EQ(idle.NextEventPs(), 25 * kMs);
}

}  // namespace
}  // namespace nvmesim::device::thermal

namespace nvmesim::device::thermal {
namespace {

TEST(ThermalModel, StartingHotIsAStateNotATransition) {
  ThermalConfig cfg;
  cfg.initial_kelvin = 346;
  ThermalModel m(cfg);
  EXPECT_EQ(m.device_level(), ThrottleLevel::kLight);
  EXPECT_TRUE(m.TakeEvents().empty());
  EXPECT_EQ(m.stats().device_light_transitions, 0u);
  EXPECT_EQ(m.stats().over_threshold_events, 0u);
  spec::SmartHealthLog log;
  m.FillSmart(log);
  EXPECT_TRUE(log.critical_warning & spec::kCriticalWarningTemperature);  // but it is over
}

}  // namespace
}  // namespace nvmesim::device::thermal

namespace nvmesim::device::thermal {
namespace {

// A controller that reports each completion when it schedules it (a future
// instant), in execution order.
TEST(ThermalModel, CompletionsScheduledAheadTakeEffectOnTime) {
  ThermalConfig cfg;
  ThermalModel m(cfg);
  spec::ApstData t;
  t.entry[0].set_itps(3).set_itpt(1);  // PS0 -> PS3 after 1 ms idle
  ASSERT_TRUE(m.SetApst(0, true, t).ok());
  constexpr uint64_t kUs = 1'000'000;
  m.CommandStarted(0);
  m.CommandCompleted(100 * kUs, 100'000);  // will complete at 100 us
  m.Tick(10 * kUs);
  m.CommandStarted(10 * kUs);
  m.CommandCompleted(150 * kUs, 200'000);  // at 150 us
  m.Tick(20 * kUs);
  EXPECT_EQ(m.NextEventPs(), 100 * kUs);
  m.Tick(2 * kMs);
  // Busy 0-150 us at 3 W, 300 kB x 1 nJ/B, idle at 1 W for 1 ms, then PS3
  // (0.07 W) from 1150 us to 2 ms.
  EXPECT_NEAR(m.stats().energy_joules, 3.0 * 150e-6 + 300e-6 + 1.0 * 1e-3 + 0.07 * 850e-6, 1e-12);
  // APST counted its idle millisecond from the last completion.
  const auto ev = m.TakeEvents();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, ThermalEventKind::kPowerStateChanged);
  EXPECT_EQ(ev[0].time_ps, 150 * kUs + 1 * kMs);
}

}  // namespace
}  // namespace nvmesim::device::thermal
