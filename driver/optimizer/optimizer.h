// The performance optimizer for one controller: which models run under which
// `[advanced_nvme]` keys, and the text of `nvme-ai-optimize` /
// `nvme-adaptive-tune` / `nvme-predictive-stats`.
//
//   machine_learning_enabled      latency predictor, performance predictor
//   ai_optimization_enabled or
//   queue_ai_optimization         coalescing / depth tuner (latency goal)
//   queue_adaptive_sizing         the tuner may change queue depth
//   queue_intelligent_scheduling  steering between queues and paths
//   real_time_optimization        tuner epoch 100 ms instead of 1 s
//   predictive_maintenance        SMART-trend maintenance model
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "driver/config.h"
#include "driver/optimizer/latency_predictor.h"
#include "driver/optimizer/performance_predictor.h"
#include "driver/optimizer/predictive_maintenance.h"
#include "driver/optimizer/steering.h"
#include "driver/optimizer/tuner.h"

namespace nvmesim::driver::optimizer {

struct OptimizerSettings {
  bool predict_latency = false;
  bool tune = false;
  bool adaptive_depth = false;
  bool steering = false;
  bool maintenance = false;
  uint64_t epoch_ns = 1'000'000'000;
  TunerGoal goal;
  TunerLimits limits;
  MaintenanceConfig maintenance_config;

  static OptimizerSettings FromConfig(const AdvancedNvmeConfig& config);
};

class PerformanceOptimizer {
 public:
  PerformanceOptimizer(const OptimizerSettings& settings, TunerKnobs initial, size_t queues);

  // Completion path: one request (features at submission, measured latency).
  void OnCompletion(const RequestFeatures& r, uint32_t queue_index, double latency_us);
  // End of a tuning epoch: returns the knobs to apply when they changed.
  std::optional<TunerKnobs> OnEpoch(const EpochMetrics& m);
  // Submission path: queue (or path) to use; kNone when none is usable.
  size_t ChooseQueue(const Candidate* candidates, size_t count) const;
  // SMART sample for predictive maintenance.
  const MaintenanceAssessment* OnHealthSample(const HealthSample& s);

  const OptimizerSettings& settings() const { return settings_; }
  const LatencyPredictor& latency() const { return latency_; }
  const PerformancePredictor& performance() const { return performance_; }
  const CoalescingTuner& tuner() const { return tuner_; }
  const PredictiveMaintenance& maintenance() const { return maintenance_; }

  // `nvme-ai-optimize` / `nvme-adaptive-tune`: what the tuner changed and why.
  std::string FormatTuning(const TunerKnobs& initial) const;
  // `nvme-predictive-stats`.
  std::string FormatPredictiveStats() const;

 private:
  OptimizerSettings settings_;
  LatencyPredictor latency_;
  PerformancePredictor performance_;
  CoalescingTuner tuner_;
  IoSteering steering_;
  PredictiveMaintenance maintenance_;
};

}  // namespace nvmesim::driver::optimizer
