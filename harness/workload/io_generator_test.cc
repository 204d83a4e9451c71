#include "harness/workload/io_generator.h"

#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

JobSpec Job(const std::vector<std::pair<std::string, std::string>>& options) {
  JobSpec j;
  j.name = "t";
  for (const auto& [k, v] : options) {
    std::string e = ApplyFioOption(j, k, v);
    EXPECT_EQ(e, "") << k;
  }
  return j;
}

TargetGeometry Ns(uint64_t bytes, uint32_t lba_size = 4096) {
  TargetGeometry g;
  g.lba_size = lba_size;
  g.lba_count = bytes / lba_size;
  return g;
}

std::vector<IoRequest> Drain(IoGenerator& gen, size_t max = 10'000'000) {
  std::vector<IoRequest> out;
  while (out.size() < max) {
    std::optional<IoRequest> r = gen.Next();
    if (!r) break;
    out.push_back(*r);
  }
  return out;
}

TEST(IoGenerator, SameSeedSameStreamOtherSeedOtherStream) {
  JobSpec j = Job({{"rw", "randrw"}, {"bssplit", "4k/60:16k/40"}, {"number_ios", "5000"}});
  IoGenerator a(j, Ns(1ull << 30), 1), b(j, Ns(1ull << 30), 1), c(j, Ns(1ull << 30), 2);
  std::vector<IoRequest> ra = Drain(a), rb = Drain(b), rc = Drain(c);
  ASSERT_EQ(ra.size(), 5000u);
  ASSERT_EQ(rb.size(), 5000u);
  size_t same_as_c = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    EXPECT_EQ(ra[i].op, rb[i].op);
    EXPECT_EQ(ra[i].lba, rb[i].lba);
    EXPECT_EQ(ra[i].nlb, rb[i].nlb);
    EXPECT_EQ(ra[i].index, i);
    if (ra[i].lba == rc[i].lba && ra[i].op == rc[i].op) ++same_as_c;
  }
  EXPECT_LT(same_as_c, 50u);
  // Golden values pin the stream across platforms and library versions.
  EXPECT_EQ(ra[0].lba, 118283u);
  EXPECT_EQ(ra[0].nlb, 1u);
  EXPECT_EQ(ra[0].op, IoOp::kRead);
  EXPECT_EQ(ra[4999].lba, 108182u);
  EXPECT_EQ(ra[4999].nlb, 4u);
}

TEST(IoGenerator, InstanceSeeds) {
  JobSpec j = Job({{"rw", "randread"}});
  EXPECT_EQ(JobInstanceSeed(j, 1, 0), DeriveSeed(1, "t", 0));
  EXPECT_NE(JobInstanceSeed(j, 1, 0), JobInstanceSeed(j, 1, 1));
  EXPECT_NE(JobInstanceSeed(j, 1, 0), JobInstanceSeed(j, 2, 0));
  JobSpec r = Job({{"rw", "randread"}, {"randseed", "42"}});
  EXPECT_EQ(JobInstanceSeed(r, 1, 0), JobInstanceSeed(r, 2, 0));  // randseed wins
  EXPECT_NE(JobInstanceSeed(r, 1, 0), JobInstanceSeed(r, 1, 1));
}

TEST(IoGenerator, MixAndBlockSizesFollowTheJob) {
  JobSpec j = Job({{"rw", "randrw"},
                   {"rwmixread", "70"},
                   {"bssplit", "4k/50:8k/30:64k/20"},
                   {"number_ios", "100000"}});
  IoGenerator g(j, Ns(1ull << 30), 99);
  std::vector<IoRequest> reqs = Drain(g);
  ASSERT_EQ(reqs.size(), 100000u);
  std::map<uint32_t, int> sizes;
  int reads = 0;
  for (const IoRequest& r : reqs) {
    reads += r.op == IoOp::kRead;
    ASSERT_TRUE(r.op == IoOp::kRead || r.op == IoOp::kWrite);
    ++sizes[r.nlb];
    ASSERT_EQ(r.lba % 1, 0u);
    ASSERT_LE(r.lba + r.nlb, (1ull << 30) / 4096);
  }
  EXPECT_NEAR(reads / 100000.0, 0.70, 0.01);
  EXPECT_NEAR(sizes[1] / 100000.0, 0.50, 0.01);
  EXPECT_NEAR(sizes[2] / 100000.0, 0.30, 0.01);
  EXPECT_NEAR(sizes[16] / 100000.0, 0.20, 0.01);
  EXPECT_EQ(sizes.size(), 3u);
}

TEST(IoGenerator, UniformRandomCoversTheRegionEvenly) {
  JobSpec j = Job({{"rw", "randread"},
                   {"bs", "8k"},
                   {"offset", "1m"},
                   {"size", "1m"},
                   {"number_ios", "64000"}});
  IoGenerator g(j, Ns(16ull << 20, 512), 5);
  EXPECT_EQ(g.region_first_lba(), 2048u);
  EXPECT_EQ(g.region_lbas(), 2048u);
  std::map<uint64_t, int> hits;
  for (const IoRequest& r : Drain(g)) {
    ASSERT_GE(r.lba, 2048u);
    ASSERT_LE(r.lba + r.nlb, 4096u);
    ASSERT_EQ(r.nlb, 16u);
    ASSERT_EQ((r.lba - 2048) % 16, 0u);  // block-aligned
    ++hits[r.lba];
  }
  EXPECT_EQ(hits.size(), 128u);  // every 8k slot of the 1 MiB region
  for (const auto& [lba, n] : hits) EXPECT_NEAR(n, 500, 500 * 0.2) << lba;
}

TEST(IoGenerator, SequentialWritesCoverTheRegionOnceThenStop) {
  JobSpec j = Job({{"rw", "write"}, {"bs", "16k"}, {"size", "1m"}});
  IoGenerator g(j, Ns(8ull << 20), 1);
  std::vector<IoRequest> reqs = Drain(g);
  ASSERT_EQ(reqs.size(), 64u);
  for (size_t i = 0; i < reqs.size(); ++i) {
    EXPECT_EQ(reqs[i].op, IoOp::kWrite);
    EXPECT_EQ(reqs[i].lba, i * 4);
    EXPECT_EQ(reqs[i].nlb, 4u);
  }
  EXPECT_EQ(g.issued_bytes(), 1u << 20);
  // io_size larger than the region wraps around.
  JobSpec w = Job({{"rw", "read"}, {"bs", "512k"}, {"size", "1m"}, {"io_size", "2m"}});
  IoGenerator gw(w, Ns(8ull << 20), 1);
  std::vector<IoRequest> rw = Drain(gw);
  ASSERT_EQ(rw.size(), 4u);
  EXPECT_EQ(rw[2].lba, 0u);
}

TEST(IoGenerator, FsyncEveryNWritesAndAtTheEnd) {
  JobSpec j = Job({{"rw", "randwrite"}, {"fsync", "4"}, {"end_fsync", "1"}, {"number_ios", "10"}});
  IoGenerator g(j, Ns(1ull << 20), 3);
  std::vector<IoRequest> reqs = Drain(g);
  std::string shape;
  for (const IoRequest& r : reqs) shape += r.op == IoOp::kFlush ? 'F' : 'W';
  EXPECT_EQ(shape, "WWWWFWWWWFWWF");
}

TEST(IoGenerator, ZipfConcentratesAccesses) {
  JobSpec j =
      Job({{"rw", "randread"}, {"random_distribution", "zipf:1.2"}, {"number_ios", "100000"}});
  IoGenerator g(j, Ns(256ull << 20), 17);
  std::map<uint64_t, int> hits;
  for (const IoRequest& r : Drain(g)) ++hits[r.lba];
  std::vector<int> counts;
  for (const auto& [lba, n] : hits) counts.push_back(n);
  std::sort(counts.rbegin(), counts.rend());
  ZipfSampler z(65536, 1.2);
  EXPECT_NEAR(counts[0] / 100000.0, 1.0 / z.zeta_n(), 0.01);
  // The hottest block is not simply LBA 0: ranks are scattered.
  uint64_t hottest = 0;
  for (const auto& [lba, n] : hits)
    if (n == counts[0]) hottest = lba;
  EXPECT_NE(hottest, 0u);
}

TEST(IoGenerator, RejectsJobsThatDoNotFit) {
  EXPECT_NE(IoGenerator::Check(Job({{"bs", "2k"}}), Ns(1 << 20)).find("multiple of the LBA size"),
            std::string::npos);
  EXPECT_NE(IoGenerator::Check(Job({{"offset", "2m"}}), Ns(1 << 20)).find("beyond"),
            std::string::npos);
  EXPECT_NE(IoGenerator::Check(Job({{"size", "2m"}}), Ns(1 << 20)).find("beyond"),
            std::string::npos);
  EXPECT_NE(IoGenerator::Check(Job({{"zonemode", "zbd"}}), Ns(1 << 20)).find("zoned"),
            std::string::npos);
  EXPECT_THROW(IoGenerator(Job({{"bs", "2k"}}), Ns(1 << 20), 1), std::invalid_argument);
  EXPECT_EQ(IoGenerator::Check(Job({{"bs", "2k"}}), Ns(1 << 20, 512)), "");
}

TargetGeometry Zoned(uint64_t zones, uint64_t zone_lbas, uint64_t cap_lbas, uint32_t max_open) {
  TargetGeometry g;
  g.lba_size = 4096;
  g.lba_count = zones * zone_lbas;
  g.zone_size_lbas = zone_lbas;
  g.zone_capacity_lbas = cap_lbas;
  g.max_open_zones = max_open;
  return g;
}

TEST(IoGenerator, ZoneModeWritesAtTheWritePointerAndResetsWhenFull) {
  JobSpec j = Job({{"rw", "randwrite"}, {"zonemode", "zbd"}, {"bs", "12k"}, {"io_size", "2m"}});
  TargetGeometry g = Zoned(4, 64, 40, 2);  // 4 zones of 64 LBAs, capacity 40, 2 open
  IoGenerator gen(j, g, 8);
  std::vector<uint64_t> wp(4, 0);
  int resets = 0;
  std::set<uint64_t> open_seen;
  for (const IoRequest& r : Drain(gen)) {
    uint64_t z = r.lba / 64;
    if (r.op == IoOp::kZoneReset) {
      EXPECT_EQ(r.lba % 64, 0u);
      EXPECT_EQ(r.nlb, 64u);  // the whole zone
      EXPECT_EQ(wp[z], 40u);  // only full zones are reset
      wp[z] = 0;
      ++resets;
      continue;
    }
    ASSERT_EQ(r.op, IoOp::kWrite);
    EXPECT_EQ(r.lba, z * 64 + wp[z]) << "write not at the write pointer";
    EXPECT_LE(wp[z] + r.nlb, 40u) << "write crosses the zone capacity";
    wp[z] += r.nlb;
    int open = 0;
    for (uint64_t w : wp) open += (w > 0 && w < 40);
    EXPECT_LE(open, 2);
  }
  EXPECT_GT(resets, 0);  // 2 MiB = 512 LBAs > 160 LBAs of capacity
}

TEST(IoGenerator, ZoneAppendTargetsZoneStartsAndReadsStayBelowWritePointers) {
  JobSpec j =
      Job({{"rw", "randrw"}, {"zonemode", "zbd"}, {"zone_append", "1"}, {"number_ios", "300"}});
  TargetGeometry g = Zoned(8, 256, 256, 0);
  IoGenerator gen(j, g, 4);
  std::vector<uint64_t> wp(8, 0);
  int appends = 0, reads = 0;
  for (const IoRequest& r : Drain(gen)) {
    uint64_t z = r.lba / 256;
    if (r.op == IoOp::kZoneAppend) {
      EXPECT_EQ(r.lba % 256, 0u);
      wp[z] += r.nlb;
      ++appends;
    } else if (r.op == IoOp::kRead) {
      if (wp[z] > 0) {
        EXPECT_LE(r.lba % 256 + r.nlb, wp[z]);
      }
      ++reads;
    }
  }
  EXPECT_GT(appends, 100);
  EXPECT_GT(reads, 100);
}

}  // namespace
}  // namespace nvmesim::harness
