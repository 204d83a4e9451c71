#include "driver/thermal/apst_planner.h"

#include <gtest/gtest.h>

#include "driver/thermal/test_power_states.h"

namespace nvmesim::driver::thermal {
namespace {

TEST(ApstPlanner, FiftyTimesTotalLatencyToTheDeepestUsableState) {
  const auto psd = testing::ClientPowerStates();
  const ApstPlan plan = BuildApstPlan(psd.data(), 4, 1, ApstPolicy{});
  ASSERT_TRUE(plan.supported);
  ASSERT_TRUE(plan.enable);
  EXPECT_EQ(plan.cdw11(), 1u);
  // PS3: 210 + 1200 = 1410 us -> 50 x = 70.5 ms -> 71 ms. PS4: 10000 us -> 500 ms.
  for (int s = 0; s <= 2; ++s) {
    EXPECT_EQ(plan.table.entry[s].itps(), 3u) << s;
    EXPECT_EQ(plan.table.entry[s].itpt(), 71u) << s;
  }
  EXPECT_EQ(plan.table.entry[3].itps(), 4u);
  EXPECT_EQ(plan.table.entry[3].itpt(), 500u);
  EXPECT_EQ(plan.table.entry[4].raw, 0u);  // nothing deeper than PS4
  for (int s = 5; s < 32; ++s) EXPECT_EQ(plan.table.entry[s].raw, 0u);
  EXPECT_EQ(plan.deepest_state, 4);
  EXPECT_EQ(plan.max_total_latency_us, 10000u);
  // Raw layout: ITPS bits 7:3, ITPT bits 31:8.
  EXPECT_EQ(plan.table.entry[3].raw, (uint64_t{500} << 8) | (4u << 3));
  EXPECT_EQ(DescribeApstPlan(plan, 4).substr(0, 27), "PS0 -> PS3 after 71 ms idle");
}

TEST(ApstPlanner, LatencyToleranceExcludesSlowStates) {
  const auto psd = testing::ClientPowerStates();
  ApstPolicy p;
  p.max_latency_us = 5000;  // PS4's 8000 us exit is too slow
  ApstPlan plan = BuildApstPlan(psd.data(), 4, 1, p);
  ASSERT_TRUE(plan.enable);
  EXPECT_EQ(plan.table.entry[0].itps(), 3u);
  EXPECT_EQ(plan.table.entry[3].raw, 0u);
  EXPECT_EQ(plan.deepest_state, 3);
  p.max_latency_us = 1000;  // nothing fits
  plan = BuildApstPlan(psd.data(), 4, 1, p);
  EXPECT_TRUE(plan.supported);
  EXPECT_FALSE(plan.enable);
  EXPECT_EQ(plan.cdw11(), 0u);
  for (const auto& e : plan.table.entry) EXPECT_EQ(e.raw, 0u);
}

TEST(ApstPlanner, TimeoutMode) {
  auto psd = testing::ClientPowerStates();
  psd[4].exlat = 50000;  // total 52000 us: beyond the primary tolerance
  ApstPolicy p;
  p.use_timeouts = true;
  const ApstPlan plan = BuildApstPlan(psd.data(), 4, 1, p);
  EXPECT_EQ(plan.table.entry[0].itpt(), 100u);   // PS3 within 15 ms: primary 100 ms
  EXPECT_EQ(plan.table.entry[3].itpt(), 2000u);  // PS4 within 100 ms: secondary 2000 ms
  EXPECT_EQ(plan.table.entry[3].itps(), 4u);
}

TEST(ApstPlanner, UnsupportedWithoutApsta) {
  const auto psd = testing::ClientPowerStates();
  const ApstPlan plan = BuildApstPlan(psd.data(), 4, 0, ApstPolicy{});
  EXPECT_FALSE(plan.supported);
  EXPECT_FALSE(plan.enable);
}

TEST(ApstPlanner, CapsIdleTimeAt24Bits) {
  auto psd = testing::ClientPowerStates();
  psd[4].enlat = 0xFFFFFFFFu;
  psd[4].exlat = 10;
  const ApstPlan plan = BuildApstPlan(psd.data(), 4, 1, ApstPolicy{});
  EXPECT_EQ(plan.table.entry[3].itpt(), (1u << 24) - 1);
}

}  // namespace
}  // namespace nvmesim::driver::thermal
