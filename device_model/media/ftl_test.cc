#include "device_model/media/ftl.h"

#include <gtest/gtest.h>

#include <set>

namespace nvmesim::device::media {
namespace {

// 2 dies (one per channel), 2 planes, 4 pages of 16 KiB per block, 16 blocks:
// program unit 8 mapping units, superblock 64 units, 1024 physical units.
MediaProfile Tiny(double op = 0.5) {
  MediaProfile p;
  p.name = "tiny";
  p.nand.channels = 2;
  p.nand.dies_per_channel = 1;
  p.nand.planes_per_die = 2;
  p.nand.blocks_per_plane = 16;
  p.nand.pages_per_block = 4;
  p.nand.page_bytes = 16384;
  p.nand.pages_per_program = 1;
  p.cache.bytes = 1 << 20;
  p.ftl.over_provisioning = op;
  p.ftl.gc_low_superblocks = 2;
  p.ftl.gc_high_superblocks = 3;
  return p;
}

struct Fixture {
  explicit Fixture(const MediaProfile& p = Tiny())
      : profile(p), g(DeriveGeometry(p)), ftl(g, p.nand, p.ftl) {}
  MediaProfile profile;
  Geometry g;
  Ftl ftl;
};

TEST(FtlGeometry, DerivedFromTheProfile) {
  Fixture f;
  ASSERT_EQ(ValidateProfile(f.profile), "");
  EXPECT_EQ(f.g.units_per_program, 8u);
  EXPECT_EQ(f.g.units_per_superblock, 64u);
  EXPECT_EQ(f.g.physical_units, 1024u);
  EXPECT_EQ(f.g.user_units, 682u);  // 1024 / 1.5
}

TEST(FtlLayout, ProgramUnitsStripeOverDiesAndPlanesFillFirst) {
  Fixture f;
  // Units 0..3: die 0 plane 0; 4..7: die 0 plane 1; 8..15: die 1; 16: die 0 row 1.
  EXPECT_EQ(f.ftl.Locate(0).die, 0u);
  EXPECT_EQ(f.ftl.Locate(3).plane, 0u);
  EXPECT_EQ(f.ftl.Locate(4).plane, 1u);
  EXPECT_EQ(f.ftl.Locate(4).row, 0u);
  EXPECT_EQ(f.ftl.Locate(8).die, 1u);
  EXPECT_EQ(f.ftl.Locate(16).die, 0u);
  EXPECT_EQ(f.ftl.Locate(16).row, 1u);
  EXPECT_EQ(f.ftl.Locate(64).superblock, 1u);
  EXPECT_EQ(f.ftl.Locate(64).row, 0u);
}

TEST(Ftl, OverwriteMovesTheMappingAndInvalidatesTheOldCopy) {
  Fixture f;
  const uint64_t lpn = Ftl::Lpn(1, 7);
  EXPECT_EQ(f.ftl.Lookup(lpn), kUnmapped);
  const uint32_t a = f.ftl.Write(lpn);
  EXPECT_EQ(f.ftl.Lookup(lpn), a);
  const uint32_t b = f.ftl.Write(lpn);
  EXPECT_NE(a, b);
  EXPECT_EQ(f.ftl.Lookup(lpn), b);
  EXPECT_EQ(f.ftl.ValidUnits(0), 1u);
  EXPECT_EQ(f.ftl.stats().mapped_units, 1u);
  EXPECT_EQ(f.ftl.stats().host_units, 2u);
  // Namespaces have separate logical spaces.
  EXPECT_EQ(f.ftl.Lookup(Ftl::Lpn(2, 7)), kUnmapped);
}

TEST(Ftl, TrimUnmaps) {
  Fixture f;
  const uint64_t lpn = Ftl::Lpn(1, 3);
  f.ftl.Write(lpn);
  f.ftl.Trim(lpn);
  EXPECT_EQ(f.ftl.Lookup(lpn), kUnmapped);
  EXPECT_EQ(f.ftl.ValidUnits(0), 0u);
  EXPECT_EQ(f.ftl.stats().mapped_units, 0u);
  EXPECT_EQ(f.ftl.stats().trimmed_units, 1u);
}

TEST(Ftl, SequentialOverwritesNeedNoRelocation) {
  Fixture f;
  const uint64_t user = f.g.user_units;
  for (int pass = 0; pass < 4; ++pass)
    for (uint64_t u = 0; u < user; ++u) {
      ASSERT_NE(f.ftl.Write(Ftl::Lpn(1, u)), kUnmapped);
      while (f.ftl.GcWanted()) ASSERT_TRUE(f.ftl.CollectOne());
    }
  EXPECT_GT(f.ftl.stats().gc_victims, 0u);
  EXPECT_EQ(f.ftl.stats().gc_units, 0u);  // victims were fully invalid
  EXPECT_DOUBLE_EQ(f.ftl.stats().WriteAmplification(), 1.0);
}

TEST(Ftl, GcStartsAtTheLowThresholdAndStopsAtTheHigh) {
  Fixture f;
  uint64_t u = 0;
  // Fill until free superblocks reach the low threshold (2).
  while (f.ftl.free_superblocks() > 2) f.ftl.Write(Ftl::Lpn(1, u++ % f.g.user_units));
  EXPECT_TRUE(f.ftl.GcWanted());
  int passes = 0;
  while (f.ftl.GcWanted()) {
    ASSERT_TRUE(f.ftl.CollectOne());
    ++passes;
  }
  EXPECT_GE(f.ftl.free_superblocks(), 3u);
  EXPECT_GT(passes, 0);
}

TEST(Ftl, GreedyPicksTheSuperblockWithFewestValidUnits) {
  Fixture f;
  // Superblocks 0..2 filled; then overwrite most of superblock 1's data.
  for (uint64_t u = 0; u < 3 * 64; ++u) f.ftl.Write(Ftl::Lpn(1, u));
  for (uint64_t u = 64; u < 64 + 60; ++u) f.ftl.Write(Ftl::Lpn(1, u));  // sb 1 keeps 4 valid
  EXPECT_EQ(f.ftl.ValidUnits(1), 4u);
  auto pass = f.ftl.CollectOne();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->victim, 1u);
  EXPECT_EQ(pass->moves.size(), 4u);
  EXPECT_EQ(f.ftl.stats().gc_units, 4u);
  for (const auto& m : pass->moves) EXPECT_EQ(m.from / 64, 1u);
  // The moved data is still found, at its new place.
  for (uint64_t u = 124; u < 128; ++u) EXPECT_NE(f.ftl.Lookup(Ftl::Lpn(1, u)) / 64, 1u);
}

TEST(Ftl, RandomOverwritesAmplifyAndTheCountIsConsistent) {
  Fixture f;
  uint64_t x = 12345;
  const uint64_t user = f.g.user_units;
  for (uint64_t u = 0; u < user; ++u) f.ftl.Write(Ftl::Lpn(1, u));
  for (int i = 0; i < 20000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    ASSERT_NE(f.ftl.Write(Ftl::Lpn(1, (x >> 33) % user)), kUnmapped);
    while (f.ftl.GcWanted()) ASSERT_TRUE(f.ftl.CollectOne());
  }
  const FtlStats& s = f.ftl.stats();
  EXPECT_GT(s.gc_units, 0u);
  EXPECT_GT(s.WriteAmplification(), 1.2);
  EXPECT_DOUBLE_EQ(s.WriteAmplification(),
                   static_cast<double>(s.host_units + s.gc_units + s.pad_units) / s.host_units);
  // Every user unit is still mapped to a distinct physical unit.
  std::set<uint32_t> seen;
  for (uint64_t u = 0; u < user; ++u) {
    const uint32_t p = f.ftl.Lookup(Ftl::Lpn(1, u));
    ASSERT_NE(p, kUnmapped);
    ASSERT_TRUE(seen.insert(p).second);
  }
}

TEST(Ftl, TrimmedDataIsNotRelocated) {
  auto run = [](bool trim) {
    Fixture f;
    const uint64_t user = f.g.user_units;
    for (uint64_t u = 0; u < user; ++u) f.ftl.Write(Ftl::Lpn(1, u));
    if (trim)
      for (uint64_t u = 0; u < user / 2; ++u) f.ftl.Trim(Ftl::Lpn(1, u));
    uint64_t x = 99;
    for (int i = 0; i < 20000; ++i) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      f.ftl.Write(Ftl::Lpn(1, user / 2 + (x >> 33) % (user - user / 2)));
      while (f.ftl.GcWanted()) f.ftl.CollectOne();
    }
    return f.ftl.stats().WriteAmplification();
  };
  EXPECT_LT(run(true), run(false));
}

TEST(Ftl, WritesBeyondUserCapacityOverflow) {
  Fixture f;
  for (uint64_t u = 0; u < f.g.user_units; ++u) ASSERT_NE(f.ftl.Write(Ftl::Lpn(1, u)), kUnmapped);
  EXPECT_EQ(f.ftl.Write(Ftl::Lpn(1, f.g.user_units)), kUnmapped);
  EXPECT_EQ(f.ftl.stats().overflow_units, 1u);
  EXPECT_NE(f.ftl.Write(Ftl::Lpn(1, 0)), kUnmapped);  // overwrites are fine
}

TEST(Ftl, PaddingAlignsTheWritePointAndCounts) {
  Fixture f;
  f.ftl.Write(Ftl::Lpn(1, 0));
  f.ftl.Write(Ftl::Lpn(1, 1));
  EXPECT_EQ(f.ftl.PadToProgramUnit(), 6u);
  EXPECT_EQ(f.ftl.WritePointOffset(), 0u);
  EXPECT_EQ(f.ftl.stats().pad_units, 6u);
  EXPECT_DOUBLE_EQ(f.ftl.stats().WriteAmplification(), 4.0);
  EXPECT_EQ(f.ftl.PadToProgramUnit(), 0u);
}

TEST(FtlZoned, ZonesTakeWholeSuperblocksAndResetFreesThem) {
  Fixture f;
  f.ftl.ConfigureZoned(2, 100);  // 100 units: two superblocks per zone
  const uint32_t free0 = f.ftl.free_superblocks();
  for (uint64_t o = 0; o < 70; ++o) ASSERT_NE(f.ftl.ZoneWrite(2, 5, o), kUnmapped);
  EXPECT_EQ(f.ftl.free_superblocks(), free0 - 2);
  EXPECT_EQ(f.ftl.ZoneLookup(2, 5, 69) % 64, 69u % 64);
  EXPECT_EQ(f.ftl.ZoneLookup(2, 5, 70), kUnmapped);  // beyond the write pointer
  EXPECT_EQ(f.ftl.ZoneLookup(2, 4, 0), kUnmapped);
  EXPECT_FALSE(f.ftl.GcWanted());
  EXPECT_EQ(f.ftl.ZoneReset(2, 5).size(), 2u);
  EXPECT_EQ(f.ftl.free_superblocks(), free0);
  EXPECT_EQ(f.ftl.ZoneLookup(2, 5, 0), kUnmapped);
  EXPECT_EQ(f.ftl.stats().gc_units, 0u);
}

TEST(FtlMemory, GrowsWithDataWrittenNotCapacity) {
  MediaProfile big = Tiny();
  big.nand.blocks_per_plane = 1u << 16;  // 64 Mi units of declared capacity
  Fixture f(big);
  const uint64_t before = f.ftl.MemoryBytes();
  EXPECT_LT(before, 1u << 20);  // per-superblock counters only, no map
  for (uint64_t u = 0; u < 100; ++u) f.ftl.Write(Ftl::Lpn(1, u * 1000));
  const uint64_t after = f.ftl.MemoryBytes();
  EXPECT_GT(after, before);
  // 100 units: 25 map chunks of 16 KiB and two superblocks' reverse maps.
  EXPECT_LT(after - before, 512u << 10);
}

}  // namespace
}  // namespace nvmesim::device::media
