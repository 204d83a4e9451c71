#include "driver/optimizer/tuner.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

namespace nvmesim::driver::optimizer {
namespace {

// Synthetic plant: a device serving 32 commands at once in 80 us each; the
// host spends 1 us per completion plus 4 us per interrupt; coalescing delays
// completions by half its aggregation time on average.
EpochMetrics Plant(const TunerKnobs& k) {
  const double n = k.queue_depth;
  const double coalesce_us = k.coalescing_time_100us * 100.0 / 2;
  const double mean = 80.0 * std::max(1.0, n / 32) + coalesce_us;
  const double device_iops = n / mean * 1e6;
  const double cpu_iops = 1e6 / (1.0 + 4.0 / (k.coalescing_threshold + 1));
  EpochMetrics m;
  m.iops = std::min(device_iops, cpu_iops);
  m.mean_us = mean;
  m.p99_us = 1.5 * mean + coalesce_us;
  m.interrupts_per_s = m.iops / (k.coalescing_threshold + 1);
  return m;
}

TEST(CoalescingTuner, ReachesALatencyGoalTheDefaultMisses) {
  const TunerKnobs start{7, 5, 256};
  ASSERT_GT(Plant(start).p99_us, 400.0);  // the static default misses the goal
  CoalescingTuner t(TunerGoal{TunerGoalKind::kLatency, 400}, TunerLimits{}, start);
  TunerKnobs k = start;
  int reached = -1;
  for (int e = 0; e < 60; ++e) {
    const EpochMetrics m = Plant(k);
    if (m.p99_us <= 400 && reached < 0) reached = e;
    if (reached >= 0) {
      EXPECT_LE(m.p99_us, 400.0) << "epoch " << e;  // and stays there
    }
    k = t.Decide(m);
  }
  ASSERT_GE(reached, 0);
  EXPECT_LE(reached, 20);
  EXPECT_EQ(k.coalescing_time_100us, 0);
  // Not by starving the device: throughput stays near its 400k IOPS ceiling
  // within what the goal allows.
  EXPECT_GT(Plant(k).iops, 0.9 * 200'000);
  EXPECT_FALSE(t.changes().empty());
  EXPECT_NE(std::string(t.changes().front().reason).find("coalescing time"), std::string::npos);
}

// The same device under a closed-loop load of 256 requests, measured from
// submission to the driver: a software depth limit only moves the wait from
// the device into the driver, so the tail cannot follow the depth.
EpochMetrics ClosedLoopPlant(const TunerKnobs& k) {
  const double served = std::min<double>(k.queue_depth, 32);
  const double iops = served / 80.0 * 1e6;
  EpochMetrics m;
  m.iops = iops;
  m.mean_us = 256 / iops * 1e6;
  m.p99_us = 1.5 * m.mean_us;
  return m;
}

TEST(CoalescingTuner, PutsBackADepthCutThatDidNotLowerTheTail) {
  const TunerKnobs start{0, 0, 256};
  CoalescingTuner t(TunerGoal{TunerGoalKind::kLatency, 400}, TunerLimits{}, start);
  TunerKnobs k = start;
  for (int e = 0; e < 20; ++e) k = t.Decide(ClosedLoopPlant(k));
  EXPECT_EQ(k.queue_depth, 256u);
  ASSERT_EQ(t.changes().size(), 2u);  // one trial cut, one restore, nothing after
  EXPECT_EQ(t.changes()[0].after.queue_depth, 192u);
  EXPECT_NE(std::string(t.changes()[1].reason).find("depth restored"), std::string::npos);
}

// Eight commands in flight on the queue, 20 us each. A threshold the queue
// cannot reach makes every interrupt wait for the aggregation time.
EpochMetrics TimerBoundPlant(const TunerKnobs& k) {
  const bool unreachable = k.coalescing_threshold + 1 > 8;
  EpochMetrics m;
  m.queue_depth = 8.4;  // as the commands saw it when submitted
  m.mean_us = unreachable ? k.coalescing_time_100us * 100.0 : 20.0;
  m.p99_us = m.mean_us * 1.1;
  m.iops = 8 / m.mean_us * 1e6;
  return m;
}

TEST(CoalescingTuner, LowersAThresholdTheQueueCannotReachBeforeTheTime) {
  const TunerKnobs start{31, 20, 64};  // 32 completions / 2 ms
  CoalescingTuner t(TunerGoal{TunerGoalKind::kLatency, 500}, TunerLimits{}, start);
  TunerKnobs k = t.Decide(TimerBoundPlant(start));
  EXPECT_EQ(k.coalescing_threshold, 7);    // 8 completions: what the queue holds
  EXPECT_EQ(k.coalescing_time_100us, 20);  // the time was not what held them
  ASSERT_EQ(t.changes().size(), 1u);
  EXPECT_NE(std::string(t.changes()[0].reason).find("commands in flight"), std::string::npos);
  // Well under goal from there on, and no more coalescing than the queue can fill.
  for (int e = 0; e < 20; ++e) {
    EXPECT_LE(TimerBoundPlant(k).p99_us, 500.0) << "epoch " << e;
    k = t.Decide(TimerBoundPlant(k));
    EXPECT_LE(k.coalescing_threshold, 7) << "epoch " << e;
  }
  // Later changes deepen the queue; none coalesces more than eight.
  for (size_t i = 1; i < t.changes().size(); ++i) {
    EXPECT_EQ(t.changes()[i].after.coalescing_threshold, 7) << t.changes()[i].reason;
  }
}

TEST(CoalescingTuner, ThroughputGoalClimbsToTheCeiling) {
  const TunerKnobs start{0, 0, 4};
  CoalescingTuner t(TunerGoal{TunerGoalKind::kThroughput, 0}, TunerLimits{}, start);
  TunerKnobs k = start;
  for (int e = 0; e < 60 && !t.settled(); ++e) k = t.Decide(Plant(k));
  EXPECT_TRUE(t.settled());
  EXPECT_GE(Plant(k).iops, 0.95 * 400'000);  // coalescing time costs a little latency
  EXPECT_GE(k.queue_depth, 32u);
  EXPECT_GE(k.coalescing_threshold, 1);  // the CPU would cap it at 200k otherwise
  EXPECT_GT(Plant(k).iops, 4 * Plant(start).iops);
}

TEST(CoalescingTuner, RespectsLimits) {
  TunerLimits lim;
  lim.max_depth = 16;
  lim.max_threshold = 0;
  CoalescingTuner t(TunerGoal{TunerGoalKind::kThroughput, 0}, lim, TunerKnobs{0, 0, 4});
  TunerKnobs k{0, 0, 4};
  for (int e = 0; e < 40; ++e) {
    k = t.Decide(Plant(k));
    EXPECT_LE(k.queue_depth, 16u);
    EXPECT_EQ(k.coalescing_threshold, 0);
  }
}

}  // namespace
}  // namespace nvmesim::driver::optimizer
