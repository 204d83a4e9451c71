#include "harness/bench/latency_breakdown.h"

#include <gtest/gtest.h>

#include "tests/support/sim_test.h"

namespace nvmesim::harness {
namespace {

BenchResult RunQd1(const char* profile) {
  BenchRequest rq;
  rq.job_file = "harness/bench/testdata/qd1.fio";
  rq.profile = profile;
  rq.namespace_bytes = uint64_t{1} << 30;
  BenchOptions o;
  o.record_events = true;
  return RunBench(BenchScenario(rq), o);
}

void CheckBreakdown(const BenchResult& r) {
  ASSERT_TRUE(r.error.empty()) << r.error;
  const std::vector<LatencyBreakdown> all = BreakDownLatency(r);
  std::printf("%s", FormatLatencyBreakdown(all).c_str());
  ASSERT_EQ(all.size(), 2u);  // randread (read), randwrite (write)
  for (const LatencyBreakdown& b : all) {
    // At most the first request is left out (the driver's admin commands overlap it); the mean
    // then moves by well under 0.5 %.
    EXPECT_GE(b.requests, 199u) << b.job;
    EXPECT_EQ(b.requests + b.skipped, 200u) << b.job;
    ASSERT_EQ(b.rows.size(), 11u);
    double sum = 0;
    for (const BreakdownRow& row : b.rows) sum += row.mean_ns;
    EXPECT_NEAR(sum, b.mean_latency_ns, 1e-6) << b.job;
    // Only the rows that end or start at the job's ns clock may dip below zero, by its rounding.
    for (size_t k = 1; k + 1 < b.rows.size(); ++k) EXPECT_GE(b.rows[k].mean_ns, 0.0) << k;
    EXPECT_GT(b.rows.back().mean_ns, -1.0);
    // The mean the breakdown explains is the one the job measured.
    const JobRecord& job = b.job == "randread" ? r.jobs[0] : r.jobs[1];
    const IoDirection d = b.op == IoOp::kRead ? IoDirection::kRead : IoDirection::kWrite;
    EXPECT_NEAR(b.mean_latency_ns, job.stats.direction(d).clat.mean(),
                job.stats.direction(d).clat.mean() * 0.005)
        << b.job;
    if (b.skipped == 0) {
      EXPECT_NEAR(b.mean_latency_ns, job.stats.direction(d).clat.mean(), 1e-6) << b.job;
    }
    // Every hop before the callback takes time forward, and the link hops take time.
    for (size_t k = 0; k + 1 < b.rows.size(); ++k)
      EXPECT_GE(b.rows[k].mean_ns, 0) << b.rows[k].stage;
    EXPECT_GT(b.rows[2].mean_ns, 10) << "link down";
    EXPECT_GT(b.rows[4].mean_ns, 50) << "SQE fetch round trip";
    EXPECT_GT(b.rows[9].mean_ns, 10) << "CQE + MSI-X";
  }
}

NVMESIM_SIM_TEST(LatencyBreakdownTest, RowsAddUpToTheMeasuredMeanOnTheTargetProfile) {
  const BenchResult r = RunQd1("scenarios/profiles/target.toml");
  CheckBreakdown(r);
  // The target's firmware runs 2,000 / 1,800 cycles at 1 GHz per read / write (QD 1: no wait
  // for a core); reads of unwritten blocks cost nothing more, a write adds its DRAM copy
  // (4 KiB at 25.6 GB/s = 160 ns).
  const std::vector<LatencyBreakdown> all = BreakDownLatency(r);
  EXPECT_NEAR(all[0].rows[6].mean_ns, 2000, 1e-6);
  EXPECT_NEAR(all[1].rows[6].mean_ns, 1800, 1e-6);
  EXPECT_NEAR(all[0].rows[7].mean_ns, 0, 1e-6);
  EXPECT_GE(all[1].rows[7].mean_ns, 160);
}

NVMESIM_SIM_TEST(LatencyBreakdownTest, WithZeroCostMediaTheMediaRowIsZero) {
  BenchRequest rq;
  rq.job_file = "harness/bench/testdata/qd1.fio";
  rq.namespace_bytes = uint64_t{1} << 30;
  BenchOptions o;
  o.record_events = true;
  const BenchResult r = RunBench(BenchScenario(rq), o);
  CheckBreakdown(r);
  for (const LatencyBreakdown& b : BreakDownLatency(r)) {
    EXPECT_EQ(b.rows[6].mean_ns, 0);
    EXPECT_EQ(b.rows[7].mean_ns, 0);
  }
}

TEST(LatencyBreakdownTest, OverlappingRequestsAreSkipped) {
  BenchResult r;
  r.requests = {{"j", IoOp::kRead, 0, 5000, true}, {"j", IoOp::kRead, 1000, 6000, true}};
  const std::vector<LatencyBreakdown> all = BreakDownLatency(r);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].requests, 0u);
  EXPECT_EQ(all[0].skipped, 2u);
}

}  // namespace
}  // namespace nvmesim::harness
