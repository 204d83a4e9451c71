#include "device_model/thermal/power_states.h"

#include <gtest/gtest.h>

namespace nvmesim::device::thermal {
namespace {

TEST(PowerStates, DecodesDefaultTable) {
  const auto psd = DefaultPowerStateDescriptors();
  std::vector<PowerState> s;
  ASSERT_EQ(DecodePowerStates(psd.data(), 4, PowerModel{}, &s), "");
  ASSERT_EQ(s.size(), 5u);
  EXPECT_DOUBLE_EQ(s[0].max_watts, 8.0);
  EXPECT_DOUBLE_EQ(s[0].idle_watts, 1.0);
  EXPECT_DOUBLE_EQ(s[0].active_watts, 3.0);
  EXPECT_TRUE(s[2].operational);
  EXPECT_FALSE(s[3].operational);
  EXPECT_NEAR(s[3].max_watts, 0.07, 1e-12);  // 700 x 0.0001 W (MXPS)
  EXPECT_NEAR(s[4].idle_watts, 0.005, 1e-12);
  EXPECT_EQ(s[4].entry_ps, 2000ull * 1'000'000);
  EXPECT_EQ(s[4].exit_ps, 8000ull * 1'000'000);
  EXPECT_DOUBLE_EQ(s[1].perf_factor, 0.75);
  EXPECT_DOUBLE_EQ(s[3].perf_factor, 0.0);
}

TEST(PowerStates, PowerFollowsActivityAndCapsAtMax) {
  const auto psd = DefaultPowerStateDescriptors();
  std::vector<PowerState> s;
  ASSERT_EQ(DecodePowerStates(psd.data(), 4, PowerModel{}, &s), "");
  const PowerModel m;
  EXPECT_DOUBLE_EQ(PowerWatts(s[0], m, 0.0, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(PowerWatts(s[0], m, 1.0, 0.0), 3.0);
  EXPECT_DOUBLE_EQ(PowerWatts(s[0], m, 0.5, 2e9), 1.0 + 1.0 + 2.0);
  EXPECT_DOUBLE_EQ(PowerWatts(s[0], m, 1.0, 20e9), 8.0);   // MP caps it
  EXPECT_DOUBLE_EQ(PowerWatts(s[4], m, 1.0, 1e9), 0.005);  // non-operational: idle only
}

TEST(PowerStates, RejectsBadTables) {
  auto psd = DefaultPowerStateDescriptors();
  std::vector<PowerState> s;
  EXPECT_NE(DecodePowerStates(psd.data(), 32, PowerModel{}, &s), "");
  psd[1].mp = 0;
  EXPECT_NE(DecodePowerStates(psd.data(), 4, PowerModel{}, &s).find("psd[1].mp"),
            std::string::npos);
  psd = DefaultPowerStateDescriptors();
  psd[0].flags |= spec::kPsdFlagNops;
  EXPECT_NE(DecodePowerStates(psd.data(), 4, PowerModel{}, &s).find("psd[0]"), std::string::npos);
}

TEST(PowerStates, DerivesUnreportedIdleAndActivePower) {
  spec::PowerStateDescriptor d;
  d.mp = 800;  // 8 W, IDLP/ACTP not reported
  std::vector<PowerState> s;
  ASSERT_EQ(DecodePowerStates(&d, 0, PowerModel{}, &s), "");
  EXPECT_DOUBLE_EQ(s[0].idle_watts, 1.0);
  EXPECT_DOUBLE_EQ(s[0].active_watts, 3.0);
}

}  // namespace
}  // namespace nvmesim::device::thermal
