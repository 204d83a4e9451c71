#include "harness/report/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace nvmesim::harness {
namespace {
constexpr uint64_t kSub = uint64_t{1} << LatencyHistogram::kSubBucketBits;
}

size_t LatencyHistogram::BucketIndex(uint64_t v) {
  if (v < 2 * kSub) return static_cast<size_t>(v);
  int msb = 63 - std::countl_zero(v);
  int shift = msb - kSubBucketBits;  // >= 1
  uint64_t sub = v >> shift;         // in [kSub, 2 kSub)
  return static_cast<size_t>(2 * kSub + static_cast<uint64_t>(shift - 1) * kSub + (sub - kSub));
}

uint64_t LatencyHistogram::BucketLow(size_t index) {
  if (index < 2 * kSub) return index;
  uint64_t rel = index - 2 * kSub;
  int shift = static_cast<int>(rel / kSub) + 1;
  uint64_t sub = kSub + rel % kSub;
  return sub << shift;
}

uint64_t LatencyHistogram::BucketWidth(size_t index) {
  if (index < 2 * kSub) return 1;
  return uint64_t{1} << (static_cast<int>((index - 2 * kSub) / kSub) + 1);
}

void LatencyHistogram::Record(uint64_t v, uint64_t n) {
  if (n == 0) return;
  size_t i = BucketIndex(v);
  if (i >= buckets_.size()) buckets_.resize(i + 1, 0);
  buckets_[i] += n;
  // Welford's update for n equal samples.
  double x = static_cast<double>(v);
  double total = static_cast<double>(count_ + n);
  double delta = x - mean_;
  mean_ += delta * static_cast<double>(n) / total;
  m2_ += delta * delta * static_cast<double>(count_) * static_cast<double>(n) / total;
  count_ += n;
  min_ = std::min(min_, v);
  max_ = std::max(max_, v);
}

void LatencyHistogram::Merge(const LatencyHistogram& o) {
  if (o.count_ == 0) return;
  if (o.buckets_.size() > buckets_.size()) buckets_.resize(o.buckets_.size(), 0);
  for (size_t i = 0; i < o.buckets_.size(); ++i) buckets_[i] += o.buckets_[i];
  double na = static_cast<double>(count_), nb = static_cast<double>(o.count_);
  double delta = o.mean_ - mean_;
  double total = na + nb;
  mean_ = (na * mean_ + nb * o.mean_) / total;
  m2_ += o.m2_ + delta * delta * na * nb / total;
  count_ += o.count_;
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
}

double LatencyHistogram::stddev() const {
  return count_ > 1 ? std::sqrt(m2_ / static_cast<double>(count_)) : 0.0;
}

uint64_t LatencyHistogram::Percentile(double p) const {
  if (count_ == 0) return 0;
  double exact = p / 100.0 * static_cast<double>(count_);
  uint64_t rank = static_cast<uint64_t>(std::ceil(exact - 1e-9));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      uint64_t mid = BucketLow(i) + BucketWidth(i) / 2;
      if (BucketWidth(i) == 1) mid = BucketLow(i);
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

uint64_t LatencyHistogram::CountAtOrBelow(uint64_t value) const {
  uint64_t n = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    if (BucketLow(i) > value) break;
    n += buckets_[i];
  }
  return n;
}

const std::vector<double>& LatencyHistogram::FioPercentiles() {
  static const std::vector<double> p = {1,  5,  10, 20, 30,   40,   50,    60,   70,
                                        80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
  return p;
}

}  // namespace nvmesim::harness
