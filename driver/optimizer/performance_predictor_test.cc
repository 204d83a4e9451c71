#include "driver/optimizer/performance_predictor.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace nvmesim::driver::optimizer {
namespace {

// A device with 16-way parallelism; service 20 us + 0.9 us/KiB to read,
// 35 us + 1.6 us/KiB to write.
constexpr double kParallel = 16;
double Service(uint32_t bytes, bool write) {
  const double kib = bytes / 1024.0;
  return write ? 35.0 + 1.6 * kib : 20.0 + 0.9 * kib;
}
double Latency(uint32_t bytes, bool write, uint32_t inflight) {
  return Service(bytes, write) * std::max(1.0, inflight / kParallel);
}

TEST(PerformancePredictor, PredictsClosedLoopWorkloadsWithinTenPercent) {
  boost::random::mt19937 gen(11);
  boost::random::uniform_int_distribution<uint32_t> sz(0, 5), w(0, 1);
  boost::random::uniform_real_distribution<double> jit(0.95, 1.05);
  PerformancePredictor p;
  EXPECT_FALSE(p.Predict(WorkloadDescription{}).valid);
  // Calibration at queue depth 1, then loaded traffic at 8 / 32 / 64.
  for (int i = 0; i < 3000; ++i) {
    const uint32_t bytes = 4096u << sz(gen);
    const bool write = w(gen);
    p.Observe(bytes, write, 1, Latency(bytes, write, 1) * jit(gen));
  }
  for (uint32_t qd : {8u, 32u, 64u}) {
    for (int i = 0; i < 3000; ++i) {
      const uint32_t bytes = 4096u << sz(gen);
      const bool write = w(gen);
      p.Observe(bytes, write, qd, Latency(bytes, write, qd) * jit(gen));
    }
  }
  EXPECT_NEAR(p.parallelism(), kParallel, 1.0);
  struct Case {
    uint32_t bs, qd;
    double rf;
  };
  for (const Case& c : {Case{4096, 1, 1.0}, Case{4096, 32, 0.7}, Case{131072, 8, 0.0},
                        Case{16384, 64, 0.5}, Case{4096, 128, 1.0}}) {
    const double t = c.rf * Service(c.bs, false) + (1 - c.rf) * Service(c.bs, true);
    const double lat = t * std::max(1.0, c.qd / kParallel);
    const double iops = c.qd / lat * 1e6;
    const PerformancePrediction pr = p.Predict(WorkloadDescription{c.bs, c.qd, c.rf});
    ASSERT_TRUE(pr.valid);
    EXPECT_NEAR(pr.iops, iops, 0.1 * iops) << c.bs << " qd " << c.qd;
    EXPECT_NEAR(pr.mean_us, lat, 0.1 * lat);
    EXPECT_GT(pr.p99_us, pr.mean_us);
    EXPECT_LT(pr.p99_us, 1.2 * lat);  // jitter is +-5 %
  }
  PerformancePrediction measured;
  measured.iops = 100000;
  const std::string text =
      FormatPrediction(WorkloadDescription{}, p.Predict(WorkloadDescription{}), &measured);
  EXPECT_NE(text.find("measured:"), std::string::npos);
  EXPECT_NE(text.find("error:"), std::string::npos);
}

}  // namespace
}  // namespace nvmesim::driver::optimizer
