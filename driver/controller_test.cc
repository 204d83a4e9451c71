// Bring-up, block I/O, data pointers and MDTS split through the controller
// manager, against the GoogleMock HAL and the fake controller.
#include "driver/controller.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "driver/internal/nvme_defs.h"
#include "driver/testing/driver_rig.h"
#include "spec/opcodes.h"
#include "spec/registers.h"

namespace nvmesim::driver {
namespace {

using testing::Booted;
using testing::FakeControllerConfig;
using testing::FastOptions;
constexpr uint8_t kAdm(spec::AdminOpcode op) { return static_cast<uint8_t>(op); }
constexpr uint8_t kIo(spec::NvmOpcode op) { return static_cast<uint8_t>(op); }

void Fill(uint8_t* p, size_t n, uint8_t seed) {
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(seed + i * 7 + (i >> 9));
}

TEST(ControllerBringUp, FollowsTheInitialisationSequence) {
  Booted b;
  ASSERT_TRUE(b.started);
  ASSERT_TRUE(b.start_status.ok()) << b.start_status.ToString() << b.rig.log.Dump();
  EXPECT_EQ(b.ctrl->state(), ControllerState::kReady);
  const auto& r = b.rig.dev.received();
  ASSERT_GE(r.size(), 12u);
  // Identify Controller, Number of Queues, Async Event Configuration, then
  // CQ before SQ for each of the 4 I/O queues.
  EXPECT_EQ(r[0].sqe.opcode, kAdm(spec::AdminOpcode::kIdentify));
  EXPECT_EQ(r[0].sqe.cdw10 & 0xFF, nvme::kCnsController);
  EXPECT_EQ(r[1].sqe.opcode, kAdm(spec::AdminOpcode::kSetFeatures));
  EXPECT_EQ(r[1].sqe.cdw10 & 0xFF, nvme::kFeatNumberOfQueues);
  EXPECT_EQ(r[1].sqe.cdw11, (3u << 16) | 3u);  // 4 queues, 0-based
  EXPECT_EQ(r[2].sqe.cdw10 & 0xFF, nvme::kFeatAsyncEventConfig);
  for (int q = 0; q < 4; ++q) {
    EXPECT_EQ(r[3 + 2 * q].sqe.opcode, kAdm(spec::AdminOpcode::kCreateIoCq));
    EXPECT_EQ(r[4 + 2 * q].sqe.opcode, kAdm(spec::AdminOpcode::kCreateIoSq));
    EXPECT_EQ(r[4 + 2 * q].sqe.cdw10, (1023u << 16) | (q + 1u));
  }
  EXPECT_EQ(r[11].sqe.cdw10 & 0xFF, nvme::kCnsActiveNamespaceList);
  b.rig.RunFor(1000);  // let the device fetch the Asynchronous Event Requests
  EXPECT_EQ(b.rig.dev.CountOpcode(0, kAdm(spec::AdminOpcode::kAsyncEventRequest)), 4u);
  const spec::CcRegister cc{b.rig.dev.cc_raw()};
  EXPECT_EQ(cc.en(), 1u);
  EXPECT_EQ(cc.iosqes(), 6u);
  EXPECT_EQ(cc.iocqes(), 4u);
  EXPECT_EQ(cc.mps(), 0u);
  const ControllerInfo& info = b.ctrl->info();
  EXPECT_EQ(info.io_queues, 4u);
  EXPECT_EQ(info.queue_depth, 1024u);
  EXPECT_EQ(info.max_transfer_bytes, 128u * 1024);  // MDTS 5 x 4 KiB
  EXPECT_EQ(info.model, "nvmesim test controller");
  ASSERT_NE(b.ctrl->namespaces().Find(1), nullptr);
  EXPECT_EQ(b.ctrl->namespaces().Find(1)->lba_size, 512u);
  EXPECT_EQ(b.ctrl->namespaces().Find(1)->nsze, 4096u);
}

TEST(ControllerBringUp, ClampsQueuesToTheGrantAndSaysSo) {
  FakeControllerConfig cfg;
  cfg.max_io_queues = 2;
  cfg.mqes = 255;  // 256 entries
  auto opt = FastOptions();
  opt.config.queue_count = 8;
  opt.config.queue_depth = 4096;
  Booted b(cfg, opt);
  ASSERT_TRUE(b.start_status.ok());
  EXPECT_EQ(b.ctrl->info().io_queues_requested, 8u);
  EXPECT_EQ(b.ctrl->info().io_queues, 2u);
  EXPECT_EQ(b.ctrl->info().queue_depth, 256u);
  EXPECT_EQ(b.rig.log.Count(hal::LogLevel::kWarning, "requested 8, controller granted 2"), 1u)
      << b.rig.log.Dump();
  EXPECT_EQ(b.rig.log.Count(hal::LogLevel::kWarning, "CAP.MQES allows 256"), 1u);
}

TEST(ControllerBringUp, ReadyNeverComesFailsAfterBoundedAttempts) {
  FakeControllerConfig cfg;
  cfg.to = 1;  // 500 ms
  testing::TestRig rig(cfg);
  rig.dev.SetNeverReady(true);
  auto opt = FastOptions();
  Controller ctrl(rig.platform, opt);
  bool done = false;
  spec::Status st;
  ctrl.Start([&](spec::Status s) {
    st = s;
    done = true;
  });
  ASSERT_TRUE(rig.RunUntil([&] { return done; }));
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(ctrl.state(), ControllerState::kFailed);
  EXPECT_EQ(rig.dev.enables(), 1u + opt.max_reset_attempts);
  // Each attempt waited CAP.TO (500 ms) for CSTS.RDY.
  EXPECT_GE(rig.clock.NowNs(), 500'000'000ull * (1 + opt.max_reset_attempts));
  EXPECT_FALSE(rig.clock.has_timers());
}

TEST(ControllerIo, WriteThenReadUnalignedMultiPageBufferThroughPrpList) {
  Booted b;
  ASSERT_TRUE(b.start_status.ok());
  hal::DmaBuffer src = b.Buffer(4), dst = b.Buffer(4);
  // First piece starts 512 bytes into a page; the middle piece fills a page;
  // the last ends mid-page: 3584 + 4096 + 1024 = 8704 bytes = 17 blocks.
  const DataSegment wseg[] = {
      {src.bus + 512, 3584}, {src.bus + 4096, 4096}, {src.bus + 8192, 1024}};
  const DataSegment rseg[] = {
      {dst.bus + 512, 3584}, {dst.bus + 4096, 4096}, {dst.bus + 8192, 1024}};
  Fill(src.cpu + 512, 3584 + 4096 + 1024, 3);
  BlockRequest w;
  w.op = BlockOp::kWrite;
  w.slba = 100;
  w.blocks = 17;
  w.segments = wseg;
  w.segment_count = 3;
  const BlockResult wr = b.Do(w);
  ASSERT_TRUE(wr.status.ok()) << wr.status.ToString();
  EXPECT_EQ(wr.commands, 1u);
  // The write used a PRP list: 4 pages touched -> PRP2 points at a list.
  const auto& last = b.rig.dev.received().back();
  EXPECT_EQ(last.sqe.opcode, kIo(spec::NvmOpcode::kWrite));
  EXPECT_EQ(last.sqe.prp1, src.bus + 512);
  EXPECT_EQ(last.sqe.prp2 % 4096, 0u);
  EXPECT_NE(last.sqe.prp2, src.bus + 4096);  // a list, not the second page
  EXPECT_EQ(std::memcmp(b.rig.dev.NamespaceData(1) + 100 * 512, src.cpu + 512, 8704), 0);
  BlockRequest r = w;
  r.op = BlockOp::kRead;
  r.segments = rseg;
  const BlockResult rr = b.Do(r);
  ASSERT_TRUE(rr.status.ok());
  EXPECT_EQ(std::memcmp(dst.cpu + 512, src.cpu + 512, 8704), 0);
}

TEST(ControllerIo, TwoPageTransferUsesPrp2Directly) {
  Booted b;
  hal::DmaBuffer buf = b.Buffer(2);
  const DataSegment seg[] = {{buf.bus + 1024, 4096}};  // crosses one page boundary
  BlockRequest w;
  w.op = BlockOp::kWrite;
  w.blocks = 8;
  w.segments = seg;
  w.segment_count = 1;
  ASSERT_TRUE(b.Do(w).status.ok());
  const auto& s = b.rig.dev.received().back().sqe;
  EXPECT_EQ(s.prp1, buf.bus + 1024);
  EXPECT_EQ(s.prp2, buf.bus + 4096);
}

TEST(ControllerIo, MdtsSplitsLargeTransfers) {
  FakeControllerConfig cfg;
  cfg.mdts = 1;  // 8 KiB per command
  Booted b(cfg);
  ASSERT_EQ(b.ctrl->info().max_transfer_bytes, 8192u);
  hal::DmaBuffer src = b.Buffer(17), dst = b.Buffer(17);
  Fill(src.cpu + 256, 65536, 9);
  const DataSegment wseg[] = {{src.bus + 256, 65536}};
  const DataSegment rseg[] = {{dst.bus + 256, 65536}};
  BlockRequest w;
  w.op = BlockOp::kWrite;
  w.slba = 8;
  w.blocks = 128;
  w.segments = wseg;
  w.segment_count = 1;
  const size_t before = b.rig.dev.CountOpcode(1, kIo(spec::NvmOpcode::kWrite));
  const BlockResult wr = b.Do(w);
  ASSERT_TRUE(wr.status.ok()) << wr.status.ToString();
  EXPECT_EQ(wr.commands, 8u);
  EXPECT_EQ(b.rig.dev.CountOpcode(1, kIo(spec::NvmOpcode::kWrite)) - before, 8u);
  uint64_t next_lba = 8;
  for (const auto& rc : b.rig.dev.received()) {
    if (rc.qid == 0 || rc.sqe.opcode != kIo(spec::NvmOpcode::kWrite)) continue;
    EXPECT_EQ(rc.sqe.cdw10, next_lba);
    EXPECT_EQ(rc.sqe.cdw12 & 0xFFFF, 15u);  // 16 blocks, 0-based
    next_lba += 16;
  }
  BlockRequest r = w;
  r.op = BlockOp::kRead;
  r.segments = rseg;
  ASSERT_TRUE(b.Do(r).status.ok());
  EXPECT_EQ(std::memcmp(dst.cpu + 256, src.cpu + 256, 65536), 0);
}

TEST(ControllerIo, SglWhenOfferedAndRefusedLayoutWithoutIt) {
  FakeControllerConfig cfg;
  cfg.sgls = 1;
  Booted b(cfg);
  hal::DmaBuffer src = b.Buffer(2), dst = b.Buffer(2);
  Fill(src.cpu, 8192, 5);
  // Not PRP-describable: the first piece ends mid-page.
  const DataSegment wseg[] = {{src.bus, 512}, {src.bus + 1024, 512}};
  BlockRequest w;
  w.op = BlockOp::kWrite;
  w.blocks = 2;
  w.segments = wseg;
  w.segment_count = 2;
  ASSERT_TRUE(b.Do(w).status.ok());
  const auto& s = b.rig.dev.received().back().sqe;
  EXPECT_EQ(s.psdt(), spec::DataPointerType::kSglMptrContiguous);
  EXPECT_EQ(s.sgl().type(), spec::SglDescriptorType::kLastSegment);
  EXPECT_EQ(std::memcmp(b.rig.dev.NamespaceData(1), src.cpu, 512), 0);
  EXPECT_EQ(std::memcmp(b.rig.dev.NamespaceData(1) + 512, src.cpu + 1024, 512), 0);
  const DataSegment rseg[] = {{dst.bus + 4, 1024}};  // dword-aligned single piece
  BlockRequest r = w;
  r.op = BlockOp::kRead;
  r.segments = rseg;
  r.segment_count = 1;
  ASSERT_TRUE(b.Do(r).status.ok());
  EXPECT_EQ(b.rig.dev.received().back().sqe.sgl().type(), spec::SglDescriptorType::kDataBlock);

  Booted nosgl;  // SGLS = 0: the same layout cannot be described
  hal::DmaBuffer x = nosgl.Buffer(2);
  const DataSegment bad[] = {{x.bus, 512}, {x.bus + 1024, 512}};
  w.segments = bad;
  const spec::Status st = nosgl.ctrl->Submit(w, [](const BlockResult&) { FAIL(); });
  EXPECT_TRUE(st.Is(spec::GenericStatus::kPrpOffsetInvalid)) << st.ToString();
}

TEST(ControllerIo, FlushWriteZeroesDeallocateCompareCopy) {
  Booted b;
  hal::DmaBuffer buf = b.Buffer(1);
  Fill(buf.cpu, 4096, 1);
  const DataSegment seg[] = {{buf.bus, 4096}};
  BlockRequest w;
  w.op = BlockOp::kWrite;
  w.slba = 0;
  w.blocks = 8;
  w.fua = true;
  w.segments = seg;
  w.segment_count = 1;
  ASSERT_TRUE(b.Do(w).status.ok());
  EXPECT_EQ(b.rig.dev.received().back().sqe.cdw12 >> 30 & 1, 1u);  // FUA
  BlockRequest c = w;
  c.op = BlockOp::kCompare;
  c.fua = false;
  EXPECT_TRUE(b.Do(c).status.ok());
  buf.cpu[100] ^= 0xFF;
  const BlockResult mismatch = b.Do(c);
  EXPECT_TRUE(mismatch.status.Is(spec::MediaStatus::kCompareFailure));
  EXPECT_STREQ(mismatch.status_name(), "Compare Failure");
  buf.cpu[100] ^= 0xFF;
  const LbaRange src[] = {{0, 8}};
  BlockRequest cp;
  cp.op = BlockOp::kCopy;
  cp.slba = 64;
  cp.ranges = src;
  cp.range_count = 1;
  ASSERT_TRUE(b.Do(cp).status.ok());
  EXPECT_EQ(std::memcmp(b.rig.dev.NamespaceData(1) + 64 * 512, buf.cpu, 4096), 0);
  BlockRequest wz;
  wz.op = BlockOp::kWriteZeroes;
  wz.slba = 64;
  wz.blocks = 4;
  ASSERT_TRUE(b.Do(wz).status.ok());
  EXPECT_EQ(b.rig.dev.NamespaceData(1)[64 * 512 + 10], 0);
  EXPECT_NE(std::memcmp(b.rig.dev.NamespaceData(1) + 68 * 512, buf.cpu + 4 * 512, 4 * 512), 1);
  BlockRequest d;
  d.op = BlockOp::kDeallocate;
  d.slba = 0;
  d.blocks = 8;
  ASSERT_TRUE(b.Do(d).status.ok());
  EXPECT_EQ(b.rig.dev.received().back().sqe.cdw11, 4u);  // AD
  EXPECT_EQ(b.rig.dev.NamespaceData(1)[5], 0);
  BlockRequest f;
  f.op = BlockOp::kFlush;
  ASSERT_TRUE(b.Do(f).status.ok());
  EXPECT_EQ(b.rig.dev.received().back().sqe.opcode, kIo(spec::NvmOpcode::kFlush));
}

TEST(ControllerIo, RefusesUnknownNamespaceAndShortBuffer) {
  Booted b;
  hal::DmaBuffer buf = b.Buffer(1);
  const DataSegment seg[] = {{buf.bus, 1024}};
  BlockRequest r;
  r.op = BlockOp::kRead;
  r.nsid = 7;
  r.blocks = 1;
  r.segments = seg;
  r.segment_count = 1;
  EXPECT_TRUE(b.ctrl->Submit(r, nullptr).Is(spec::GenericStatus::kInvalidNamespaceOrFormat));
  r.nsid = 1;
  r.blocks = 4;  // 2048 bytes > 1024
  EXPECT_TRUE(b.ctrl->Submit(r, nullptr).Is(spec::GenericStatus::kDataSglLengthInvalid));
  r.blocks = 1;
  r.slba = 4096;  // beyond NSZE: the controller says so
  const BlockResult res = b.Do(r);
  EXPECT_TRUE(res.status.Is(spec::GenericStatus::kLbaOutOfRange));
}

// Brings `ctrl` up without interrupts: the admin completions are reaped by polling.
bool StartPolling(testing::TestRig& rig, Controller& ctrl) {
  bool ready = false;
  ctrl.Start([&](spec::Status s) { ready = s.ok(); });
  for (int i = 0; i < 10000 && !ready; ++i) {
    rig.RunUntil([&] { return true; });
    rig.dev.Process();
    ctrl.Poll();
    if (!ready && rig.clock.has_timers()) rig.clock.FireNext();
  }
  return ready;
}

TEST(ControllerIo, PollingModeReapsOnlyOnPoll) {
  auto opt = FastOptions();
  opt.use_interrupts = false;
  testing::TestRig rig;
  Controller ctrl(rig.platform, opt);
  ASSERT_TRUE(StartPolling(rig, ctrl)) << rig.log.Dump();
  EXPECT_EQ(rig.irq.granted(), 0u);
  BlockRequest f;
  f.op = BlockOp::kFlush;
  bool done = false;
  ASSERT_TRUE(ctrl.Submit(f, [&](const BlockResult&) { done = true; }).ok());
  rig.dev.Process();
  EXPECT_FALSE(done);
  EXPECT_EQ(ctrl.Poll(), 1u);
  EXPECT_TRUE(done);
}

TEST(ControllerIo, CommandsSubmittedWhileReapingRingTheDoorbellOnce) {
  auto opt = FastOptions();
  opt.use_interrupts = false;
  testing::TestRig rig;
  Controller ctrl(rig.platform, opt);
  ASSERT_TRUE(StartPolling(rig, ctrl)) << rig.log.Dump();
  // Four flushes; each completion submits a follow-up from its callback.
  int followups_done = 0;
  BlockRequest f;
  f.op = BlockOp::kFlush;
  f.queue = 0;  // all on the first I/O queue
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(
        ctrl.Submit(f,
                    [&](const BlockResult&) {
                      ASSERT_TRUE(
                          ctrl.Submit(f, [&](const BlockResult&) { ++followups_done; }).ok());
                    })
            .ok());
  }
  rig.dev.Process();
  auto sq_doorbells = [&] {
    uint64_t n = 0;
    for (uint16_t qid = 1; ctrl.queue(qid) != nullptr; ++qid)
      n += ctrl.queue(qid)->stats().sq_doorbells;
    return n;
  };
  const uint64_t rung = sq_doorbells();
  EXPECT_EQ(ctrl.Poll(), 4u);
  EXPECT_EQ(sq_doorbells() - rung, 1u);  // four follow-ups, one doorbell write
  rig.dev.Process();
  EXPECT_EQ(ctrl.Poll(), 4u);
  EXPECT_EQ(followups_done, 4);
}

TEST(ControllerShutdown, DeletesQueuesAndWaitsForShutdownStatus) {
  Booted b;
  bool done = false;
  spec::Status st(spec::GenericStatus::kInternalError);
  b.ctrl->Shutdown([&](spec::Status s) {
    st = s;
    done = true;
  });
  ASSERT_TRUE(b.rig.RunUntil([&] { return done; }));
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(b.ctrl->state(), ControllerState::kShutdown);
  EXPECT_EQ(b.rig.dev.CountOpcode(0, kAdm(spec::AdminOpcode::kDeleteIoSq)), 4u);
  EXPECT_EQ(b.rig.dev.CountOpcode(0, kAdm(spec::AdminOpcode::kDeleteIoCq)), 4u);
  EXPECT_EQ(spec::CcRegister{b.rig.dev.cc_raw()}.shn(), 1u);
  BlockRequest f;
  f.op = BlockOp::kFlush;
  EXPECT_TRUE(b.ctrl->Submit(f, nullptr).Is(spec::PathStatus::kHostPathingError));
}

}  // namespace
}  // namespace nvmesim::driver
