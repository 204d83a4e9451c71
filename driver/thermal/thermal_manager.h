// The driver's thermal manager for one controller: reads Identify Controller
// (power states, WCTEMP/CCTEMP, APSTA, HCTMA/MNTMT/MXTMT), programs APST
// (advanced_power_management) and optionally TMT1/TMT2, polls the SMART /
// Health log (thermal_monitoring), reads it at once on a temperature
// threshold event, feeds the forecaster (predictive_thermal_management) and
// the adaptive power optimizer (adaptive_power_optimization).
//
// It talks to the controller only through AdminChannel (driver/seams.h) and
// to time only through hal::Clock; the I/O path calls NoteIo / NoteIdle and
// consults Admit before submitting.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "driver/config.h"
#include "driver/hal/hal.h"
#include "driver/seams.h"
#include "driver/thermal/apst_planner.h"
#include "driver/thermal/power_optimizer.h"
#include "driver/thermal/thermal_forecaster.h"
#include "driver/thermal/thermal_monitor.h"
#include "spec/identify_controller.h"
#include "spec/status.h"

namespace nvmesim::driver::thermal {

struct ThermalManagerOptions {
  bool thermal_monitoring = true;
  bool advanced_power_management = false;
  bool predictive_thermal_management = false;
  bool adaptive_power_optimization = false;
  uint64_t poll_interval_ns = 1'000'000'000;  // SMART read period
  ApstPolicy apst;
  ForecasterConfig forecaster;
  uint16_t tmt1 = 0, tmt2 = 0;         // program HCTM (FID 10h) when either is non-zero
  uint64_t latency_budget_us = 10000;  // adaptive: worst wake latency accepted
  uint64_t replan_interval_ns = 10'000'000'000ull;
  const char* name = "nvme0";

  static ThermalManagerOptions FromConfig(const AdvancedNvmeConfig& config);
};

class ThermalManager {
 public:
  using DoneCallback = std::function<void(spec::Status)>;

  ThermalManager(AdminChannel& admin, hal::Clock& clock, ThermalManagerOptions options);
  ~ThermalManager();
  ThermalManager(const ThermalManager&) = delete;
  ThermalManager& operator=(const ThermalManager&) = delete;

  // Identify, APST, HCTM, first SMART read; `done` runs once.
  void Start(DoneCallback done);
  void Stop();

  // Controller::SetAsyncEventHandler forwards here.
  void OnAsyncEvent(uint32_t dw0);
  // I/O path: bytes completed (for the rate), idle / busy edges (for gaps).
  void NoteIo(uint64_t bytes) { io_bytes_ += bytes; }
  void NoteIdle(uint64_t now_ns);
  void NoteBusy(uint64_t now_ns);
  // Admission decision for a request; always true unless predictive thermal
  // management holds a rate limit that the request would exceed.
  bool Admit(uint64_t now_ns, uint64_t bytes);
  uint64_t NextAdmitNs(uint64_t now_ns, uint64_t bytes) const;
  // Reads SMART now (also used on threshold events).
  void PollNow();
  // The controller was reset (its features are back at their defaults):
  // programs TMT1/TMT2 and the APST table again.
  void OnControllerReset();
  // Called with every SMART sample read (e.g. to feed predictive maintenance).
  void SetSmartObserver(std::function<void(const SmartSample&)> observer) {
    smart_observer_ = std::move(observer);
  }

  const ThermalMonitor& monitor() const { return monitor_; }
  const ThermalForecaster& forecaster() const { return forecaster_; }
  const ApstPlan& apst_plan() const { return plan_; }
  const PowerRecommendation& power() const { return power_; }
  const AdaptivePowerOptimizer& power_optimizer() const { return optimizer_; }
  uint16_t wctemp() const { return id_.wctemp; }
  uint16_t cctemp() const { return id_.cctemp; }
  uint8_t npss() const { return id_.npss; }
  const spec::PowerStateDescriptor* psd() const { return id_.psd; }
  uint64_t apst_programs() const { return apst_programs_; }
  std::string FormatStats(bool history = false) const;

 private:
  void IdentifyDone(const spec::Cqe& cqe);
  void ProgramApst(std::function<void()> next);
  void ProgramHctm(std::function<void()> next);
  void Finish(spec::Status s);
  void ArmPoll();
  void SmartDone(const spec::Cqe& cqe);
  void Log(hal::LogLevel level, const std::string& message);

  AdminChannel& admin_;
  hal::Clock& clock_;
  ThermalManagerOptions options_;
  ThermalMonitor monitor_;
  ThermalForecaster forecaster_;
  AdaptivePowerOptimizer optimizer_;
  ApstPlan plan_;
  PowerRecommendation power_;
  spec::IdentifyController id_{};
  hal::DmaBuffer buffer_;  // 4 KiB: Identify, then SMART log / APST table
  DoneCallback on_started_;
  std::function<void(const SmartSample&)> smart_observer_;
  hal::Clock::TimerId timer_ = hal::Clock::kNoTimer;
  bool running_ = false;
  bool poll_in_flight_ = false;
  bool poll_again_ = false;
  uint64_t io_bytes_ = 0, io_bytes_at_poll_ = 0;
  uint64_t last_poll_ns_ = 0;
  uint64_t idle_since_ns_ = 0;
  uint64_t elapsed_mark_ns_ = 0;
  bool idle_ = true;
  uint64_t last_replan_ns_ = 0;
  uint64_t apst_programs_ = 0;
  uint64_t generation_ = 0;  // bumps on Stop: late completions are ignored
};

}  // namespace nvmesim::driver::thermal
