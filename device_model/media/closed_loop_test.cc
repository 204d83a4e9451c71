#include "device_model/media/closed_loop.h"

#include <gtest/gtest.h>

#include <cmath>

#include "device_model/media/media_model.h"

namespace nvmesim::device::media {
namespace {

pcie::LinkTiming Gen5x4() {
  pcie::LinkConfig c;
  c.generation = 5;
  c.width = 4;
  c.max_payload_size = 256;
  c.max_read_request_size = 512;
  return pcie::LinkTiming(c);
}

TEST(ClosedLoop, UnlimitedMediaSaturatesTheAnalyticReadCeiling) {
  UnlimitedMedia media;
  ClosedLoop loop(media, Gen5x4());
  LoopWorkload w;
  w.queue_depth = 256;
  w.ios = 40'000;
  w.warmup_ios = 1000;
  const double ceiling = ClosedLoop::ReadIopsCeiling(Gen5x4(), 4096);
  const LoopResult r = loop.Run(w);
  EXPECT_NEAR(r.iops / ceiling, 1.0, 0.01);
  // The ceiling itself: 4 KiB in 16 TLPs of 256 B on Gen5 x4 is about 3.4M IOPS.
  EXPECT_GT(ceiling, 3.3e6);
  EXPECT_LT(ceiling, 3.6e6);
}

TEST(ClosedLoop, UnlimitedMediaSaturatesTheAnalyticWriteCeiling) {
  UnlimitedMedia media;
  ClosedLoop loop(media, Gen5x4());
  LoopWorkload w;
  w.write = true;
  w.random = false;
  w.block_bytes = 128 * 1024;
  w.queue_depth = 32;
  w.ios = 2000;
  w.warmup_ios = 100;
  const LoopResult r = loop.Run(w);
  EXPECT_NEAR(r.iops / ClosedLoop::WriteIopsCeiling(Gen5x4(), 128 * 1024), 1.0, 0.01);
}

TEST(ClosedLoop, MediaLatencyAddsOneForOneAtQd1) {
  ZeroMediaTiming zero;
  FixedMediaTiming fixed(10'000'000, 0);  // 10 us reads
  ClosedLoop a(zero, Gen5x4()), b(fixed, Gen5x4());
  LoopWorkload w;
  w.ios = 100;
  const LoopResult ra = a.Run(w), rb = b.Run(w);
  EXPECT_EQ(rb.mean_ps, ra.mean_ps + 10'000'000);
  EXPECT_EQ(rb.p99_ps, ra.p99_ps + 10'000'000);
  // Host costs and the link give the rest: a few microseconds.
  EXPECT_GT(ra.mean_ps, 1'000'000u);
  EXPECT_LT(ra.mean_ps, 3'000'000u);
}

TEST(ClosedLoop, LittlesLawWhenTheMediaIsTheLimit) {
  FixedMediaTiming fixed(100'000'000, 0);  // 100 us, unlimited parallelism
  ClosedLoop loop(fixed, Gen5x4());
  LoopWorkload w;
  w.queue_depth = 32;
  w.ios = 5'000;
  w.warmup_ios = 64;
  const LoopResult r = loop.Run(w);
  EXPECT_NEAR(r.iops, 32.0 / (static_cast<double>(r.mean_ps) / 1e12), r.iops * 0.01);
}

TEST(ClosedLoop, TimeSeriesCountsCompletionsPerInterval) {
  FixedMediaTiming fixed(100'000'000, 0);
  ClosedLoop loop(fixed, Gen5x4());
  LoopWorkload w;
  w.queue_depth = 10;
  w.ios = 10'000;
  w.interval_ps = 10'000'000'000;  // 10 ms
  const LoopResult r = loop.Run(w);
  ASSERT_GE(r.interval_iops.size(), 5u);
  for (double v : r.interval_iops) EXPECT_NEAR(v, r.iops, r.iops * 0.05);
}

TEST(ClosedLoop, Deterministic) {
  auto run = [] {
    MediaProfile p;
    p.name = "d";
    p.nand.blocks_per_plane = 256;
    p.nand.pages_per_block = 16;
    EXPECT_EQ(ValidateProfile(p), "");
    MediaModel m(p);
    ClosedLoop loop(m, Gen5x4());
    LoopWorkload w;
    w.write = true;
    w.queue_depth = 64;
    w.span_bytes = 1ull << 30;
    w.ios = 5'000;
    w.seed = 42;
    const LoopResult r = loop.Run(w);
    return std::make_tuple(r.elapsed_ps, r.mean_ps, r.p99_ps, m.Stats().nand.programs);
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace nvmesim::device::media
