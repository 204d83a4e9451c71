#include "driver/thermal/power_optimizer.h"

#include <gtest/gtest.h>

#include "driver/thermal/test_power_states.h"

namespace nvmesim::driver::thermal {
namespace {

constexpr uint64_t kMs = 1'000'000;

TEST(AdaptivePowerOptimizer, LongGapsPickTheDeepestStateWithinBudget) {
  const auto psd = testing::ClientPowerStates();
  AdaptivePowerOptimizer o;
  for (int i = 0; i < 50; ++i) {
    o.ObserveIdleGap(2000 * kMs);  // 2 s idle between bursts
    o.ObserveElapsed(2100 * kMs);
  }
  PowerRecommendation r = o.Recommend(psd.data(), 4, 100000);
  EXPECT_EQ(r.apst_state, 4);
  EXPECT_EQ(r.latency_tolerance_us, 8000u);
  EXPECT_GT(r.saving_watts, 0.5);  // ~1 W idle saved for most of the time
  EXPECT_LT(r.saving_watts, 1.0);
  EXPECT_NEAR(r.wakes_per_second, 1 / 2.1, 0.05);
  r = o.Recommend(psd.data(), 4, 5000);  // PS4's 8 ms exit is over budget
  EXPECT_EQ(r.apst_state, 3);
  EXPECT_EQ(r.latency_tolerance_us, 1200u);
}

TEST(AdaptivePowerOptimizer, ShortGapsKeepApstOff) {
  const auto psd = testing::ClientPowerStates();
  AdaptivePowerOptimizer o;
  for (int i = 0; i < 1000; ++i) {
    o.ObserveIdleGap(1 * kMs);  // shorter than PS3's 71 ms idle time
    o.ObserveElapsed(2 * kMs);
  }
  const PowerRecommendation r = o.Recommend(psd.data(), 4, 100000);
  EXPECT_EQ(r.apst_state, -1);
  EXPECT_EQ(r.latency_tolerance_us, 0u);
  EXPECT_EQ(r.saving_watts, 0.0);
}

TEST(AdaptivePowerOptimizer, OperationalStateFollowsDemand) {
  const auto psd = testing::ClientPowerStates();
  AdaptivePowerOptimizer o;
  for (int i = 0; i < 100; ++i) o.ObserveDemand(0.4);  // 0.48 with headroom: PS2 (0.5625)
  EXPECT_EQ(o.Recommend(psd.data(), 4, 0).operational_state, 2u);
  for (int i = 0; i < 100; ++i) o.ObserveDemand(0.7);  // 0.84: PS1 (0.75) too slow
  EXPECT_EQ(o.Recommend(psd.data(), 4, 0).operational_state, 0u);
  for (int i = 0; i < 100; ++i) o.ObserveDemand(0.6);  // 0.72: PS1
  EXPECT_EQ(o.Recommend(psd.data(), 4, 0).operational_state, 1u);
}

}  // namespace
}  // namespace nvmesim::driver::thermal
