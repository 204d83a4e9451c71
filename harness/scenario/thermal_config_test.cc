// Thermal settings per device profile and per controller, and their precedence:
// model default < profile [thermal] < scenario [thermal] < controller `thermal`.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "harness/scenario/scenario_spec.h"
#include "harness/scenario/thermal_section.h"

namespace nvmesim::harness {
namespace {

std::string TempDir() {
  const char* d = std::getenv("TEST_TMPDIR");
  return d != nullptr ? d : std::filesystem::temp_directory_path().string();
}

// Writes `text` as <TEST_TMPDIR>/<name> and returns the path.
std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

constexpr const char* kProfile = R"(name = "p"
[thermal]
resistance_k_per_w = 8
capacitance_j_per_k = 8
wctemp = 355
cctemp = 358
light_factor = 0.5
[[thermal.power_state]]
max_watts = 9.39
[[thermal.power_state]]
max_watts = 0.005
operational = false
entry_latency = "500us"
exit_latency = "21800us"
)";

// A scenario in TEST_TMPDIR whose controllers use the profile "p.toml" beside it.
ScenarioSpec ParseWithProfile(const std::string& profile, const std::string& scenario) {
  WriteFile("p.toml", profile);
  return ParseScenario(scenario, TempDir() + "/s.toml");
}

Diagnostic ErrorOf(const std::string& profile, const std::string& scenario) {
  try {
    ParseWithProfile(profile, scenario);
  } catch (const ScenarioError& e) {
    return e.diagnostic();
  }
  ADD_FAILURE() << "no error for:\n" << profile << "\n---\n" << scenario;
  return {};
}

Diagnostic ProfileErrorOf(const std::string& profile) {
  ThermalSectionSpec t;
  try {
    ParseProfileThermal(profile, "p.toml", &t);
  } catch (const ScenarioError& e) {
    return e.diagnostic();
  }
  ADD_FAILURE() << "no error for:\n" << profile;
  return {};
}

constexpr const char* kTwoControllers = R"([scenario]
name = "t"
[[subsystem]]
name = "a"
[[subsystem]]
name = "b"
[[controller]]
name = "hot"
subsystem = "a"
profile = "p.toml"
thermal = { ambient_kelvin = 318, resistance_k_per_w = 6, tmt1 = 333 }
[[controller]]
name = "cool"
subsystem = "b"
profile = "p.toml"
[controller.thermal]
ambient_kelvin = 298
[[namespace]]
subsystem = "a"
size = "64MiB"
[[namespace]]
subsystem = "b"
size = "64MiB"
)";

TEST(ProfileThermal, EveryKeyAndThePowerStatesAreRead) {
  ThermalSectionSpec t;
  ParseProfileThermal(kProfile, "p.toml", &t);
  ASSERT_TRUE(t.present);
  EXPECT_EQ(t.file, "p.toml");
  EXPECT_EQ(t.line, 2);
  EXPECT_DOUBLE_EQ(*t.resistance_k_per_w, 8);
  EXPECT_EQ(*t.wctemp, 355u);
  EXPECT_EQ(*t.cctemp, 358u);
  EXPECT_FALSE(t.ambient_kelvin.has_value());
  ASSERT_TRUE(t.power_states.has_value());
  ASSERT_EQ(t.power_states->size(), 2u);
  EXPECT_DOUBLE_EQ((*t.power_states)[0].max_watts, 9.39);
  EXPECT_TRUE((*t.power_states)[0].operational);
  EXPECT_FALSE((*t.power_states)[1].operational);
  EXPECT_EQ((*t.power_states)[1].entry_latency_ps, 500'000'000ull);
  EXPECT_EQ((*t.power_states)[1].exit_latency_ps, 21'800'000'000ull);
}

TEST(ProfileThermal, AProfileWithoutTheTableHasNone) {
  ThermalSectionSpec t;
  ParseProfileThermal("name = \"p\"\n[nand]\nchannels = 8\n", "p.toml", &t);
  EXPECT_FALSE(t.present);
}

TEST(ProfileThermal, ShippedProfilesParse) {
  for (const char* name : {"target", "pcie4_990pro", "pcie5_t705"}) {
    ThermalSectionSpec t;
    LoadProfileThermal(std::string("scenarios/profiles/") + name + ".toml", &t);
    EXPECT_TRUE(t.present) << name;
    ASSERT_TRUE(t.wctemp && t.cctemp) << name;
    EXPECT_LT(*t.wctemp, *t.cctemp) << name;
    EXPECT_TRUE(t.resistance_k_per_w && t.capacitance_j_per_k) << name;
  }
}

TEST(ProfileThermal, RejectionsNameFileLineKeyAndExpectation) {
  Diagnostic d = ProfileErrorOf("name = \"p\"\n[thermal]\nambient_kelvin = 318\n");
  EXPECT_EQ(d.file, "p.toml");
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.key, "thermal.ambient_kelvin");
  EXPECT_NE(d.message.find("slot"), std::string::npos) << d.message;

  d = ProfileErrorOf("name = \"p\"\n[thermal]\ntmt1 = 330\n");
  EXPECT_EQ(d.key, "thermal.tmt1");
  d = ProfileErrorOf("name = \"p\"\n[thermal]\npoll_interval = \"5ms\"\n");
  EXPECT_EQ(d.key, "thermal.poll_interval");
  EXPECT_NE(d.message.find("host"), std::string::npos) << d.message;

  d = ProfileErrorOf("name = \"p\"\n[thermal]\nwctemp = 360\ncctemp = 355\n");
  EXPECT_EQ(d.key, "thermal.cctemp");
  EXPECT_NE(d.message.find("above WCTEMP"), std::string::npos) << d.message;

  d = ProfileErrorOf("name = \"p\"\n[thermal]\nresistance_k_per_w = 0\n");
  EXPECT_EQ(d.key, "thermal.resistance_k_per_w");
  d = ProfileErrorOf("name = \"p\"\n[thermal]\ncapacitance_j_per_k = -1\n");
  EXPECT_EQ(d.key, "thermal.capacitance_j_per_k");
  d = ProfileErrorOf("name = \"p\"\n[thermal]\nwctemp = \"hot\"\n");
  EXPECT_EQ(d.key, "thermal.wctemp");
  EXPECT_NE(d.message.find("kelvin"), std::string::npos) << d.message;
  d = ProfileErrorOf("name = \"p\"\n[thermal]\ncctemp = 600\n");
  EXPECT_NE(d.message.find("200..500"), std::string::npos) << d.message;
  d = ProfileErrorOf("name = \"p\"\n[thermal]\nmntmt = 350\nmxtmt = 340\n");
  EXPECT_EQ(d.key, "thermal.mxtmt");
  d = ProfileErrorOf("name = \"p\"\n[thermal]\nfan = true\n");
  EXPECT_EQ(d.key, "thermal.fan");
  EXPECT_NE(d.message.find("unknown key"), std::string::npos) << d.message;
  d = ProfileErrorOf("name = \"p\"\nthermal = 3\n");
  EXPECT_EQ(d.key, "thermal");
  EXPECT_NE(d.message.find("table"), std::string::npos) << d.message;
}

TEST(ProfileThermal, PowerStateRejections) {
  const std::string head = "name = \"p\"\n[thermal]\n";
  Diagnostic d = ProfileErrorOf(head + "[[thermal.power_state]]\nidle_watts = 1\n");
  EXPECT_EQ(d.key, "thermal.power_state[0].max_watts");
  EXPECT_NE(d.message.find("missing"), std::string::npos) << d.message;

  d = ProfileErrorOf(head + "[[thermal.power_state]]\nmax_watts = 5\nidle_watts = 6\n");
  EXPECT_EQ(d.key, "thermal.power_state[0].idle_watts");

  d = ProfileErrorOf(head + "[[thermal.power_state]]\nmax_watts = 700\n");
  EXPECT_NE(d.message.find("655.35"), std::string::npos) << d.message;

  d = ProfileErrorOf(head + "[[thermal.power_state]]\nmax_watts = 5\noperational = false\n");
  EXPECT_EQ(d.key, "thermal.power_state[0].operational");

  d = ProfileErrorOf(head +
                     "[[thermal.power_state]]\nmax_watts = 5\n[[thermal.power_state]]\n"
                     "max_watts = 0.1\noperational = false\nexit_latency = \"1500ns\"\n");
  EXPECT_EQ(d.key, "thermal.power_state[1].exit_latency");
  EXPECT_NE(d.message.find("microseconds"), std::string::npos) << d.message;

  d = ProfileErrorOf(head + "[[thermal.power_state]]\nmax_watts = 5\nspeed = 1\n");
  EXPECT_EQ(d.key, "thermal.power_state[0].speed");

  std::string many = head;
  for (int i = 0; i < 33; ++i) many += "[[thermal.power_state]]\nmax_watts = 5\n";
  d = ProfileErrorOf(many);
  EXPECT_EQ(d.key, "thermal.power_state");
  EXPECT_NE(d.message.find("32"), std::string::npos) << d.message;
}

TEST(ControllerThermal, InlineAndSubTableForms) {
  const ScenarioSpec s = ParseWithProfile(kProfile, kTwoControllers);
  ASSERT_EQ(s.controllers.size(), 2u);
  const ControllerSpec& hot = s.controllers[0];
  const ControllerSpec& cool = s.controllers[1];
  ASSERT_TRUE(hot.thermal.present);
  EXPECT_DOUBLE_EQ(*hot.thermal.ambient_kelvin, 318);
  EXPECT_DOUBLE_EQ(*hot.thermal.resistance_k_per_w, 6);
  EXPECT_EQ(*hot.thermal.tmt1, 333u);
  ASSERT_TRUE(cool.thermal.present);
  EXPECT_DOUBLE_EQ(*cool.thermal.ambient_kelvin, 298);
  EXPECT_FALSE(cool.thermal.resistance_k_per_w.has_value());
  EXPECT_TRUE(hot.profile_thermal.present);
  EXPECT_EQ(*hot.profile_thermal.wctemp, 355u);
}

TEST(ControllerThermal, PrecedenceKeyByKey) {
  // Profile: R 8, C 8, WCTEMP 355, light 0.5. Scenario: C 0.02, light 0.4, ambient 308.
  // hot: ambient 318, R 6. cool: ambient 298.
  const ScenarioSpec s = ParseWithProfile(kProfile, std::string(kTwoControllers) + R"(
[thermal]
ambient_kelvin = 308
capacitance_j_per_k = 0.02
light_factor = 0.4
)");
  const std::optional<ThermalSectionSpec> hot = EffectiveThermal(s, s.controllers[0]);
  const std::optional<ThermalSectionSpec> cool = EffectiveThermal(s, s.controllers[1]);
  ASSERT_TRUE(hot && cool);
  // Controller over scenario.
  EXPECT_DOUBLE_EQ(*hot->ambient_kelvin, 318);
  EXPECT_DOUBLE_EQ(*cool->ambient_kelvin, 298);
  // Controller over profile.
  EXPECT_DOUBLE_EQ(*hot->resistance_k_per_w, 6);
  // Profile where nothing above sets the key.
  EXPECT_DOUBLE_EQ(*cool->resistance_k_per_w, 8);
  EXPECT_EQ(*cool->wctemp, 355u);
  ASSERT_TRUE(cool->power_states.has_value());
  EXPECT_EQ(cool->power_states->size(), 2u);
  // Scenario over profile.
  EXPECT_DOUBLE_EQ(*hot->capacitance_j_per_k, 0.02);
  EXPECT_DOUBLE_EQ(*cool->light_factor, 0.4);
  // Unset everywhere: the model's default.
  EXPECT_FALSE(cool->hysteresis_kelvin.has_value());
  // Driver side: only hot programs its own TMT1.
  EXPECT_EQ(*hot->tmt1, 333u);
  EXPECT_FALSE(cool->tmt1.has_value());
  // The most specific table is named.
  EXPECT_EQ(hot->line, s.controllers[0].thermal.line);
}

TEST(ControllerThermal, PowerStatesInline) {
  const ScenarioSpec s = ParseScenario(R"([scenario]
name = "t"
[[controller]]
name = "c0"
thermal = { power_state = [{ max_watts = 9 }, { max_watts = 0.05, operational = false }] }
[[namespace]]
size = "64MiB"
)",
                                       "t.toml");
  const std::optional<ThermalSectionSpec> t = EffectiveThermal(s, s.controllers[0]);
  ASSERT_TRUE(t && t->power_states);
  ASSERT_EQ(t->power_states->size(), 2u);
  EXPECT_DOUBLE_EQ((*t->power_states)[0].max_watts, 9);
  EXPECT_FALSE((*t->power_states)[1].operational);
}

TEST(ControllerThermal, AProfileAloneGivesNoModel) {
  const ScenarioSpec s = ParseWithProfile(kProfile, R"([scenario]
name = "t"
[[controller]]
name = "ctrl0"
profile = "p.toml"
[[namespace]]
size = "64MiB"
)");
  EXPECT_TRUE(s.controllers[0].profile_thermal.present);
  EXPECT_FALSE(EffectiveThermal(s, s.controllers[0]).has_value());
}

TEST(ControllerThermal, OneControllerTableGivesOnlyThatControllerAModel) {
  const ScenarioSpec s = ParseScenario(R"([scenario]
name = "t"
[[subsystem]]
name = "a"
[[subsystem]]
name = "b"
[[controller]]
name = "c0"
subsystem = "a"
thermal = { ambient_kelvin = 318 }
[[controller]]
name = "c1"
subsystem = "b"
[[namespace]]
subsystem = "a"
size = "64MiB"
)",
                                       "t.toml");
  EXPECT_TRUE(EffectiveThermal(s, s.controllers[0]).has_value());
  EXPECT_FALSE(EffectiveThermal(s, s.controllers[1]).has_value());
}

TEST(ControllerThermal, RejectionsNameTheKey) {
  const std::string head = "[scenario]\nname = \"t\"\n[[controller]]\nname = \"c0\"\n";
  const std::string tail = "[[namespace]]\nsize = \"64MiB\"\n";
  auto error = [&](const std::string& thermal) {
    try {
      ParseScenario(head + thermal + tail, "t.toml");
    } catch (const ScenarioError& e) {
      return e.diagnostic();
    }
    ADD_FAILURE() << "no error for " << thermal;
    return Diagnostic{};
  };
  Diagnostic d = error("thermal = { poll_interval = \"5ms\" }\n");
  EXPECT_EQ(d.file, "t.toml");
  EXPECT_EQ(d.line, 5);
  EXPECT_EQ(d.key, "controller[0].thermal.poll_interval");
  EXPECT_NE(d.message.find("per-controller"), std::string::npos) << d.message;
  d = error("thermal = { horizon = \"5ms\" }\n");
  EXPECT_EQ(d.key, "controller[0].thermal.horizon");
  d = error("thermal = { ambient_kelvin = 500 }\n");
  EXPECT_EQ(d.key, "controller[0].thermal.ambient_kelvin");
  EXPECT_NE(d.message.find("200..400"), std::string::npos) << d.message;
  d = error("thermal = { resistance_k_per_w = \"low\" }\n");
  EXPECT_EQ(d.key, "controller[0].thermal.resistance_k_per_w");
  d = error("thermal = { tmt1 = 340, tmt2 = 335 }\n");
  EXPECT_EQ(d.key, "controller[0].thermal.tmt2");
  d = error("thermal = { airflow = 2 }\n");
  EXPECT_EQ(d.key, "controller[0].thermal.airflow");
  EXPECT_NE(d.message.find("unknown key"), std::string::npos) << d.message;
  d = error("thermal = 3\n");
  EXPECT_EQ(d.key, "controller[0].thermal");
  d = error("profile = \"no_such_profile.toml\"\n");
  EXPECT_EQ(d.key, "controller[0].profile");
  EXPECT_NE(d.message.find("cannot open"), std::string::npos) << d.message;
}

TEST(ControllerThermal, AProfileErrorNamesTheProfileFile) {
  const Diagnostic d = ErrorOf("name = \"p\"\n[thermal]\nwctemp = 100\n", R"([scenario]
name = "t"
[[controller]]
profile = "p.toml"
[[namespace]]
size = "64MiB"
)");
  EXPECT_EQ(d.file, TempDir() + "/p.toml");
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.key, "thermal.wctemp");
}

TEST(ControllerThermal, LevelsThatDisagreeOnceCombinedAreReported) {
  // Each table is valid alone; combined, the controller's CCTEMP is below the profile's WCTEMP.
  const ScenarioSpec s = ParseWithProfile(kProfile, R"([scenario]
name = "t"
[[controller]]
name = "c0"
profile = "p.toml"
thermal = { cctemp = 350 }
[[namespace]]
size = "64MiB"
)");
  const std::vector<Diagnostic> problems = Validate(s);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key, "controller[0].thermal.cctemp");
  EXPECT_EQ(problems[0].line, 3);
  EXPECT_NE(problems[0].message.find("above WCTEMP (355 K)"), std::string::npos)
      << problems[0].message;
}

}  // namespace
}  // namespace nvmesim::harness
