// Optional features and event plumbing: Keep Alive, Interrupt Coalescing,
// shared interrupt vectors, async events other than namespace changes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "driver/controller.h"
#include "driver/internal/nvme_defs.h"
#include "driver/testing/driver_rig.h"
#include "spec/opcodes.h"

namespace nvmesim::driver {
namespace {

using testing::Booted;
using testing::FakeControllerConfig;
using testing::FastOptions;
constexpr uint8_t Adm(spec::AdminOpcode op) { return static_cast<uint8_t>(op); }

const spec::Sqe* FindFeature(const testing::FakeNvmeController& dev, uint8_t fid) {
  for (const auto& r : dev.received()) {
    if (r.qid == 0 && r.sqe.opcode == Adm(spec::AdminOpcode::kSetFeatures) &&
        (r.sqe.cdw10 & 0xFF) == fid) {
      return &r.sqe;
    }
  }
  return nullptr;
}

TEST(Features, KeepAliveIsSetAndSentEveryHalfPeriod) {
  FakeControllerConfig cfg;
  cfg.kas = 1;  // Keep Alive supported (100 ms granularity)
  auto opt = FastOptions();
  opt.keep_alive_ms = 1000;
  Booted b(cfg, opt);
  ASSERT_TRUE(b.start_status.ok());
  const spec::Sqe* kato = FindFeature(b.rig.dev, nvme::kFeatKeepAliveTimer);
  ASSERT_NE(kato, nullptr);
  EXPECT_EQ(kato->cdw11, 1000u);
  b.rig.RunFor(2'100'000'000);  // 2.1 s: keep alive at 0.5, 1.0, 1.5, 2.0 s
  EXPECT_EQ(b.rig.dev.CountOpcode(0, Adm(spec::AdminOpcode::kKeepAlive)), 4u);
}

TEST(Features, KeepAliveNotSetWhenUnsupported) {
  auto opt = FastOptions();
  opt.keep_alive_ms = 1000;
  Booted b({}, opt);  // KAS = 0
  EXPECT_EQ(FindFeature(b.rig.dev, nvme::kFeatKeepAliveTimer), nullptr);
  b.rig.RunFor(2'000'000'000);
  EXPECT_EQ(b.rig.dev.CountOpcode(0, Adm(spec::AdminOpcode::kKeepAlive)), 0u);
  EXPECT_FALSE(b.rig.clock.has_timers());  // idle: nothing keeps the loop alive
}

TEST(Features, InterruptCoalescingAndAsyncEventConfiguration) {
  FakeControllerConfig cfg;
  cfg.oaes = (1u << 8) | (1u << 11) | (1u << 9);
  auto opt = FastOptions();
  opt.coalescing_threshold = 7;
  opt.coalescing_time_100us = 2;
  Booted b(cfg, opt);
  const spec::Sqe* ic = FindFeature(b.rig.dev, nvme::kFeatInterruptCoalescing);
  ASSERT_NE(ic, nullptr);
  EXPECT_EQ(ic->cdw11, 7u | (2u << 8));
  const spec::Sqe* aec = FindFeature(b.rig.dev, nvme::kFeatAsyncEventConfig);
  ASSERT_NE(aec, nullptr);
  EXPECT_EQ(aec->cdw11, 0xFFu | (1u << 8) | (1u << 11));  // only notices the driver handles
}

TEST(Features, FewVectorsAreSharedByIoQueues) {
  Booted b({}, FastOptions(), /*vectors=*/2);
  ASSERT_TRUE(b.start_status.ok());
  EXPECT_EQ(b.ctrl->info().interrupt_vectors, 2u);
  int cq_creates = 0;
  for (const auto& r : b.rig.dev.received()) {
    if (r.sqe.opcode == Adm(spec::AdminOpcode::kCreateIoCq)) {
      EXPECT_EQ(r.sqe.cdw11 >> 16, 1u);  // IV 1 for every I/O CQ
      EXPECT_EQ(r.sqe.cdw11 & 2u, 2u);   // IEN
      ++cq_creates;
    }
  }
  EXPECT_EQ(cq_creates, 4);
  int done = 0;
  for (uint16_t q = 0; q < 4; ++q) {
    BlockRequest f;
    f.op = BlockOp::kFlush;
    f.queue = q;
    ASSERT_TRUE(b.ctrl->Submit(f, [&](const BlockResult& r) { done += r.status.ok(); }).ok());
  }
  b.rig.RunUntil([&] { return done == 4; });
  EXPECT_EQ(done, 4);
  for (uint16_t q = 1; q <= 4; ++q) EXPECT_EQ(b.ctrl->queue_stats(q)->completed, 1u);
}

TEST(AsyncEvents, SmartEventReadsItsLogAndReArms) {
  Booted b;
  b.rig.RunFor(1000);
  std::vector<uint32_t> seen;
  b.ctrl->SetAsyncEventHandler([&](uint32_t dw0) { seen.push_back(dw0); });
  const uint32_t dw0 = 1u | (1u << 8) | (2u << 16);  // SMART / temperature / log 02h
  ASSERT_TRUE(b.rig.dev.TriggerAsyncEvent(dw0));
  b.rig.RunFor(1'000'000);
  ASSERT_EQ(seen, std::vector<uint32_t>{dw0});
  const auto& r = b.rig.dev.received();
  const auto log = std::find_if(r.begin(), r.end(), [](const auto& x) {
    return x.sqe.opcode == static_cast<uint8_t>(spec::AdminOpcode::kGetLogPage);
  });
  ASSERT_NE(log, r.end());
  EXPECT_EQ(log->sqe.cdw10 & 0xFF, 2u);
  EXPECT_EQ(log->sqe.cdw10 & (1u << 15), 0u);  // RAE = 0: the event is cleared
  EXPECT_EQ(b.rig.dev.CountOpcode(0, Adm(spec::AdminOpcode::kAsyncEventRequest)), 5u);
}

TEST(AsyncEvents, AnaChangeGoesToTheMultipathLayer) {
  Booted b;
  b.rig.RunFor(1000);
  std::vector<PathEventKind> kinds;
  b.ctrl->SetPathEventHandler([&](const PathEvent& e) { kinds.push_back(e.kind); });
  ASSERT_TRUE(b.rig.dev.TriggerAsyncEvent(2u | (3u << 8) | (0x0Cu << 16)));
  b.rig.RunFor(1'000'000);
  ASSERT_EQ(kinds.size(), 1u);
  EXPECT_EQ(kinds[0], PathEventKind::kAnaChange);
  // A reset is reported as down, then ready.
  bool reset = false;
  b.ctrl->Reset([&](spec::Status s) { reset = s.ok(); });
  b.rig.RunUntil([&] { return reset; });
  ASSERT_EQ(kinds.size(), 3u);
  EXPECT_EQ(kinds[1], PathEventKind::kControllerDown);
  EXPECT_EQ(kinds[2], PathEventKind::kControllerReady);
}

}  // namespace
}  // namespace nvmesim::driver
