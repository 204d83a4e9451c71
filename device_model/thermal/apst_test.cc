#include <gtest/gtest.h>

#include "device_model/thermal/thermal_model.h"

namespace nvmesim::device::thermal {
namespace {

constexpr uint64_t kMs = 1'000'000'000ull;
constexpr uint64_t kUs = 1'000'000ull;

spec::ApstData Table() {
  spec::ApstData t;
  t.entry[0].set_itps(3).set_itpt(10);  // PS0 -> PS3 after 10 ms idle
  t.entry[1].set_itps(3).set_itpt(10);
  t.entry[2].set_itps(3).set_itpt(10);
  t.entry[3].set_itps(4).set_itpt(100);  // PS3 -> PS4 after 100 ms more
  return t;
}

TEST(Apst, IdleTimersWalkDownTheTable) {
  ThermalModel m(ThermalConfig{});
  ASSERT_TRUE(m.SetApst(0, true, Table()).ok());
  m.Tick(5 * kMs);
  EXPECT_EQ(m.power_state(), 0u);
  m.Tick(200 * kMs);  // one call: both transitions happen at their own times
  EXPECT_EQ(m.power_state(), 4u);
  EXPECT_EQ(m.stats().apst_transitions, 2u);
  std::vector<ThermalEvent> ev = m.TakeEvents();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].time_ps, 10 * kMs);
  EXPECT_EQ(ev[0].value, 3);
  EXPECT_EQ(ev[1].time_ps, 110 * kMs);
  EXPECT_EQ(ev[1].value, 4);
  EXPECT_EQ(m.stats().time_per_state_ps[0], 10 * kMs);
  EXPECT_EQ(m.stats().time_per_state_ps[3], 100 * kMs);
  EXPECT_EQ(m.stats().time_per_state_ps[4], 90 * kMs);
  // A command wakes it: EXLAT of PS4 (8000 us), back to PS0.
  EXPECT_EQ(m.CommandStarted(200 * kMs), 8000 * kUs);
  EXPECT_EQ(m.power_state(), 0u);
  EXPECT_EQ(m.stats().wakeups, 1u);
  // Busy: no transition however long the command takes.
  m.Tick(400 * kMs);
  EXPECT_EQ(m.power_state(), 0u);
  m.CommandCompleted(400 * kMs, 4096);
  m.Tick(405 * kMs);
  EXPECT_EQ(m.power_state(), 0u);
  m.Tick(411 * kMs);
  EXPECT_EQ(m.power_state(), 3u);
}

TEST(Apst, WakeDuringEntryPaysTheRestOfTheEntry) {
  ThermalModel m(ThermalConfig{});
  ASSERT_TRUE(m.SetApst(0, true, Table()).ok());
  // Enters PS4 at 110 ms (ENLAT 2000 us); a command 500 us later waits for the
  // remaining 1500 us of entry plus the 8000 us exit.
  EXPECT_EQ(m.CommandStarted(110 * kMs + 500 * kUs), 1500 * kUs + 8000 * kUs);
}

TEST(Apst, SavesEnergyWhenIdle) {
  ThermalModel with(ThermalConfig{}), without(ThermalConfig{});
  ASSERT_TRUE(with.SetApst(0, true, Table()).ok());
  with.Tick(1000 * kMs);
  without.Tick(1000 * kMs);
  EXPECT_NEAR(without.stats().energy_joules, 1.0, 1e-9);  // 1 W idle for 1 s
  const double expect = 0.010 * 1.0 + 0.100 * 0.07 + 0.890 * 0.005;
  EXPECT_NEAR(with.stats().energy_joules, expect, 1e-9);
  EXPECT_LT(with.temperature_kelvin(), without.temperature_kelvin());
}

TEST(Apst, Validation) {
  ThermalModel m(ThermalConfig{});
  spec::ApstData t = Table();
  t.entry[0].set_itps(2);  // operational target
  EXPECT_FALSE(m.SetApst(0, true, t).ok());
  t = Table();
  t.entry[3].set_itps(7);  // beyond NPSS
  EXPECT_FALSE(m.SetApst(0, true, t).ok());
  t = Table();
  t.entry[3].set_itps(7).set_itpt(0);  // ITPT 0: entry unused, accepted
  EXPECT_TRUE(m.SetApst(0, true, t).ok());
  ThermalConfig cfg;
  cfg.apst_supported = false;
  ThermalModel off(cfg);
  EXPECT_FALSE(off.SetApst(0, true, Table()).ok());
  // Disabled: the table is kept but nothing happens.
  ThermalModel idle(ThermalConfig{});
  ASSERT_TRUE(idle.SetApst(0, false, Table()).ok());
  idle.Tick(500 * kMs);
  EXPECT_EQ(idle.power_state(), 0u);
}

}  // namespace
}  // namespace nvmesim::device::thermal
