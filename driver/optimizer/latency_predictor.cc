#include "driver/optimizer/latency_predictor.h"

#include <algorithm>
#include <cmath>

namespace nvmesim::driver::optimizer {

// Covariance trace capped at 1e6: under a closed loop the queue-state
// features hardly move, their directions wind up, and with a looser cap
// (1e10) a shift of a few commands made the predictions swing by orders of
// magnitude (test: StaysCalibratedAfterALongUnexcitedStretch).
LatencyPredictor::LatencyPredictor(double lambda) : rls_(lambda, 1e4, 1e6) {}

Rls<LatencyPredictor::kFeatures>::Vector LatencyPredictor::Features(
    const RequestFeatures& r) const {
  const double kib = r.bytes / 1024.0;
  const double w = r.write ? 1.0 : 0.0;
  return {1.0,
          static_cast<double>(r.queue_outstanding),
          static_cast<double>(r.total_outstanding),
          kib,
          w,
          w * kib,
          recent_.mean()};
}

LatencyPrediction LatencyPredictor::Predict(const RequestFeatures& r) const {
  LatencyPrediction p;
  if (n_ == 0) return p;
  p.mean_us = std::max(0.0, rls_.Predict(Features(r)));
  if (p.mean_us <= 0) p.mean_us = recent_.mean();
  p.p99_us = p.mean_us * std::max(1.0, tail_.value());
  return p;
}

void LatencyPredictor::Observe(const RequestFeatures& r, double latency_us) {
  const auto x = Features(r);
  if (n_ > 0) {
    const double pred = std::max(1e-3, rls_.Predict(x));
    error_.Add(std::fabs(latency_us - pred) / std::max(latency_us, 1e-3));
    tail_.Add(latency_us / pred);
  }
  rls_.Update(x, latency_us);
  recent_.Add(latency_us);
  ++n_;
}

}  // namespace nvmesim::driver::optimizer
