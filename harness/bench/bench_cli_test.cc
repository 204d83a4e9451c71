#include "harness/bench/bench_cli.h"

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

BenchCli Cli() {
  BenchCli c;
  c.request.job_file = "harness/bench/testdata/qd4.fio";
  c.request.profile = "scenarios/profiles/target.toml";
  return c;
}

TEST(BenchCliTest, ConvertsSizesAndDurations) {
  BenchCli c = Cli();
  c.size = "64MiB";
  c.round = "8MiB";
  c.interval = "2ms";
  c.options.precondition.enabled = true;
  ASSERT_EQ(ResolveBenchOptions(c), "");
  EXPECT_EQ(c.request.namespace_bytes, uint64_t{64} << 20);
  EXPECT_EQ(c.options.precondition.round_bytes, uint64_t{8} << 20);
  EXPECT_EQ(c.options.interval_ps, uint64_t{2} * 1000 * 1000 * 1000);
}

TEST(BenchCliTest, MediaCapacitySetsTheNamespaceToTheScaledUserCapacity) {
  BenchCli c = Cli();
  c.media_capacity = "1GiB";
  ASSERT_EQ(ResolveBenchOptions(c), "");
  EXPECT_EQ(c.options.media_capacity_bytes, uint64_t{1} << 30);
  EXPECT_GE(c.request.namespace_bytes, uint64_t{1} << 30);
  EXPECT_EQ(c.request.namespace_bytes % (1 << 20), 0u);
}

TEST(BenchCliTest, BadOptionsAreErrorsNamingTheOption) {
  struct Case {
    void (*set)(BenchCli&);
    const char* option;
  };
  const Case cases[] = {
      {[](BenchCli& c) { c.size = "12x"; }, "--size"},
      {[](BenchCli& c) { c.size = "1000"; }, "--size"},  // not a multiple of 4096
      {[](BenchCli& c) { c.round = "1000"; }, "--round"},
      {[](BenchCli& c) { c.interval = "10"; }, "--interval"},
      {[](BenchCli& c) { c.interval = "1ns"; }, "--interval"},
      {[](BenchCli& c) { c.media_capacity = "lots"; }, "--media-capacity"},
      {[](BenchCli& c) { c.media_capacity = "1MiB"; }, "--media-capacity"},
      {[](BenchCli& c) { c.options.precondition.enabled = true; }, "--precondition"},
      {[](BenchCli& c) {
         c.request.profile.clear();
         c.options.precondition.enabled = true;
       },
       "--precondition"},
      {[](BenchCli& c) { c.plot_dir = "/proc/no_such_dir/plots"; }, "--plot"},
  };
  for (const Case& k : cases) {
    BenchCli c = Cli();
    k.set(c);
    const std::string e = ResolveBenchOptions(c);
    EXPECT_EQ(e.rfind(k.option, 0), 0u) << k.option << ": " << e;
  }
}

}  // namespace
}  // namespace nvmesim::harness
