// Queue protocol corners: phase and queue wrap, CID reuse with generation,
// unknown / out-of-range / stale CIDs, stale phase, SQHD flow control,
// back-pressure, doorbell batching, a 65,535-entry queue.
#include "driver/queue_pair.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "driver/commands.h"
#include "driver/controller.h"
#include "driver/testing/driver_rig.h"
#include "spec/opcodes.h"
#include "spec/registers.h"

namespace nvmesim::driver {
namespace {

using testing::Booted;
using testing::FakeControllerConfig;
using testing::FastOptions;

ControllerOptions Depth(uint32_t depth, uint32_t queues = 1) {
  ControllerOptions o = FastOptions();
  o.config.queue_depth = depth;
  o.config.queue_count = queues;
  return o;
}

BlockRequest Flush() {
  BlockRequest f;
  f.op = BlockOp::kFlush;
  return f;
}

TEST(QueueProtocol, PhaseAndQueueWrap) {
  Booted b({}, Depth(4));
  const QueuePair* q = b.ctrl->queue(1);
  ASSERT_NE(q, nullptr);
  ASSERT_EQ(q->entries(), 4u);
  EXPECT_TRUE(q->phase());
  // 10 commands one by one: the CQ wraps twice (phase 1 -> 0 -> 1) and the
  // SQ tail wraps with it.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(b.Do(Flush()).status.ok()) << i;
    if (i == 3) {
      EXPECT_FALSE(q->phase());
    }
  }
  EXPECT_EQ(q->cq_head(), 10 % 4);
  EXPECT_EQ(q->sq_tail(), 10 % 4);
  EXPECT_EQ(q->sq_head(), 10 % 4);  // from SQHD in the completions
  EXPECT_TRUE(q->phase());          // two full passes
  EXPECT_EQ(q->stats().completed, 10u);
  EXPECT_EQ(q->stats().ignored_cqes, 0u);
}

TEST(QueueProtocol, BackPressureWhenQueueIsFull) {
  Booted b({}, Depth(4));
  int done = 0;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(b.ctrl->Submit(Flush(), [&](const BlockResult& r) { done += r.status.ok(); }).ok());
  }
  const QueuePair* q = b.ctrl->queue(1);
  EXPECT_EQ(q->stats().outstanding, 3u);  // one SQ entry always stays empty
  EXPECT_EQ(q->stats().queue_full, 7u);
  b.rig.RunUntil([&] { return done == 10; });
  EXPECT_EQ(done, 10);
  EXPECT_EQ(q->stats().max_outstanding, 3u);
}

TEST(QueueProtocol, SoftwareDepthLimitHoldsTheRestInOrder) {
  Booted b({}, Depth(64));
  const QueuePair* q = b.ctrl->queue(1);
  // The device holds every I/O command so the in-flight count is visible.
  b.rig.dev.swallow = [](uint16_t qid, const spec::Sqe&) { return qid == 1; };
  b.ctrl->SetIoDepthLimit(4);
  EXPECT_EQ(b.ctrl->io_depth_limit(), 4u);
  std::vector<int> order;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(b.ctrl
                    ->Submit(Flush(),
                             [&, i](const BlockResult& r) {
                               if (r.status.ok()) order.push_back(i);
                             })
                    .ok());
  }
  b.rig.RunUntil([&] { return b.rig.dev.held() == 4; });
  EXPECT_EQ(q->stats().outstanding, 4u);
  EXPECT_EQ(q->stats().queue_full, 6u);
  // Completing two lets exactly two of the waiting ones out.
  auto io_cids = [&] {
    std::vector<uint16_t> cids;
    for (const auto& r : b.rig.dev.received()) {
      if (r.qid == 1) cids.push_back(r.sqe.cid);
    }
    return cids;
  };
  std::vector<uint16_t> cids = io_cids();
  ASSERT_EQ(cids.size(), 4u);
  for (int i = 0; i < 2; ++i) b.rig.dev.InjectCqe(1, cids[i], 1, false, spec::Status::Ok(), 0);
  b.rig.RunUntil([&] { return order.size() == 2 && b.rig.dev.held() == 6; },
                 b.rig.clock.NowNs() + 1000);
  EXPECT_EQ(q->stats().outstanding, 4u);
  EXPECT_EQ(q->stats().submitted, 6u);
  // Raising the limit submits the four waiting commands at once (the device
  // now serves them); then the four it held are completed.
  b.rig.dev.swallow = nullptr;
  b.ctrl->SetIoDepthLimit(8);
  EXPECT_EQ(q->stats().submitted, 10u);
  EXPECT_EQ(q->stats().max_outstanding, 8u);
  cids = io_cids();
  ASSERT_GE(cids.size(), 6u);
  for (size_t i = 2; i < 6; ++i) b.rig.dev.InjectCqe(1, cids[i], 1, false, spec::Status::Ok(), 0);
  b.rig.RunUntil([&] { return order.size() == 10; });
  ASSERT_EQ(order.size(), 10u);
  EXPECT_EQ(order[0], 0);
  EXPECT_EQ(order[1], 1);
}

TEST(QueueProtocol, DepthLimitDoesNotApplyToTheAdminQueueAndZeroLifts) {
  Booted b({}, Depth(16));
  b.ctrl->SetIoDepthLimit(1);
  // Admin commands are not limited (the AERs stay outstanding beside them).
  // Get Features 08h (Interrupt Coalescing, base 2.0 5.27.1.8), current value.
  const spec::Sqe id = commands::GetFeatures(0x08, 0);
  bool admin_done = false;
  ASSERT_TRUE(b.ctrl->SubmitAdmin(id, [&](const spec::Cqe&) { admin_done = true; }).ok());
  int done = 0;
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(b.ctrl->Submit(Flush(), [&](const BlockResult& r) { done += r.status.ok(); }).ok());
  }
  b.rig.RunUntil([&] { return done == 6 && admin_done; });
  EXPECT_TRUE(admin_done);
  EXPECT_EQ(b.ctrl->queue(1)->stats().max_outstanding, 1u);
  b.ctrl->SetIoDepthLimit(0);
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(b.ctrl->Submit(Flush(), [&](const BlockResult& r) { done += r.status.ok(); }).ok());
  }
  EXPECT_GT(b.ctrl->queue(1)->stats().outstanding, 1u);
  b.rig.RunUntil([&] { return done == 12; });
  EXPECT_EQ(done, 12);
}

TEST(QueueProtocol, DoorbellBatching) {
  Booted b({}, Depth(64));
  const QueuePair* q = b.ctrl->queue(1);
  const uint64_t before = q->stats().sq_doorbells;
  int done = 0;
  EXPECT_CALL(b.rig.mmio, Write32(::testing::_, ::testing::_)).Times(::testing::AnyNumber());
  EXPECT_CALL(b.rig.mmio, Write32(spec::SqTailDoorbellOffset(1, 0), ::testing::_)).Times(0);
  EXPECT_CALL(b.rig.mmio, Write32(spec::SqTailDoorbellOffset(1, 0), 5u)).Times(1);
  b.ctrl->BeginBatch();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(b.ctrl->Submit(Flush(), [&](const BlockResult&) { ++done; }).ok());
  }
  EXPECT_EQ(q->stats().sq_doorbells, before);
  b.ctrl->EndBatch();
  EXPECT_EQ(q->stats().sq_doorbells, before + 1);
  b.rig.RunUntil([&] { return done == 5; });
  EXPECT_EQ(done, 5);
}

TEST(QueueProtocol, CidReuseCarriesGenerationAndLateCompletionIsIgnored) {
  FakeControllerConfig cfg;
  Booted b(cfg, Depth(2));  // one slot: every command reuses it
  const QueuePair* q = b.ctrl->queue(1);
  ASSERT_EQ(q->slots(), 1u);
  ASSERT_TRUE(b.Do(Flush()).status.ok());
  const uint16_t first_cid = b.rig.dev.received().back().sqe.cid;
  // Second command in the same slot, held by the device.
  b.rig.dev.swallow = [](uint16_t qid, const spec::Sqe&) { return qid == 1; };
  bool done = false;
  ASSERT_TRUE(b.ctrl->Submit(Flush(), [&](const BlockResult&) { done = true; }).ok());
  b.rig.RunUntil([&] { return b.rig.dev.held() == 1; });
  const uint16_t second_cid = b.rig.dev.received().back().sqe.cid;
  EXPECT_NE(first_cid, second_cid);
  EXPECT_EQ(first_cid & 1, second_cid & 1);  // same slot, new generation
  // A late duplicate completion of the first command must not complete the second.
  b.rig.dev.InjectCqe(1, first_cid, 1, false);
  b.rig.RunUntil([&] { return done; }, b.rig.clock.NowNs() + 1000);
  EXPECT_FALSE(done);
  EXPECT_EQ(q->stats().ignored_cqes, 1u);
  EXPECT_EQ(b.rig.log.Count(hal::LogLevel::kWarning, "stale CID generation"), 1u);
  // The real completion does.
  b.rig.dev.InjectCqe(1, second_cid, 1, false);
  b.rig.RunUntil([&] { return done; }, b.rig.clock.NowNs() + 1000);
  EXPECT_TRUE(done);
}

TEST(QueueProtocol, UnknownOutOfRangeWrongQueueAndStalePhaseAreIgnored) {
  Booted b({}, Depth(4));
  const QueuePair* q = b.ctrl->queue(1);
  b.rig.dev.swallow = [](uint16_t qid, const spec::Sqe&) { return qid == 1; };
  bool done = false;
  ASSERT_TRUE(b.ctrl->Submit(Flush(), [&](const BlockResult&) { done = true; }).ok());
  b.rig.RunUntil([&] { return b.rig.dev.held() == 1; });
  const uint16_t cid = b.rig.dev.received().back().sqe.cid;
  const uint64_t t = b.rig.clock.NowNs() + 1000;
  b.rig.dev.InjectCqe(1, static_cast<uint16_t>(cid + 1), 1, false);  // slot not in flight
  b.rig.dev.InjectCqe(1, 3, 1, false);    // slot 3 >= 3 slots: out of range
  b.rig.dev.InjectCqe(1, cid, 2, false);  // right CID, wrong SQ id
  b.rig.RunUntil([&] { return done; }, t);
  EXPECT_FALSE(done);
  EXPECT_EQ(q->stats().ignored_cqes, 3u);
  EXPECT_EQ(b.rig.log.Count(hal::LogLevel::kWarning, "no command in flight"), 1u);
  EXPECT_EQ(b.rig.log.Count(hal::LogLevel::kWarning, "CID out of range"), 1u);
  EXPECT_EQ(b.rig.log.Count(hal::LogLevel::kWarning, "SQ identifier does not match"), 1u);
  // A CQE carrying the previous pass's phase is not new: not consumed.
  const uint16_t head = q->cq_head();
  const uint64_t empty = q->stats().empty_reaps;
  b.rig.dev.InjectCqe(1, cid, 1, true);
  b.rig.RunUntil([&] { return done; }, t + 1000);
  EXPECT_FALSE(done);
  EXPECT_EQ(q->cq_head(), head);
  EXPECT_GT(q->stats().empty_reaps, empty);
  b.rig.dev.InjectCqe(1, cid, 1, false);
  b.rig.RunUntil([&] { return done; }, t + 2000);
  EXPECT_TRUE(done);
  EXPECT_EQ(q->stats().ignored_cqes, 3u);
}

TEST(QueueProtocol, BadSqHeadIsIgnored) {
  Booted b({}, Depth(4));
  const QueuePair* q = b.ctrl->queue(1);
  b.rig.dev.swallow = [](uint16_t qid, const spec::Sqe&) { return qid == 1; };
  bool done = false;
  ASSERT_TRUE(b.ctrl->Submit(Flush(), [&](const BlockResult&) { done = true; }).ok());
  b.rig.RunUntil([&] { return b.rig.dev.held() == 1; });
  const uint16_t cid = b.rig.dev.received().back().sqe.cid;
  b.rig.dev.InjectCqe(1, cid, 1, false, spec::Status::Ok(), /*sq_head=*/9);
  b.rig.RunUntil([&] { return done; }, b.rig.clock.NowNs() + 1000);
  EXPECT_TRUE(done);
  EXPECT_EQ(q->stats().bad_sq_head, 1u);
  EXPECT_LT(q->sq_head(), 4u);
}

TEST(QueueProtocol, SqFlowControlFollowsSqhd) {
  // The device reports SQHD = 0 (it "has not consumed" anything), so after
  // three commands the host must consider the SQ full even with free CIDs.
  Booted b({}, Depth(8));
  const QueuePair* q = b.ctrl->queue(1);
  b.rig.dev.swallow = [](uint16_t qid, const spec::Sqe&) { return qid == 1; };
  int done = 0;
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(b.ctrl->Submit(Flush(), [&](const BlockResult&) { ++done; }).ok());
  }
  b.rig.RunUntil([&] { return b.rig.dev.held() == 7; });
  std::vector<uint16_t> cids;
  for (const auto& r : b.rig.dev.received()) {
    if (r.qid == 1) cids.push_back(r.sqe.cid);
  }
  ASSERT_EQ(cids.size(), 7u);
  for (int i = 0; i < 5; ++i) b.rig.dev.InjectCqe(1, cids[i], 1, false, spec::Status::Ok(), 0);
  b.rig.RunUntil([&] { return done == 5; }, b.rig.clock.NowNs() + 1000);
  EXPECT_EQ(done, 5);
  // 5 CIDs free, but tail 7 + 1 == 8 % 8 == SQHD 0: the SQ is full.
  EXPECT_FALSE(q->CanSubmit());
  bool more = false;
  ASSERT_TRUE(b.ctrl->Submit(Flush(), [&](const BlockResult&) { more = true; }).ok());
  EXPECT_EQ(q->stats().queue_full, 1u);
  EXPECT_EQ(q->stats().submitted, 7u);
}

TEST(QueueProtocol, QueueOf65535EntriesWrapsAndNeverUsesCidFFFF) {
  FakeControllerConfig cfg;
  cfg.mqes = 65535;  // 65,536 entries supported
  auto opt = Depth(65535);
  opt.config.controller_max_queue_depth = 65536;
  Booted b(cfg, opt);
  ASSERT_TRUE(b.start_status.ok()) << b.rig.log.Dump();
  const QueuePair* q = b.ctrl->queue(1);
  ASSERT_EQ(q->entries(), 65535u);
  EXPECT_EQ(q->slots(), 65534u);
  EXPECT_EQ(q->cid_generation_bits(), 0u);
  EXPECT_EQ(b.rig.dev.sq_size(1), 65535u);
  // Fill the queue completely, then complete, twice over: both rings wrap.
  int done = 0;
  int total = 0;
  for (int round = 0; round < 2; ++round) {
    b.ctrl->BeginBatch();
    for (int i = 0; i < 40000; ++i, ++total) {
      ASSERT_TRUE(
          b.ctrl->Submit(Flush(), [&](const BlockResult& r) { done += r.status.ok(); }).ok());
    }
    b.ctrl->EndBatch();
    b.rig.RunUntil([&] { return done == total; });
    ASSERT_EQ(done, total);
  }
  EXPECT_EQ(q->stats().max_outstanding, 40000u);
  EXPECT_EQ(q->cq_head(), 80000 - 65535);
  EXPECT_FALSE(q->phase());
  for (const auto& r : b.rig.dev.received()) EXPECT_NE(r.sqe.cid, 0xFFFF);
  EXPECT_EQ(q->stats().ignored_cqes, 0u);
}

}  // namespace
}  // namespace nvmesim::driver
