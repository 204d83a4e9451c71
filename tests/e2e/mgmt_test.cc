// Management commands and raw passthrough through the whole stack.
#include "harness/mgmt_command.h"

#include "harness/scenario/scenario_spec.h"
#include "tests/support/sim_test.h"

namespace nvmesim::harness {
namespace {

constexpr const char* kScenario = R"(
[scenario]
name = "mgmt"
time_limit = "1s"
[[controller]]
name = "ctrl0"
[[namespace]]
nsid = 1
size = "64MiB"
)";

MgmtResult Run(MgmtRequest r) { return RunMgmtCommand(ParseScenario(kScenario, "mgmt.toml"), r); }

NVMESIM_SIM_TEST(MgmtTest, AdminPassthruIdentifyReturnsTheControllersData) {
  MgmtRequest r;
  r.command = "admin-passthru";
  r.passthru.opcode = 0x06;  // Identify (Base 2.0 5.17)
  r.passthru.cdw10 = 1;      // CNS 01h: Identify Controller
  r.passthru.data_len = 4096;
  r.passthru.read = true;
  MgmtResult m = Run(r);
  EXPECT_TRUE(m.ok) << m.error << m.text;
  EXPECT_NE(m.text.find("NVMe command result:00000000"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("DW0: 0x00000000  DW1: 0x00000000\n"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("NVMESIM0001"), std::string::npos) << m.text;  // SN at byte 4
}

NVMESIM_SIM_TEST(MgmtTest, IoPassthruReportsStatusByName) {
  MgmtRequest r;
  r.command = "io-passthru";
  r.passthru.opcode = 0x02;  // Read
  r.passthru.nsid = 1;
  r.passthru.cdw10 = 0xFFFFFF;  // far beyond the 64 MiB namespace
  r.passthru.data_len = 4096;
  r.passthru.read = true;
  MgmtResult m = Run(r);
  EXPECT_FALSE(m.ok);
  EXPECT_TRUE(m.error.empty()) << m.error;
  EXPECT_NE(m.text.find("LBA Out of Range (0/0x80"), std::string::npos) << m.text;
}

NVMESIM_SIM_TEST(MgmtTest, IoPassthruLongerThanOnePrpListIsRefusedBeforeBooting) {
  MgmtRequest r;
  r.command = "io-passthru";
  r.passthru.opcode = 0x02;  // Read
  r.passthru.nsid = 1;
  r.passthru.data_len = 0xFFFFFFFFu;  // nothing may be allocated for it
  r.passthru.read = true;
  MgmtResult m = Run(r);
  EXPECT_FALSE(m.ok);
  EXPECT_NE(m.error.find("--data-len 4294967295: I/O passthrough moves at most 2101248 bytes"),
            std::string::npos)
      << m.error << m.text;
}

NVMESIM_SIM_TEST(MgmtTest, ResetRunsToReadyAgain) {
  MgmtRequest r;
  r.command = "nvme-advanced-controller-reset";
  MgmtResult m = Run(r);
  EXPECT_TRUE(m.ok) << m.error;
  EXPECT_NE(m.text.find("ready -> ready"), std::string::npos) << m.text;
}

constexpr const char* kZoned = R"(
[scenario]
name = "zoned"
time_limit = "1s"
[[controller]]
name = "ctrl0"
[[namespace]]
nsid = 1
size = "128MiB"
type = "zoned"
zone_size = "4MiB"
max_open = 4
max_active = 8
[advanced_nvme]
zns_enabled = true
zns_zone_size = "4MiB"
)";

NVMESIM_SIM_TEST(MgmtTest, ZnsInfoReportsTheDevicesGeometry) {
  MgmtRequest r;
  r.command = "nvme-zns-info";
  r.nsid = 1;
  MgmtResult m = RunMgmtCommand(ParseScenario(kZoned, "zoned.toml"), r);
  EXPECT_TRUE(m.ok) << m.error << m.text;
  EXPECT_NE(m.text.find("zones: 32"), std::string::npos) << m.text;    // 128 MiB / 4 MiB
  EXPECT_NE(m.text.find("mor     : 3"), std::string::npos) << m.text;  // 0's based
  EXPECT_NE(m.text.find("EMPTY=32"), std::string::npos) << m.text;
}

constexpr const char* kTwoPaths = R"(
[scenario]
name = "two_paths"
time_limit = "1s"
[[subsystem]]
name = "s"
[[controller]]
name = "a"
[[controller]]
name = "b"
[[namespace]]
nsid = 1
size = "64MiB"
[advanced_nvme]
multipath_enabled = true
)";

NVMESIM_SIM_TEST(MgmtTest, MultipathInfoListsBothPaths) {
  MgmtRequest r;
  r.command = "nvme-multipath-info";
  MgmtResult m = RunMgmtCommand(ParseScenario(kTwoPaths, "two.toml"), r);
  EXPECT_TRUE(m.ok) << m.error << m.text;
  EXPECT_NE(m.text.find("paths=2"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("nvme1"), std::string::npos) << m.text;
}

NVMESIM_SIM_TEST(MgmtTest, UnknownZoneStateIsAnError) {
  MgmtRequest r;
  r.command = "nvme-zns-info";
  r.zone_state = "sort_of_full";
  MgmtResult m = RunMgmtCommand(ParseScenario(kZoned, "zoned.toml"), r);
  EXPECT_NE(m.error.find("--state sort_of_full"), std::string::npos) << m.error;
}

NVMESIM_SIM_TEST(MgmtTest, UnknownCommandIsAnError) {
  MgmtRequest r;
  r.command = "nvme-format-everything";
  MgmtResult m = Run(r);
  EXPECT_NE(m.error.find("unknown management command"), std::string::npos);
  EXPECT_EQ(m.error.find("did you mean"), std::string::npos) << m.error;  // nothing near it
  r.command = "nvme-zns-inf";
  m = Run(r);
  EXPECT_NE(m.error.find("unknown management command `nvme-zns-inf` (did you mean "
                         "\"nvme-zns-info\"?)"),
            std::string::npos)
      << m.error;
}

}  // namespace
}  // namespace nvmesim::harness
