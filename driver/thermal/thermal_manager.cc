#include "driver/thermal/thermal_manager.h"

#include <cstring>

#include "driver/commands.h"
#include "driver/thermal/thermal_stats.h"
#include "spec/features.h"
#include "spec/log_pages.h"

namespace nvmesim::driver::thermal {

namespace {
constexpr uint32_t kNsidAll = 0xFFFFFFFFu;  // controller-wide log (Base 2.0 §5.16)
constexpr uint8_t kCnsController = 0x01;    // Identify Controller (Base 2.0 Figure 273)
}  // namespace

ThermalManagerOptions ThermalManagerOptions::FromConfig(const AdvancedNvmeConfig& c) {
  ThermalManagerOptions o;
  o.thermal_monitoring = c.thermal_monitoring;
  o.advanced_power_management = c.advanced_power_management;
  o.predictive_thermal_management = c.predictive_thermal_management;
  o.adaptive_power_optimization = c.adaptive_power_optimization;
  return o;
}

ThermalManager::ThermalManager(AdminChannel& admin, hal::Clock& clock,
                               ThermalManagerOptions options)
    : admin_(admin), clock_(clock), options_(options), forecaster_(options.forecaster) {}

ThermalManager::~ThermalManager() {
  Stop();
  if (buffer_.valid() && admin_.dma()) admin_.dma()->Free(buffer_);
}

void ThermalManager::Log(hal::LogLevel level, const std::string& message) {
  if (admin_.log())
    admin_.log()->Write(level, std::string(options_.name) + ": thermal: " + message);
}

void ThermalManager::Start(DoneCallback done) {
  on_started_ = std::move(done);
  running_ = true;
  if (!buffer_.valid()) buffer_ = admin_.dma()->Allocate(4096, 4096);
  if (!buffer_.valid()) return Finish(spec::Status(spec::GenericStatus::kInternalError));
  const uint64_t gen = generation_;
  const spec::Status s = admin_.SubmitAdmin(
      commands::Identify(kCnsController, 0, 0, 0, buffer_.bus), [this, gen](const spec::Cqe& cqe) {
        if (gen == generation_) IdentifyDone(cqe);
      });
  if (!s.ok()) Finish(s);
}

void ThermalManager::IdentifyDone(const spec::Cqe& cqe) {
  const spec::Status s = cqe.status_value();
  if (!s.ok()) return Finish(s);
  std::memcpy(&id_, buffer_.cpu, sizeof(id_));
  forecaster_.SetLimitKelvin(options_.tmt1 ? options_.tmt1 : id_.wctemp);
  ProgramHctm([this] { ProgramApst([this] { Finish(spec::Status::Ok()); }); });
}

void ThermalManager::ProgramHctm(std::function<void()> next) {
  if ((options_.tmt1 == 0 && options_.tmt2 == 0) || !(id_.hctma & 1u)) return next();
  spec::HostThermalManagementFeature f;
  f.set_tmt1(options_.tmt1).set_tmt2(options_.tmt2);
  const uint64_t gen = generation_;
  const spec::Status s = admin_.SubmitAdmin(
      commands::SetFeatures(static_cast<uint8_t>(spec::FeatureId::kHostControlledThermalManagement),
                            f.raw),
      [this, gen, next](const spec::Cqe& cqe) {
        if (gen != generation_) return;
        if (!cqe.status_value().ok()) {
          Log(hal::LogLevel::kWarning, "TMT1/TMT2 refused: " + cqe.status_value().ToString());
        }
        next();
      });
  if (!s.ok()) next();
}

void ThermalManager::ProgramApst(std::function<void()> next) {
  if (!options_.advanced_power_management) return next();
  ApstPolicy policy = options_.apst;
  if (options_.adaptive_power_optimization && power_.apst_state >= 0) {
    policy.max_latency_us = power_.latency_tolerance_us;
  }
  plan_ = BuildApstPlan(id_.psd, id_.npss, id_.apsta, policy);
  if (!plan_.supported) return next();
  // Set Features 0Ch: CDW11 APSTE, data = 256-byte table (Base 2.0 FID 0Ch).
  std::memcpy(buffer_.cpu, &plan_.table, sizeof(plan_.table));
  spec::Sqe sqe = commands::SetFeatures(
      static_cast<uint8_t>(spec::FeatureId::kAutonomousPowerStateTransition), plan_.cdw11());
  sqe.prp1 = buffer_.bus;
  const uint64_t gen = generation_;
  const spec::Status s = admin_.SubmitAdmin(sqe, [this, gen, next](const spec::Cqe& cqe) {
    if (gen != generation_) return;
    if (cqe.status_value().ok())
      ++apst_programs_;
    else
      Log(hal::LogLevel::kWarning, "APST refused: " + cqe.status_value().ToString());
    next();
  });
  if (!s.ok()) next();
}

void ThermalManager::Finish(spec::Status s) {
  if (s.ok() && (options_.thermal_monitoring || options_.predictive_thermal_management)) {
    last_poll_ns_ = clock_.NowNs();
    last_replan_ns_ = last_poll_ns_;
    elapsed_mark_ns_ = last_poll_ns_;
    idle_since_ns_ = last_poll_ns_;
    PollNow();
  }
  if (on_started_) {
    DoneCallback cb = std::move(on_started_);
    on_started_ = nullptr;
    cb(s);
  }
}

void ThermalManager::Stop() {
  running_ = false;
  ++generation_;
  poll_in_flight_ = false;
  if (timer_ != hal::Clock::kNoTimer) clock_.CancelTimer(timer_);
  timer_ = hal::Clock::kNoTimer;
}

void ThermalManager::ArmPoll() {
  if (!running_ || timer_ != hal::Clock::kNoTimer) return;
  timer_ = clock_.StartTimer(options_.poll_interval_ns, [this] {
    timer_ = hal::Clock::kNoTimer;
    PollNow();
  });
}

void ThermalManager::PollNow() {
  if (!running_) return;
  if (poll_in_flight_) {
    poll_again_ = true;
    return;
  }
  poll_in_flight_ = true;
  // The SMART log lives in the second half of the buffer; RAE clear, so a
  // temperature event's type is unmasked by this read (Base 2.0 §5.2).
  const uint64_t gen = generation_;
  const spec::Status s =
      admin_.SubmitAdmin(commands::GetLogPage(static_cast<uint8_t>(spec::LogPageId::kSmartHealth),
                                              kNsidAll, 512, false, buffer_.bus + 2048, 0),
                         [this, gen](const spec::Cqe& cqe) {
                           if (gen == generation_) SmartDone(cqe);
                         });
  if (!s.ok()) {
    poll_in_flight_ = false;
    ArmPoll();
  }
}

void ThermalManager::SmartDone(const spec::Cqe& cqe) {
  poll_in_flight_ = false;
  const uint64_t now = clock_.NowNs();
  if (cqe.status_value().ok()) {
    spec::SmartHealthLog log;
    std::memcpy(&log, buffer_.cpu + 2048, sizeof(log));
    const SmartSample sample = SampleFromSmartLog(now, log);
    monitor_.AddSample(sample);
    if (smart_observer_) smart_observer_(sample);
    const double dt = now > last_poll_ns_ ? static_cast<double>(now - last_poll_ns_) / 1e9 : 0;
    const double rate = dt > 0 ? static_cast<double>(io_bytes_ - io_bytes_at_poll_) / dt : 0;
    if (options_.predictive_thermal_management) {
      forecaster_.AddSample(now, sample.composite_kelvin, rate);
    }
    io_bytes_at_poll_ = io_bytes_;
    last_poll_ns_ = now;
    if (options_.adaptive_power_optimization && options_.advanced_power_management &&
        now - last_replan_ns_ >= options_.replan_interval_ns) {
      last_replan_ns_ = now;
      const PowerRecommendation r =
          optimizer_.Recommend(id_.psd, id_.npss, options_.latency_budget_us);
      if (r.latency_tolerance_us != power_.latency_tolerance_us ||
          r.apst_state != power_.apst_state) {
        power_ = r;
        ProgramApst([] {});
      } else {
        power_ = r;
      }
    }
  } else {
    Log(hal::LogLevel::kWarning, "SMART read failed: " + cqe.status_value().ToString());
  }
  if (poll_again_) {
    poll_again_ = false;
    PollNow();
    return;
  }
  ArmPoll();
}

void ThermalManager::OnControllerReset() {
  if (!running_) return;
  ProgramHctm([this] { ProgramApst([] {}); });
}

void ThermalManager::OnAsyncEvent(uint32_t dw0) {
  if (monitor_.OnAsyncEvent(dw0)) PollNow();
}

void ThermalManager::NoteIdle(uint64_t now_ns) {
  if (idle_) return;
  idle_ = true;
  idle_since_ns_ = now_ns;
}

void ThermalManager::NoteBusy(uint64_t now_ns) {
  if (!idle_) return;
  idle_ = false;
  if (now_ns > idle_since_ns_) optimizer_.ObserveIdleGap(now_ns - idle_since_ns_);
  if (now_ns > elapsed_mark_ns_) optimizer_.ObserveElapsed(now_ns - elapsed_mark_ns_);
  elapsed_mark_ns_ = now_ns;
}

bool ThermalManager::Admit(uint64_t now_ns, uint64_t bytes) {
  if (!options_.predictive_thermal_management) return true;
  return forecaster_.Admit(now_ns, bytes);
}

uint64_t ThermalManager::NextAdmitNs(uint64_t now_ns, uint64_t bytes) const {
  if (!options_.predictive_thermal_management) return now_ns;
  return forecaster_.NextAdmitNs(now_ns, bytes);
}

std::string ThermalManager::FormatStats(bool history) const {
  ThermalStatsView v;
  v.device = options_.name;
  v.wctemp = id_.wctemp;
  v.cctemp = id_.cctemp;
  v.tmt1 = options_.tmt1;
  v.tmt2 = options_.tmt2;
  v.monitor = &monitor_;
  v.forecaster = options_.predictive_thermal_management ? &forecaster_ : nullptr;
  v.apst = options_.advanced_power_management ? &plan_ : nullptr;
  v.npss = id_.npss;
  v.power = options_.adaptive_power_optimization ? &power_ : nullptr;
  v.history = history;
  return FormatThermalStats(v);
}

}  // namespace nvmesim::driver::thermal
