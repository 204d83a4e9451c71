#include "harness/shim/sim_log.h"

#include <cstdio>
#include <string>
#include <vector>

#include "tests/support/sim_test.h"

namespace nvmesim::harness {
namespace {

std::string Echoed(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, f)) out += buf;
  return out;
}

NVMESIM_SIM_TEST(SimLogTest, EchoNamesTheSourceOnceAndKeepsEveryLine) {
  HostCpu cpu("cpu");
  std::vector<LogLine> lines;
  std::FILE* echo = std::tmpfile();
  ASSERT_NE(echo, nullptr);
  SimLog log(cpu, "nvme0", nullptr, &lines, driver::hal::LogLevel::kWarning, echo);
  cpu.Post(sc_core::sc_time(2, sc_core::SC_US), [&] {
    log.Write(driver::hal::LogLevel::kWarning, "nvme0: timeout: q1 cid 7 Read");
    log.Write(driver::hal::LogLevel::kWarning, "link down");
    log.Write(driver::hal::LogLevel::kInfo, "nvme0: below the echo level");
    log.Write(driver::hal::LogLevel::kWarning, "nvme01 is another device");
    cpu.Halt();
  });
  sc_core::sc_start();
  const std::string out = Echoed(echo);
  std::fclose(echo);
  EXPECT_NE(out.find("[     2.000 us] warning nvme0: timeout: q1 cid 7 Read\n"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("nvme0: nvme0:"), std::string::npos) << out;
  EXPECT_NE(out.find("warning nvme0: link down\n"), std::string::npos) << out;
  EXPECT_NE(out.find("warning nvme0: nvme01 is another device\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("below the echo level"), std::string::npos) << out;
  ASSERT_EQ(lines.size(), 4u);  // every line is kept for the report, echoed or not
  EXPECT_EQ(lines[0].time_ns, 2000u);
  EXPECT_EQ(lines[0].source, "nvme0");
}

}  // namespace
}  // namespace nvmesim::harness
