// Small deterministic online statistics used by the optimizer and the thermal
// manager: exponentially weighted mean/variance and a streaming quantile.
#pragma once

#include <cmath>
#include <cstdint>

namespace nvmesim::driver::optimizer {

// Exponentially weighted mean and variance (West's incremental form).
class Ewma {
 public:
  explicit Ewma(double alpha = 0.05) : alpha_(alpha) {}
  void Add(double x) {
    if (n_ == 0) {
      mean_ = x;
      var_ = 0;
    } else {
      const double d = x - mean_;
      mean_ += alpha_ * d;
      var_ = (1 - alpha_) * (var_ + alpha_ * d * d);
    }
    ++n_;
  }
  double mean() const { return mean_; }
  double variance() const { return var_; }
  double stddev() const { return std::sqrt(var_); }
  uint64_t count() const { return n_; }
  void Reset() {
    n_ = 0;
    mean_ = var_ = 0;
  }

 private:
  double alpha_;
  double mean_ = 0, var_ = 0;
  uint64_t n_ = 0;
};

// Streaming quantile by stochastic approximation: the estimate moves up by
// step * q when a sample lies above it and down by step * (1 - q) when below,
// so it settles where a fraction q of samples lies below. The step scales
// with the spread seen so far, so it works in any unit.
class StreamingQuantile {
 public:
  explicit StreamingQuantile(double q = 0.99, double gain = 0.02) : q_(q), gain_(gain) {}
  void Add(double x) {
    spread_.Add(x);
    if (n_++ == 0) {
      est_ = x;
      return;
    }
    const double step = gain_ * (spread_.stddev() + 1e-12 * std::fabs(spread_.mean()) + 1e-12);
    if (x > est_)
      est_ += step * q_;
    else
      est_ -= step * (1 - q_);
  }
  double value() const { return est_; }
  uint64_t count() const { return n_; }

 private:
  double q_, gain_;
  double est_ = 0;
  uint64_t n_ = 0;
  Ewma spread_{0.02};
};

}  // namespace nvmesim::driver::optimizer
