#include "device_model/data_store.h"

#include <gtest/gtest.h>

namespace nvmesim::device {
namespace {

TEST(DataStore, SparseReadWriteAndZeroes) {
  DataStore d(1 << 30);
  std::vector<uint8_t> in(6000, 0x5C), out(6000, 0xEE);
  d.Write(1000, in.data(), in.size(), false);
  EXPECT_EQ(d.durable_chunks(), 2u);
  d.Read(1000, out.data(), out.size());
  EXPECT_EQ(out, in);
  d.Read(500000, out.data(), 100);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[99], 0);
  d.Zero(0, 8192, false);  // whole chunks released
  EXPECT_EQ(d.durable_chunks(), 0u);
}

TEST(DataStore, ViewSeesTheNewestCopyWithinOneChunkOnly) {
  DataStore d(1 << 20);
  std::vector<uint8_t> a(4096, 0x11), b(512, 0x22);
  const uint8_t* unwritten = d.View(8192, 4096);
  ASSERT_NE(unwritten, nullptr);
  EXPECT_EQ(unwritten[0], 0);
  EXPECT_EQ(unwritten[4095], 0);
  d.Write(4096, a.data(), a.size(), false);
  const uint8_t* durable = d.View(4096, 4096);
  ASSERT_NE(durable, nullptr);
  EXPECT_EQ(durable[4095], 0x11);
  d.Write(4096 + 512, b.data(), b.size(), true);  // the cached copy wins
  const uint8_t* cached = d.View(4096 + 512, 512);
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached[0], 0x22);
  EXPECT_EQ(d.View(4096 - 512, 1024), nullptr);  // spans two chunks
  EXPECT_EQ(d.View(0, 0), nullptr);
}

TEST(DataStore, CacheLostOnPowerLossDurableAfterFlush) {
  DataStore d(1 << 20);
  std::vector<uint8_t> a(512, 1), b(512, 2), out(512);
  d.Write(0, a.data(), 512, false);  // durable
  d.Write(0, b.data(), 512, true);   // cached over it
  d.Read(0, out.data(), 512);
  EXPECT_EQ(out, b);
  d.PowerLoss();
  d.Read(0, out.data(), 512);
  EXPECT_EQ(out, a);
  d.Write(512, b.data(), 512, true);
  d.Flush();
  d.PowerLoss();
  d.Read(512, out.data(), 512);
  EXPECT_EQ(out, b);
}

TEST(DataStore, FuaWriteSurvivesAlongsideCachedNeighbour) {
  DataStore d(1 << 20);
  std::vector<uint8_t> a(512, 7), b(512, 9), out(512);
  d.Write(0, a.data(), 512, true);     // cached LBA 0
  d.Write(512, b.data(), 512, false);  // FUA LBA 1, same chunk
  d.PowerLoss();
  d.Read(512, out.data(), 512);
  EXPECT_EQ(out, b);
  d.Read(0, out.data(), 512);
  EXPECT_EQ(out, std::vector<uint8_t>(512, 0));
}

TEST(LbaRangeSet, AddRemoveIntersect) {
  LbaRangeSet r;
  r.Add(10, 10);  // 10..19
  EXPECT_TRUE(r.Intersects(19, 1));
  EXPECT_FALSE(r.Intersects(20, 5));
  EXPECT_TRUE(r.Intersects(0, 11));
  r.Remove(12, 3);  // 10..11, 15..19
  EXPECT_FALSE(r.Intersects(12, 3));
  EXPECT_TRUE(r.Intersects(11, 1));
  EXPECT_TRUE(r.Intersects(15, 1));
  r.Remove(0, 100);
  EXPECT_TRUE(r.empty());
}

}  // namespace
}  // namespace nvmesim::device
