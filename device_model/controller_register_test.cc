// BAR0 register behaviour, controller enable/disable/shutdown/NSSR/fatal,
// driven by a TLM test initiator (test_host.h).
#include <gtest/gtest.h>

#include "device_model/controller.h"
#include "device_model/test_host.h"
#include "spec/registers.h"
#include "tests/support/sim_test.h"

namespace nvmesim::device {
namespace {

using testing::MakeSqe;
using testing::TestHost;

struct Bench {
  explicit Bench(ControllerConfig cfg = {}, SubsystemConfig scfg = {})
      : sub(scfg), ctrl("ctrl", cfg, sub), host("host", ctrl) {}
  Subsystem sub;
  NvmeController ctrl;
  TestHost host;
};

NVMESIM_SIM_TEST(ControllerRegisters, CapabilitiesAndVersion) {
  ControllerConfig cfg;
  cfg.max_queue_entries = 65536;
  cfg.doorbell_stride = 1;
  cfg.timeout_500ms = 30;
  Bench b(cfg);
  b.host.ConfigurePcie();
  spec::CapRegister cap{b.host.Read64(spec::kRegCap)};
  EXPECT_EQ(cap.mqes(), 65535u);
  EXPECT_EQ(cap.cqr(), 1u);
  EXPECT_EQ(cap.ams(), 1u);  // WRR with urgent
  EXPECT_EQ(cap.to(), 30u);
  EXPECT_EQ(cap.dstrd(), 1u);
  EXPECT_EQ(cap.nssrs(), 1u);
  EXPECT_EQ(cap.css(), spec::kCapCssNvm | spec::kCapCssIoCommandSets);
  EXPECT_EQ(cap.mpsmin(), 0u);
  EXPECT_EQ(cap.mpsmax(), 4u);
  EXPECT_EQ(b.host.Read32(spec::kRegVs), 0x00020000u);
  // The two halves read separately match the 64-bit read.
  EXPECT_EQ((uint64_t{b.host.Read32(4)} << 32) | b.host.Read32(0), cap.raw);
}

NVMESIM_SIM_TEST(ControllerRegisters, OddSizeReadsAndHalfWrites) {
  Bench b;
  b.host.ConfigurePcie();
  // Odd-size and unaligned reads return the covered bytes.
  uint8_t v[3] = {};
  ASSERT_EQ(b.host.Access(false, testing::kBar0Base + 0x09, v, 3), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(v[0], 0x00);  // VS bits 15:8
  EXPECT_EQ(v[1], 0x02);  // VS bits 23:16 (major 2)
  uint8_t one = 0xFF;
  b.host.Access(false, testing::kBar0Base + 0x0A, &one, 1);
  EXPECT_EQ(one, 0x02);
  // ASQ written as two halves, high first then low.
  b.host.Write32(spec::kRegAsq + 4, 0x1);
  b.host.Write32(spec::kRegAsq, 0x2345'6000);
  EXPECT_EQ(b.host.Read64(spec::kRegAsq), 0x1'2345'6000ull);
  // Reserved low bits of ACQ are not stored.
  b.host.Write64(spec::kRegAcq, 0x2'0000'1FFFull);
  EXPECT_EQ(b.host.Read64(spec::kRegAcq), 0x2'0000'1000ull);
  // A 2-byte write to a register is ignored, not a crash.
  uint16_t h = 0xFFFF;
  b.host.Access(true, testing::kBar0Base + spec::kRegCc, reinterpret_cast<uint8_t*>(&h), 2);
  EXPECT_EQ(b.host.Read32(spec::kRegCc), 0u);
  // Outside BAR0: address error.
  uint32_t x = 0;
  EXPECT_NE(b.host.Access(false, testing::kBar0Base + b.ctrl.bar0_size(),
                          reinterpret_cast<uint8_t*>(&x), 4),
            tlm::TLM_OK_RESPONSE);
}

NVMESIM_SIM_TEST(ControllerRegisters, EnableDisableTiming) {
  ControllerConfig cfg;
  cfg.enable_time_ps = 5'000'000;   // 5 us
  cfg.disable_time_ps = 2'000'000;  // 2 us
  Bench b(cfg);
  b.host.ConfigurePcie();
  ASSERT_TRUE(b.host.Enable());
  EXPECT_GE(sc_core::sc_time_stamp(), sc_core::sc_time(5, sc_core::SC_US));
  spec::CcRegister cc{b.host.Read32(spec::kRegCc)};
  cc.set_en(0);
  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  b.host.Write32(spec::kRegCc, cc.raw);
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & 1u, 1u);  // RDY still 1 during the reset
  ASSERT_TRUE(b.host.WaitReady(false));
  EXPECT_GE(sc_core::sc_time_stamp() - t0, sc_core::sc_time(2, sc_core::SC_US));
}

NVMESIM_SIM_TEST(ControllerRegisters, InvalidEnableSetsFatal) {
  Bench b;
  b.host.ConfigurePcie();
  // MPS beyond CAP.MPSMAX.
  EXPECT_FALSE(b.host.Enable(32, 0, 9));
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & 2u, 2u);
}

NVMESIM_SIM_TEST(ControllerRegisters, AdminQueueInOwnBarIsFatal) {
  Bench b;
  b.host.ConfigurePcie();
  b.host.Write32(spec::kRegAqa, 0x000F000F);
  b.host.Write64(spec::kRegAsq, testing::kBar0Base + 0x1000);  // doorbells
  b.host.Write64(spec::kRegAcq, testing::kBar0Base);
  spec::CcRegister cc;
  cc.set_en(1).set_iosqes(6).set_iocqes(4);
  b.host.Write32(spec::kRegCc, cc.raw);
  EXPECT_FALSE(b.host.WaitReady(true, 50));
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & 2u, 2u);
}

NVMESIM_SIM_TEST(ControllerRegisters, NormalShutdown) {
  Bench b;
  b.host.ConfigurePcie();
  ASSERT_TRUE(b.host.Enable());
  spec::CcRegister cc{b.host.Read32(spec::kRegCc)};
  cc.set_shn(1);
  b.host.Write32(spec::kRegCc, cc.raw);
  spec::CstsRegister csts{b.host.Read32(spec::kRegCsts)};
  EXPECT_EQ(csts.shst(), 1u);  // occurring
  b.host.Run(10'000);
  csts.raw = b.host.Read32(spec::kRegCsts);
  EXPECT_EQ(csts.shst(), 2u);  // complete
}

NVMESIM_SIM_TEST(ControllerRegisters, SubsystemResetSetsNssro) {
  Bench b;
  b.host.ConfigurePcie();
  ASSERT_TRUE(b.host.Enable());
  b.host.Write32(spec::kRegNssr, 0x12345678);  // wrong value: nothing happens
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & 1u, 1u);
  b.host.Write32(spec::kRegNssr, spec::kNssrResetValue);
  spec::CstsRegister csts{b.host.Read32(spec::kRegCsts)};
  EXPECT_EQ(csts.rdy(), 0u);
  EXPECT_EQ(csts.nssro(), 1u);
  EXPECT_EQ(b.host.Read32(spec::kRegCc), 0u);
  b.host.Write32(spec::kRegCsts, 1u << 4);  // RW1C
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & (1u << 4), 0u);
  ASSERT_TRUE(b.host.Enable());  // comes back
}

NVMESIM_SIM_TEST(ControllerRegisters, FatalHookAndRecovery) {
  Bench b;
  b.host.ConfigurePcie();
  ASSERT_TRUE(b.host.Enable());
  b.ctrl.InjectFatal();
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & 2u, 2u);
  // Commands are not processed while fatal.
  b.host.Submit(0, MakeSqe(0x18));
  EXPECT_FALSE(b.host.Wait(0, 20).has_value());
  spec::CcRegister cc{b.host.Read32(spec::kRegCc)};
  b.host.Write32(spec::kRegCc, cc.set_en(0).raw);
  ASSERT_TRUE(b.host.WaitReady(false));
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & 2u, 0u);
  ASSERT_TRUE(b.host.Enable());
  EXPECT_TRUE(b.host.AdminStatus(MakeSqe(0x18)).ok());  // Keep Alive
}

NVMESIM_SIM_TEST(ControllerRegisters, MsixTableLivesInBar0) {
  Bench b;
  b.host.ConfigurePcie();
  const uint32_t e = b.ctrl.msix_table_offset() + 16 * 3;
  EXPECT_EQ(b.host.Read32(e + 8), 3u);  // message data programmed by ConfigurePcie
  EXPECT_GT(
      b.ctrl.msix_table_offset(),
      spec::CqHeadDoorbellOffset(b.ctrl.config().max_io_queues, b.ctrl.config().doorbell_stride));
}

}  // namespace
}  // namespace nvmesim::device

namespace nvmesim::device {
namespace {

// Random MMIO of every size and alignment across BAR0 (registers, doorbells,
// MSI-X table, PBA), including CC toggles: no crash, and a clean reset and
// enable afterwards still works.
NVMESIM_SIM_TEST(ControllerRegisters, RandomMmioNeverBreaksTheModel) {
  Subsystem sub(SubsystemConfig{});
  NvmeController ctrl("ctrl", ControllerConfig{}, sub);
  testing::TestHost host("host", ctrl);
  host.ConfigurePcie();
  ASSERT_TRUE(host.Enable());
  uint64_t x = 0x243F6A8885A308D3ull;
  auto rnd = [&]() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const unsigned sizes[] = {1, 2, 3, 4, 8, 16};
  for (int i = 0; i < 3000; ++i) {
    uint64_t off = rnd() % 3 == 0 ? (rnd() % 0x80) : (rnd() % ctrl.bar0_size());
    if (rnd() % 50 == 0) off = ctrl.bar0_size() - 2;  // straddles the end
    const unsigned len = sizes[rnd() % 6];
    uint8_t buf[16];
    for (auto& b : buf) b = static_cast<uint8_t>(rnd());
    host.Access(rnd() % 2 == 0, testing::kBar0Base + off, buf, len);
    if (i % 100 == 0) host.Run(2000);
  }
  host.Run(10'000);
  // Recover: disable, wait, program again, enable.
  host.Write32(spec::kRegCc, 0);
  host.Run(10'000);
  host.Write32(spec::kRegCsts, 1u << 4);
  host.ConfigurePcie();
  ASSERT_TRUE(host.Enable());
  EXPECT_TRUE(host.AdminStatus(MakeSqe(0x18)).ok());
}

NVMESIM_SIM_TEST(ControllerRegisters, SubsystemResetReachesEveryController) {
  Subsystem sub(SubsystemConfig{});
  ControllerConfig c1;
  c1.cntlid = 1;
  ControllerConfig c2;
  c2.cntlid = 2;
  NvmeController a("a", c1, sub), b("b", c2, sub);
  testing::TestHost ha("ha", a), hb("hb", b);
  ha.ConfigurePcie();
  hb.ConfigurePcie();
  ASSERT_TRUE(ha.Enable());
  ASSERT_TRUE(hb.Enable());
  ha.Write32(spec::kRegNssr, spec::kNssrResetValue);
  EXPECT_EQ(ha.Read32(spec::kRegCsts) & 0x11u, 0x10u);  // RDY 0, NSSRO 1
  EXPECT_EQ(hb.Read32(spec::kRegCsts) & 0x11u, 0x10u);
}

}  // namespace
}  // namespace nvmesim::device
