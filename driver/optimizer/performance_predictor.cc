#include "driver/optimizer/performance_predictor.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>

namespace nvmesim::driver::optimizer {

void RatioQuantile::Add(double ratio) {
  if (!(ratio > 0)) return;
  const int bin = static_cast<int>(std::floor((std::log2(ratio) - kLowOctave) * kPerOctave));
  ++bins_[static_cast<size_t>(std::clamp(bin, 0, kBins - 1))];
  if (++total_ >= 8192) {
    total_ = 0;
    for (uint32_t& b : bins_) total_ += (b >>= 1);
  }
}

double RatioQuantile::Quantile(double q) const {
  if (total_ == 0) return 0;
  const double want = q * total_;
  double below = 0;
  for (int i = 0; i < kBins; ++i) {
    const double c = bins_[static_cast<size_t>(i)];
    if (c > 0 && below + c >= want) {
      // Linear within the bin, on the log scale.
      const double f = std::clamp((want - below) / c, 0.0, 1.0);
      return std::exp2(kLowOctave + (i + f) / kPerOctave);
    }
    below += c;
  }
  return std::exp2(kLowOctave + kOctaves);
}

PerformancePredictor::PerformancePredictor()
    : service_(0.999, 1e4, 1e10), demand_(0.999, 1e3, 1e8) {}

double PerformancePredictor::ServiceUs(uint32_t bytes, bool write) const {
  const double kib = bytes / 1024.0, w = write ? 1.0 : 0.0;
  return std::max(1e-3, service_.Predict({1.0, kib, w, w * kib}));
}

double PerformancePredictor::DemandUs(uint32_t bytes, double read_fraction) const {
  if (windows_ == 0) return 0;
  const double rf = std::clamp(read_fraction, 0.0, 1.0);
  return std::max(
      0.0, demand_.Predict({rf * ServiceUs(bytes, false), (1 - rf) * ServiceUs(bytes, true)}));
}

double PerformancePredictor::Parallelism(uint32_t bytes, bool write) const {
  const double d = DemandUs(bytes, write ? 0.0 : 1.0);
  return d > 0 ? ServiceUs(bytes, write) / d : 1e9;
}

void PerformancePredictor::Observe(uint32_t bytes, bool write, uint32_t inflight,
                                   double latency_us) {
  ++n_;
  const double kib = bytes / 1024.0, w = write ? 1.0 : 0.0;
  if (inflight <= 2) {
    if (low_load_ > 0) tail_low_.Add(latency_us / ServiceUs(bytes, write));
    service_.Update({1.0, kib, w, w * kib}, latency_us);
    ++low_load_;
    return;
  }
  if (low_load_ == 0) return;
  const double t = ServiceUs(bytes, write);
  DepthTail& dt = tail_loaded_[static_cast<size_t>(
      std::min<int>(std::bit_width(inflight - 1), kDepthClasses - 1))];
  dt.latency.Add(latency_us);
  dt.latency_sum += latency_us;
  dt.inflight += inflight;
  ++dt.count;
  Window& v = win_;
  ++v.count;
  v.latency += latency_us;
  v.inflight += inflight;
  (write ? v.write_service : v.read_service) += t;
  if (v.count < kWindow) return;
  // Little's law over the window: with N in flight, one command leaves the
  // bottleneck every mean(L) / N us. Only clearly queued windows bound it.
  if (v.latency > 1.25 * (v.read_service + v.write_service)) {
    demand_.Update({v.read_service / v.count, v.write_service / v.count}, v.latency / v.inflight);
    ++windows_;
  }
  win_ = Window{};
}

double PerformancePredictor::ExcessUs(double n) const {
  // The learnt classes next to n, by their mean depth.
  const DepthTail* lo = nullptr;
  const DepthTail* hi = nullptr;
  double lo_n = 0, hi_n = 0;
  for (const DepthTail& dt : tail_loaded_) {
    if (dt.count < kMinTailSamples) continue;
    const double cn = dt.inflight / dt.count;
    if (cn <= n && (!lo || cn > lo_n)) lo = &dt, lo_n = cn;
    if (cn >= n && (!hi || cn < hi_n)) hi = &dt, hi_n = cn;
  }
  auto excess = [](const DepthTail& dt) {
    return std::max(0.0, dt.latency.Quantile(0.99) - dt.latency_sum / dt.count);
  };
  if (lo && hi && hi != lo) {
    const double lo_e = excess(*lo);
    return lo_e + (excess(*hi) - lo_e) * (n - lo_n) / (hi_n - lo_n);
  }
  if (lo) return excess(*lo);
  if (hi) return excess(*hi);
  return -1;  // no loaded tail learnt
}

PerformancePrediction PerformancePredictor::Predict(const WorkloadDescription& w) const {
  PerformancePrediction p;
  if (low_load_ == 0 || w.queue_depth == 0) return p;
  const double rf = std::clamp(w.read_fraction, 0.0, 1.0);
  const double t = rf * ServiceUs(w.block_bytes, false) + (1 - rf) * ServiceUs(w.block_bytes, true);
  const double n = w.queue_depth;
  p.mean_us = std::max(t, n * DemandUs(w.block_bytes, rf));
  p.iops = n / p.mean_us * 1e6;
  const double excess = w.queue_depth <= 2 ? -1 : ExcessUs(n);
  p.p99_us = excess >= 0 ? p.mean_us + excess : p.mean_us * std::max(1.0, tail_low_.Quantile(0.99));
  p.bandwidth_bps = p.iops * w.block_bytes;
  p.valid = true;
  return p;
}

std::string FormatPrediction(const WorkloadDescription& w, const PerformancePrediction& p,
                             const PerformancePrediction* measured) {
  char buf[512];
  int n = std::snprintf(buf, sizeof(buf),
                        "workload: bs=%u qd=%u read=%.0f%%\n"
                        "predicted: %.0f IOPS  %.1f MB/s  mean %.1f us  p99 %.1f us\n",
                        w.block_bytes, w.queue_depth, w.read_fraction * 100, p.iops,
                        p.bandwidth_bps / 1e6, p.mean_us, p.p99_us);
  std::string out(buf, static_cast<size_t>(std::max(0, n)));
  if (measured) {
    auto err = [](double pred, double meas) {
      return meas > 0 ? 100.0 * (pred - meas) / meas : 0.0;
    };
    n = std::snprintf(buf, sizeof(buf),
                      "measured:  %.0f IOPS  %.1f MB/s  mean %.1f us  p99 %.1f us\n"
                      "error:     IOPS %+.1f%%  p99 %+.1f%%\n",
                      measured->iops, measured->bandwidth_bps / 1e6, measured->mean_us,
                      measured->p99_us, err(p.iops, measured->iops),
                      err(p.p99_us, measured->p99_us));
    out.append(buf, static_cast<size_t>(std::max(0, n)));
  }
  return out;
}

}  // namespace nvmesim::driver::optimizer
