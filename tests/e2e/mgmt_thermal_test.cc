// The thermal, optimizer and maintenance management commands through the
// whole stack.
#include <cmath>
#include <cstdio>
#include <string>

#include "harness/mgmt_command.h"
#include "harness/scenario/scenario_spec.h"
#include "tests/support/sim_test.h"

namespace nvmesim::harness {
namespace {

// Static coalescing that holds completions 2 ms: the tuner must shorten it.
constexpr const char* kScenario = R"(
[scenario]
name = "mgmt-thermal"
time_limit = "5s"
[[controller]]
name = "ctrl0"
[[namespace]]
nsid = 1
size = "64MiB"
[advanced_nvme]
advanced_power_management = true
[driver]
coalescing_completions = 32
coalescing_time = "2ms"
[thermal]
ambient_kelvin = 308
poll_interval = "10ms"
)";

// No coalescing: completions as they come.
constexpr const char* kPlain = R"(
[scenario]
name = "mgmt-plain"
time_limit = "5s"
[[controller]]
name = "ctrl0"
[[namespace]]
nsid = 1
size = "64MiB"
)";

MgmtResult Run(MgmtRequest r, const char* scenario = kScenario) {
  return RunMgmtCommand(ParseScenario(scenario, "mgmt-thermal.toml"), r);
}

NVMESIM_SIM_TEST(MgmtThermalTest, AiOptimizeMatchesCoalescingToTheQueueAndMeetsTheGoal) {
  MgmtRequest r;
  r.command = "nvme-ai-optimize";
  r.workload.queue_depth = 4;
  r.workload.ios = 4000;
  r.workload.target_p99_us = 500;
  MgmtResult m = Run(r);
  EXPECT_TRUE(m.ok) << m.error << m.text;
  EXPECT_NE(m.text.find("goal: p99 <= 500 us"), std::string::npos) << m.text;
  // The static 32 completions / 2 ms never fill at QD 4: every interrupt waited
  // for the timer. The first change brings the threshold to the queue.
  EXPECT_NE(m.text.find("2000 us -> depth"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("threshold above the commands in flight"), std::string::npos) << m.text;
  EXPECT_EQ(m.text.find("changes applied: 0"), std::string::npos) << m.text;
  const size_t at = m.text.find("after the last epoch: ");
  ASSERT_NE(at, std::string::npos) << m.text;
  const size_t p99 = m.text.find("p99 ", at);
  ASSERT_NE(p99, std::string::npos) << m.text;
  EXPECT_LT(std::stod(m.text.substr(p99 + 4)), 500.0) << m.text;
}

NVMESIM_SIM_TEST(MgmtThermalTest, AdaptiveTunePrintsEpochs) {
  MgmtRequest r;
  r.command = "nvme-adaptive-tune";
  r.workload.queue_depth = 4;
  r.workload.ios = 30000;
  r.workload.goal = "latency";
  r.workload.target_p99_us = 500;
  MgmtResult m = Run(r);
  EXPECT_TRUE(m.ok) << m.error << m.text;
  EXPECT_NE(m.text.find("epoch   time(ms)"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("    1 "), std::string::npos) << m.text;  // at least two epochs
}

NVMESIM_SIM_TEST(MgmtThermalTest, PerformancePredictReportsPredictionMeasurementAndError) {
  MgmtRequest r;
  r.command = "nvme-performance-predict";
  r.workload.block_bytes = 4096;
  r.workload.queue_depth = 1;
  r.workload.read_percent = 0;
  r.workload.ios = 2000;
  MgmtResult m = Run(r, kPlain);
  EXPECT_TRUE(m.ok) << m.error << m.text;
  // The measured figures are those of the last 5 rounds, each at least
  // 2000 / 5 I/Os (about 1 ms at the predicted rate, 1000 to 4000).
  const size_t steady = m.text.find("measurement: steady after ");
  ASSERT_NE(steady, std::string::npos) << m.text;
  const size_t of = m.text.find("rounds of ", steady);
  ASSERT_NE(of, std::string::npos) << m.text;
  const unsigned long round = std::stoul(m.text.substr(of + 10));
  EXPECT_GE(round, 1000u) << m.text;
  EXPECT_LE(round, 4000u) << m.text;
  EXPECT_NE(m.text.find("figures over the last " + std::to_string(5 * round) + " I/Os"),
            std::string::npos)
      << m.text;
  const size_t at = m.text.find("error:     IOPS ");
  ASSERT_NE(at, std::string::npos) << m.text;
  // At queue depth 1 the model is the measured service time: within 10 %.
  const double error = std::stod(m.text.substr(at + 16));
  EXPECT_LT(std::abs(error), 10.0) << m.text;
}

// A depth between two rungs of the calibration ladder (32 and 64), a mix of
// reads and writes: the prediction interpolates the learnt depth profile.
NVMESIM_SIM_TEST(MgmtThermalTest, PerformancePredictInterpolatesBetweenCalibrationDepths) {
  MgmtRequest r;
  r.command = "nvme-performance-predict";
  r.workload.block_bytes = 4096;
  r.workload.queue_depth = 48;
  r.workload.read_percent = 70;
  r.workload.ios = 4000;
  MgmtResult m = Run(r, kPlain);
  EXPECT_TRUE(m.ok) << m.error << m.text;
  EXPECT_NE(m.text.find("at QD 1, 2, 4, 8, 16, 32, 64, 128, 256;"), std::string::npos) << m.text;
  // Both sides are the workload's steady state on a defined device: the
  // active range (here the whole 64 MiB namespace) written first, the write
  // buffer preconditioned before every phase (there are writes), then
  // rounds until the SNIA criterion holds.
  EXPECT_NE(m.text.find("meaning: steady state at this workload on an active range of the first "
                        "64 MiB, written in full first"),
            std::string::npos)
      << m.text;
  EXPECT_NE(m.text.find("MiB of 128 KiB preconditioning writes"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("preconditioning I/Os: 512 fill + "), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("measurement: steady after "), std::string::npos) << m.text;
  // The profile at 48 comes from learnt depths either side, never from 48
  // itself (refinement rungs included).
  const size_t prof = m.text.find("depth profile at QD 48 (from QD ");
  ASSERT_NE(prof, std::string::npos) << m.text;
  double lower = 0, upper = 0;
  ASSERT_EQ(std::sscanf(m.text.c_str() + prof, "depth profile at QD 48 (from QD %lf and %lf)",
                        &lower, &upper),
            2)
      << m.text;
  EXPECT_LT(lower, 47.5) << m.text;
  EXPECT_GT(upper, 48.5) << m.text;
  const size_t at = m.text.find("error:     IOPS ");
  ASSERT_NE(at, std::string::npos) << m.text;
  const double iops_error = std::stod(m.text.substr(at + 16));
  const size_t p99 = m.text.find("p99 ", at);
  ASSERT_NE(p99, std::string::npos) << m.text;
  const double p99_error = std::stod(m.text.substr(p99 + 4));
  EXPECT_LT(std::abs(iops_error), 10.0) << m.text;
  EXPECT_LT(std::abs(p99_error), 10.0) << m.text;
}

NVMESIM_SIM_TEST(MgmtThermalTest, PredictiveStatsOnAHealthyDrive) {
  MgmtRequest r;
  r.command = "nvme-predictive-stats";
  r.workload.ios = 2000;
  MgmtResult m = Run(r);
  EXPECT_TRUE(m.ok) << m.error << m.text;
  EXPECT_NE(m.text.find("predictive maintenance:"), std::string::npos) << m.text;
  EXPECT_EQ(m.text.find("first warning"), std::string::npos) << m.text;
}

NVMESIM_SIM_TEST(MgmtThermalTest, ThermalStatsGoThroughTheThermalManager) {
  MgmtRequest r;
  r.command = "nvme-thermal-stats";
  r.load = true;
  r.workload.ios = 3000;
  MgmtResult m = Run(r);
  EXPECT_TRUE(m.ok) << m.error << m.text;
  EXPECT_NE(m.text.find("thermal statistics for nvme0"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("APST:"), std::string::npos) << m.text;  // the programmed table
  EXPECT_NE(m.text.find("device: throttled"), std::string::npos) << m.text;
}

NVMESIM_SIM_TEST(MgmtThermalTest, BadArgumentsNameTheOption) {
  MgmtRequest r;
  r.command = "nvme-performance-predict";
  r.workload.block_bytes = 1000;
  EXPECT_NE(Run(r).error.find("--bs 1000: expected a multiple"), std::string::npos);
  r.workload.block_bytes = 4096;
  r.workload.queue_depth = 0;
  EXPECT_NE(Run(r).error.find("--qd 0: expected 1..1024"), std::string::npos);
  r.workload.queue_depth = 8;
  r.workload.read_percent = 101;
  EXPECT_NE(Run(r).error.find("--read-pct 101"), std::string::npos);
  r.workload.read_percent = 50;
  r.command = "nvme-adaptive-tune";
  r.workload.goal = "fast";
  EXPECT_NE(Run(r).error.find("--goal fast: expected latency or throughput"), std::string::npos);
}

}  // namespace
}  // namespace nvmesim::harness
