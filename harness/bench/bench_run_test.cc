#include "harness/bench/bench_run.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "device_model/media/profile_loader.h"
#include "harness/bench/bench_report.h"
#include "tests/support/sim_test.h"

namespace nvmesim::harness {
namespace {

constexpr const char* kSmall = "harness/bench/testdata/small.toml";
constexpr const char* kJobs = "harness/bench/testdata/qd4.fio";

ScenarioSpec SmallScenario(uint64_t namespace_bytes) {
  BenchRequest r;
  r.job_file = kJobs;
  r.profile = kSmall;
  r.namespace_bytes = namespace_bytes;
  return BenchScenario(r);
}

uint64_t SmallUserBytes() {
  device::media::ProfileLoad l = device::media::LoadProfile(kSmall);
  EXPECT_TRUE(l.ok()) << l.error;
  return device::media::DeriveGeometry(l.profile).user_bytes;
}

// Fresh-out-of-box random writes run at the NAND program rate; after a sequential fill the
// same writes reach a steady state slowed by GC: by the write amplification the FTL
// reports, plus GC's own reads on the dies (each relocated unit is read once). Tolerance:
// FOB / steady between 1.0x and 2.0x the steady-state write amplification.
NVMESIM_SIM_TEST(BenchRunTest, PreconditioningReachesASteadyStateSlowerByTheWriteAmplification) {
  const uint64_t ns = SmallUserBytes() >> 20 << 20;
  BenchOptions o;
  o.precondition.enabled = true;
  o.interval_ps = uint64_t{1} * 1000 * 1000 * 1000;  // 1 ms
  const BenchResult r = RunBench(SmallScenario(ns), o);
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_FALSE(r.refused);
  EXPECT_TRUE(r.passed);
  ASSERT_TRUE(r.preconditioned);
  EXPECT_TRUE(r.steady.reached);
  EXPECT_EQ(r.fill_bytes, 2 * (ns / (128 * 1024) * 128 * 1024));
  ASSERT_GE(r.rounds.size(), 6u);  // the FOB round and at least a window of 5
  EXPECT_EQ(r.rounds[0].phase, "fob");
  EXPECT_EQ(r.rounds[0].gc_units, 0u);  // fresh: nothing to relocate
  EXPECT_DOUBLE_EQ(r.rounds[0].WriteAmplification(), 1.0);
  // The window's rounds all relocate data, with a write amplification well above 1.
  for (size_t i = r.steady.first_round + 1; i < r.rounds.size(); ++i) {
    EXPECT_GT(r.rounds[i].gc_units, 0u) << "round " << i;
  }
  EXPECT_GT(r.steady_wa, 2.0);
  const double drop = r.fob_iops / r.steady_iops;
  EXPECT_GT(drop, r.steady_wa * 1.0) << "FOB " << r.fob_iops << " steady " << r.steady_iops;
  EXPECT_LT(drop, r.steady_wa * 2.0) << "FOB " << r.fob_iops << " steady " << r.steady_iops;
  // The knee: GC's first relocation, after the FOB round.
  ASSERT_TRUE(r.knee_interval.has_value());
  ASSERT_TRUE(r.knee_round.has_value());
  EXPECT_GE(*r.knee_round, 1u);
  EXPECT_GT(r.intervals[*r.knee_interval].start_ps, r.rounds[0].end_ps);
  // The time series accounts for every host write and every GC relocation of the run.
  uint64_t writes = 0, gc = 0;
  for (const BenchSample& s : r.intervals) {
    writes += s.write_ios;
    gc += s.gc_units;
    EXPECT_LE(s.LinkUtilisation(false), 1.0);
    EXPECT_LE(s.LinkUtilisation(true), 1.0);
  }
  uint64_t expected_writes = 0;
  for (const BenchSample& s : r.rounds) expected_writes += s.write_ios;
  expected_writes += r.fill_bytes / (128 * 1024);
  for (const JobRecord& j : r.jobs) expected_writes += j.stats.direction(IoDirection::kWrite).ios;
  EXPECT_EQ(writes, expected_writes);
  EXPECT_EQ(gc, r.media.ftl.gc_units);
  // Measured jobs ran after preconditioning.
  ASSERT_EQ(r.jobs.size(), 2u);
  EXPECT_GE(r.jobs[0].stats.start_ps(), r.measure_start_ps / 1000 * 1000);  // the clock is in ns
  EXPECT_EQ(r.jobs[0].completed, 400u);
  std::printf("%s", FormatPreconditionText(r).c_str());
  // The text names the steady state and marks the knee.
  const std::string text = FormatPreconditionText(r);
  EXPECT_NE(text.find("steady state reached"), std::string::npos) << text;
  EXPECT_NE(text.find("<- knee"), std::string::npos) << text;
  const nlohmann::json j = PreconditionJson(r);
  EXPECT_EQ(j["steady_state"]["reached"], true);
  EXPECT_EQ(j["rounds"].size(), r.rounds.size());
  EXPECT_EQ(TimeSeriesJson(r).size(), r.intervals.size());
}

NVMESIM_SIM_TEST(BenchRunTest, WithoutPreconditioningOnlyTheJobsRunOnAFreshDevice) {
  BenchOptions o;
  o.interval_ps = uint64_t{100} * 1000 * 1000;  // 100 us
  const BenchResult r = RunBench(SmallScenario(uint64_t{16} << 20), o);
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_TRUE(r.passed);
  EXPECT_FALSE(r.preconditioned);
  EXPECT_TRUE(r.rounds.empty());
  EXPECT_EQ(r.media.ftl.gc_units, 0u);
  EXPECT_EQ(r.media.ftl.host_units, 400u);
  ASSERT_FALSE(r.intervals.empty());
  uint64_t reads = 0;
  for (const BenchSample& s : r.intervals) {
    EXPECT_EQ(s.phase, "measure");
    reads += s.read_ios;
  }
  EXPECT_EQ(reads, 400u);
  EXPECT_FALSE(r.knee_interval.has_value());
}

NVMESIM_SIM_TEST(BenchRunTest, ANamespaceLargerThanTheMediaIsAnErrorNamingSize) {
  BenchOptions o;
  const BenchResult r = RunBench(SmallScenario(uint64_t{1} << 30), o);
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.error.find("--size"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("user capacity"), std::string::npos) << r.error;
  EXPECT_TRUE(r.refused);  // found before anything ran
  EXPECT_FALSE(r.booted);
}

TEST(ScaleMediaCapacityTest, ScalesToTheRequestedCapacityWithOneProgramUnitPerBlock) {
  device::media::ProfileLoad l = device::media::LoadProfile("scenarios/profiles/target.toml");
  ASSERT_TRUE(l.ok()) << l.error;
  device::media::MediaProfile p = l.profile;
  ASSERT_EQ(ScaleMediaCapacity(p, uint64_t{1} << 30), "");
  EXPECT_EQ(p.nand.pages_per_block, 3u);
  EXPECT_EQ(p.nand.t_erase_ns, 3500000u * 3 / 1152);
  const uint64_t user = device::media::DeriveGeometry(p).user_bytes;
  EXPECT_GE(user, uint64_t{1} << 30);
  EXPECT_LT(user, (uint64_t{1} << 30) + (uint64_t{6} << 20));  // within one superblock
  EXPECT_EQ(p.nand.t_read_ns, l.profile.nand.t_read_ns);
  EXPECT_EQ(p.ftl.over_provisioning, l.profile.ftl.over_provisioning);
}

TEST(ScaleMediaCapacityTest, TooSmallACapacityNamesTheOptionAndTheMinimum) {
  device::media::ProfileLoad l = device::media::LoadProfile("scenarios/profiles/target.toml");
  ASSERT_TRUE(l.ok()) << l.error;
  device::media::MediaProfile p = l.profile;
  const std::string e = ScaleMediaCapacity(p, uint64_t{64} << 20);
  EXPECT_NE(e.find("--media-capacity"), std::string::npos) << e;
  EXPECT_NE(e.find("smallest"), std::string::npos) << e;
  char op[64];  // the over-provisioning as a percentage, not a raw fraction
  std::snprintf(op, sizeof op, "over-provisioning %g %%", p.ftl.over_provisioning * 100);
  EXPECT_NE(e.find(op), std::string::npos) << e;
}

}  // namespace
}  // namespace nvmesim::harness
