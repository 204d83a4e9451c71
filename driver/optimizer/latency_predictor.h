// (a) Per-request latency prediction from queue state and recent history.
//
// Model: recursive least squares (rls.h, forgetting 0.998: about the last 500
// completions) on
//     latency_us ~ 1, queue outstanding, controller outstanding, KiB,
//                  write, write x KiB, recent mean latency (EWMA)
// for the mean, and a streaming 0.99 quantile of observed / predicted for the
// tail: p99 = mean x that ratio. One Predict is ~10 multiply-adds, one
// Observe ~60; both allocation-free.
#pragma once

#include <cstdint>

#include "driver/optimizer/rls.h"
#include "driver/optimizer/stats.h"

namespace nvmesim::driver::optimizer {

struct RequestFeatures {
  uint32_t queue_outstanding = 0;  // commands in flight on the target queue
  uint32_t total_outstanding = 0;  // across the controller
  uint32_t bytes = 4096;
  bool write = false;
};

struct LatencyPrediction {
  double mean_us = 0;
  double p99_us = 0;
};

class LatencyPredictor {
 public:
  static constexpr size_t kFeatures = 7;
  explicit LatencyPredictor(double lambda = 0.998);

  LatencyPrediction Predict(const RequestFeatures& r) const;
  // A completed request and its measured latency.
  void Observe(const RequestFeatures& r, double latency_us);

  uint64_t observations() const { return n_; }
  double recent_mean_us() const { return recent_.mean(); }
  // Mean absolute relative error of the a-priori prediction (EWMA).
  double relative_error() const { return error_.mean(); }
  const Rls<kFeatures>& model() const { return rls_; }

 private:
  Rls<kFeatures>::Vector Features(const RequestFeatures& r) const;
  Rls<kFeatures> rls_;
  Ewma recent_{0.05};
  Ewma error_{0.02};
  StreamingQuantile tail_{0.99, 0.05};
  uint64_t n_ = 0;
};

}  // namespace nvmesim::driver::optimizer
