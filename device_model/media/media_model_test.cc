#include "device_model/media/media_model.h"

#include <gtest/gtest.h>

#include <vector>

namespace nvmesim::device::media {
namespace {

using Kind = device::MediaOp::Kind;
constexpr uint64_t kUs = 1'000'000;  // ps

// 2 dies on 2 channels, 2 planes; program unit 8 units (32 KiB); 1 core at
// 1 GHz, 1,000 cycles per command (1 us); DRAM 1,000 MB/s (4 KiB = 4.096 us);
// channel 1,000 MT/s (4 KiB = 4.096 us); tR 50 us, tPROG 500 us, tBERS 3 ms.
MediaProfile Small() {
  MediaProfile p;
  p.name = "small";
  p.nand.channels = 2;
  p.nand.dies_per_channel = 1;
  p.nand.planes_per_die = 2;
  p.nand.blocks_per_plane = 16;
  p.nand.pages_per_block = 4;
  p.nand.page_bytes = 16384;
  p.nand.spare_bytes = 0;
  p.nand.pages_per_program = 1;
  p.nand.t_read_ns = 50'000;
  p.nand.t_prog_ns = 500'000;
  p.nand.t_erase_ns = 3'000'000;
  p.nand.channel_mts = 1000;
  p.nand.t_cmd_ns = 100;
  p.controller.cores = 1;
  p.controller.clock_mhz = 1000;
  p.controller.read_cycles = p.controller.write_cycles = p.controller.flush_cycles = 1000;
  p.controller.deallocate_cycles = p.controller.other_cycles = 1000;
  p.cache.bytes = 256 * 1024;
  p.cache.bandwidth_mbps = 1000;
  p.ftl.over_provisioning = 0.5;
  p.ftl.gc_low_superblocks = 2;
  p.ftl.gc_high_superblocks = 3;
  return p;
}

device::MediaOp Op(Kind k, uint64_t slba, uint64_t nlb = 1, bool fua = false) {
  device::MediaOp op;
  op.kind = k;
  op.nsid = 1;
  op.slba = slba;
  op.nlb = nlb;
  op.bytes = nlb * 4096;
  op.fua = fua;
  return op;
}

TEST(MediaModel, WriteIsAcknowledgedFromTheBuffer) {
  MediaModel m(Small());
  // Core 1 us + DRAM copy 4.096 us; no NAND program yet.
  EXPECT_EQ(m.LatencyPs(Op(Kind::kWrite, 0), 0), 1 * kUs + 4'096'000);
  EXPECT_EQ(m.Stats().nand.programs, 0u);
}

TEST(MediaModel, WithoutABufferTheWriteWaitsForItsProgram) {
  MediaProfile p = Small();
  p.cache.bytes = 0;
  MediaModel m(p);
  // Core 1 us, then the padded 32 KiB unit: command 0.1 us + 32.768 us in, tPROG 500 us.
  EXPECT_EQ(m.LatencyPs(Op(Kind::kWrite, 0), 0), 1 * kUs + 100'000 + 32'768'000 + 500 * kUs);
  EXPECT_EQ(m.Stats().ftl.pad_units, 7u);
}

TEST(MediaModel, FuaWaitsForDurabilityUnlessPowerLossProtected) {
  MediaModel m(Small());
  const uint64_t fua = m.LatencyPs(Op(Kind::kWrite, 0, 1, true), 0);
  EXPECT_GT(fua, 500 * kUs);
  MediaProfile p = Small();
  p.cache.power_loss_protected = true;
  MediaModel plp(p);
  EXPECT_EQ(plp.LatencyPs(Op(Kind::kWrite, 0, 1, true), 0), 1 * kUs + 4'096'000);
}

TEST(MediaModel, ReadHitsTheBufferUntilTheProgramIsDone) {
  MediaModel m(Small());
  m.LatencyPs(Op(Kind::kWrite, 5), 0);
  // Still in the buffer: core + DRAM.
  EXPECT_EQ(m.LatencyPs(Op(Kind::kRead, 5), 10 * kUs), 1 * kUs + 4'096'000);
  EXPECT_EQ(m.Stats().buffer_read_units, 1u);
  // Flush programs it; afterwards the read goes to NAND: core, command, tR, transfer.
  const uint64_t flush = m.LatencyPs(Op(Kind::kFlush, 0, 0), 20 * kUs);
  EXPECT_GT(flush, 500 * kUs);
  const uint64_t later = 20 * kUs + flush + 10 * kUs;
  EXPECT_EQ(m.LatencyPs(Op(Kind::kRead, 5), later), 1 * kUs + 100'000 + 50 * kUs + 4'096'000);
  EXPECT_EQ(m.Stats().nand_read_units, 1u);
  // A flush with nothing buffered costs only the core.
  EXPECT_EQ(m.LatencyPs(Op(Kind::kFlush, 0, 0), later + 100 * kUs), 1 * kUs);
}

TEST(MediaModel, UnwrittenReadsCostOnlyTheFirmware) {
  MediaModel m(Small());
  EXPECT_EQ(m.LatencyPs(Op(Kind::kRead, 100), 0), 1 * kUs);
  EXPECT_EQ(m.Stats().unwritten_read_units, 1u);
}

TEST(MediaModel, TheLastCallsFirmwareEndSplitsItsLatency) {
  MediaModel m(Small());
  EXPECT_EQ(m.LatencyPs(Op(Kind::kRead, 100), 0), 1 * kUs);
  EXPECT_EQ(m.LastFirmwareDonePs(), 1 * kUs);  // unwritten: all firmware
  // The second read waits for the single core: its firmware ends at 2 us.
  EXPECT_EQ(m.LatencyPs(Op(Kind::kRead, 101), 0), 2 * kUs);
  EXPECT_EQ(m.LastFirmwareDonePs(), 2 * kUs);
  // A write's firmware ends before its buffer copy (the rest of the latency).
  const uint64_t w = m.LatencyPs(Op(Kind::kWrite, 0), 10 * kUs);
  EXPECT_GT(m.LastFirmwareDonePs(), 10 * kUs);
  EXPECT_LT(m.LastFirmwareDonePs(), 10 * kUs + w);
}

TEST(MediaModel, CommandsQueueForTheCores) {
  MediaModel one(Small());
  EXPECT_EQ(one.LatencyPs(Op(Kind::kRead, 100), 0), 1 * kUs);
  EXPECT_EQ(one.LatencyPs(Op(Kind::kRead, 101), 0), 2 * kUs);
  MediaProfile p = Small();
  p.controller.cores = 2;
  MediaModel two(p);
  EXPECT_EQ(two.LatencyPs(Op(Kind::kRead, 100), 0), 1 * kUs);
  EXPECT_EQ(two.LatencyPs(Op(Kind::kRead, 101), 0), 1 * kUs);
}

TEST(MediaModel, SustainedWritesRunAtTheProgramRate) {
  MediaModel m(Small());
  uint64_t now = 0;
  const int n = 640;  // fewer than the GC threshold leaves room for: no GC
  for (int i = 0; i < n; ++i) now += m.LatencyPs(Op(Kind::kWrite, i), now);
  EXPECT_EQ(m.Stats().gc_passes, 0u);
  // Two dies, each programs 8 units per 500 us (plus its 32.9 us of input
  // when the channel is idle): about 16 units per 500 us.
  const double expected = n / 16.0 * 500 * kUs;
  EXPECT_GT(static_cast<double>(now), 0.9 * expected);
  EXPECT_LT(static_cast<double>(now), 1.15 * expected);
  EXPECT_GT(m.Stats().buffer_stall_ps, 0u);
  EXPECT_LE(m.Stats().buffer_peak_bytes, 256u * 1024);
}

TEST(MediaModel, GcRelocatesAndEveryProgramIsCounted) {
  MediaModel m(Small());
  const uint64_t user = m.geometry().user_units;
  m.Fill(1, 0, user, 4096);
  uint64_t now = 0, x = 7;
  for (int i = 0; i < 3000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    now += m.LatencyPs(Op(Kind::kWrite, (x >> 33) % user), now);
  }
  const MediaStats s = m.Stats();
  EXPECT_GT(s.gc_passes, 0u);
  EXPECT_GT(s.ftl.gc_units, 0u);
  EXPECT_GT(s.ftl.WriteAmplification(), 1.0);
  // NAND programs carry exactly the host, GC and pad units (the open host and
  // GC units aside).
  const uint64_t units = s.ftl.host_units + s.ftl.gc_units + s.ftl.pad_units;
  EXPECT_LE(s.nand.programs * 8, units);
  EXPECT_GT(s.nand.programs * 8 + 16, units);
  EXPECT_EQ(s.nand.erases, s.ftl.erased_superblocks * 2);  // both dies per superblock
}

TEST(MediaModel, DeallocatedBlocksReadAsUnwritten) {
  MediaModel m(Small());
  m.Fill(1, 0, 64, 4096);
  EXPECT_GT(m.LatencyPs(Op(Kind::kRead, 10), 0), 50 * kUs);
  EXPECT_EQ(m.LatencyPs(Op(Kind::kDeallocate, 8, 8), 100 * kUs), 1 * kUs);
  EXPECT_EQ(m.LatencyPs(Op(Kind::kRead, 10), 200 * kUs), 1 * kUs);
  EXPECT_EQ(m.Stats().ftl.trimmed_units, 8u);
  // The seam's Dataset Management op without a range changes nothing.
  EXPECT_EQ(m.LatencyPs(Op(Kind::kDeallocate, 0, 0), 300 * kUs), 1 * kUs);
  EXPECT_EQ(m.Stats().ftl.trimmed_units, 8u);
}

TEST(MediaModel, ZoneResetErasesAndNeverCollects) {
  MediaModel m(Small());
  m.ConfigureZoned(2, 64, 4096);  // one superblock per zone
  device::MediaOp w = Op(Kind::kWrite, 0, 8);
  w.nsid = 2;
  uint64_t now = 0;
  for (int z = 0; z < 3; ++z)
    for (int i = 0; i < 8; ++i) {
      w.slba = z * 64 + i * 8;
      now += m.LatencyPs(w, now);
    }
  EXPECT_EQ(m.Stats().ftl.host_units, 192u);
  const uint64_t reset = m.ZoneResetPs(2, 64, now);
  EXPECT_GE(reset, 3000 * kUs);  // tBERS
  EXPECT_EQ(m.Stats().ftl.gc_units, 0u);
  device::MediaOp r = Op(Kind::kRead, 64);
  r.nsid = 2;
  m.LatencyPs(r, now + reset);
  EXPECT_EQ(m.Stats().unwritten_read_units, 1u);
}

TEST(MediaModel, ReadsSuspendAProgramWhenTheProfileAllows) {
  auto read_during_program = [](bool suspend) {
    MediaProfile p = Small();
    p.nand.suspend = suspend;
    p.nand.t_suspend_ns = 10'000;
    MediaModel m(p);
    m.Fill(1, 100, 1, 4096);  // on die 0 (then padded to the unit's end)
    uint64_t now = 0;
    for (int i = 0; i < 16; ++i) now += m.LatencyPs(Op(Kind::kWrite, 200 + i), now);
    // Units 8..15 program on die 1, 16..23 on die 0.
    // The die-0 program has its data in by ~180 us and runs until ~680 us.
    const uint64_t t = std::max<uint64_t>(now, 300 * kUs);
    const uint64_t latency = m.LatencyPs(Op(Kind::kRead, 100), t);
    return std::make_pair(latency, m.Stats().nand.suspends);
  };
  const auto [waits, none] = read_during_program(false);
  const auto [suspends, one] = read_during_program(true);
  EXPECT_EQ(none, 0u);
  EXPECT_EQ(one, 1u);
  EXPECT_GT(waits, 300 * kUs);
  // Core 1 us, command 0.1 us, suspend 10 us, tR 50 us, 4 KiB out 4.096 us.
  EXPECT_EQ(suspends, 1 * kUs + 100'000 + 10 * kUs + 50 * kUs + 4'096'000);
}

TEST(MediaModel, SameInputsSameTimes) {
  auto run = [] {
    MediaModel m(Small());
    std::vector<uint64_t> out;
    uint64_t now = 0, x = 3;
    for (int i = 0; i < 4000; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      const Kind k = (x >> 60) < 6 ? Kind::kWrite : (x >> 60) < 15 ? Kind::kRead : Kind::kFlush;
      const uint64_t l = m.LatencyPs(Op(k, (x >> 20) % 600, 1 + (x >> 40) % 4), now);
      out.push_back(l);
      now += 2 * kUs;
    }
    out.push_back(m.Stats().ftl.gc_units);
    return out;
  };
  EXPECT_EQ(run(), run());
}

TEST(MediaModel, PrefetchChangesNoResult) {
  auto run = [](bool prefetch) {
    MediaModel m(Small());
    std::vector<uint64_t> out;
    uint64_t now = 0, x = 5;
    for (int i = 0; i < 4000; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      const Kind k = (x >> 60) < 7 ? Kind::kWrite : Kind::kRead;
      const device::MediaOp op = Op(k, (x >> 20) % 600, 1 + (x >> 40) % 4);
      if (prefetch) {
        m.Prefetch(op);
        m.Prefetch(Op(Kind::kRead, (x >> 8) % 100000));  // beyond anything written
      }
      out.push_back(m.LatencyPs(op, now));
      now += 2 * kUs;
    }
    out.push_back(m.Stats().ftl.gc_units);
    return out;
  };
  EXPECT_EQ(run(true), run(false));
}

TEST(MakeMediaTiming, BuildsTheModelTheProfileAsksFor) {
  std::string error;
  MediaProfile p = Small();
  auto m = MakeMediaTiming(p, &error);
  ASSERT_NE(m, nullptr);
  EXPECT_NE(dynamic_cast<MediaModel*>(m.get()), nullptr);
  p.unlimited = true;
  auto u = MakeMediaTiming(p, &error);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->LatencyPs(Op(Kind::kRead, 0), 0), 0u);
  p = Small();
  p.nand.channels = 0;
  EXPECT_EQ(MakeMediaTiming(p, &error), nullptr);
  EXPECT_EQ(error, "small: nand.channels: 0 is not 1..64");
}

}  // namespace
}  // namespace nvmesim::device::media
