// The driver's thermal, power and optimisation features on one controller:
// a ThermalManager (SMART monitoring, APST, predictive thermal admission),
// a PerformanceOptimizer (latency / performance models, coalescing tuner)
// and predictive maintenance, layered on driver::Controller through its
// seams only: IoHooks (admission gate and completion observer), an extra
// async-event listener and AdminChannel.
//
// What runs follows `[advanced_nvme]` (AdvancedOptions::FromConfig); with
// nothing enabled nothing is created and the controller's I/O path stays as
// it was (no hooks installed).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver/config.h"
#include "driver/controller.h"
#include "driver/hal/hal.h"
#include "driver/optimizer/optimizer.h"
#include "driver/seams.h"
#include "driver/thermal/thermal_manager.h"
#include "spec/status.h"

namespace nvmesim::driver::advanced {

struct AdvancedOptions {
  bool thermal = false;  // run a ThermalManager
  thermal::ThermalManagerOptions thermal_options;
  bool optimizer = false;  // run a PerformanceOptimizer (tuner, models, maintenance)
  optimizer::OptimizerSettings optimizer_settings;
  optimizer::TunerKnobs initial_knobs;  // coalescing as the driver configured it
  // Power-on hours per simulated second for the maintenance model (SMART
  // power-on hours do not move in a short simulation): 1/3600 = real time.
  double maintenance_hours_per_second = 1.0 / 3600;

  // From `[advanced_nvme]`; `device_thermal`: the device models temperature
  // (then monitoring runs when thermal_monitoring is on).
  static AdvancedOptions FromConfig(const AdvancedNvmeConfig& config, bool device_thermal);
  bool any() const { return thermal || optimizer; }
};

// One tuning epoch as measured (for reports).
struct EpochRecord {
  uint64_t time_ns = 0;
  optimizer::EpochMetrics metrics;
  optimizer::TunerKnobs knobs;  // in force during the epoch
};

struct AdvancedStats {
  uint64_t requests = 0;
  uint64_t deferred = 0;  // requests the thermal gate held back
  uint64_t held_ns = 0;   // total hold time the gate asked for
  uint64_t knob_changes = 0;
  uint64_t coalescing_sets = 0;       // Set Features 08h sent
  uint64_t depth_sets = 0;            // software queue depth handed to the controller
  uint64_t reinits = 0;               // controller resets after which features were set again
  double maintenance_warning_s = -1;  // simulated time of the first warning; -1: none
};

class AdvancedFeatures : public IoHooks {
 public:
  using DoneCallback = std::function<void(spec::Status)>;

  AdvancedFeatures(Controller& controller, hal::Clock& clock, AdvancedOptions options);
  ~AdvancedFeatures() override;
  AdvancedFeatures(const AdvancedFeatures&) = delete;
  AdvancedFeatures& operator=(const AdvancedFeatures&) = delete;

  // After the controller is ready: installs the hooks and the async-event
  // listener and starts the thermal manager; `done` runs once.
  void Start(DoneCallback done);
  void Stop();

  // IoHooks.
  uint64_t AdmitAt(uint64_t now_ns, uint64_t bytes) override;
  uint32_t OnIssued(uint64_t now_ns, uint16_t qid, uint64_t bytes, bool write) override;
  void OnFinished(uint64_t now_ns, uint16_t qid, uint64_t bytes, bool write, uint64_t latency_ns,
                  uint32_t token, const spec::Status& status) override;

  thermal::ThermalManager* thermal() { return thermal_.get(); }
  const thermal::ThermalManager* thermal() const { return thermal_.get(); }
  optimizer::PerformanceOptimizer* optimizer() { return optimizer_.get(); }
  const optimizer::PerformanceOptimizer* optimizer() const { return optimizer_.get(); }
  const AdvancedOptions& options() const { return options_; }
  const AdvancedStats& stats() const { return stats_; }
  const std::vector<EpochRecord>& epochs() const { return epochs_; }
  const optimizer::TunerKnobs& knobs() const { return knobs_; }

  // Runs one tuning epoch now from the completions since the last one
  // (also what the epoch timer does).
  void EndEpoch();
  // The completions since the last epoch, measured but not handed to the
  // tuner (the tail of a run); nullopt when there are none.
  std::optional<optimizer::EpochMetrics> OpenEpoch() const;

 private:
  void ArmEpoch();
  void ApplyKnobs(const optimizer::TunerKnobs& k);
  void SendCoalescing();
  void OnReinit();
  void OnSmart(const thermal::SmartSample& s);

  Controller& controller_;
  hal::Clock& clock_;
  AdvancedOptions options_;
  std::unique_ptr<thermal::ThermalManager> thermal_;
  std::unique_ptr<optimizer::PerformanceOptimizer> optimizer_;
  optimizer::TunerKnobs knobs_;
  AdvancedStats stats_;
  std::vector<uint32_t> queue_outstanding_;  // by qid
  uint32_t outstanding_ = 0;
  // The epoch's completion latencies: a log-linear histogram (16 steps per
  // power of two, 1/16 resolution) so an epoch decision is O(buckets), not
  // O(completions).
  static constexpr size_t kLatencyBuckets = 1024;
  static size_t LatencyBucket(uint64_t ns);
  static double BucketNs(size_t bucket);
  std::array<uint32_t, kLatencyBuckets> epoch_hist_{};
  uint64_t epoch_count_ = 0;
  double epoch_sum_us_ = 0;
  uint64_t epoch_queue_depth_sum_ = 0;  // per completion: its queue's depth at submission
  uint64_t epoch_start_ns_ = 0;
  std::vector<EpochRecord> epochs_;
  hal::Clock::TimerId epoch_timer_ = hal::Clock::kNoTimer;
  bool running_ = false;
  bool depth_applied_ = false;  // a tuned depth is in force on the controller
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace nvmesim::driver::advanced
