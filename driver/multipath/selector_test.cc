#include "driver/multipath/selector.h"

#include "gtest/gtest.h"

namespace nvmesim::driver::multipath {
namespace {

PathSelector Make(Policy p, int n) {
  PathSelector s;
  s.SetPolicy(p);
  s.SetPathCount(n);
  for (int i = 0; i < n; ++i) s.slot(i).tier = 0;
  s.Refresh();
  return s;
}

TEST(PathSelector, RoundRobinRotatesAndSkipsExcluded) {
  PathSelector s = Make(Policy::kRoundRobin, 4);
  EXPECT_EQ(s.Select(), 1);
  EXPECT_EQ(s.Select(), 2);
  EXPECT_EQ(s.Select(), 3);
  EXPECT_EQ(s.Select(), 0);
  EXPECT_EQ(s.Select(0b0010), 2);  // 1 excluded
  EXPECT_EQ(s.Select(0b1111), -1);
}

TEST(PathSelector, TiersOptimizedThenNonOptimizedThenNothing) {
  PathSelector s = Make(Policy::kRoundRobin, 3);
  s.slot(0).tier = 1;
  s.slot(1).tier = 2;
  s.slot(2).tier = 0;
  s.Refresh();
  EXPECT_EQ(s.Select(), 2);
  EXPECT_EQ(s.Select(0b100), 0);  // the optimized one is excluded: non-optimized
  s.slot(0).tier = 2;
  s.slot(2).tier = 2;
  s.Refresh();
  EXPECT_EQ(s.Select(), -1);
}

TEST(PathSelector, QueueDepthTakesTheLeastLoaded) {
  PathSelector s = Make(Policy::kQueueDepth, 3);
  s.slot(0).inflight = 5;
  s.slot(1).inflight = 2;
  s.slot(2).inflight = 9;
  EXPECT_EQ(s.Select(), 1);
}

TEST(PathSelector, LatencyLearnsServiceTimeAndProbes) {
  PathSelector s = Make(Policy::kLatency, 2);
  SelectorParams p;
  p.probe_interval = 10;
  s.SetParams(p);
  // Unlearnt paths first.
  s.OnComplete(0, 1000, 0);
  EXPECT_EQ(s.Select(), 1);
  s.OnComplete(1, 2000, 0);
  EXPECT_EQ(s.service_ns(0), 1000u);
  EXPECT_EQ(s.service_ns(1), 2000u);
  int slow = 0;
  for (int i = 0; i < 100; ++i) {
    const int c = s.Select();
    if (c == 1) ++slow;
    if (c == 0)
      s.OnComplete(0, 1000, 0);
    else
      s.OnComplete(1, 2000, 0);
  }
  EXPECT_EQ(slow, 10);  // exactly the probes: 1 in 10
  EXPECT_EQ(s.probes(), 10u);
  // With load on the fast path the predicted latency balances.
  s.slot(0).inflight = 3;  // 1000 * 4 > 2000 * 1
  s.SetParams(SelectorParams{0, -1, 0, 3});
  EXPECT_EQ(s.Select(), 1);
}

TEST(PathSelector, EwmaMovesTowardsNewSamples) {
  PathSelector s = Make(Policy::kLatency, 1);
  s.OnComplete(0, 8000, 0);
  s.OnComplete(0, 16000, 0);  // shift 3: + (16000 - 8000) / 8
  EXPECT_EQ(s.service_ns(0), 9000u);
  s.OnComplete(0, 9000 * 4, 3);  // per-slot: latency / (in flight + 1)
  EXPECT_EQ(s.service_ns(0), 9000u);
}

TEST(PathSelector, PolicyNames) {
  EXPECT_EQ(ParsePolicy("round_robin"), Policy::kRoundRobin);
  EXPECT_EQ(ParsePolicy("queue-depth"), Policy::kQueueDepth);
  EXPECT_EQ(ParsePolicy("latency"), Policy::kLatency);
  EXPECT_EQ(ParsePolicy("numa"), Policy::kNuma);
  EXPECT_FALSE(ParsePolicy("random").has_value());
  EXPECT_STREQ(PolicyName(Policy::kLatency), "latency");
}

}  // namespace
}  // namespace nvmesim::driver::multipath
