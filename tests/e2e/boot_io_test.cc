// The thin path through every layer: the driver core boots the controller
// model through the PCIe model (enumeration, MSI-X, admin bring-up, I/O queue
// creation), writes data and reads it back.
#include <cstring>
#include <memory>
#include <vector>

#include "harness/system/sim_system.h"
#include "tests/support/sim_test.h"

namespace nvmesim {
namespace {

harness::SimSystemSpec OneControllerSpec(pcie::Fidelity fidelity) {
  harness::SimSystemSpec spec;
  spec.fidelity = fidelity;
  device::SubsystemConfig subsystem;
  subsystem.namespaces[0].size_lbas = 1 << 16;  // 256 MiB of 4 KiB blocks
  subsystem.namespaces[0].lba_bytes = 4096;
  spec.subsystems.push_back(subsystem);
  harness::SimControllerSpec ctrl;
  ctrl.device.name = "ctrl0";
  spec.controllers.push_back(ctrl);
  spec.driver.config.queue_count = 4;
  spec.driver.config.queue_depth = 64;
  spec.echo = stderr;
  return spec;
}

void BootWriteReadVerify(pcie::Fidelity fidelity) {
  harness::SimSystem system(OneControllerSpec(fidelity));
  bool booted = false, verified = false;
  spec::Status boot_status(spec::GenericStatus::kInternalError);
  constexpr uint32_t kBlocks = 16;  // 64 KiB: a PRP list
  driver::hal::DmaBuffer wbuf, rbuf;
  driver::DataSegment wseg, rseg;
  driver::BlockRequest w;  // outlives the callbacks that copy it

  system.Boot([&](spec::Status s) {
    booted = true;
    boot_status = s;
    if (!s.ok()) {
      system.cpu().Halt();
      return;
    }
    driver::Controller& drv = *system.driver(0);
    wbuf = system.dma().Allocate(kBlocks * 4096, 4096);
    rbuf = system.dma().Allocate(kBlocks * 4096, 4096);
    ASSERT_TRUE(wbuf.valid() && rbuf.valid());
    for (uint32_t i = 0; i < wbuf.size; ++i) wbuf.cpu[i] = static_cast<uint8_t>(i * 7 + 3);
    std::memset(rbuf.cpu, 0xA5, rbuf.size);  // poison: a read that moves nothing shows
    wseg = {wbuf.bus, static_cast<uint32_t>(wbuf.size)};
    rseg = {rbuf.bus, static_cast<uint32_t>(rbuf.size)};
    w.op = driver::BlockOp::kWrite;
    w.slba = 100;
    w.blocks = kBlocks;
    w.segments = &wseg;
    w.segment_count = 1;
    ASSERT_TRUE(drv.Submit(w,
                           [&](const driver::BlockResult& wr) {
                             EXPECT_TRUE(wr.status.ok()) << wr.status.ToString();
                             driver::BlockRequest r = w;
                             r.op = driver::BlockOp::kRead;
                             r.segments = &rseg;
                             r.queue = 1;
                             const spec::Status accepted =
                                 drv.Submit(r, [&](const driver::BlockResult& rr) {
                                   EXPECT_TRUE(rr.status.ok()) << rr.status.ToString();
                                   EXPECT_GT(rr.latency_ns, 0u);
                                   EXPECT_EQ(std::memcmp(wbuf.cpu, rbuf.cpu, wbuf.size), 0);
                                   verified = true;
                                   system.cpu().Halt();
                                 });
                             EXPECT_TRUE(accepted.ok()) << accepted.ToString();
                           })
                    .ok());
  });
  sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_SEC));
  ASSERT_TRUE(booted) << "boot never finished";
  ASSERT_TRUE(boot_status.ok()) << boot_status.ToString();
  EXPECT_TRUE(verified);
  EXPECT_EQ(system.driver(0)->state(), driver::ControllerState::kReady);
  EXPECT_GE(system.driver(0)->io_queue_count(), 1u);
  EXPECT_GT(system.interrupts(0)->messages(), 0u);
  EXPECT_EQ(system.root_complex().counters().unsupported_requests, 0u);
  // Functional fidelity moves DMA through TLM-2.0 DMI grants; timed ones never.
  if (fidelity == pcie::Fidelity::kFunctional) {
    EXPECT_GT(system.device(0).stats().dma_direct, 0u);
  } else {
    EXPECT_EQ(system.device(0).stats().dma_direct, 0u);
  }
}

NVMESIM_SIM_TEST(BootIoTest, ApproximateFidelity) {
  BootWriteReadVerify(pcie::Fidelity::kApproximate);
}
NVMESIM_SIM_TEST(BootIoTest, FunctionalFidelity) {
  BootWriteReadVerify(pcie::Fidelity::kFunctional);
}
NVMESIM_SIM_TEST(BootIoTest, CycleFidelity) { BootWriteReadVerify(pcie::Fidelity::kCycle); }

}  // namespace
}  // namespace nvmesim
