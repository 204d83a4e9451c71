// The controller with the thermal and power model attached.
#include <gtest/gtest.h>

#include <cstring>

#include "device_model/controller.h"
#include "device_model/test_host.h"
#include "device_model/thermal/thermal_model.h"
#include "spec/identify.h"
#include "tests/support/sim_test.h"

namespace nvmesim::device {
namespace {

using testing::MakeSqe;
using testing::TestHost;

NVMESIM_SIM_TEST(ControllerThermal, FeaturesIdentifySmartAndEvents) {
  thermal::ThermalModel tm{thermal::ThermalConfig{}};
  ControllerConfig cfg;
  cfg.thermal = &tm;
  Subsystem sub(SubsystemConfig{});
  NvmeController ctrl("ctrl", cfg, sub);
  TestHost host("host", ctrl);
  host.ConfigurePcie();
  ASSERT_TRUE(host.Enable());
  // Identify reports the model's power states.
  spec::Sqe id = MakeSqe(0x06);
  id.cdw10 = 1;
  id.prp1 = host.Alloc(4096);
  ASSERT_TRUE(host.AdminStatus(id).ok());
  spec::IdentifyController ic;
  std::memcpy(static_cast<void*>(&ic), host.Mem(id.prp1), 4096);
  EXPECT_EQ(ic.npss, tm.npss());
  EXPECT_EQ(ic.wctemp, tm.config().wctemp);
  // Power state goes to the model.
  if (tm.npss() > 0) {
    spec::Sqe ps = MakeSqe(0x09);
    ps.cdw10 = 0x02;
    ps.cdw11 = 1;
    ASSERT_TRUE(host.AdminStatus(ps).ok());
    EXPECT_EQ(tm.power_state(), 1u);
    spec::Sqe g = MakeSqe(0x0A);
    g.cdw10 = 0x02;
    EXPECT_EQ(host.Admin(g).dw0, 1u);
  }
  // Over-temperature threshold below the current temperature: SMART event.
  spec::Sqe aec = MakeSqe(0x09);
  aec.cdw10 = 0x0B;
  aec.cdw11 = 0x2;
  ASSERT_TRUE(host.AdminStatus(aec).ok());
  const uint16_t aer = host.Submit(0, MakeSqe(0x0C));
  spec::Sqe th = MakeSqe(0x09);
  th.cdw10 = 0x04;
  th.cdw11 = 300;  // kelvin, below ambient 308
  ASSERT_TRUE(host.AdminStatus(th).ok());
  auto ev = host.Wait(0);
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(ev->cid, aer);
  EXPECT_EQ(ev->dw0, (0x02u << 16) | (0x01u << 8) | 1u);
  // SMART composite temperature is the model's.
  spec::Sqe log = MakeSqe(0x02);
  log.prp1 = host.Alloc(4096);
  log.cdw10 = 0x02 | ((512 / 4 - 1) << 16);
  ASSERT_TRUE(host.AdminStatus(log).ok());
  uint16_t t = 0;
  std::memcpy(&t, host.Mem(log.prp1) + 1, 2);
  EXPECT_EQ(t, tm.composite_kelvin());
  EXPECT_EQ(host.Mem(log.prp1)[0] & 2u, 2u);
  // HCTM feature exists with a thermal model.
  spec::Sqe hc = MakeSqe(0x0A);
  hc.cdw10 = 0x10;
  EXPECT_TRUE(host.AdminStatus(hc).ok());
}

}  // namespace
}  // namespace nvmesim::device
