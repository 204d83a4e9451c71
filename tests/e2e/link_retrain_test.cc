// After a link retrain the same streaming read workload runs slower by the
// factor the link's analytic bandwidth predicts (media timing off, so the link
// is the bottleneck): Gen5 x4 -> Gen3 x1.
#include <cmath>
#include <vector>

#include "harness/system/sim_system.h"
#include "pcie_model/link_timing.h"
#include "tests/support/sim_test.h"

namespace nvmesim {
namespace {

NVMESIM_SIM_TEST(LinkRetrainTest, ReadBandwidthDropsByThePredictedFactor) {
  harness::SimSystemSpec spec;
  device::SubsystemConfig sub;
  sub.namespaces[0].size_lbas = 1 << 18;
  spec.subsystems.push_back(sub);
  harness::SimControllerSpec ctrl;
  ctrl.device.name = "ctrl0";
  ctrl.device.mdts = 5;  // 128 KiB
  spec.controllers.push_back(ctrl);
  spec.driver.config.queue_count = 4;
  spec.driver.config.queue_depth = 64;
  harness::SimSystem system(spec);

  constexpr uint32_t kDepth = 32, kBlocks = 32, kPerPhase = 2000;  // 128 KiB reads
  struct Slot {
    driver::hal::DmaBuffer buf;
    driver::DataSegment seg;
    driver::BlockRequest req;
  };
  std::vector<Slot> slots(kDepth);
  uint64_t issued = 0, done = 0, next_lba = 0;
  int phase = 0;
  uint64_t phase_start_ps = 0;
  double seconds[2] = {0, 0};
  std::function<void(Slot&)> issue;
  std::function<void()> start_phase;
  issue = [&](Slot& s) {
    s.req.slba = next_lba;
    next_lba = (next_lba + kBlocks) % (1 << 18);
    s.req.queue = static_cast<uint16_t>(issued % 4);
    ++issued;
    ASSERT_TRUE(system.driver(0)
                    ->Submit(s.req,
                             [&, sp = &s](const driver::BlockResult& r) {
                               ASSERT_TRUE(r.status.ok()) << r.status.ToString();
                               if (++done < kPerPhase) {
                                 if (issued < kPerPhase) issue(*sp);
                                 return;
                               }
                               seconds[phase] =
                                   static_cast<double>(sc_core::sc_time_stamp().value() -
                                                       phase_start_ps) /
                                   1e12;
                               if (phase == 0) {
                                 EXPECT_EQ(system.link(0).Retrain(3, 1), "");
                                 phase = 1;
                                 system.cpu().Post(sc_core::SC_ZERO_TIME, start_phase);
                               } else {
                                 system.cpu().Halt();
                                 sc_core::sc_stop();
                               }
                             })
                    .ok());
  };
  start_phase = [&] {
    issued = done = 0;
    phase_start_ps = static_cast<uint64_t>(sc_core::sc_time_stamp().value());
    for (auto& s : slots) issue(s);
  };
  system.Boot([&](spec::Status st) {
    ASSERT_TRUE(st.ok()) << st.ToString();
    for (auto& s : slots) {
      s.buf = system.dma().Allocate(kBlocks * 4096, 4096);
      s.seg = {s.buf.bus, kBlocks * 4096};
      s.req.op = driver::BlockOp::kRead;
      s.req.blocks = kBlocks;
      s.req.segments = &s.seg;
      s.req.segment_count = 1;
    }
    start_phase();
  });
  sc_core::sc_start(sc_core::sc_time(10, sc_core::SC_SEC));
  ASSERT_GT(seconds[0], 0);
  ASSERT_GT(seconds[1], 0);
  const double measured = seconds[1] / seconds[0];
  // Read data flows upstream as MPS-sized posted writes: the bottleneck stream.
  const pcie::LinkConfig& cfg = system.link(0).config();
  const double fast =
      pcie::LinkTiming(cfg, 5, 4).PostedStreamBytesPerSecond(cfg.max_payload_size, 4, false);
  const double slow =
      pcie::LinkTiming(cfg, 3, 1).PostedStreamBytesPerSecond(cfg.max_payload_size, 4, false);
  const double predicted = fast / slow;
  std::printf("bandwidth ratio: measured %.3f, predicted %.3f\n", measured, predicted);
  EXPECT_NEAR(measured, predicted, predicted * 0.05);
}

}  // namespace
}  // namespace nvmesim
