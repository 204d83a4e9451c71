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
// read share rf then has
//     L(N) = max(t_mix, N x d_mix),  IOPS = N / L      (t, d mixed by rf)
// p99 at low load (N <= 2) is L x the 0.99 quantile of latency / t. Under
// load the tail is an excess added to the mean, learnt per depth class
// (3-4, 5-8, ..., 513-1024 in flight) as the class's 0.99 latency quantile
// minus its mean latency; a depth between two learnt classes interpolates
// linearly in N, outside them takes the nearest.
#pragma once

#include <array>
#include <cstdint>
#include <string>

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
  uint64_t observations() const { return n_; }
  uint64_t demand_samples() const { return windows_; }

 private:
  // The loaded latencies of one depth class.
  struct DepthTail {
    RatioQuantile latency;  // us
    double latency_sum = 0;
    double inflight = 0;  // sum of commands in flight
    uint64_t count = 0;
  };
  static constexpr int kDepthClasses = 11;  // class c holds 2^(c-1) < N <= 2^c
  static constexpr uint64_t kMinTailSamples = 200;
  double ExcessUs(double n) const;

  Rls<4> service_;
  Rls<2> demand_;  // 1 / P_read, 1 / P_write
  RatioQuantile tail_low_;
  std::array<DepthTail, kDepthClasses> tail_loaded_{};
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
