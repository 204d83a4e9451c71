#include "driver/optimizer/optimizer.h"

#include <gtest/gtest.h>

namespace nvmesim::driver::optimizer {
namespace {

TEST(PerformanceOptimizer, KeysSelectTheModels) {
  AdvancedNvmeConfig c;
  OptimizerSettings s = OptimizerSettings::FromConfig(c);
  EXPECT_FALSE(s.tune || s.predict_latency || s.steering || s.maintenance || s.adaptive_depth);
  c.ai_optimization_enabled = true;
  c.machine_learning_enabled = true;
  c.queue_intelligent_scheduling = true;
  c.predictive_maintenance = true;
  c.real_time_optimization = true;
  s = OptimizerSettings::FromConfig(c);
  EXPECT_TRUE(s.tune && s.predict_latency && s.steering && s.maintenance);
  EXPECT_FALSE(s.adaptive_depth);
  EXPECT_EQ(s.epoch_ns, 100'000'000u);
  EXPECT_EQ(s.limits.max_depth, c.queue_depth);
}

TEST(PerformanceOptimizer, DepthChangesOnlyWithAdaptiveSizing) {
  OptimizerSettings s;
  s.tune = true;
  s.goal = TunerGoal{TunerGoalKind::kLatency, 100};
  const TunerKnobs start{0, 0, 64};
  PerformanceOptimizer fixed(s, start, 4);
  EpochMetrics over;
  over.p99_us = 500;  // over the goal with no coalescing: the tuner wants a shallower queue
  EXPECT_FALSE(fixed.OnEpoch(over).has_value());
  s.adaptive_depth = true;
  PerformanceOptimizer adaptive(s, start, 4);
  const auto k = adaptive.OnEpoch(over);
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->queue_depth, 48u);
  const std::string text = adaptive.FormatTuning(start);
  EXPECT_NE(text.find("p99 <= 100 us"), std::string::npos) << text;
  EXPECT_NE(text.find("depth 64"), std::string::npos) << text;
  EXPECT_NE(text.find("shallower queue"), std::string::npos) << text;
}

TEST(PerformanceOptimizer, SteeringAndMaintenanceFollowTheirKeys) {
  OptimizerSettings s;
  PerformanceOptimizer off(s, TunerKnobs{}, 2);
  Candidate c[2];
  c[0].outstanding = 50;
  EXPECT_EQ(off.ChooseQueue(c, 2), 0u);  // no steering: first usable queue
  EXPECT_EQ(off.OnHealthSample(HealthSample{}), nullptr);
  s.steering = true;
  s.maintenance = true;
  PerformanceOptimizer on(s, TunerKnobs{}, 2);
  EXPECT_EQ(on.ChooseQueue(c, 2), 1u);
  EXPECT_NE(on.OnHealthSample(HealthSample{}), nullptr);
  EXPECT_NE(
      on.FormatPredictiveStats().find("predictive maintenance: 1 sample (a trend needs more)"),
      std::string::npos)
      << on.FormatPredictiveStats();
  EXPECT_NE(on.OnHealthSample(HealthSample{}), nullptr);
  EXPECT_NE(on.FormatPredictiveStats().find("predictive maintenance: 2 samples\n"),
            std::string::npos)
      << on.FormatPredictiveStats();
}

}  // namespace
}  // namespace nvmesim::driver::optimizer
