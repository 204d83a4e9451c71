#include "harness/bench/plot.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

BenchResult TwoIntervals() {
  BenchResult r;
  JobRecord j;
  j.name = "randread";
  j.stats = JobStats("randread");
  for (uint64_t ns = 1000; ns <= 100'000; ns += 1000) {
    j.stats.Record(IoDirection::kRead, 4096, ns, spec::Status{});
  }
  r.jobs.push_back(j);
  BenchSample a;
  a.phase = "measure";
  a.start_ps = 0;
  a.end_ps = 1'000'000'000;  // 1 ms
  a.read_ios = 1000;
  a.gc_units = 50;
  BenchSample b = a;
  b.start_ps = a.end_ps;
  b.end_ps = 2'000'000'000;
  b.read_ios = 500;
  r.intervals = {a, b};
  return r;
}

fs::path TempDir(const char* name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return fs::path(tmp ? tmp : "/tmp") / name;
}

TEST(PlotTest, WritesDataFilesAndAScriptThatUsesThem) {
  const fs::path dir = TempDir("plot_data");
  const PlotFiles f = WritePlotData(TwoIntervals(), dir.string());
  ASSERT_EQ(f.error, "");
  ASSERT_EQ(f.written.size(), 3u);
  const std::string cdf = Read(dir / "latency_cdf.dat");
  EXPECT_NE(cdf.find("# randread read"), std::string::npos);
  // The CDF ends at the largest latency (100 us) with fraction 1.
  EXPECT_NE(cdf.find(" 1.00000\n"), std::string::npos);
  EXPECT_EQ(cdf.find("write"), std::string::npos);  // no writes: no write curve
  const std::string iops = Read(dir / "iops.dat");
  // Interval midpoints 0.5 and 1.5 ms; 1000 and 500 I/Os per ms; 50 GC units in 1 ms.
  EXPECT_NE(iops.find("0.5000 1000000.0 0.0 50000.0 1.000 measure\n"), std::string::npos) << iops;
  EXPECT_NE(iops.find("1.5000 500000.0 0.0 50000.0 1.000 measure\n"), std::string::npos) << iops;
  const std::string gp = Read(dir / "bench.gp");
  EXPECT_NE(gp.find("set output 'latency_cdf.svg'"), std::string::npos);
  EXPECT_NE(gp.find("'latency_cdf.dat' index 0"), std::string::npos);
  EXPECT_NE(gp.find("title 'randread read'"), std::string::npos);
  EXPECT_NE(gp.find("set output 'iops.svg'"), std::string::npos);
  EXPECT_EQ(gp.find("rounds.dat"), std::string::npos);  // not preconditioned
  EXPECT_FALSE(fs::exists(dir / "rounds.dat"));
}

TEST(PlotTest, PreconditioningRoundsArePlottedAsSteps) {
  BenchResult r = TwoIntervals();
  BenchSample fob;
  fob.phase = "fob";
  fob.start_ps = 0;
  fob.end_ps = 1'000'000'000;  // 1 ms
  fob.write_ios = 2000;
  BenchSample round = fob;
  round.phase = "precondition";
  round.start_ps = 3'000'000'000;  // after a 2 ms fill
  round.end_ps = 5'000'000'000;
  round.write_ios = 200;
  r.rounds = {fob, round};
  const fs::path dir = TempDir("plot_rounds");
  ASSERT_EQ(WritePlotData(r, dir.string()).error, "");
  // FOB 2 M IOPS from 0 to 1 ms; a break for the fill; 100 k IOPS from 3 to 5 ms.
  EXPECT_EQ(Read(dir / "rounds.dat"),
            "# round_start_ms write_iops (steps; the last row closes the last round)\n"
            "0.0000 2000000.0\n1.0000 2000000.0\n\n"
            "3.0000 100000.0\n5.0000 100000.0\n\n");
  EXPECT_NE(Read(dir / "bench.gp").find("'rounds.dat' using 1:2 with steps"), std::string::npos);
}

TEST(PlotTest, AMissingGnuplotIsAnErrorNamingTheDebianPackage) {
  const fs::path dir = TempDir("plot_missing");
  ASSERT_EQ(WritePlotData(TwoIntervals(), dir.string()).error, "");
  const PlotFiles f = RenderPlots(dir.string(), "/nonexistent/gnuplot");
  EXPECT_NE(f.error.find("gnuplot-nox"), std::string::npos) << f.error;
  EXPECT_TRUE(f.written.empty());
}

TEST(PlotTest, GnuplotRendersBothSvgsWhenInstalled) {
  if (!ProgramAvailable("gnuplot")) GTEST_SKIP() << "gnuplot (Debian gnuplot-nox) not installed";
  const fs::path dir = TempDir("plot_svg");
  ASSERT_EQ(WritePlotData(TwoIntervals(), dir.string()).error, "");
  const PlotFiles f = RenderPlots(dir.string());
  ASSERT_EQ(f.error, "");
  ASSERT_EQ(f.written.size(), 2u);
  EXPECT_NE(Read(dir / "latency_cdf.svg").find("<svg"), std::string::npos);
  EXPECT_NE(Read(dir / "iops.svg").find("<svg"), std::string::npos);
}

TEST(PlotTest, AnUncreatableDirectoryIsAnErrorNamingPlot) {
  const PlotFiles f = WritePlotData(TwoIntervals(), "/proc/nvmesim_plot_dir");
  EXPECT_NE(f.error.find("--plot"), std::string::npos) << f.error;
}

}  // namespace
}  // namespace nvmesim::harness
