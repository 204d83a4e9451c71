#include "harness/report/latency_histogram.h"

#include <cmath>

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

TEST(LatencyHistogram, BucketsTileTheRangeWithBoundedWidth) {
  size_t last = 0;
  for (uint64_t v :
       std::initializer_list<uint64_t>{0ull, 1ull, 255ull, 256ull, 257ull, 511ull, 512ull, 1000ull,
                                       123456789ull, (1ull << 40) + 12345, UINT64_MAX}) {
    size_t i = LatencyHistogram::BucketIndex(v);
    uint64_t low = LatencyHistogram::BucketLow(i), width = LatencyHistogram::BucketWidth(i);
    EXPECT_LE(low, v);
    EXPECT_LE(v - low, width - 1);  // v inside [low, low + width)
    if (v >= 256) {
      EXPECT_LE(static_cast<double>(width) / static_cast<double>(low), 1.0 / 128 + 1e-12) << v;
    }
    if (v < 256) {
      EXPECT_EQ(width, 1u);
    }
    EXPECT_GE(i, last);  // monotonic
    last = i;
  }
  // Adjacent buckets touch.
  for (size_t i = 0; i < 3000; ++i) {
    EXPECT_EQ(LatencyHistogram::BucketLow(i) + LatencyHistogram::BucketWidth(i),
              LatencyHistogram::BucketLow(i + 1))
        << i;
    EXPECT_EQ(LatencyHistogram::BucketIndex(LatencyHistogram::BucketLow(i)), i);
  }
}

TEST(LatencyHistogram, PercentilesOfAKnownDistribution) {
  LatencyHistogram h;
  constexpr uint64_t kN = 100000;
  for (uint64_t v = 1; v <= kN; ++v) h.Record(v * 10);  // 10 ns .. 1 ms, uniform
  EXPECT_EQ(h.count(), kN);
  EXPECT_EQ(h.min(), 10u);
  EXPECT_EQ(h.max(), kN * 10);
  EXPECT_NEAR(h.mean(), (kN + 1) * 5.0, 1e-6);
  EXPECT_NEAR(h.stddev(), 10.0 * std::sqrt((double(kN) * kN - 1) / 12.0), 1e-3);
  for (double p : LatencyHistogram::FioPercentiles()) {
    double exact = std::ceil(p / 100.0 * kN) * 10;  // nearest rank
    double got = static_cast<double>(h.Percentile(p));
    EXPECT_NEAR(got, exact, exact * LatencyHistogram::kMaxRelativeError + 1) << p;
  }
  EXPECT_EQ(h.Percentile(100), kN * 10);
}

TEST(LatencyHistogram, SmallValuesAreExactAndSkewIsSeen) {
  LatencyHistogram h;
  for (int i = 0; i < 99; ++i) h.Record(100);
  h.Record(5'000'000);  // one outlier
  EXPECT_EQ(h.Percentile(50), 100u);
  EXPECT_EQ(h.Percentile(99), 100u);
  EXPECT_NEAR(static_cast<double>(h.Percentile(99.5)), 5e6, 5e6 / 256);
}

TEST(LatencyHistogram, CountAtOrBelow) {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 200; ++v) h.Record(v);  // exact region
  h.Record(20000, 5);
  EXPECT_EQ(h.CountAtOrBelow(0), 0u);
  EXPECT_EQ(h.CountAtOrBelow(100), 100u);
  EXPECT_EQ(h.CountAtOrBelow(19999), 205u);  // same bucket as 20000: counted whole
  EXPECT_EQ(h.CountAtOrBelow(19000), 200u);
  EXPECT_EQ(h.CountAtOrBelow(20000), 205u);
  EXPECT_EQ(h.CountAtOrBelow(UINT64_MAX), 205u);
}

TEST(LatencyHistogram, MergeEqualsRecordingEverything) {
  LatencyHistogram a, b, all;
  for (uint64_t v = 1; v < 5000; v += 3) {
    (v % 2 ? a : b).Record(v * 7);
    all.Record(v * 7);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_NEAR(a.mean(), all.mean(), 1e-9);
  EXPECT_NEAR(a.stddev(), all.stddev(), 1e-6);
  for (double p : {1.0, 50.0, 99.9}) EXPECT_EQ(a.Percentile(p), all.Percentile(p));
  LatencyHistogram empty;
  EXPECT_EQ(empty.Percentile(50), 0u);
  EXPECT_EQ(empty.min(), 0u);
}

}  // namespace
}  // namespace nvmesim::harness
