#include <gtest/gtest.h>

#include "harness/scenario/diagnostic.h"
#include "harness/scenario/units.h"
#include "harness/workload/job_spec.h"

namespace nvmesim::harness {
namespace {

Diagnostic FioError(const std::string& text) {
  try {
    ParseFioJobFile(text, "jobs/x.fio");
  } catch (const ScenarioError& e) {
    return e.diagnostic();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

TEST(FioJobFile, GlobalSectionsApplyToLaterJobs) {
  std::vector<JobSpec> jobs = ParseFioJobFile(R"(; comment
[global]
ioengine=libaio
direct=1
bs=4k
iodepth=32
verify=crc32c

[reader]
rw=randread
random_distribution=zipf:1.2
# another comment
[global]
iodepth=8

[mixer]
rw=randrw
rwmixread=70
bssplit=4k/50:64k/30:128k/
number_ios=20000
runtime=30
time_based
fsync=16
)",
                                              "jobs/x.fio");
  ASSERT_EQ(jobs.size(), 2u);
  const JobSpec& r = jobs[0];
  EXPECT_EQ(r.name, "reader");
  EXPECT_EQ(r.line, 9);
  EXPECT_EQ(r.rw, RwMode::kRandRead);
  EXPECT_EQ(r.bs, 4096u);
  EXPECT_EQ(r.iodepth, 32u);
  EXPECT_EQ(r.verify, VerifyMode::kCrc32c);
  EXPECT_EQ(r.distribution, DistributionKind::kZipf);
  EXPECT_DOUBLE_EQ(r.distribution_param, 1.2);
  EXPECT_EQ(r.ignored.at("ioengine"), "libaio");
  const JobSpec& m = jobs[1];
  EXPECT_EQ(m.iodepth, 8u);  // the second [global] applies from here on
  EXPECT_EQ(m.rw, RwMode::kRandRw);
  EXPECT_EQ(m.rwmixread, 70u);
  ASSERT_EQ(m.bssplit.size(), 3u);
  EXPECT_EQ(m.bssplit[1].bytes, 65536u);
  EXPECT_EQ(m.bssplit[2].bytes, 131072u);
  EXPECT_EQ(m.bssplit[2].percent, 20u);  // blank takes what is left
  EXPECT_EQ(m.number_ios, 20000u);
  EXPECT_EQ(m.runtime_ps, 30 * kPsPerSecond);
  EXPECT_TRUE(m.time_based);
  EXPECT_EQ(m.fsync, 16u);
  EXPECT_EQ(m.MinBlockSize(), 4096u);
  EXPECT_EQ(m.MaxBlockSize(), 131072u);
}

TEST(FioJobFile, OptionsWithValues) {
  JobSpec j;
  EXPECT_EQ(ApplyFioOption(j, "size", "50%"), "");
  EXPECT_EQ(j.size_percent, 50u);
  EXPECT_EQ(ApplyFioOption(j, "offset", "1GiB"), "");
  EXPECT_EQ(j.offset, 1ull << 30);
  EXPECT_EQ(ApplyFioOption(j, "verify_pattern", "0xdeadbeef"), "");
  EXPECT_EQ(j.verify, VerifyMode::kPattern);
  EXPECT_EQ(j.verify_pattern, (std::vector<uint8_t>{0xde, 0xad, 0xbe, 0xef}));
  EXPECT_EQ(ApplyFioOption(j, "verify_pattern", "\"ab\""), "");
  EXPECT_EQ(j.verify_pattern, (std::vector<uint8_t>{'a', 'b'}));
  EXPECT_EQ(ApplyFioOption(j, "rwmixwrite", "30"), "");
  EXPECT_EQ(j.rwmixread, 70u);
  EXPECT_EQ(ApplyFioOption(j, "random_distribution", "pareto:0.2"), "");
  EXPECT_EQ(j.distribution, DistributionKind::kPareto);
  EXPECT_EQ(ApplyFioOption(j, "random_distribution", "normal:5"), "");
  EXPECT_EQ(j.distribution, DistributionKind::kNormal);
  EXPECT_EQ(ApplyFioOption(j, "zonemode", "zbd"), "");
  EXPECT_EQ(ApplyFioOption(j, "zone_append", "1"), "");
  EXPECT_TRUE(j.zone_append);
  EXPECT_EQ(ApplyFioOption(j, "runtime", "250ms"), "");
  EXPECT_EQ(j.runtime_ps, 250 * kPsPerMs);
  EXPECT_EQ(CheckJobOptions(j), "");

  EXPECT_NE(ApplyFioOption(j, "random_distribution", "zipf:1"), "");
  EXPECT_NE(ApplyFioOption(j, "random_distribution", "pareto:1.5"), "");
  EXPECT_NE(ApplyFioOption(j, "random_distribution", "zoned:50/5"), "");
  EXPECT_NE(ApplyFioOption(j, "bs", "4k,8k"), "");
  EXPECT_NE(ApplyFioOption(j, "bssplit", "4k/50:8k/60"), "");
  EXPECT_NE(ApplyFioOption(j, "bssplit", "4k/50:8k/40"), "");
  EXPECT_NE(ApplyFioOption(j, "rwmixread", "101"), "");
  EXPECT_NE(ApplyFioOption(j, "iodepth", "0"), "");
  EXPECT_NE(ApplyFioOption(j, "iodepth", "65537"), "");
  EXPECT_NE(ApplyFioOption(j, "verify", "md5"), "");
  EXPECT_NE(ApplyFioOption(j, "rw", "randread:8"), "");
  EXPECT_NE(ApplyFioOption(j, "size", "0"), "");

  JobSpec k;
  k.zone_append = true;
  EXPECT_NE(CheckJobOptions(k).find("zonemode=zbd"), std::string::npos);
  k = JobSpec();
  k.time_based = true;
  EXPECT_NE(CheckJobOptions(k).find("runtime"), std::string::npos);
}

TEST(FioJobFile, OptionsForReports) {
  JobSpec j;
  ASSERT_EQ(ApplyFioOption(j, "rw", "randrw"), "");
  ASSERT_EQ(ApplyFioOption(j, "rwmixread", "70"), "");
  ASSERT_EQ(ApplyFioOption(j, "random_distribution", "zipf:1.2"), "");
  ASSERT_EQ(ApplyFioOption(j, "runtime", "2s"), "");
  std::map<std::string, std::string> o = JobOptionsForReport(j);
  EXPECT_EQ(o.at("rw"), "randrw");
  EXPECT_EQ(o.at("bs"), "4096");
  EXPECT_EQ(o.at("rwmixread"), "70");
  EXPECT_EQ(o.at("random_distribution"), "zipf:1.2");
  EXPECT_EQ(o.at("runtime"), "2 s");
  EXPECT_EQ(o.count("verify"), 0u);
}

TEST(FioJobFile, ErrorsNameFileLineAndOption) {
  Diagnostic d = FioError("[global]\nbs=4k\n\n[job1]\nrw=randread\niodepht=32\n");
  EXPECT_EQ(d.file, "jobs/x.fio");
  EXPECT_EQ(d.line, 6);
  EXPECT_EQ(d.key, "[job1] iodepht");
  EXPECT_NE(d.message.find("unknown or unsupported fio option \"iodepht\" (did you mean "
                           "\"iodepth\"?)"),
            std::string::npos)
      << d.message;
  EXPECT_NE(d.message.find("iodepth"), std::string::npos);  // lists what is supported

  d = FioError("[job1]\nrw=sideways\n");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.key, "[job1] rw");
  EXPECT_NE(d.message.find("randrw"), std::string::npos);

  d = FioError("bs=4k\n[job1]\n");
  EXPECT_EQ(d.line, 1);
  EXPECT_NE(d.message.find("outside any section"), std::string::npos);

  d = FioError("[global]\nbs=4k\n");
  EXPECT_NE(d.message.find("no job section"), std::string::npos);

  d = FioError("[a]\nrw=read\n[a]\n");
  EXPECT_EQ(d.line, 3);

  d = FioError("[a]\nzone_append=1\n[b]\n");
  EXPECT_EQ(d.line, 1);
  EXPECT_EQ(d.key, "[a]");

  d = FioError("[a]\ninclude other.fio\n");
  EXPECT_EQ(d.line, 2);
  EXPECT_NE(d.message.find("include"), std::string::npos);
}

TEST(FioJobFile, BinaryBytesAreRejectedAndShownEscaped) {
  Diagnostic d = FioError(std::string("[a]\nrw=read\nb\0s=4k\n", 18));
  EXPECT_EQ(d.line, 3);
  EXPECT_NE(d.message.find("control byte 0x00 at column 2"), std::string::npos) << d.message;
  d = FioError("[a]\nrw=re\x1b[2Jad\n");
  EXPECT_NE(d.message.find("control byte 0x1b at column 6"), std::string::npos) << d.message;
  // Tabs and CRLF line ends are text.
  EXPECT_EQ(ParseFioJobFile("[a]\r\nrw=\tread\r\n", "x.fio").size(), 1u);

  // A diagnostic never prints a raw control byte: it would cut or garble the message.
  Diagnostic raw;
  raw.file = "x.fio";
  raw.key = std::string("k\0y", 3);
  raw.message = "bad\x07 value";
  EXPECT_EQ(raw.ToString(), "x.fio: k\\x00y: bad\\x07 value");
}

}  // namespace
}  // namespace nvmesim::harness
