#include "harness/report/fio_output.h"
#include "harness/version.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nvmesim::harness {
namespace {

JobStats SampleJob() {
  JobStats j("randrw");
  j.options["rw"] = "randrw";
  j.Start(1'000'000);                          // 1 us
  j.Finish(1'000'000 + 2'000'000'000'000ull);  // + 2 s
  for (int i = 0; i < 2000; ++i) j.Record(IoDirection::kRead, 4096, 10'000 + i, spec::Status());
  for (int i = 0; i < 1000; ++i) j.Record(IoDirection::kWrite, 8192, 20'000, spec::Status());
  j.Record(IoDirection::kRead, 4096, 5, spec::GenericStatus::kLbaOutOfRange);
  j.Record(IoDirection::kRead, 4096, 5, spec::Status(spec::GenericStatus::kLbaOutOfRange, true));
  return j;
}

TEST(JobStats, RatesInSimulatedTime) {
  JobStats j = SampleJob();
  EXPECT_EQ(j.runtime_ps(), 2'000'000'000'000ull);
  EXPECT_DOUBLE_EQ(j.Iops(IoDirection::kRead), 1000.0);
  EXPECT_DOUBLE_EQ(j.BandwidthBytesPerSecond(IoDirection::kWrite), 4096000.0);
  EXPECT_EQ(j.direction(IoDirection::kRead).errors, 2u);
  // DNR does not split the count: both are the same status.
  EXPECT_EQ(j.direction(IoDirection::kRead).errors_by_status.at("LBA Out of Range (0/0x80)"), 2u);
  EXPECT_EQ(j.direction(IoDirection::kRead).clat.count(), 2000u);  // errors are not latencies
  JobStats k = SampleJob();
  k.Merge(j);
  EXPECT_EQ(k.jobs(), 2u);
  EXPECT_EQ(k.direction(IoDirection::kWrite).ios, 2000u);
  EXPECT_DOUBLE_EQ(k.Iops(IoDirection::kWrite), 1000.0);
}

TEST(FioJson, HasFiosKeysAndValues) {
  RunSummary run{"default", 7, "approximate", 3'000'000'000'000ull, "0123456789abcdef", 42};
  nlohmann::json j = FioJson({SampleJob()}, run);
  // Round trip through text, as tools read it.
  j = nlohmann::json::parse(j.dump());
  EXPECT_EQ(j["fio version"], std::string("nvmesim-") + kVersion);
  ASSERT_EQ(j["jobs"].size(), 1u);
  const nlohmann::json& job = j["jobs"][0];
  EXPECT_EQ(job["jobname"], "randrw");
  EXPECT_EQ(job["groupid"], 0);
  EXPECT_EQ(job["job options"]["rw"], "randrw");
  EXPECT_DOUBLE_EQ(job["read"]["iops"].get<double>(), 1000.0);
  EXPECT_EQ(job["read"]["bw_bytes"].get<uint64_t>(), 4096000u);
  EXPECT_EQ(job["read"]["bw"].get<uint64_t>(), 4000u);  // KiB/s
  EXPECT_EQ(job["read"]["io_bytes"].get<uint64_t>(), 2000u * 4096);
  EXPECT_EQ(job["read"]["total_ios"].get<uint64_t>(), 2000u);
  EXPECT_EQ(job["read"]["runtime"].get<uint64_t>(), 2000u);  // ms
  const nlohmann::json& clat = job["read"]["clat_ns"];
  for (const char* key : {"min", "max", "mean", "stddev", "N", "percentile"})
    EXPECT_TRUE(clat.contains(key)) << key;
  EXPECT_EQ(clat["min"].get<uint64_t>(), 10000u);
  EXPECT_EQ(clat["max"].get<uint64_t>(), 11999u);
  for (const char* key : {"1.000000", "50.000000", "99.000000", "99.990000"}) {
    ASSERT_TRUE(clat["percentile"].contains(key)) << key;
  }
  EXPECT_NEAR(clat["percentile"]["50.000000"].get<double>(), 11000, 11000 / 256.0);
  EXPECT_TRUE(job["read"].contains("lat_ns"));
  EXPECT_TRUE(job["read"].contains("slat_ns"));
  EXPECT_EQ(job["write"]["clat_ns"]["percentile"]["99.000000"].get<uint64_t>(), 20000u);
  EXPECT_EQ(job["trim"]["total_ios"].get<uint64_t>(), 0u);
  EXPECT_FALSE(job["trim"]["clat_ns"].contains("percentile"));
  EXPECT_EQ(job["error"], 5);
  EXPECT_EQ(job["read"]["nvmesim_errors_by_status"]["LBA Out of Range (0/0x80)"], 2);
  EXPECT_EQ(j["nvmesim"]["trace_hash"], "0123456789abcdef");
  // Reads at 10.000-11.999 us, writes at 20 us: all in the 10 and 20 us buckets, the writes
  // (exactly 20 us) in the 20 us one.
  const nlohmann::json& lus = job["latency_us"];
  double sum = 0;
  for (const auto& [k, v] : lus.items()) sum += v.get<double>();
  EXPECT_NEAR(sum, 100.0, 1e-9);
  EXPECT_NEAR(lus["10"].get<double>() + lus["20"].get<double>(), 100.0, 1e-9);
  EXPECT_GE(lus["20"].get<double>(), 90.0);
  EXPECT_NEAR(lus["50"].get<double>(), 0.0, 1e-9);
  EXPECT_NEAR(job["latency_ns"]["1000"].get<double>(), 0.0, 1e-9);
  EXPECT_TRUE(job["latency_ms"].contains(">=2000"));
  EXPECT_EQ(FioPercentileKey(99.95), "99.950000");
}

// One direction's clat lines for latencies `ns`.
std::string ClatText(const std::vector<uint64_t>& ns) {
  JobStats j("u");
  j.Start(0);
  j.Finish(1'000'000'000'000ull);
  for (uint64_t v : ns) j.Record(IoDirection::kRead, 4096, v, spec::Status());
  return FormatFioText({j}, RunSummary{"u", 1, "approximate", 1'000'000'000'000ull, "0", 0});
}

TEST(FioText, ChoosesUnitsAsFioDoes) {
  // usec once min > 2 us, max > 99.999 us and the deviation > 1 us; truncated like fio.
  std::string t = ClatText({150'000, 250'999, 400'000});
  EXPECT_NE(t.find("clat (usec): min=150, max=400, avg=267.00"), std::string::npos) << t;
  EXPECT_NE(t.find("clat percentiles (usec):"), std::string::npos) << t;
  // msec at a thousand times that.
  t = ClatText({3'000'000, 50'000'000, 150'000'000});
  EXPECT_NE(t.find("clat (msec): min=3, max=150, avg=67.67"), std::string::npos) << t;
  EXPECT_NE(t.find("clat percentiles (msec):"), std::string::npos) << t;
  // A 1 us minimum beside a 22 ms maximum keeps nsec: min=0 (msec) would lose it.
  t = ClatText({1'000, 12'000, 22'000'000});
  EXPECT_NE(t.find("clat (nsec): min=1000, max=22000000,"), std::string::npos) << t;
  EXPECT_NE(t.find("clat percentiles (nsec):"), std::string::npos) << t;
}

TEST(FioText, LooksLikeFio) {
  RunSummary run{"default", 7, "approximate", 3'000'000'000'000ull, "0123456789abcdef", 42};
  std::string t = FormatFioText({SampleJob()}, run);
  EXPECT_NE(t.find("randrw: (groupid=0, jobs=1): err= 2:"), std::string::npos) << t;
  EXPECT_NE(t.find("  read: IOPS=1000, BW=3.91MiB/s (4.10MB/s)(7.81MiB/2000msec)"),
            std::string::npos)
      << t;
  // 10.0-12.0 us: under fio's 99,999 ns maximum for usec, so nsec as fio prints it.
  EXPECT_NE(t.find("    clat (nsec): min=10000, max=11999, avg=10999.50, stdev=577.35"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("clat percentiles (nsec):"), std::string::npos);
  EXPECT_NE(t.find("99.00th=["), std::string::npos);
  EXPECT_NE(t.find("errors: LBA Out of Range (0/0x80) x2"), std::string::npos) << t;
  EXPECT_NE(t.find("Run status group 0 (all jobs):"), std::string::npos);
  EXPECT_NE(t.find("trace hash 0123456789abcdef (42 events)"), std::string::npos);
  EXPECT_EQ(FormatFioCount(999), "999");
  EXPECT_EQ(FormatFioCount(25100), "25.1k");
  EXPECT_EQ(FormatFioCount(1234567), "1235k");
  EXPECT_EQ(FormatFioCount(2.0e7), "20.0M");
}

}  // namespace
}  // namespace nvmesim::harness
