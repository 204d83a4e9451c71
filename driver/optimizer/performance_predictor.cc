#include "driver/optimizer/performance_predictor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nvmesim::driver::optimizer {

PerformancePredictor::PerformancePredictor() : service_(0.999, 1e4, 1e10) {}

double PerformancePredictor::ServiceUs(uint32_t bytes, bool write) const {
  const double kib = bytes / 1024.0, w = write ? 1.0 : 0.0;
  return std::max(1e-3, service_.Predict({1.0, kib, w, w * kib}));
}

void PerformancePredictor::Observe(uint32_t bytes, bool write, uint32_t inflight,
                                   double latency_us) {
  ++n_;
  const double kib = bytes / 1024.0, w = write ? 1.0 : 0.0;
  if (inflight <= 2) {
    if (low_load_ > 0) tail_.Add(latency_us / ServiceUs(bytes, write));
    service_.Update({1.0, kib, w, w * kib}, latency_us);
    ++low_load_;
    return;
  }
  if (low_load_ == 0) return;
  const double t = ServiceUs(bytes, write);
  const double ratio = latency_us / t;
  if (ratio > 1.25) parallelism_.Add(inflight / ratio);  // clearly queued: N x t / L
  const double modelled = t * std::max(1.0, inflight / parallelism());
  tail_.Add(latency_us / modelled);
}

PerformancePrediction PerformancePredictor::Predict(const WorkloadDescription& w) const {
  PerformancePrediction p;
  if (low_load_ == 0 || w.queue_depth == 0) return p;
  const double rf = std::clamp(w.read_fraction, 0.0, 1.0);
  const double t = rf * ServiceUs(w.block_bytes, false) + (1 - rf) * ServiceUs(w.block_bytes, true);
  const double n = w.queue_depth;
  p.mean_us = t * std::max(1.0, n / parallelism());
  p.iops = n / p.mean_us * 1e6;
  p.p99_us = p.mean_us * std::max(1.0, tail_.value());
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
