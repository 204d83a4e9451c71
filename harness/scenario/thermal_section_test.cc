// [thermal], [optimizer] and the [driver] coalescing keys.
#include <gtest/gtest.h>

#include <string>

#include "harness/scenario/scenario_spec.h"

namespace nvmesim::harness {
namespace {

constexpr const char* kBase = R"([scenario]
name = "t"
[[controller]]
name = "ctrl0"
[[namespace]]
name = "ns1"
size = "64MiB"
)";

ScenarioSpec Parse(const std::string& extra) { return ParseScenario(kBase + extra, "t.toml"); }

Diagnostic ErrorOf(const std::string& extra) {
  try {
    Parse(extra);
  } catch (const ScenarioError& e) {
    return e.diagnostic();
  }
  ADD_FAILURE() << "no error for:\n" << extra;
  return {};
}

TEST(ThermalSection, AbsentMeansNoModel) {
  const ScenarioSpec s = Parse("");
  EXPECT_FALSE(s.thermal.present);
  EXPECT_FALSE(s.optimizer.present);
}

TEST(ThermalSection, EveryKeyIsRead) {
  const ScenarioSpec s = Parse(R"(
[thermal]
ambient_kelvin = 318
resistance_k_per_w = 6
capacitance_j_per_k = 0.02
wctemp = 343
cctemp = 358
light_factor = 0.3
heavy_factor = 0.2
throttle_reference_gbps = 7.5
poll_interval = "5ms"
horizon = "120ms"
tmt1 = 330
tmt2 = 340
sample_interval = "1ms"
[optimizer]
goal = "latency"
p99_target = "500us"
epoch = "20ms"
warn_margin_hours = 100
hours_per_second = 1000
[driver]
coalescing_completions = 32
coalescing_time = "2ms"
)");
  ASSERT_TRUE(s.thermal.present);
  EXPECT_DOUBLE_EQ(*s.thermal.ambient_kelvin, 318);
  EXPECT_DOUBLE_EQ(*s.thermal.capacitance_j_per_k, 0.02);
  EXPECT_EQ(*s.thermal.wctemp, 343u);
  EXPECT_DOUBLE_EQ(*s.thermal.throttle_reference_gbps, 7.5);
  EXPECT_EQ(*s.thermal.poll_interval_ps, 5'000'000'000ull);
  EXPECT_EQ(*s.thermal.horizon_ps, 120'000'000'000ull);
  EXPECT_EQ(*s.thermal.tmt2, 340u);
  EXPECT_EQ(s.thermal.sample_interval_ps, 1'000'000'000ull);
  ASSERT_TRUE(s.optimizer.present);
  EXPECT_FALSE(*s.optimizer.throughput_goal);
  EXPECT_EQ(*s.optimizer.p99_target_ps, 500'000'000ull);
  EXPECT_EQ(*s.optimizer.epoch_ps, 20'000'000'000ull);
  EXPECT_DOUBLE_EQ(*s.optimizer.hours_per_second, 1000);
  EXPECT_EQ(*s.driver.coalescing_completions, 32u);
  EXPECT_EQ(*s.driver.coalescing_time_ps, 2'000'000'000ull);
}

TEST(ThermalSection, BadValuesNameTheKeyAndTheLimit) {
  Diagnostic d = ErrorOf("[thermal]\nambient_kelvin = 100\n");
  EXPECT_EQ(d.key, "thermal.ambient_kelvin");
  EXPECT_NE(d.message.find("200..400"), std::string::npos) << d.message;

  d = ErrorOf("[thermal]\nwctemp = 360\ncctemp = 350\n");
  EXPECT_EQ(d.key, "thermal.cctemp");
  EXPECT_NE(d.message.find("above WCTEMP"), std::string::npos) << d.message;

  d = ErrorOf("[thermal]\ntmt1 = 340\ntmt2 = 330\n");
  EXPECT_EQ(d.key, "thermal.tmt2");

  d = ErrorOf("[thermal]\nlight_factor = 0.3\nheavy_factor = 0.5\n");
  EXPECT_EQ(d.key, "thermal.heavy_factor");

  d = ErrorOf("[thermal]\npoll_interval = \"0s\"\n");
  EXPECT_EQ(d.key, "thermal.poll_interval");

  d = ErrorOf("[thermal]\nsurface = 3\n");
  EXPECT_EQ(d.key, "thermal.surface");
  EXPECT_NE(d.message.find("unknown key"), std::string::npos) << d.message;

  d = ErrorOf("[optimizer]\ngoal = \"fast\"\n");
  EXPECT_EQ(d.key, "optimizer.goal");

  d = ErrorOf("[optimizer]\nepoch = \"100us\"\n");
  EXPECT_NE(d.message.find("at least 1ms"), std::string::npos) << d.message;

  d = ErrorOf("[driver]\ncoalescing_completions = 257\n");
  EXPECT_EQ(d.key, "driver.coalescing_completions");

  d = ErrorOf("[driver]\ncoalescing_time = \"150us\"\n");
  EXPECT_NE(d.message.find("multiple of 100us"), std::string::npos) << d.message;
  d = ErrorOf("[driver]\ncoalescing_time = \"26ms\"\n");
  EXPECT_EQ(d.key, "driver.coalescing_time");

  // Hotplug re-probe: no configuration request within 100 ms of link training.
  d = ErrorOf("[driver]\nreprobe_delay = \"99ms\"\n");
  EXPECT_EQ(d.key, "driver.reprobe_delay");
  EXPECT_NE(d.message.find("PCIe 5.0 6.6.1"), std::string::npos) << d.message;
  d = ErrorOf("[driver]\nreprobe_on_link_up = 1\n");
  EXPECT_EQ(d.key, "driver.reprobe_on_link_up");
}

}  // namespace
}  // namespace nvmesim::harness
