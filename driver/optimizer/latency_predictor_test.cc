#include "driver/optimizer/latency_predictor.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace nvmesim::driver::optimizer {
namespace {

// A device whose latency is linear in queue state and size, with +-10 % jitter.
double Plant(const RequestFeatures& r, double jitter) {
  const double kib = r.bytes / 1024.0;
  return (15.0 + 4.0 * r.queue_outstanding + 0.5 * r.total_outstanding + 0.8 * kib +
          (r.write ? 12.0 + 0.4 * kib : 0.0)) *
         jitter;
}

TEST(LatencyPredictor, LearnsQueueStateAndSize) {
  boost::random::mt19937 gen(3);
  boost::random::uniform_int_distribution<uint32_t> q(0, 31), sz(0, 5), w(0, 3);
  boost::random::uniform_real_distribution<double> jit(0.9, 1.1);
  LatencyPredictor p;
  EXPECT_EQ(p.Predict(RequestFeatures{}).mean_us, 0.0);  // nothing learnt yet
  std::vector<double> ratios;
  for (int i = 0; i < 20000; ++i) {
    RequestFeatures r;
    r.queue_outstanding = q(gen);
    r.total_outstanding = r.queue_outstanding + q(gen);
    r.bytes = 4096u << sz(gen);
    r.write = w(gen) == 0;
    const double y = Plant(r, jit(gen));
    if (i >= 15000) ratios.push_back(y / p.Predict(r).mean_us);
    p.Observe(r, y);
  }
  EXPECT_LT(p.relative_error(), 0.08);  // the jitter alone is +-10 % uniform: 5 % mean
  RequestFeatures probe;
  probe.queue_outstanding = 10;
  probe.total_outstanding = 20;
  probe.bytes = 32768;
  probe.write = true;
  const LatencyPrediction pr = p.Predict(probe);
  EXPECT_NEAR(pr.mean_us, Plant(probe, 1.0), Plant(probe, 1.0) * 0.05);
  // p99 is the tail of observed / predicted: about 1.1 x mean here.
  std::sort(ratios.begin(), ratios.end());
  const double empirical = ratios[ratios.size() * 99 / 100];
  EXPECT_NEAR(pr.p99_us / pr.mean_us, empirical, 0.05);
  EXPECT_GT(pr.p99_us, pr.mean_us);
}

}  // namespace
}  // namespace nvmesim::driver::optimizer

namespace nvmesim::driver::optimizer {
namespace {

TEST(LatencyPredictor, StaysCalibratedAfterALongUnexcitedStretch) {
  // A closed loop: every request sees the same queue state for a long time,
  // so the model's unexcited directions wind up. A small change afterwards
  // (the queue state moves by a few commands, latency the same) must not
  // turn into wild predictions.
  LatencyPredictor p;
  RequestFeatures steady;
  steady.queue_outstanding = steady.total_outstanding = 128;
  for (int i = 0; i < 50000; ++i) p.Observe(steady, i % 2 ? 63.5 : 64.5);
  EXPECT_LT(p.relative_error(), 0.02);
  RequestFeatures moved = steady;
  for (int i = 0; i < 2000; ++i) {
    moved.queue_outstanding = moved.total_outstanding = 124 + i % 8;
    p.Observe(moved, 64.0);
    ASSERT_NEAR(p.Predict(moved).mean_us, 64.0, 16.0) << "after " << i;
  }
  EXPECT_LT(p.relative_error(), 0.05);
}

}  // namespace
}  // namespace nvmesim::driver::optimizer
