// IoHooks (the admission gate and completion observer the thermal manager
// and optimizer use) and several async-event listeners.
#include <gtest/gtest.h>

#include <vector>

#include "driver/controller.h"
#include "driver/testing/driver_rig.h"

namespace nvmesim::driver {
namespace {

using testing::Booted;

// Admits one request per `period_ns` (a token bucket of depth one), records
// what it sees.
class PacingHooks : public IoHooks {
 public:
  explicit PacingHooks(uint64_t period_ns) : period_(period_ns) {}
  uint64_t AdmitAt(uint64_t now, uint64_t bytes) override {
    ++asked;
    asked_bytes = bytes;
    if (now >= next_) {
      next_ = now + period_;
      return 0;
    }
    return next_;
  }
  uint32_t OnIssued(uint64_t now, uint16_t qid, uint64_t, bool write) override {
    issued_at.push_back(now);
    last_qid = qid;
    last_write = write;
    return 0xABCD0000u + static_cast<uint32_t>(issued_at.size());
  }
  void OnFinished(uint64_t, uint16_t, uint64_t bytes, bool, uint64_t latency_ns, uint32_t token,
                  const spec::Status& status) override {
    tokens.push_back(token);
    finished_bytes += bytes;
    latencies.push_back(latency_ns);
    ok &= status.ok();
  }
  uint64_t period_;
  uint64_t next_ = 0;
  uint64_t asked = 0, asked_bytes = 0, finished_bytes = 0;
  std::vector<uint64_t> issued_at, latencies;
  std::vector<uint32_t> tokens;
  uint16_t last_qid = 0;
  bool last_write = false;
  bool ok = true;
};

TEST(IoHooks, GateHoldsRequestsOnTheClockInOrder) {
  Booted b;
  ASSERT_TRUE(b.start_status.ok());
  PacingHooks hooks(1'000'000);  // one request per ms
  b.ctrl->SetIoHooks(&hooks);
  hal::DmaBuffer buf = b.Buffer(1);
  DataSegment seg{buf.bus, 4096};
  std::vector<int> order;
  for (int i = 0; i < 4; ++i) {
    BlockRequest w;
    w.op = BlockOp::kWrite;
    w.slba = static_cast<uint64_t>(i) * 8;
    w.blocks = 8;  // 4 KiB of 512-byte blocks
    w.segments = &seg;
    w.segment_count = 1;
    ASSERT_TRUE(b.ctrl
                    ->Submit(w,
                             [&order, i](const BlockResult& r) {
                               if (r.status.ok()) order.push_back(i);
                             })
                    .ok());
  }
  // The first goes at once, the other three wait for the gate.
  EXPECT_EQ(hooks.issued_at.size(), 1u);
  EXPECT_EQ(b.ctrl->gated_commands(), 3u);
  b.rig.RunUntil([&] { return order.size() == 4; });
  ASSERT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  ASSERT_EQ(hooks.issued_at.size(), 4u);
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_GE(hooks.issued_at[i] - hooks.issued_at[i - 1], 1'000'000u) << i;
  }
  EXPECT_EQ(hooks.asked_bytes, 4096u);
  EXPECT_TRUE(hooks.last_write);
  EXPECT_EQ(hooks.finished_bytes, 4u * 4096u);
  EXPECT_EQ(hooks.tokens,
            (std::vector<uint32_t>{0xABCD0001u, 0xABCD0002u, 0xABCD0003u, 0xABCD0004u}));
  EXPECT_TRUE(hooks.ok);
  // Latency runs from admission: below the gate's 1 ms spacing.
  for (uint64_t l : hooks.latencies) EXPECT_LT(l, 1'000'000u);
  b.ctrl->SetIoHooks(nullptr);
}

TEST(IoHooks, WithoutHooksNothingIsHeld) {
  Booted b;
  hal::DmaBuffer buf = b.Buffer(1);
  DataSegment seg{buf.bus, 4096};
  BlockRequest r;
  r.op = BlockOp::kRead;
  r.blocks = 8;
  r.segments = &seg;
  r.segment_count = 1;
  EXPECT_TRUE(b.Do(r).status.ok());
  EXPECT_EQ(b.ctrl->gated_commands(), 0u);
}

TEST(IoHooks, ShutdownFailsHeldRequests) {
  Booted b;
  PacingHooks hooks(1'000'000'000);  // 1 s
  b.ctrl->SetIoHooks(&hooks);
  int failed = 0, done = 0;
  for (int i = 0; i < 3; ++i) {
    BlockRequest f;
    f.op = BlockOp::kFlush;
    ASSERT_TRUE(b.ctrl
                    ->Submit(f,
                             [&](const BlockResult& r) {
                               ++done;
                               failed += !r.status.ok();
                             })
                    .ok());
  }
  EXPECT_EQ(b.ctrl->gated_commands(), 2u);
  bool down = false;
  b.ctrl->Shutdown([&](spec::Status) { down = true; });
  b.rig.RunUntil([&] { return down && done == 3; });
  EXPECT_EQ(done, 3);
  EXPECT_GE(failed, 2);                   // the held ones (the one in flight may go too)
  EXPECT_EQ(hooks.issued_at.size(), 1u);  // the held ones never reached the device
  EXPECT_EQ(b.ctrl->gated_commands(), 0u);
  b.ctrl->SetIoHooks(nullptr);
}

TEST(AsyncEventListeners, EveryListenerSeesEveryEvent) {
  Booted b;
  b.rig.RunFor(1000);
  std::vector<uint32_t> primary, second, third;
  b.ctrl->SetAsyncEventHandler([&](uint32_t dw0) { primary.push_back(dw0); });
  b.ctrl->AddAsyncEventListener([&](uint32_t dw0) { second.push_back(dw0); });
  b.ctrl->AddAsyncEventListener([&](uint32_t dw0) { third.push_back(dw0); });
  // SMART / Health status, temperature threshold, log 02h (base 2.0 Figure 148).
  const uint32_t dw0 = 1u | (1u << 8) | (2u << 16);
  ASSERT_TRUE(b.rig.dev.TriggerAsyncEvent(dw0));
  b.rig.RunFor(1'000'000);
  EXPECT_EQ(primary, std::vector<uint32_t>{dw0});
  EXPECT_EQ(second, std::vector<uint32_t>{dw0});
  EXPECT_EQ(third, std::vector<uint32_t>{dw0});
}

}  // namespace
}  // namespace nvmesim::driver
