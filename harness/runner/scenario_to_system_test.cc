// The thermal wiring of BuildSystemSpec: each controller gets the model its
// profile, the scenario and its own `thermal` table describe.
#include "harness/runner/scenario_to_system.h"

#include <gtest/gtest.h>

#include <vector>

#include "device_model/thermal/power_states.h"
#include "harness/scenario/thermal_section.h"
#include "harness/system/sim_system.h"
#include "tests/support/sim_test.h"

namespace nvmesim::harness {
namespace {

SimSystemSpec Build(const ScenarioSpec& s) {
  SystemBuild b = BuildSystemSpec(s, s.info.fidelity);
  EXPECT_TRUE(b.ok()) << (b.errors.empty() ? "" : b.errors.front());
  return b.spec;
}

TEST(ScenarioToSystemThermal, TwoControllersGetTheirOwnModels) {
  const SimSystemSpec spec = Build(LoadScenario("scenarios/thermal/hot_and_cool_slot.toml"));
  ASSERT_EQ(spec.controllers.size(), 2u);
  ASSERT_TRUE(spec.controllers[0].thermal && spec.controllers[1].thermal);
  const device::thermal::ThermalConfig& hot = *spec.controllers[0].thermal;
  const device::thermal::ThermalConfig& cool = *spec.controllers[1].thermal;
  // The slot: each controller's own table.
  EXPECT_DOUBLE_EQ(hot.ambient_kelvin, 318);
  EXPECT_DOUBLE_EQ(cool.ambient_kelvin, 298);
  EXPECT_DOUBLE_EQ(hot.resistance_k_per_w, 6);
  EXPECT_DOUBLE_EQ(cool.resistance_k_per_w, 3.5);
  // The scenario's [thermal] for both.
  EXPECT_DOUBLE_EQ(hot.capacitance_j_per_k, 0.01);
  EXPECT_DOUBLE_EQ(cool.capacitance_j_per_k, 0.01);
  EXPECT_DOUBLE_EQ(hot.light_factor, 0.3);
  EXPECT_DOUBLE_EQ(cool.throttle_reference_bps, 7.5e9);
  // The profile's drive character for both.
  EXPECT_EQ(hot.wctemp, 343);
  EXPECT_EQ(cool.cctemp, 358);
  EXPECT_EQ(cool.mntmt, 313);
  // No controller changes its driver's thermal manager settings.
  EXPECT_FALSE(spec.controllers[0].thermal_manager.has_value());
  EXPECT_FALSE(spec.controllers[1].thermal_manager.has_value());
}

TEST(ScenarioToSystemThermal, AProfileAloneGivesNoModel) {
  const SimSystemSpec spec = Build(LoadScenario("scenarios/perf/target_randread.toml"));
  for (const SimControllerSpec& c : spec.controllers) EXPECT_EQ(c.thermal, nullptr);
}

TEST(ScenarioToSystemThermal, ProfilePowerStatesReachTheModel) {
  ScenarioSpec s = LoadScenario("scenarios/thermal/hot_and_cool_slot.toml");
  for (ControllerSpec& c : s.controllers) {
    LoadProfileThermal("scenarios/profiles/pcie4_990pro.toml", &c.profile_thermal);
  }
  const SimSystemSpec spec = Build(s);
  const device::thermal::ThermalConfig& tc = *spec.controllers[0].thermal;
  // The scenario's table leaves WCTEMP / CCTEMP to the profile.
  EXPECT_EQ(tc.wctemp, 355);
  EXPECT_EQ(tc.cctemp, 358);
  ASSERT_EQ(tc.power_states.size(), 5u);
  std::vector<device::thermal::PowerState> states;
  ASSERT_EQ(device::thermal::DecodePowerStates(tc.power_states.data(), 4, tc.power, &states), "");
  EXPECT_NEAR(states[0].max_watts, 9.39, 1e-9);
  EXPECT_TRUE(states[2].operational);
  EXPECT_FALSE(states[3].operational);
  EXPECT_NEAR(states[3].max_watts, 0.04, 1e-9);
  EXPECT_NEAR(states[4].max_watts, 0.005, 1e-9);
  EXPECT_EQ(states[3].entry_ps, 4'200'000'000ull);
  EXPECT_EQ(states[4].exit_ps, 21'800'000'000ull);
}

TEST(ScenarioToSystemThermal, PowerFieldsKeepTheirValue) {
  PowerStateSpec ps;
  ps.max_watts = 8;
  ps.idle_watts = 1;
  ps.active_watts = 2.5;
  spec::PowerStateDescriptor d = ToPowerStateDescriptor(ps, 1);
  // Whole 0.01 W values stay in 0.01 W units, like the model's own table.
  EXPECT_EQ(d.mp, 800);
  EXPECT_EQ(d.flags & spec::kPsdFlagMxps, 0);
  EXPECT_EQ(d.idlp, 100);
  EXPECT_EQ(d.ips >> 6, 2);
  EXPECT_EQ(d.actp, 250);
  EXPECT_EQ(d.rrt, 1);
  ps.max_watts = 0.0025;
  ps.idle_watts.reset();
  ps.active_watts.reset();
  ps.operational = false;
  d = ToPowerStateDescriptor(ps, 4);
  EXPECT_EQ(d.mp, 25);
  EXPECT_NE(d.flags & spec::kPsdFlagMxps, 0);
  EXPECT_NE(d.flags & spec::kPsdFlagNops, 0);
  EXPECT_EQ(d.ips, 0);  // not reported
}

TEST(ScenarioToSystemThermal, ControllerTmtReachesOnlyItsDriver) {
  ScenarioSpec s = LoadScenario("scenarios/thermal/hot_and_cool_slot.toml");
  s.controllers[0].thermal.tmt1 = 335;
  s.controllers[0].thermal.tmt2 = 340;
  const SimSystemSpec spec = Build(s);
  ASSERT_TRUE(spec.controllers[0].thermal_manager.has_value());
  EXPECT_EQ(spec.controllers[0].thermal_manager->tmt1, 335);
  EXPECT_EQ(spec.controllers[0].thermal_manager->tmt2, 340);
  // The rest of the manager's settings are the scenario's.
  EXPECT_EQ(spec.controllers[0].thermal_manager->poll_interval_ns,
            spec.advanced.thermal_options.poll_interval_ns);
  EXPECT_FALSE(spec.controllers[1].thermal_manager.has_value());
}

TEST(ScenarioToSystemThermal, ACombinationTheModelRejectsNamesTheController) {
  ScenarioSpec s = LoadScenario("scenarios/thermal/hot_and_cool_slot.toml");
  s.controllers[1].thermal.hctm_supported = true;
  s.controllers[1].thermal.mntmt = 0;  // below the parser's range: the model's check
  SystemBuild b = BuildSystemSpec(s, s.info.fidelity);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.errors.front().find("controller cool.thermal"), std::string::npos)
      << b.errors.front();
  EXPECT_NE(b.errors.front().find("mntmt"), std::string::npos) << b.errors.front();
}

NVMESIM_SIM_TEST(SimSystemThermal, EachControllerElaboratesItsOwnModel) {
  const SimSystemSpec spec = Build(LoadScenario("scenarios/thermal/hot_and_cool_slot.toml"));
  SimSystem system(spec);
  ASSERT_NE(system.thermal(0), nullptr);
  ASSERT_NE(system.thermal(1), nullptr);
  EXPECT_NE(system.thermal(0), system.thermal(1));
  EXPECT_DOUBLE_EQ(system.thermal(0)->rc().ambient(), 318);
  EXPECT_DOUBLE_EQ(system.thermal(1)->rc().ambient(), 298);
  EXPECT_DOUBLE_EQ(system.thermal(0)->rc().resistance(), 6);
  EXPECT_DOUBLE_EQ(system.thermal(1)->rc().resistance(), 3.5);
  // Both start at their own ambient.
  EXPECT_DOUBLE_EQ(system.thermal(0)->temperature_kelvin(), 318);
  EXPECT_DOUBLE_EQ(system.thermal(1)->temperature_kelvin(), 298);
}

NVMESIM_SIM_TEST(SimSystemThermal, AControllerTmtOutsideOrderIsRejected) {
  SimSystemSpec spec = Build(LoadScenario("scenarios/thermal/hot_and_cool_slot.toml"));
  driver::thermal::ThermalManagerOptions to = spec.advanced.thermal_options;
  to.tmt1 = 340;
  to.tmt2 = 335;
  spec.controllers[1].thermal_manager = to;
  EXPECT_NE(ValidateSystemSpec(spec).find("tmt1 must be below tmt2"), std::string::npos);
}

}  // namespace
}  // namespace nvmesim::harness

namespace nvmesim::harness {
namespace {

// Two ports of one drive (one subsystem) and a second drive: profile paths
// resolve against the scenario's directory.
ScenarioSpec TwoDrives(const std::string& second_port_profile) {
  return ParseScenario(R"(
[[subsystem]]
name = "dual"
[[subsystem]]
name = "other"
[[controller]]
name = "a"
subsystem = "dual"
profile = "../profiles/target.toml"
[[controller]]
name = "b"
subsystem = "dual"
)" + second_port_profile + R"(
[[controller]]
name = "c"
subsystem = "other"
profile = "../profiles/target.toml"
[[namespace]]
subsystem = "dual"
size = "1GiB"
[[namespace]]
subsystem = "other"
size = "1GiB"
)",
                       "scenarios/thermal/inline.toml");
}

TEST(ScenarioToSystemMedia, PortsOfOneDriveShareItsMedia) {
  const SimSystemSpec spec = Build(TwoDrives("profile = \"../profiles/target.toml\""));
  ASSERT_EQ(spec.controllers.size(), 3u);
  ASSERT_NE(spec.controllers[0].media, nullptr);
  EXPECT_EQ(spec.controllers[0].media, spec.controllers[1].media);  // one NAND behind both ports
  EXPECT_NE(spec.controllers[0].media, spec.controllers[2].media);  // another drive, its own
}

TEST(ScenarioToSystemIdentity, SerialAndModelAreTheSubsystemsFirmwareTheControllers) {
  ScenarioSpec sc = TwoDrives("profile = \"../profiles/target.toml\"");
  sc.subsystems[0].serial = "DUALPORT-7";
  sc.subsystems[0].model = "Example dual-port drive";
  sc.subsystems[0].vendor_id = 0x1234;
  sc.controllers[1].firmware = "2.1";
  const SimSystemSpec spec = Build(sc);
  EXPECT_EQ(spec.controllers[0].device.serial, "DUALPORT-7");
  EXPECT_EQ(spec.controllers[1].device.serial, "DUALPORT-7");  // one subsystem, one SN
  EXPECT_EQ(spec.controllers[1].device.model, "Example dual-port drive");
  EXPECT_EQ(spec.controllers[1].device.vendor_id, 0x1234);
  EXPECT_EQ(spec.controllers[1].device.firmware, "2.1");
  EXPECT_EQ(spec.controllers[0].device.firmware, device::ControllerConfig{}.firmware);
  // Another subsystem: its own default serial, the built-in model and vendor.
  EXPECT_EQ(spec.controllers[2].device.serial, "NVMESIM0002");
  EXPECT_EQ(spec.controllers[2].device.model, device::ControllerConfig{}.model);
  EXPECT_EQ(spec.controllers[2].device.vendor_id, device::ControllerConfig{}.vendor_id);
}

TEST(ScenarioToSystemMedia, PortsNamingDifferentMediaAreRejected) {
  for (const char* second : {"profile = \"../profiles/pcie4_990pro.toml\"", ""}) {
    const SystemBuild b = BuildSystemSpec(TwoDrives(second), ScenarioFidelity::kApproximate);
    ASSERT_FALSE(b.ok()) << second;
    EXPECT_NE(b.errors.front().find("controller b.profile"), std::string::npos) << b.errors.front();
    EXPECT_NE(b.errors.front().find("share its media"), std::string::npos) << b.errors.front();
  }
}

TEST(ScenarioToSystemAdvancedNvme, ErrorsStandAtTheirKeysLinesInFileOrder) {
  const ScenarioSpec s = ParseScenario(R"([scenario]
name = "t"
[[controller]]
name = "c"
[[namespace]]
name = "n"
size = "64MiB"
[advanced_nvme]
zns_enabled = "yes"
queue_dept = 4
)",
                                       "dir/s.toml");
  const SystemBuild b = BuildSystemSpec(s, s.info.fidelity);
  ASSERT_EQ(b.errors.size(), 2u);
  EXPECT_EQ(b.errors[0].rfind("dir/s.toml:9: advanced_nvme: advanced_nvme.zns_enabled", 0), 0u)
      << b.errors[0];
  EXPECT_EQ(
      b.errors[1].rfind("dir/s.toml:10: advanced_nvme: advanced_nvme.queue_dept: unknown key", 0),
      0u)
      << b.errors[1];
}

}  // namespace
}  // namespace nvmesim::harness
