// Backing for `nvme-performance-predict`: IOPS, mean and p99 latency of a
// described closed-loop workload (block size, total queue depth, read share),
// from a model learnt on completed requests.
//
// Model. A command's service time at low load is linear in its size and kind,
//     t(bytes, op) = s0 + s1 KiB + s2 write + s3 write x KiB      (RLS, rls.h)
// learnt from completions that found at most two commands in flight.
// Under load the device is bounded by how long each command holds its
// bottleneck: its demand, a share of its service time that reads and writes
// have apart (they overlap differently inside the device),
//     d(bytes, op) = t(bytes, op) / P_op,   1 / P_read, 1 / P_write by RLS
// from windows of 32 clearly queued completions: by Little's law a window's
// mean latency / mean commands in flight is the mean of t_i / P_op(i) over
// its own mix of reads and writes. A closed-loop workload of depth N and
// read share rf has the structural mean latency
//     L0(N) = max(t_mix, N x d_mix)      (t, d mixed by rf)
// Depth profile. Completions are also kept per depth class half an octave
// wide (class k: round(2 log2 N) = k, so 1, 2, 3, 4, 5-6, 7-9, 10-13, 14-19,
// 20-26, 27-38, 39-53, 54-76, ... in flight), each with its mean depth, the
// sizes and kinds it saw, its mean latency and a latency histogram. A class
// gives two figures, measured against the model as it stands:
//     c_k = mean latency / L0(class depth, class sizes and mix)
//     r_k = 0.99 latency quantile / mean latency
// c_k is how far the device sits from the two-parameter bound at that depth
// (a saturated rate that still climbs with depth, less overlap at low
// depth); r_k is the shape of the tail there, which on a device with a
// write buffer and parallel dies is neither linear nor monotone in N. Both
// are interpolated linearly in log N between the two learnt classes around
// the wanted depth (by their mean depths), and taken from the nearest learnt
// class outside them:
//     mean = L0(N) x c(N),   p99 = mean x max(1, r(N)),   IOPS = N / mean
// A fixed ladder of depths an octave apart (`CalibrationDepths`: 1, 2, 4,
// ..., 256) fills one class per rung, independent of the depth to predict;
// `RefinementDepths` then names rungs to add where the learnt tail changes
// fast between two rungs. What is learnt and predicted is a steady state:
// the caller decides the device state and feeds steady windows only
// (harness::CheckSteadyState; `nvme-performance-predict` in harness/mgmt_optimizer.cc).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "driver/optimizer/rls.h"

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

// The fixed calibration ladder: depths an octave apart, 1 to 256, ascending.
// Independent of any workload to predict. `kRefineTailStep`: the difference
// of tail ratio between neighbouring rungs above which a rung is added
// between them (`RefinementDepths`).
inline constexpr double kRefineTailStep = 0.03;
const std::array<uint32_t, 9>& CalibrationDepths();

// What the depth profile says at one depth (see above).
struct DepthProfile {
  double mean_factor = 1;  // c(N): mean latency / structural mean
  double tail_ratio = 0;   // r(N): p99 / mean; 0 when no class is learnt
  double lower_depth = 0;  // mean depths of the learnt classes it comes from
  double upper_depth = 0;  // (equal when taken from one class; 0 when none)
};

// Quantile of a positive value (a ratio, or a latency in us) from a
// log-spaced histogram (16 bins per octave from 1/4 to 16384; about 4 %
// resolution). Counts are halved when they
// reach 8192 so the estimate follows a changing device. Deterministic, no
// allocation.
class RatioQuantile {
 public:
  void Add(double ratio);
  double Quantile(double q) const;  // 0 while empty
  uint32_t count() const { return total_; }

 private:
  static constexpr int kPerOctave = 16, kLowOctave = -2, kOctaves = 16;
  static constexpr int kBins = kPerOctave * kOctaves;
  std::array<uint32_t, kBins> bins_{};
  uint32_t total_ = 0;
};

class PerformancePredictor {
 public:
  static constexpr uint32_t kWindow = 32;  // loaded completions per demand sample

  PerformancePredictor();
  // A completed command: size, kind, commands in flight when it was
  // submitted (itself included), latency.
  void Observe(uint32_t bytes, bool write, uint32_t inflight, double latency_us);
  PerformancePrediction Predict(const WorkloadDescription& w) const;
  double ServiceUs(uint32_t bytes, bool write) const;
  // Bottleneck time per command (us); 0 until loaded windows were seen.
  double DemandUs(uint32_t bytes, double read_fraction) const;
  // Commands the device overlaps for one kind: service / demand.
  double Parallelism(uint32_t bytes, bool write) const;
  DepthProfile ProfileAt(double queue_depth) const;
  // Adaptive refinement of a calibration ladder: for each two neighbouring
  // learnt depth classes (by mean depth) whose tail ratios r differ by more
  // than `max_step` of the smaller, the depth between them on the log scale,
  // round(sqrt(n_a x n_b)), when it lies strictly between them. Ascending.
  // Where the learnt tail changes fast, a rung there tells the interpolation
  // whether the change is a slope or a step. It depends only on what was
  // learnt, never on a depth to predict.
  std::vector<uint32_t> RefinementDepths(double max_step) const;
  uint64_t observations() const { return n_; }
  uint64_t demand_samples() const { return windows_; }

 private:
  // The completions of one depth class.
  struct DepthClass {
    RatioQuantile latency;  // us
    double latency_sum = 0;
    double inflight = 0;  // sum of commands in flight
    // Sizes and kinds seen, so the structural mean of the class can be
    // evaluated with the current model (service time is linear in them).
    double reads = 0, read_kib = 0, writes = 0, write_kib = 0;
    uint64_t count = 0;
  };
  static constexpr int kDepthClasses = 21;  // class k: round(2 log2 N) = k, N <= 1024
  static constexpr uint64_t kMinClassSamples = 200;
  static int DepthClassOf(uint32_t inflight);
  double ServiceAt(double kib, bool write) const;
  double StructuralMeanUs(double n, double read_service, double write_service) const;
  DepthProfile ProfileOf(const DepthClass& c) const;

  Rls<4> service_;
  Rls<2> demand_;  // 1 / P_read, 1 / P_write
  std::array<DepthClass, kDepthClasses> classes_{};
  // The current window of loaded completions.
  struct Window {
    uint32_t count = 0;
    double latency = 0, inflight = 0, read_service = 0, write_service = 0;
  } win_;
  uint64_t n_ = 0, low_load_ = 0, windows_ = 0;
};

std::string FormatPrediction(const WorkloadDescription& w, const PerformancePrediction& p,
                             const PerformancePrediction* measured);

}  // namespace nvmesim::driver::optimizer
