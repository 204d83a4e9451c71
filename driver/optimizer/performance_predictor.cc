#include "driver/optimizer/performance_predictor.h"

#include <algorithm>
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

const std::array<uint32_t, 9>& CalibrationDepths() {
  static constexpr std::array<uint32_t, 9> kDepths = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  return kDepths;
}

PerformancePredictor::PerformancePredictor()
    : service_(0.999, 1e4, 1e10), demand_(0.999, 1e3, 1e8) {}

int PerformancePredictor::DepthClassOf(uint32_t inflight) {
  const double k =
      std::round(2.0 * std::log2(static_cast<double>(std::max<uint32_t>(1, inflight))));
  return std::clamp(static_cast<int>(k), 0, kDepthClasses - 1);
}

double PerformancePredictor::ServiceAt(double kib, bool write) const {
  const double w = write ? 1.0 : 0.0;
  return std::max(1e-3, service_.Predict({1.0, kib, w, w * kib}));
}

double PerformancePredictor::ServiceUs(uint32_t bytes, bool write) const {
  return ServiceAt(bytes / 1024.0, write);
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

double PerformancePredictor::StructuralMeanUs(double n, double read_service,
                                              double write_service) const {
  const double t = read_service + write_service;
  const double d =
      windows_ == 0 ? 0.0 : std::max(0.0, demand_.Predict({read_service, write_service}));
  return std::max(t, n * d);
}

void PerformancePredictor::Observe(uint32_t bytes, bool write, uint32_t inflight,
                                   double latency_us) {
  ++n_;
  const double kib = bytes / 1024.0, w = write ? 1.0 : 0.0;
  DepthClass& c = classes_[static_cast<size_t>(DepthClassOf(inflight))];
  c.latency.Add(latency_us);
  c.latency_sum += latency_us;
  c.inflight += inflight;
  (write ? c.writes : c.reads) += 1;
  (write ? c.write_kib : c.read_kib) += kib;
  if (++c.count >= 8192) {
    // Fade the sums with the histogram so both follow a changing device.
    c.latency_sum /= 2, c.inflight /= 2, c.reads /= 2, c.read_kib /= 2;
    c.writes /= 2, c.write_kib /= 2, c.count /= 2;
  }
  if (inflight <= 2) {
    service_.Update({1.0, kib, w, w * kib}, latency_us);
    ++low_load_;
    return;
  }
  if (low_load_ == 0) return;
  Window& v = win_;
  ++v.count;
  v.latency += latency_us;
  v.inflight += inflight;
  (write ? v.write_service : v.read_service) += ServiceUs(bytes, write);
  if (v.count < kWindow) return;
  // Little's law over the window: with N in flight, one command leaves the
  // bottleneck every mean(L) / N us. Only clearly queued windows bound it.
  if (v.latency > 1.25 * (v.read_service + v.write_service)) {
    demand_.Update({v.read_service / v.count, v.write_service / v.count}, v.latency / v.inflight);
    ++windows_;
  }
  win_ = Window{};
}

DepthProfile PerformancePredictor::ProfileOf(const DepthClass& c) const {
  const double count = static_cast<double>(c.count);
  const double rs = c.reads > 0 ? ServiceAt(c.read_kib / c.reads, false) * c.reads / count : 0;
  const double ws = c.writes > 0 ? ServiceAt(c.write_kib / c.writes, true) * c.writes / count : 0;
  const double mean = c.latency_sum / count;
  DepthProfile p;
  p.mean_factor = mean / StructuralMeanUs(c.inflight / count, rs, ws);
  p.tail_ratio = mean > 0 ? c.latency.Quantile(0.99) / mean : 0;
  p.lower_depth = p.upper_depth = c.inflight / count;
  return p;
}

DepthProfile PerformancePredictor::ProfileAt(double n) const {
  n = std::max(1.0, n);
  // The learnt classes next to n, by their mean depth.
  const DepthClass* lo = nullptr;
  const DepthClass* hi = nullptr;
  double lo_n = 0, hi_n = 0;
  for (const DepthClass& c : classes_) {
    if (c.count < kMinClassSamples) continue;
    const double cn = c.inflight / static_cast<double>(c.count);
    if (cn <= n && (!lo || cn > lo_n)) lo = &c, lo_n = cn;
    if (cn >= n && (!hi || cn < hi_n)) hi = &c, hi_n = cn;
  }
  if (lo && hi && hi != lo) {
    const DepthProfile a = ProfileOf(*lo), b = ProfileOf(*hi);
    const double f = std::log(n / lo_n) / std::log(hi_n / lo_n);
    return DepthProfile{a.mean_factor + (b.mean_factor - a.mean_factor) * f,
                        a.tail_ratio + (b.tail_ratio - a.tail_ratio) * f, lo_n, hi_n};
  }
  if (lo) return ProfileOf(*lo);
  if (hi) return ProfileOf(*hi);
  return DepthProfile{};
}

std::vector<uint32_t> PerformancePredictor::RefinementDepths(double max_step) const {
  std::vector<uint32_t> out;
  const DepthClass* prev = nullptr;
  for (const DepthClass& c : classes_) {  // ascending depth
    if (c.count < kMinClassSamples) continue;
    if (prev) {
      const DepthProfile a = ProfileOf(*prev), b = ProfileOf(c);
      const double lo = std::min(a.tail_ratio, b.tail_ratio);
      const double mid = std::round(std::sqrt(a.lower_depth * b.lower_depth));
      if (lo > 0 && std::abs(a.tail_ratio - b.tail_ratio) > max_step * lo &&
          mid > std::round(a.lower_depth) && mid < std::round(b.lower_depth)) {
        out.push_back(static_cast<uint32_t>(mid));
      }
    }
    prev = &c;
  }
  return out;
}

PerformancePrediction PerformancePredictor::Predict(const WorkloadDescription& w) const {
  PerformancePrediction p;
  if (low_load_ == 0 || w.queue_depth == 0) return p;
  const double rf = std::clamp(w.read_fraction, 0.0, 1.0);
  const double n = w.queue_depth;
  const DepthProfile profile = ProfileAt(n);
  p.mean_us = profile.mean_factor * StructuralMeanUs(n, rf * ServiceUs(w.block_bytes, false),
                                                     (1 - rf) * ServiceUs(w.block_bytes, true));
  p.iops = n / p.mean_us * 1e6;
  p.p99_us = p.mean_us * std::max(1.0, profile.tail_ratio);
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
