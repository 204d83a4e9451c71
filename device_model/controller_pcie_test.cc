// End to end through pcie_model: RootComplex -> Link -> NvmeController.
// Host-style enumeration, controller bring-up through ECAM and BAR0 MMIO,
// a write and a read whose data and CQEs travel the link, MSI-X delivery.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "device_model/controller.h"
#include "pcie_model/enumerator.h"
#include "pcie_model/link.h"
#include "pcie_model/root_complex.h"
#include "spec/command.h"
#include "spec/registers.h"
#include "tests/support/sim_test.h"

namespace nvmesim::device {
namespace {

NVMESIM_SIM_TEST(ControllerPcie, EnumerateEnableAndDoIoThroughTheLink) {
  pcie::RootComplex rc("rc");
  pcie::LinkConfig lc;
  pcie::Link link("link", lc);
  Subsystem sub(SubsystemConfig{});
  ControllerConfig cfg;
  cfg.max_io_queues = 4;
  cfg.msix_vectors = 5;
  NvmeController ctrl("ctrl", cfg, sub);
  rc.port(0).downstream.bind(link.down_target);
  link.down_initiator.bind(ctrl.pcie_target);
  ctrl.pcie_initiator.bind(link.up_target);
  link.up_initiator.bind(rc.port(0).upstream);
  std::vector<std::pair<uint64_t, uint32_t>> msis;
  rc.SetMsiHandler([&](unsigned, uint64_t a, uint32_t d) { msis.emplace_back(a, d); });

  const uint64_t mem = 0x1'0000'0000ull;
  uint8_t* host = rc.memory().Map(mem, 4u << 20);
  ASSERT_NE(host, nullptr);
  std::memset(host, 0xA5, 4u << 20);

  pcie::Enumerator en(rc);
  const pcie::EnumerationResult r = en.Enumerate(0);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.function.class_code, 0x010802u);
  EXPECT_EQ(r.function.msix_vectors, 5u);
  const uint64_t bar = r.function.bar0_base;
  for (uint16_t v = 0; v < 5; ++v)
    en.ProgramMsixVector(r.function, v, 0xFEE0'0000ull + 4 * v, 0x40 + v);
  en.SetMsixControl(r.function, true, false);

  // Admin queues at mem, mem + 4 KiB; I/O CQ/SQ at +8/+12 KiB; data at +64 KiB.
  std::memset(host + 0x1000, 0, 0x1000);
  std::memset(host + 0x2000, 0, 0x1000);
  en.MemWrite(bar + spec::kRegAqa, 4, (15u << 16) | 15u);
  en.MemWrite(bar + spec::kRegAsq, 8, mem);
  en.MemWrite(bar + spec::kRegAcq, 8, mem + 0x1000);
  spec::CcRegister cc;
  cc.set_en(1).set_iosqes(6).set_iocqes(4);
  en.MemWrite(bar + spec::kRegCc, 4, cc.raw);
  sc_core::sc_start(20, sc_core::SC_US);
  ASSERT_EQ(en.MemRead(bar + spec::kRegCsts, 4) & 1u, 1u);

  auto admin = [&](spec::Sqe s, uint32_t slot) {
    std::memcpy(host + 64 * slot, &s, 64);
    en.MemWrite(bar + spec::SqTailDoorbellOffset(0, 0), 4, slot + 1);
    sc_core::sc_start(20, sc_core::SC_US);
    spec::Cqe c;
    std::memcpy(&c, host + 0x1000 + 16 * slot, 16);
    EXPECT_TRUE(c.phase());
    return c;
  };
  spec::Sqe s;
  s.opcode = 0x05;
  s.cid = 1;
  s.prp1 = mem + 0x2000;
  s.cdw10 = (15u << 16) | 1;
  s.cdw11 = (1u << 16) | 3;
  EXPECT_TRUE(admin(s, 0).status_value().ok());
  s.opcode = 0x01;
  s.cid = 2;
  s.prp1 = mem + 0x3000;
  s.cdw11 = (1u << 16) | 1;
  EXPECT_TRUE(admin(s, 1).status_value().ok());

  // Write 8 KiB then read it back to another buffer.
  for (int i = 0; i < 8192; ++i) host[0x10000 + i] = static_cast<uint8_t>(i * 13);
  spec::Sqe w;
  w.opcode = 0x01;
  w.cid = 10;
  w.nsid = 1;
  w.cdw10 = 5;
  w.cdw12 = 1;
  w.prp1 = mem + 0x10000;
  w.prp2 = mem + 0x11000;
  std::memcpy(host + 0x3000, &w, 64);
  spec::Sqe rd = w;
  rd.opcode = 0x02;
  rd.cid = 11;
  rd.prp1 = mem + 0x20000;
  rd.prp2 = mem + 0x21000;
  std::memcpy(host + 0x3000 + 64, &rd, 64);
  const size_t msis_before = msis.size();
  en.MemWrite(bar + spec::SqTailDoorbellOffset(1, 0), 4, 2);
  sc_core::sc_start(50, sc_core::SC_US);
  spec::Cqe c0, c1;
  std::memcpy(&c0, host + 0x2000, 16);
  std::memcpy(&c1, host + 0x2010, 16);
  EXPECT_TRUE(c0.phase());
  EXPECT_TRUE(c1.phase());
  EXPECT_EQ(c0.cid, 10);
  EXPECT_EQ(c1.cid, 11);
  EXPECT_TRUE(c1.status_value().ok());
  EXPECT_EQ(0, std::memcmp(host + 0x10000, host + 0x20000, 8192));
  ASSERT_GT(msis.size(), msis_before);
  EXPECT_EQ(msis.back().second, 0x41u);
  // The link carried the data: simulated time passed for the DMA.
  EXPECT_GT(sc_core::sc_time_stamp(), sc_core::sc_time(40, sc_core::SC_US));
  // A PRP aimed at unmapped host memory ends as Data Transfer Error.
  rd.cid = 12;
  rd.prp1 = 0x7000'0000ull;
  rd.prp2 = 0;
  rd.cdw12 = 0;
  std::memcpy(host + 0x3000 + 128, &rd, 64);
  en.MemWrite(bar + spec::SqTailDoorbellOffset(1, 0), 4, 3);
  sc_core::sc_start(50, sc_core::SC_US);
  spec::Cqe c2;
  std::memcpy(&c2, host + 0x2020, 16);
  EXPECT_EQ(c2.cid, 12);
  EXPECT_TRUE(c2.status_value().Is(spec::GenericStatus::kDataTransferError));
}

}  // namespace
}  // namespace nvmesim::device
