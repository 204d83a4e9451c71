// Latency distribution in nanoseconds of simulated time: a log-linear histogram (the
// HdrHistogram layout). Values below 256 ns are counted exactly; above, every power of two is cut
// into 128 equal buckets, so a bucket is at most 1/128 of its lower bound wide and the value
// reported for it (the bucket midpoint, clamped to the observed min/max) is within 1/256
// (0.39 %) of every sample in it. Min, max, mean and standard deviation are exact.
// Percentiles are nearest-rank: the smallest recorded value with at least p % of the samples at
// or below it (fio reports its clat percentiles the same way, from its own log-linear buckets).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nvmesim::harness {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 7;  // 128 buckets per power of two
  static constexpr double kMaxRelativeError = 1.0 / 256.0;

  void Record(uint64_t value_ns, uint64_t count = 1);
  void Merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? mean_ : 0.0; }
  double stddev() const;  // population standard deviation, like fio
  // p in (0, 100]; 0 when empty.
  uint64_t Percentile(double p) const;

  // Samples at or below `value_ns`: exact below 256 ns; above, the bucket holding the value
  // counts whole (samples up to 1/128 above the value may be included).
  uint64_t CountAtOrBelow(uint64_t value_ns) const;

  // fio's default percentile list: 1 5 10 20 30 40 50 60 70 80 90 95 99 99.5 99.9 99.95 99.99.
  static const std::vector<double>& FioPercentiles();

  // Bucket arithmetic (exposed for tests).
  static size_t BucketIndex(uint64_t value);
  static uint64_t BucketLow(size_t index);
  static uint64_t BucketWidth(size_t index);

 private:
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  double mean_ = 0;  // Welford
  double m2_ = 0;
};

}  // namespace nvmesim::harness
