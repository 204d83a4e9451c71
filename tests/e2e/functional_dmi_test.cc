// Functional fidelity: the device's DMA goes straight to host memory through
// TLM-2.0 DMI grants. A grant must never outlive what it points at, nor hide
// a fault from the link: unmapping a buffer and scheduling a link fault both
// revoke it, and the next DMA crosses the link again.
#include <cstring>
#include <functional>
#include <memory>

#include "harness/system/sim_system.h"
#include "tests/support/sim_test.h"

namespace nvmesim {
namespace {

harness::SimSystemSpec FunctionalSpec() {
  harness::SimSystemSpec spec;
  spec.fidelity = pcie::Fidelity::kFunctional;
  device::SubsystemConfig subsystem;
  subsystem.namespaces[0].size_lbas = 1 << 12;
  subsystem.namespaces[0].lba_bytes = 4096;
  spec.subsystems.push_back(subsystem);
  harness::SimControllerSpec ctrl;
  ctrl.device.name = "ctrl0";
  spec.controllers.push_back(ctrl);
  spec.driver.config.queue_count = 1;
  spec.driver.config.queue_depth = 16;
  spec.echo = nullptr;
  return spec;
}

// Runs `body` on the host CPU once booted; the body calls `finish` when done.
void RunBooted(harness::SimSystem& system, std::function<void(std::function<void()>)> body) {
  bool booted = false, finished = false;
  system.Boot([&](spec::Status s) {
    booted = s.ok();
    if (!s.ok()) return system.cpu().Halt();
    body([&] {
      finished = true;
      system.cpu().Halt();
    });
  });
  sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_SEC));
  ASSERT_TRUE(booted);
  ASSERT_TRUE(finished);
}

driver::BlockRequest ReadInto(const driver::DataSegment* seg) {
  driver::BlockRequest r;
  r.op = driver::BlockOp::kRead;
  r.slba = 8;
  r.blocks = 1;
  r.segments = seg;
  r.segment_count = 1;
  return r;
}

NVMESIM_SIM_TEST(FunctionalDmi, AnUnmappedBufferIsNeverWrittenThroughAStaleGrant) {
  harness::SimSystem system(FunctionalSpec());
  driver::hal::DmaBuffer buf;
  driver::DataSegment seg{};
  spec::Status first(spec::GenericStatus::kInternalError);
  spec::Status stale(spec::GenericStatus::kInternalError);
  uint64_t direct_after_first = 0;
  RunBooted(system, [&](std::function<void()> finish) {
    buf = system.dma().Allocate(4096, 4096);
    seg = {buf.bus, 4096};
    driver::Controller& drv = *system.driver(0);
    ASSERT_TRUE(drv.Submit(ReadInto(&seg),
                           [&, finish](const driver::BlockResult& r) {
                             first = r.status;
                             direct_after_first = system.device(0).stats().dma_direct;
                             // The host frees the buffer; a (buggy) request still names it.
                             system.dma().Free(buf);
                             ASSERT_TRUE(drv.Submit(ReadInto(&seg),
                                                    [&, finish](const driver::BlockResult& r2) {
                                                      stale = r2.status;
                                                      finish();
                                                    })
                                             .ok());
                           })
                    .ok());
  });
  EXPECT_TRUE(first.ok()) << first.ToString();
  EXPECT_GT(direct_after_first, 0u);
  // The data transfer went to the root complex, which found no memory there
  // (Unsupported Request), and the command failed: no write through a grant.
  EXPECT_FALSE(stale.ok());
  EXPECT_GE(system.root_complex().counters().unsupported_requests, 1u);
}

NVMESIM_SIM_TEST(FunctionalDmi, AScheduledLinkFaultSendsDmaThroughTheLinkAgain) {
  harness::SimSystem system(FunctionalSpec());
  driver::hal::DmaBuffer buf;
  driver::DataSegment seg{};
  uint64_t up_bytes_before = 0, up_bytes_after = 0, direct_before = 0, direct_after = 0;
  spec::Status second(spec::GenericStatus::kInternalError);
  RunBooted(system, [&](std::function<void()> finish) {
    buf = system.dma().Allocate(4096, 4096);
    seg = {buf.bus, 4096};
    driver::Controller& drv = *system.driver(0);
    ASSERT_TRUE(
        drv.Submit(
               ReadInto(&seg),
               [&, finish](const driver::BlockResult&) {
                 up_bytes_before =
                     system.link(0).counters(pcie::Direction::kUpstream).payload_bytes;
                 direct_before = system.device(0).stats().dma_direct;
                 // A link-down window 1 ms ahead: the grant is revoked now.
                 const sc_core::sc_time now = sc_core::sc_time_stamp();
                 system.link(0).ScheduleLinkDown(now + sc_core::sc_time(1, sc_core::SC_MS),
                                                 now + sc_core::sc_time(2, sc_core::SC_MS));
                 ASSERT_TRUE(
                     drv.Submit(
                            ReadInto(&seg),
                            [&, finish](const driver::BlockResult& r) {
                              second = r.status;
                              up_bytes_after =
                                  system.link(0).counters(pcie::Direction::kUpstream).payload_bytes;
                              direct_after = system.device(0).stats().dma_direct;
                              finish();
                            })
                         .ok());
               })
            .ok());
  });
  EXPECT_TRUE(second.ok()) << second.ToString();
  EXPECT_GT(direct_before, 0u);
  EXPECT_EQ(direct_after, direct_before);  // no DMA bypassed the link after the schedule
  EXPECT_GE(up_bytes_after - up_bytes_before, 4096u);  // the read data crossed the link
}

}  // namespace
}  // namespace nvmesim
