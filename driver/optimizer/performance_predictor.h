// Backing for `nvme-performance-predict`: IOPS, mean and p99 latency of a
// described closed-loop workload (block size, total queue depth, read share),
// from a model learnt on completed requests.
//
// Model. A command's service time at low load is linear in its size and kind,
//     t(bytes, op) = s0 + s1 KiB + s2 write + s3 write x KiB      (RLS, rls.h)
// learnt from completions that found at most two commands in flight. The
// device serves about P commands at once; with N in flight the latency is
//     L(N) = t x max(1, N / P)
// and P is estimated from loaded completions as N x t / L (EWMA). A
// closed-loop workload of depth N then gives IOPS = N / L(N) (Little's law),
// and p99 = L x the 0.99 quantile of observed / modelled latency.
#pragma once

#include <cstdint>
#include <string>

#include "driver/optimizer/rls.h"
#include "driver/optimizer/stats.h"

namespace nvmesim::driver::optimizer {

struct WorkloadDescription {
  uint32_t block_bytes = 4096;
  uint32_t queue_depth = 32;   // commands kept in flight (all jobs together)
  double read_fraction = 1.0;  // 0..1
};

struct PerformancePrediction {
  double iops = 0;
  double mean_us = 0;
  double p99_us = 0;
  double bandwidth_bps = 0;
  bool valid = false;  // false until the model has low-load samples
};

class PerformancePredictor {
 public:
  PerformancePredictor();
  // A completed command: size, kind, commands in flight when it was
  // submitted (itself included), latency.
  void Observe(uint32_t bytes, bool write, uint32_t inflight, double latency_us);
  PerformancePrediction Predict(const WorkloadDescription& w) const;
  double ServiceUs(uint32_t bytes, bool write) const;
  double parallelism() const { return parallelism_.count() ? parallelism_.mean() : 1e9; }
  uint64_t observations() const { return n_; }

 private:
  Rls<4> service_;
  Ewma parallelism_{0.02};
  StreamingQuantile tail_{0.99, 0.05};
  uint64_t n_ = 0, low_load_ = 0;
};

std::string FormatPrediction(const WorkloadDescription& w, const PerformancePrediction& p,
                             const PerformancePrediction* measured);

}  // namespace nvmesim::driver::optimizer
