#include "device_model/media/nand.h"

#include <gtest/gtest.h>

namespace nvmesim::device::media {
namespace {

MediaProfile Small() {
  MediaProfile p;
  p.name = "small";
  p.nand.channels = 2;
  p.nand.dies_per_channel = 2;
  p.nand.planes_per_die = 2;
  p.nand.page_bytes = 16384;
  p.nand.spare_bytes = 0;
  p.nand.t_read_ns = 50'000;
  p.nand.t_prog_ns = 500'000;
  p.nand.t_erase_ns = 3'000'000;
  p.nand.channel_mts = 1000;  // 1 ns per byte
  p.nand.t_cmd_ns = 100;
  return p;
}

TEST(Calendar, FillsGapsBeforeLaterBookings) {
  Calendar c;
  EXPECT_EQ(c.Reserve(1000, 100), 1000u);
  EXPECT_EQ(c.Reserve(0, 100), 0u);       // fits before
  EXPECT_EQ(c.Reserve(950, 100), 1100u);  // overlaps [1000,1100): goes after
  EXPECT_EQ(c.Reserve(100, 900), 100u);   // exactly the gap [100,1000)
  EXPECT_EQ(c.Reserve(0, 1), 1200u);      // now solid 0..1200
  c.Prune(1200);
  EXPECT_EQ(c.intervals(), 1u);
}

TEST(Nand, ReadTimesCommandArrayAndTransfer) {
  NandArray n(Small());
  // cmd 100 ns, tR 50 us, 4096 bytes at 1000 MT/s = 4.096 us.
  EXPECT_EQ(n.Read(0, 1, 4096, 0), (100 + 50'000 + 4'096) * 1000ull);
}

TEST(Nand, SpareBytesTravelWithTheData) {
  MediaProfile p = Small();
  p.nand.spare_bytes = 2048;  // 1/8 of the page
  NandArray n(p);
  EXPECT_EQ(n.TransferPs(16384), (16384 + 2048) * 1000ull);
}

TEST(Nand, DiesOnOneChannelShareItsTransfers) {
  NandArray n(Small());
  // Dies 0 and 2 are both on channel 0 (die % channels).
  ASSERT_EQ(n.ChannelOf(0), n.ChannelOf(2));
  const uint64_t a = n.Read(0, 1, 16384, 0);
  const uint64_t b = n.Read(2, 1, 16384, 0);
  // Commands go back to back (100 ns each), arrays overlap, the second
  // transfer waits for the first: it ends one transfer time later.
  EXPECT_EQ(a, (100 + 50'000 + 16'384) * 1000ull);
  EXPECT_EQ(b, a + 16'384 * 1000ull);
  // A die on the other channel is not delayed.
  EXPECT_EQ(n.Read(1, 1, 16384, 0), a);
}

TEST(Nand, ADieRunsOneArrayOperationAtATime) {
  NandArray n(Small());
  const uint64_t a = n.Read(0, 1, 4096, 0);
  const uint64_t b = n.Read(0, 2, 4096, 0);  // other plane, same die, no independent reads
  EXPECT_GE(b, a + 50'000'000ull);
}

TEST(Nand, IndependentPlaneReadsOverlap) {
  MediaProfile p = Small();
  p.nand.independent_plane_reads = true;
  NandArray n(p);
  const uint64_t a = n.Read(0, 1, 4096, 0);
  const uint64_t b = n.Read(0, 2, 4096, 0);
  // Second command 100 ns later, its transfer queues behind the first.
  EXPECT_EQ(b, a + 4'096 * 1000ull);
}

TEST(Nand, MultiPlaneReadIsOneArrayTime) {
  NandArray n(Small());
  const uint64_t t = n.Read(0, 0b11, 32768, 0);
  EXPECT_EQ(t, (100 + 50'000 + 32'768) * 1000ull);
  EXPECT_EQ(n.stats().multi_plane_reads, 1u);
}

TEST(Nand, ProgramHoldsTheDieAndReadsWait) {
  NandArray n(Small());
  const uint64_t prog = n.Program(0, 32768, 0);
  EXPECT_EQ(prog, (100 + 32'768 + 500'000) * 1000ull);
  const uint64_t r = n.Read(0, 1, 4096, 1'000'000);
  EXPECT_EQ(r, prog + (50'000 + 4'096) * 1000ull);
  EXPECT_EQ(n.stats().suspends, 0u);
}

TEST(Nand, SuspendLetsAReadGoFirstAndStretchesTheProgram) {
  MediaProfile p = Small();
  p.nand.suspend = true;
  p.nand.t_suspend_ns = 10'000;
  p.nand.t_resume_ns = 5'000;
  NandArray n(p);
  const uint64_t prog = n.Program(0, 32768, 0);
  const uint64_t now = 100'000'000;  // 100 us: program running
  const uint64_t r = n.Read(0, 1, 4096, now);
  const uint64_t start = now + 100'000 + 10'000'000;  // cmd + suspend
  EXPECT_EQ(r, start + (50'000 + 4'096) * 1000ull);
  EXPECT_LT(r, prog);
  EXPECT_EQ(n.stats().suspends, 1u);
  EXPECT_EQ(n.DieFreePs(0), prog + (r - start) + 10'000'000 + 5'000'000);
}

TEST(Nand, EraseTakesTbers) {
  NandArray n(Small());
  EXPECT_EQ(n.Erase(0, 0), (100 + 3'000'000) * 1000ull);
  MediaProfile p = Small();
  p.nand.multi_plane = false;
  NandArray single(p);
  EXPECT_EQ(single.Erase(0, 0), (100 + 2 * 3'000'000) * 1000ull);  // one plane at a time
}

TEST(Nand, ChannelRateUpTo3600MtsIsRepresentable) {
  MediaProfile p = Small();
  p.nand.channel_mts = 3600;
  EXPECT_EQ(ValidateProfile(p), "");
  NandArray n(p);
  EXPECT_EQ(n.TransferPs(3600), 1'000'000u);  // 3600 bytes in 1 us
  p.nand.channel_mts = 3601;
  EXPECT_NE(ValidateProfile(p).find("nand.channel_mts: 3601 is not 1..3600"), std::string::npos);
}

}  // namespace
}  // namespace nvmesim::device::media
