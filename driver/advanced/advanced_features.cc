#include "driver/advanced/advanced_features.h"

#include <algorithm>

#include "driver/commands.h"

namespace nvmesim::driver::advanced {

namespace {
// Interrupt Coalescing (Set Features 08h, base 2.0 5.27.1.8): CDW11 bits 7:0
// aggregation threshold (0's based), bits 15:8 aggregation time (100 us).
constexpr uint8_t kFidInterruptCoalescing = 0x08;
}  // namespace

AdvancedOptions AdvancedOptions::FromConfig(const AdvancedNvmeConfig& c, bool device_thermal) {
  AdvancedOptions o;
  o.thermal_options = thermal::ThermalManagerOptions::FromConfig(c);
  o.optimizer_settings = optimizer::OptimizerSettings::FromConfig(c);
  const optimizer::OptimizerSettings& s = o.optimizer_settings;
  o.optimizer = s.predict_latency || s.tune || s.steering || s.maintenance;
  o.thermal = (device_thermal && c.thermal_monitoring) || c.advanced_power_management ||
              c.predictive_thermal_management || c.adaptive_power_optimization ||
              s.maintenance;  // maintenance reads SMART through the manager
  return o;
}

AdvancedFeatures::AdvancedFeatures(Controller& controller, hal::Clock& clock,
                                   AdvancedOptions options)
    : controller_(controller),
      clock_(clock),
      options_(std::move(options)),
      knobs_(options_.initial_knobs) {
  if (options_.thermal) {
    thermal_ =
        std::make_unique<thermal::ThermalManager>(controller_, clock_, options_.thermal_options);
  }
  if (options_.optimizer) {
    optimizer::OptimizerSettings& os = options_.optimizer_settings;
    if (!os.adaptive_depth) {
      // Depth is not the tuner's to change: pin it so its log shows only real changes.
      os.limits.min_depth = os.limits.max_depth = options_.initial_knobs.queue_depth;
    }
    optimizer_ = std::make_unique<optimizer::PerformanceOptimizer>(
        options_.optimizer_settings, options_.initial_knobs, controller_.io_queue_count());
  }
}

AdvancedFeatures::~AdvancedFeatures() {
  *alive_ = false;
  Stop();
}

void AdvancedFeatures::Start(DoneCallback done) {
  running_ = true;
  queue_outstanding_.assign(controller_.io_queue_count() + 1u, 0);
  controller_.SetIoHooks(this);
  std::weak_ptr<bool> alive = alive_;
  controller_.AddAsyncEventListener([this, alive](uint32_t dw0) {
    // Temperature threshold events (type 1 SMART / Health, info 01h; base
    // 2.0 Figure 148) make the thermal manager read SMART at once.
    if (!alive.expired() && *alive.lock() && thermal_) thermal_->OnAsyncEvent(dw0);
  });
  controller_.AddReinitListener([this, alive] {
    if (!alive.expired() && *alive.lock()) OnReinit();
  });
  epoch_start_ns_ = clock_.NowNs();
  if (optimizer_ && options_.optimizer_settings.tune) ArmEpoch();
  if (!thermal_) {
    done(spec::Status::Ok());
    return;
  }
  if (optimizer_ && options_.optimizer_settings.maintenance) {
    thermal_->SetSmartObserver([this](const thermal::SmartSample& s) { OnSmart(s); });
  }
  thermal_->Start(std::move(done));
}

void AdvancedFeatures::Stop() {
  if (!running_) return;
  running_ = false;
  controller_.SetIoHooks(nullptr);
  if (depth_applied_) controller_.SetIoDepthLimit(0);  // the tuned depth ends with the tuner
  depth_applied_ = false;
  if (thermal_) thermal_->Stop();
  if (epoch_timer_ != hal::Clock::kNoTimer) clock_.CancelTimer(epoch_timer_);
  epoch_timer_ = hal::Clock::kNoTimer;
}

uint64_t AdvancedFeatures::AdmitAt(uint64_t now_ns, uint64_t bytes) {
  if (!thermal_ || thermal_->Admit(now_ns, bytes)) return 0;
  const uint64_t at = std::max(thermal_->NextAdmitNs(now_ns, bytes), now_ns + 1);
  ++stats_.deferred;
  stats_.held_ns += at - now_ns;
  return at;
}

uint32_t AdvancedFeatures::OnIssued(uint64_t now_ns, uint16_t qid, uint64_t, bool) {
  ++stats_.requests;
  if (outstanding_++ == 0 && thermal_) thermal_->NoteBusy(now_ns);
  uint32_t q = 0;
  if (qid < queue_outstanding_.size()) q = ++queue_outstanding_[qid];
  // Token: load seen by this request (itself included), queue in the high half.
  return (std::min<uint32_t>(q, 0xFFFF) << 16) | std::min<uint32_t>(outstanding_, 0xFFFF);
}

void AdvancedFeatures::OnFinished(uint64_t now_ns, uint16_t qid, uint64_t bytes, bool write,
                                  uint64_t latency_ns, uint32_t token, const spec::Status& status) {
  if (outstanding_ > 0) --outstanding_;
  if (qid < queue_outstanding_.size() && queue_outstanding_[qid] > 0) --queue_outstanding_[qid];
  if (thermal_) {
    if (status.ok()) thermal_->NoteIo(bytes);
    if (outstanding_ == 0) thermal_->NoteIdle(now_ns);
  }
  if (!optimizer_ || !status.ok()) return;
  const double us = static_cast<double>(latency_ns) / 1000.0;
  optimizer::RequestFeatures f;
  f.queue_outstanding = token >> 16;
  f.total_outstanding = token & 0xFFFF;
  f.bytes = static_cast<uint32_t>(std::min<uint64_t>(bytes, UINT32_MAX));
  f.write = write;
  optimizer_->OnCompletion(f, qid > 0 ? qid - 1u : 0u, us);
  if (options_.optimizer_settings.tune) {
    ++epoch_hist_[LatencyBucket(latency_ns)];
    ++epoch_count_;
    epoch_sum_us_ += us;
    epoch_queue_depth_sum_ += f.queue_outstanding;
  }
}

size_t AdvancedFeatures::LatencyBucket(uint64_t ns) {
  if (ns < 16) return static_cast<size_t>(ns);
  const int e = 63 - __builtin_clzll(ns);  // >= 4
  const uint64_t m = (ns >> (e - 4)) & 15u;
  return static_cast<size_t>(e - 3) * 16 + static_cast<size_t>(m);
}

double AdvancedFeatures::BucketNs(size_t b) {
  if (b < 16) return static_cast<double>(b);
  const int e = static_cast<int>(b / 16) + 3;
  const uint64_t m = b % 16;
  const uint64_t width = uint64_t{1} << (e - 4);
  return static_cast<double>(((16 + m) << (e - 4)) + width / 2);
}

void AdvancedFeatures::ArmEpoch() {
  epoch_timer_ = clock_.StartTimer(options_.optimizer_settings.epoch_ns, [this] {
    epoch_timer_ = hal::Clock::kNoTimer;
    EndEpoch();
    if (running_) ArmEpoch();
  });
}

std::optional<optimizer::EpochMetrics> AdvancedFeatures::OpenEpoch() const {
  const uint64_t now = clock_.NowNs();
  const double seconds = static_cast<double>(now - epoch_start_ns_) / 1e9;
  if (epoch_count_ == 0 || seconds <= 0) return std::nullopt;
  optimizer::EpochMetrics m;
  m.iops = static_cast<double>(epoch_count_) / seconds;
  m.mean_us = epoch_sum_us_ / static_cast<double>(epoch_count_);
  m.queue_depth = static_cast<double>(epoch_queue_depth_sum_) / static_cast<double>(epoch_count_);
  // The 99th percentile: the bucket holding the ceil(0.99 n)-th completion.
  const uint64_t rank = (epoch_count_ * 99 + 99) / 100;
  uint64_t seen = 0;
  for (size_t b = 0; b < kLatencyBuckets; ++b) {
    seen += epoch_hist_[b];
    if (seen >= rank) {
      m.p99_us = BucketNs(b) / 1000.0;
      break;
    }
  }
  return m;
}

void AdvancedFeatures::EndEpoch() {
  const uint64_t now = clock_.NowNs();
  const std::optional<optimizer::EpochMetrics> measured = optimizer_ ? OpenEpoch() : std::nullopt;
  epoch_start_ns_ = now;
  if (!measured) return;
  const optimizer::EpochMetrics& m = *measured;
  epoch_hist_.fill(0);
  epoch_count_ = 0;
  epoch_sum_us_ = 0;
  epoch_queue_depth_sum_ = 0;
  epochs_.push_back({now, m, knobs_});
  if (std::optional<optimizer::TunerKnobs> next = optimizer_->OnEpoch(m)) {
    ++stats_.knob_changes;
    ApplyKnobs(*next);
  }
}

void AdvancedFeatures::ApplyKnobs(const optimizer::TunerKnobs& k) {
  const bool coalescing = k.coalescing_threshold != knobs_.coalescing_threshold ||
                          k.coalescing_time_100us != knobs_.coalescing_time_100us;
  const bool depth = k.queue_depth != knobs_.queue_depth;
  knobs_ = k;
  if (coalescing) SendCoalescing();
  if (depth && options_.optimizer_settings.adaptive_depth) {
    // queue_adaptive_sizing: every I/O queue keeps at most this many commands
    // in flight; the rest wait in the driver (Controller::SetIoDepthLimit).
    controller_.SetIoDepthLimit(knobs_.queue_depth);
    depth_applied_ = true;
    ++stats_.depth_sets;
  }
}

void AdvancedFeatures::SendCoalescing() {
  ++stats_.coalescing_sets;
  const uint32_t cdw11 =
      uint32_t{knobs_.coalescing_threshold} | (uint32_t{knobs_.coalescing_time_100us} << 8);
  (void)controller_.SubmitAdmin(commands::SetFeatures(kFidInterruptCoalescing, cdw11),
                                [](const spec::Cqe&) {});
}

void AdvancedFeatures::OnReinit() {
  // A reset put the device's features back at their defaults and the driver
  // re-sent its static coalescing: program what was tuned, APST and TMTs again.
  if (!running_) return;
  ++stats_.reinits;
  if (knobs_.coalescing_threshold != options_.initial_knobs.coalescing_threshold ||
      knobs_.coalescing_time_100us != options_.initial_knobs.coalescing_time_100us) {
    SendCoalescing();
  }
  if (thermal_) thermal_->OnControllerReset();
}

void AdvancedFeatures::OnSmart(const thermal::SmartSample& s) {
  if (!optimizer_) return;
  optimizer::HealthSample h;
  h.hours = static_cast<double>(s.time_ns) / 1e9 * options_.maintenance_hours_per_second;
  h.percentage_used = s.percentage_used;
  h.available_spare = s.available_spare;
  h.spare_threshold = s.available_spare_threshold;
  h.media_errors = s.media_errors;
  h.kelvin = s.composite_kelvin;
  h.critical_warning = s.critical_warning;
  const optimizer::MaintenanceAssessment* a = optimizer_->OnHealthSample(h);
  if (a && a->warning && stats_.maintenance_warning_s < 0) {
    stats_.maintenance_warning_s = static_cast<double>(s.time_ns) / 1e9;
  }
}

}  // namespace nvmesim::driver::advanced
