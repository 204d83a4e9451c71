#include "driver/optimizer/optimizer.h"

#include <cstdio>

namespace nvmesim::driver::optimizer {

OptimizerSettings OptimizerSettings::FromConfig(const AdvancedNvmeConfig& c) {
  OptimizerSettings s;
  s.predict_latency = c.machine_learning_enabled;
  s.tune = c.ai_optimization_enabled || c.queue_ai_optimization;
  s.adaptive_depth = c.queue_adaptive_sizing;
  s.steering = c.queue_intelligent_scheduling;
  s.maintenance = c.predictive_maintenance;
  s.epoch_ns = c.real_time_optimization ? 100'000'000ull : 1'000'000'000ull;
  s.limits.max_depth = c.queue_depth;
  return s;
}

PerformanceOptimizer::PerformanceOptimizer(const OptimizerSettings& settings, TunerKnobs initial,
                                           size_t queues)
    : settings_(settings),
      tuner_(settings.goal, settings.limits, initial),
      steering_(queues),
      maintenance_(settings.maintenance_config) {}

void PerformanceOptimizer::OnCompletion(const RequestFeatures& r, uint32_t queue_index,
                                        double latency_us) {
  if (settings_.predict_latency) {
    latency_.Observe(r, latency_us);
    performance_.Observe(r.bytes, r.write, r.total_outstanding, latency_us);
  }
  if (settings_.steering) steering_.Observe(queue_index, latency_us);
}

std::optional<TunerKnobs> PerformanceOptimizer::OnEpoch(const EpochMetrics& m) {
  if (!settings_.tune) return std::nullopt;
  const TunerKnobs before = tuner_.knobs();
  TunerKnobs next = tuner_.Decide(m);
  if (!settings_.adaptive_depth) next.queue_depth = before.queue_depth;
  if (next == before) return std::nullopt;
  return next;
}

size_t PerformanceOptimizer::ChooseQueue(const Candidate* candidates, size_t count) const {
  if (!settings_.steering) {
    for (size_t i = 0; i < count; ++i) {
      if (candidates[i].usable) return i;
    }
    return IoSteering::kNone;
  }
  return steering_.Choose(candidates, count);
}

const MaintenanceAssessment* PerformanceOptimizer::OnHealthSample(const HealthSample& s) {
  if (!settings_.maintenance) return nullptr;
  return &maintenance_.AddSample(s);
}

std::string PerformanceOptimizer::FormatTuning(const TunerKnobs& initial) const {
  std::string out = "goal: ";
  char buf[256];
  if (settings_.goal.kind == TunerGoalKind::kLatency) {
    std::snprintf(buf, sizeof(buf), "p99 <= %.0f us\n", settings_.goal.p99_target_us);
  } else {
    std::snprintf(buf, sizeof(buf), "maximum IOPS\n");
  }
  out += buf;
  out += "start:  " + DescribeKnobs(initial) + "\n";
  for (const TunerChange& c : tuner_.changes()) {
    out += "epoch " + std::to_string(c.epoch) + ": " + DescribeKnobs(c.before) + " -> " +
           DescribeKnobs(c.after) + " (" + c.reason + ")\n";
  }
  out += "now:    " + DescribeKnobs(tuner_.knobs()) + "\n";
  if (settings_.predict_latency) {
    std::snprintf(buf, sizeof(buf), "latency model: %llu completions, mean relative error %.1f%%\n",
                  static_cast<unsigned long long>(latency_.observations()),
                  latency_.relative_error() * 100);
    out += buf;
  }
  return out;
}

std::string PerformanceOptimizer::FormatPredictiveStats() const {
  const uint64_t n = maintenance_.samples();
  std::string out = "predictive maintenance: " + std::to_string(n) +
                    (n == 1 ? " sample (a trend needs more)\n" : " samples\n");
  out += FormatMaintenance(maintenance_.assessment(), maintenance_.config());
  return out;
}

}  // namespace nvmesim::driver::optimizer
