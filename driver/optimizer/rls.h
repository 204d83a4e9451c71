// Recursive least squares with exponential forgetting: the online linear
// model under the latency predictor, the performance predictor and the
// thermal forecaster. Fixed dimension, no allocation, O(N^2) per update
// (N = 6: about 100 multiply-adds).
//
//   k     = P x / (lambda + x' P x)
//   theta = theta + k (y - x' theta)
//   P     = (P - k x' P) / lambda
//
// Forgetting (lambda < 1) weights an observation n steps old by lambda^n, so
// the model follows a drifting plant. Without excitation P grows by 1/lambda
// per step; its trace is capped so a long idle stretch cannot blow it up.
#pragma once

#include <array>
#include <cstddef>

namespace nvmesim::driver::optimizer {

template <size_t N>
class Rls {
 public:
  using Vector = std::array<double, N>;

  explicit Rls(double lambda = 0.995, double initial_p = 1e3, double max_trace = 1e8)
      : lambda_(lambda), initial_p_(initial_p), max_trace_(max_trace) {
    Reset();
  }

  void Reset() {
    theta_.fill(0.0);
    p_.fill(0.0);
    for (size_t i = 0; i < N; ++i) p_[i * N + i] = initial_p_;
    updates_ = 0;
  }
  // Starts from a prior guess (and a smaller P for more confidence in it).
  void SetPrior(const Vector& theta, double p) {
    Reset();
    theta_ = theta;
    for (size_t i = 0; i < N; ++i) p_[i * N + i] = p;
  }

  double Predict(const Vector& x) const {
    double y = 0;
    for (size_t i = 0; i < N; ++i) y += theta_[i] * x[i];
    return y;
  }

  // One observation; returns the a-priori error y - x' theta.
  double Update(const Vector& x, double y) {
    Vector px{};
    for (size_t i = 0; i < N; ++i) {
      double s = 0;
      for (size_t j = 0; j < N; ++j) s += p_[i * N + j] * x[j];
      px[i] = s;
    }
    double denom = lambda_;
    for (size_t i = 0; i < N; ++i) denom += x[i] * px[i];
    const double err = y - Predict(x);
    if (!(denom > 1e-300)) return err;
    Vector k{};
    for (size_t i = 0; i < N; ++i) k[i] = px[i] / denom;
    for (size_t i = 0; i < N; ++i) theta_[i] += k[i] * err;
    // P symmetric: x' P = (P x)'.
    const double inv = 1.0 / lambda_;
    double trace = 0;
    for (size_t i = 0; i < N; ++i) {
      for (size_t j = i; j < N; ++j) {
        const double v = (p_[i * N + j] - k[i] * px[j]) * inv;
        p_[i * N + j] = v;
        p_[j * N + i] = v;
      }
      trace += p_[i * N + i];
    }
    if (trace > max_trace_) {
      const double s = max_trace_ / trace;
      for (double& v : p_) v *= s;
    }
    ++updates_;
    return err;
  }

  const Vector& theta() const { return theta_; }
  double p(size_t i, size_t j) const { return p_[i * N + j]; }
  size_t updates() const { return updates_; }
  double lambda() const { return lambda_; }

 private:
  double lambda_, initial_p_, max_trace_;
  Vector theta_{};
  std::array<double, N * N> p_{};
  size_t updates_ = 0;
};

}  // namespace nvmesim::driver::optimizer
