#include "device_model/arbiter.h"

#include <gtest/gtest.h>

#include <map>

namespace nvmesim::device {
namespace {

// Serves queues until each has drained; returns the order of grants.
std::vector<int> Drain(Arbiter& a, std::vector<uint32_t> avail, size_t steps) {
  std::vector<int> order;
  for (size_t i = 0; i < steps; ++i) {
    Arbiter::Grant g = a.Select(avail);
    if (g.qid < 0) break;
    const uint32_t n = std::min(avail[g.qid], g.max_commands);
    avail[g.qid] -= n;
    a.Consumed(static_cast<uint16_t>(g.qid), n);
    for (uint32_t k = 0; k < n; ++k) order.push_back(g.qid);
  }
  return order;
}

TEST(Arbiter, RoundRobinAlternatesWithBurstOne) {
  Arbiter a(8);
  a.AddQueue(1, QueuePriority::kMedium);
  a.AddQueue(2, QueuePriority::kMedium);
  a.AddQueue(3, QueuePriority::kMedium);
  const auto order = Drain(a, {0, 2, 2, 2, 0, 0, 0, 0, 0}, 100);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 1, 2, 3}));
}

TEST(Arbiter, BurstLimitsCommandsPerTurn) {
  Arbiter a(4);
  ArbitrationSettings s;
  s.burst_log2 = 1;  // 2 per turn
  a.Configure(s);
  a.AddQueue(1, QueuePriority::kMedium);
  a.AddQueue(2, QueuePriority::kMedium);
  const auto order = Drain(a, {0, 4, 4, 0, 0}, 100);
  EXPECT_EQ(order, (std::vector<int>{1, 1, 2, 2, 1, 1, 2, 2}));
}

TEST(Arbiter, WeightedRoundRobinHonoursWeightsAndUrgent) {
  Arbiter a(8);
  ArbitrationSettings s;
  s.mechanism = 1;
  s.burst_log2 = 0;
  s.high_weight = 3;    // 4 credits
  s.medium_weight = 1;  // 2
  s.low_weight = 0;     // 1
  a.Configure(s);
  a.AddQueue(0, QueuePriority::kUrgent);  // admin
  a.AddQueue(1, QueuePriority::kHigh);
  a.AddQueue(2, QueuePriority::kMedium);
  a.AddQueue(3, QueuePriority::kLow);
  a.AddQueue(4, QueuePriority::kUrgent);
  const auto order = Drain(a, {1, 100, 100, 100, 2, 0, 0, 0, 0}, 21);
  // Admin first, then the urgent queue, then weights 4:2:1.
  ASSERT_GE(order.size(), 17u);
  EXPECT_EQ(order[0], 0);
  EXPECT_EQ(order[1], 4);
  EXPECT_EQ(order[2], 4);
  std::map<int, int> counts;
  for (size_t i = 3; i < 3 + 14; ++i) ++counts[order[i]];
  EXPECT_EQ(counts[1], 8);
  EXPECT_EQ(counts[2], 4);
  EXPECT_EQ(counts[3], 2);
}

TEST(Arbiter, RemovedQueueIsNeverSelected) {
  Arbiter a(4);
  a.AddQueue(1, QueuePriority::kMedium);
  a.AddQueue(2, QueuePriority::kMedium);
  a.RemoveQueue(1);
  const auto order = Drain(a, {0, 5, 1, 0, 0}, 10);
  EXPECT_EQ(order, (std::vector<int>{2}));
}

TEST(Arbiter, LoneQueueIgnoresBurstLimit) {
  Arbiter a(4);
  a.AddQueue(1, QueuePriority::kMedium);
  a.AddQueue(2, QueuePriority::kMedium);
  Arbiter::Grant g = a.Select({0, 10, 0, 0, 0});
  EXPECT_EQ(g.qid, 1);
  EXPECT_EQ(g.max_commands, Arbiter::kUnlimitedBurst);
  g = a.Select({0, 10, 3, 0, 0});
  EXPECT_EQ(g.max_commands, 1u);  // AB = 0: one command while another SQ waits
}

}  // namespace
}  // namespace nvmesim::device
