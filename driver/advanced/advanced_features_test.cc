// AdvancedFeatures on a booted driver: what runs under which keys, the
// tuning epoch (p99 from the histogram, Set Features 08h when coalescing
// changes), idle / busy and byte accounting.
#include "driver/advanced/advanced_features.h"

#include <gtest/gtest.h>

#include <vector>

#include "driver/testing/driver_rig.h"
#include "spec/opcodes.h"

namespace nvmesim::driver::advanced {
namespace {

using driver::testing::Booted;

TEST(AdvancedOptions, NothingRunsByDefault) {
  AdvancedNvmeConfig cfg;  // thermal_monitoring on, the rest off
  EXPECT_FALSE(AdvancedOptions::FromConfig(cfg, /*device_thermal=*/false).any());
  EXPECT_TRUE(AdvancedOptions::FromConfig(cfg, /*device_thermal=*/true).thermal);
  cfg.ai_optimization_enabled = true;
  const AdvancedOptions o = AdvancedOptions::FromConfig(cfg, false);
  EXPECT_TRUE(o.optimizer);
  EXPECT_FALSE(o.thermal);
  cfg = {};
  cfg.predictive_maintenance = true;  // reads SMART through the thermal manager
  EXPECT_TRUE(AdvancedOptions::FromConfig(cfg, false).thermal);
}

TEST(AdvancedFeatures, EpochOverGoalShortensCoalescingOnTheDevice) {
  Booted b;
  ASSERT_TRUE(b.start_status.ok());
  AdvancedNvmeConfig cfg;
  cfg.thermal_monitoring = false;
  cfg.ai_optimization_enabled = true;
  AdvancedOptions o = AdvancedOptions::FromConfig(cfg, false);
  o.optimizer_settings.goal.p99_target_us = 500;
  o.optimizer_settings.epoch_ns = 10'000'000;
  o.initial_knobs.coalescing_threshold = 31;
  o.initial_knobs.coalescing_time_100us = 20;
  o.initial_knobs.queue_depth = 64;
  AdvancedFeatures adv(*b.ctrl, b.rig.clock, o);
  bool started = false;
  adv.Start([&](spec::Status s) { started = s.ok(); });
  ASSERT_TRUE(started);
  // 1000 commands issued together, then their completions of 1..1000 us: p99
  // is 990 us (> 500 us goal); the n-th saw n on its queue when it was issued.
  std::vector<uint32_t> tokens;
  for (uint32_t i = 1; i <= 1000; ++i) {
    tokens.push_back(adv.OnIssued(b.rig.clock.NowNs(), 1, 4096, false));
  }
  for (uint32_t i = 1; i <= 1000; ++i) {
    adv.OnFinished(b.rig.clock.NowNs(), 1, 4096, false, uint64_t{i} * 1000, tokens[i - 1],
                   spec::Status::Ok());
  }
  b.rig.RunFor(10'000'000);  // the epoch timer fires
  ASSERT_EQ(adv.epochs().size(), 1u);
  EXPECT_NEAR(adv.epochs()[0].metrics.p99_us, 990, 990.0 / 16);
  EXPECT_NEAR(adv.epochs()[0].metrics.mean_us, 500.5, 1e-9);
  EXPECT_NEAR(adv.epochs()[0].metrics.queue_depth, 500.5, 1e-9);
  EXPECT_FALSE(adv.OpenEpoch());                     // nothing since the epoch
  EXPECT_EQ(adv.knobs().coalescing_time_100us, 10);  // halved
  EXPECT_EQ(adv.knobs().queue_depth, 64u);           // depth is not the tuner's here
  const spec::Sqe* set = nullptr;
  for (const auto& r : b.rig.dev.received()) {
    if (r.qid == 0 && r.sqe.opcode == static_cast<uint8_t>(spec::AdminOpcode::kSetFeatures) &&
        (r.sqe.cdw10 & 0xFF) == 0x08) {
      set = &r.sqe;
    }
  }
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->cdw11, 31u | (10u << 8));
  EXPECT_EQ(adv.stats().coalescing_sets, 1u);
  // After a controller reset the tuned setting is programmed again, after
  // the driver's own static one.
  bool reset = false;
  b.ctrl->Reset([&](spec::Status s) { reset = s.ok(); });
  b.rig.RunUntil([&] { return reset; });
  b.rig.RunFor(1'000'000);
  EXPECT_EQ(adv.stats().reinits, 1u);
  EXPECT_EQ(adv.stats().coalescing_sets, 2u);
  std::vector<uint32_t> sets;
  for (const auto& r : b.rig.dev.received()) {
    if (r.qid == 0 && r.sqe.opcode == static_cast<uint8_t>(spec::AdminOpcode::kSetFeatures) &&
        (r.sqe.cdw10 & 0xFF) == 0x08) {
      sets.push_back(r.sqe.cdw11);
    }
  }
  ASSERT_GE(sets.size(), 2u);
  EXPECT_EQ(sets.back(), 31u | (10u << 8));
  adv.Stop();
}

TEST(AdvancedFeatures, AdaptiveSizingHandsTheTunedDepthToTheController) {
  Booted b;
  ASSERT_TRUE(b.start_status.ok());
  AdvancedNvmeConfig cfg;
  cfg.thermal_monitoring = false;
  cfg.ai_optimization_enabled = true;
  cfg.queue_adaptive_sizing = true;
  AdvancedOptions o = AdvancedOptions::FromConfig(cfg, false);
  o.optimizer_settings.goal.p99_target_us = 500;
  o.optimizer_settings.epoch_ns = 10'000'000;
  // No coalescing to take away: over the goal, the tuner cuts the depth.
  o.initial_knobs.coalescing_threshold = 0;
  o.initial_knobs.coalescing_time_100us = 0;
  o.initial_knobs.queue_depth = 64;
  {
    AdvancedFeatures adv(*b.ctrl, b.rig.clock, o);
    adv.Start([](spec::Status) {});
    EXPECT_EQ(b.ctrl->io_depth_limit(), 0u);  // nothing decided yet: no limit
    for (uint32_t i = 1; i <= 1000; ++i) {
      const uint32_t t = adv.OnIssued(b.rig.clock.NowNs(), 1, 4096, false);
      adv.OnFinished(b.rig.clock.NowNs(), 1, 4096, false, uint64_t{i} * 1000, t,
                     spec::Status::Ok());
    }
    b.rig.RunFor(10'000'000);
    ASSERT_EQ(adv.epochs().size(), 1u);
    EXPECT_EQ(adv.knobs().queue_depth, 48u);  // cut by a quarter
    EXPECT_EQ(b.ctrl->io_depth_limit(), 48u);
    EXPECT_EQ(adv.stats().depth_sets, 1u);
    EXPECT_EQ(adv.stats().coalescing_sets, 0u);
    adv.Stop();
    EXPECT_EQ(b.ctrl->io_depth_limit(), 0u);  // the limit ends with the tuner
  }
  // Without queue_adaptive_sizing the same epoch leaves the controller alone.
  cfg.queue_adaptive_sizing = false;
  AdvancedOptions fixed = AdvancedOptions::FromConfig(cfg, false);
  fixed.optimizer_settings.goal = o.optimizer_settings.goal;
  fixed.optimizer_settings.epoch_ns = o.optimizer_settings.epoch_ns;
  fixed.initial_knobs = o.initial_knobs;
  AdvancedFeatures adv(*b.ctrl, b.rig.clock, fixed);
  adv.Start([](spec::Status) {});
  for (uint32_t i = 1; i <= 1000; ++i) {
    const uint32_t t = adv.OnIssued(b.rig.clock.NowNs(), 1, 4096, false);
    adv.OnFinished(b.rig.clock.NowNs(), 1, 4096, false, uint64_t{i} * 1000, t, spec::Status::Ok());
  }
  b.rig.RunFor(10'000'000);
  EXPECT_EQ(b.ctrl->io_depth_limit(), 0u);
  EXPECT_EQ(adv.stats().depth_sets, 0u);
}

TEST(AdvancedFeatures, HooksInstalledOnlyWhileRunning) {
  Booted b;
  AdvancedNvmeConfig cfg;
  cfg.thermal_monitoring = false;
  cfg.machine_learning_enabled = true;
  {
    AdvancedFeatures adv(*b.ctrl, b.rig.clock, AdvancedOptions::FromConfig(cfg, false));
    adv.Start([](spec::Status) {});
    hal::DmaBuffer buf = b.Buffer(1);
    DataSegment seg{buf.bus, 4096};
    BlockRequest r;
    r.op = BlockOp::kWrite;
    r.blocks = 8;
    r.segments = &seg;
    r.segment_count = 1;
    EXPECT_TRUE(b.Do(r).status.ok());
    EXPECT_EQ(adv.stats().requests, 1u);
    EXPECT_EQ(adv.optimizer()->latency().observations(), 1u);
  }
  // Destroyed: the controller runs without hooks.
  BlockRequest f;
  f.op = BlockOp::kFlush;
  EXPECT_TRUE(b.Do(f).status.ok());
}

}  // namespace
}  // namespace nvmesim::driver::advanced
