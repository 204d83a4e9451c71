// The device's thermal and power model: power states (from the power state
// descriptor table), power drawn from activity, a lumped RC temperature
// (thermal_rc.h), host-controlled thermal management (TMT1/TMT2), the
// device's own throttling, critical-temperature shutdown, temperature
// threshold events, SMART temperature fields and counters, autonomous power
// state transitions (APST) and energy accounting.
//
// Plain C++ over simulated time in picoseconds; the controller feeds it
// (CommandStarted / CommandCompleted / Tick, or Advance with its own activity
// totals), applies throughput_factor() to its service times, adds the wake
// latency CommandStarted returns, turns TakeEvents() into asynchronous events
// and lets FillSmart() write the thermal bytes of the SMART / Health log.
//
// Temperatures compare as the host sees them: the composite temperature is
// the model temperature rounded to whole kelvin, and "T >= threshold" means
// rounded T >= threshold. Leaving a throttle level needs the temperature to
// fall `hysteresis_kelvin` below its entry threshold.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "device_model/thermal/power_states.h"
#include "device_model/thermal/thermal_rc.h"
#include "spec/features.h"
#include "spec/identify_controller.h"
#include "spec/log_pages.h"
#include "spec/status.h"

namespace nvmesim::device::thermal {

struct ThermalConfig {
  // psd[0..n-1]; empty: DefaultPowerStateDescriptors(). NPSS = size - 1.
  std::vector<spec::PowerStateDescriptor> power_states;
  PowerModel power;
  double ambient_kelvin = 308.0;
  double initial_kelvin = 0;         // 0: start at ambient
  double resistance_k_per_w = 6.0;   // drive to ambient
  double capacitance_j_per_k = 5.0;  // tau = R C = 30 s
  uint16_t wctemp = 343;             // WCTEMP, kelvin (Figure 275)
  uint16_t cctemp = 358;             // CCTEMP, kelvin (Figure 275)
  // Host Controlled Thermal Management: HCTMA bit 0, MNTMT, MXTMT (Figure 275).
  bool hctm_supported = true;
  uint16_t mntmt = 313;
  uint16_t mxtmt = 353;
  // The device's own throttling thresholds (vendor specific); 0 picks WCTEMP
  // for light and the midpoint of WCTEMP and CCTEMP for heavy.
  uint16_t device_light_kelvin = 0;
  uint16_t device_heavy_kelvin = 0;
  double hysteresis_kelvin = 2.0;
  double light_factor = 0.6;  // throughput kept at light throttling (0, 1]
  double heavy_factor = 0.3;  // throughput kept at heavy throttling (0, 1]
  // Data rate (bytes/s) the throttle factors scale: throttled, the controller
  // moves at most factor x this; 0 = throttling only stretches media time.
  double throttle_reference_bps = 0;
  bool critical_shutdown = true;
  uint16_t shutdown_kelvin = 0;  // 0: CCTEMP
  bool apst_supported = true;    // APSTA bit 0 (Figure 275)
};

// "" or the first problem, naming the field and its limit.
std::string ValidateThermalConfig(const ThermalConfig& c);

enum class ThrottleLevel : uint8_t { kNone = 0, kLight = 1, kHeavy = 2, kShutdown = 3 };
const char* ThrottleLevelName(ThrottleLevel level);

enum class ThermalEventKind : uint8_t {
  kOverThreshold,  // composite >= over temperature threshold (FID 04h): AER
  kOverThresholdCleared,
  kUnderThreshold,  // composite < under temperature threshold: AER
  kUnderThresholdCleared,
  kWarningEntered,  // composite >= WCTEMP
  kWarningCleared,
  kCriticalEntered,  // composite >= CCTEMP
  kCriticalCleared,
  kThrottleChanged,    // value = new ThrottleLevel
  kShutdown,           // critical-temperature shutdown
  kPowerStateChanged,  // value = new power state
};
const char* ThermalEventKindName(ThermalEventKind kind);
// True for the events the controller reports as an asynchronous event of type
// SMART / Health Status, information Temperature Threshold, log page 02h
// (Base 2.0 §5.2, AsyncEventSmart::kTemperatureThreshold).
bool IsTemperatureThresholdEvent(ThermalEventKind kind);

struct ThermalEvent {
  uint64_t time_ps = 0;
  ThermalEventKind kind = ThermalEventKind::kOverThreshold;
  uint16_t kelvin = 0;  // composite temperature at the event
  uint8_t value = 0;
};

struct ThermalStats {
  // SMART (Figure 207 bytes 216-231): host-controlled thermal management.
  uint32_t tmt1_transitions = 0, tmt2_transitions = 0;
  uint64_t tmt1_ps = 0, tmt2_ps = 0;
  // The device's own throttling.
  uint64_t device_light_transitions = 0, device_heavy_transitions = 0;
  uint64_t device_light_ps = 0, device_heavy_ps = 0;
  uint64_t throttled_ps = 0;  // any level above none
  uint64_t warning_ps = 0;    // WCTEMP <= composite < CCTEMP
  uint64_t critical_ps = 0;   // composite >= CCTEMP
  uint64_t over_threshold_events = 0, under_threshold_events = 0;
  uint64_t shutdowns = 0;
  double max_kelvin = 0;
  double energy_joules = 0;
  std::vector<double> energy_per_state_joules;
  std::vector<uint64_t> time_per_state_ps;
  uint64_t apst_transitions = 0;  // autonomous entries into a non-operational state
  uint64_t wakeups = 0;           // returns from a non-operational state on a command
  uint64_t wake_latency_ps = 0;   // sum of the latency added by those wake-ups
  uint64_t host_power_state_changes = 0;
};

// Activity over an interval: time with at least one command in flight and
// bytes moved to or from the host.
struct Activity {
  uint64_t busy_ps = 0;
  uint64_t bytes = 0;
};

class ThermalModel {
 public:
  // Throws std::invalid_argument when ValidateThermalConfig or the power state
  // table fails. Simulated time starts at `start_ps`.
  explicit ThermalModel(const ThermalConfig& config, uint64_t start_ps = 0);

  // ---- time and activity
  // Integrates [last time, now_ps] with `activity` spread evenly over it.
  void Advance(uint64_t now_ps, const Activity& activity);
  // Event-style feeding: the model tracks busy time itself. CommandStarted
  // returns the latency (ps) the command pays to wake the device from a
  // non-operational state, 0 otherwise. CommandCompleted may name a future
  // instant (a completion already scheduled): it takes effect when the model
  // reaches that time, so calls may come in execution order rather than
  // completion order. Other calls must not go back in time.
  uint64_t CommandStarted(uint64_t now_ps);
  void CommandCompleted(uint64_t completion_ps, uint64_t bytes);
  // Advances with the activity gathered by CommandStarted/Completed.
  void Tick(uint64_t now_ps);
  // Earliest time something changes (threshold crossing, APST transition,
  // a pending completion) if the activity of the last interval continues;
  // UINT64_MAX when nothing will.
  uint64_t NextEventPs() const;

  // ---- features (Set Features semantics, Base 2.0 §5.27.1)
  // Power Management (FID 02h): PS must be <= NPSS.
  spec::Status SetPowerState(uint64_t now_ps, uint32_t ps);
  // Host Controlled Thermal Management (FID 10h): each of TMT1/TMT2 is 0
  // (disabled) or within [MNTMT, MXTMT]; with both set TMT1 < TMT2.
  spec::Status SetHostThermalManagement(uint64_t now_ps, uint16_t tmt1, uint16_t tmt2);
  // Temperature Threshold (FID 04h), composite sensor.
  spec::Status SetTemperatureThreshold(uint64_t now_ps, spec::ThresholdType type, uint16_t kelvin);
  // Autonomous Power State Transition (FID 0Ch): APSTE + 32-entry table.
  spec::Status SetApst(uint64_t now_ps, bool enable, const spec::ApstData& table);
  // Controller reset: features back to defaults (PS0, HCTM off, thresholds
  // WCTEMP / 0, APST off); the temperature and counters persist.
  void ResetFeatures(uint64_t now_ps);
  // After a critical shutdown: true (and running again) once the composite
  // temperature is below the shutdown threshold minus the hysteresis.
  bool Restart(uint64_t now_ps);
  void SetAmbient(uint64_t now_ps, double kelvin);
  // Fault hook: the temperature jumps to `kelvin` (thresholds re-evaluated).
  void ForceTemperature(uint64_t now_ps, double kelvin);

  // ---- state
  double temperature_kelvin() const { return temp_; }
  uint16_t composite_kelvin() const;
  ThrottleLevel throttle_level() const;
  ThrottleLevel host_level() const;
  ThrottleLevel device_level() const;
  // Multiplier (0..1] on throughput the controller applies to service times
  // (0 while shut down); includes the power state's relative performance.
  double throughput_factor() const;
  bool shut_down() const { return shutdown_; }
  uint32_t power_state() const { return ps_; }
  bool apst_enabled() const { return apst_enabled_; }
  const spec::ApstData& apst_table() const { return apst_; }
  uint16_t tmt1() const { return tmt1_; }
  uint16_t tmt2() const { return tmt2_; }
  uint16_t over_threshold() const { return over_; }
  uint16_t under_threshold() const { return under_; }
  const std::vector<PowerState>& power_states() const { return states_; }
  const std::vector<spec::PowerStateDescriptor>& descriptors() const { return descriptors_; }
  uint8_t npss() const { return static_cast<uint8_t>(states_.size() - 1); }
  const ThermalConfig& config() const { return cfg_; }
  const ThermalRc& rc() const { return rc_; }
  double last_power_watts() const { return last_power_; }
  uint64_t now_ps() const { return last_ps_; }

  // ---- outputs
  std::vector<ThermalEvent> TakeEvents();
  const ThermalStats& stats() const { return stats_; }
  // Writes the thermal fields of a SMART / Health log (Figure 207): critical
  // warning bit 1, composite temperature, warning / critical temperature time,
  // temperature sensor 1, TMT1/TMT2 transition counts and total times. Other
  // fields are left as they are.
  void FillSmart(spec::SmartHealthLog& log) const;
  void FillSmartBytes(uint8_t* log512) const;
  // Fills npss, apsta, wctemp, cctemp, hctma, mntmt, mxtmt and psd[] of an
  // Identify Controller structure.
  void FillIdentify(spec::IdentifyController& id) const;

 private:
  enum Machine : int {
    kHostLight,
    kHostHeavy,
    kDeviceLight,
    kDeviceHeavy,
    kOver,
    kUnder,
    kWarning,
    kCritical,
    kShutdownTrip,
    kMachineCount
  };
  struct Boundary {
    bool enabled = false;
    bool rising = true;  // entered by rising through `enter` (else falling)
    double enter = 0;    // model temperature at which the condition starts
    double exit = 0;     // ... and stops
    bool active = false;
  };
  void Configure(Machine m, bool enabled, bool rising, double enter, double exit);
  void ConfigureAll();
  void Reevaluate();
  void Toggle(Machine m);
  void Integrate(uint64_t ps, double watts);
  double PowerNow(double busy_fraction, double bytes_per_second) const;
  bool ApstDue(uint64_t* due_ps) const;
  void ApstTransition();
  void Emit(ThermalEventKind kind, uint8_t value = 0);
  void NoteLevels(ThrottleLevel host_before, ThrottleLevel device_before, ThrottleLevel before);
  double CrossingSeconds(const Boundary& b, double watts) const;
  void AdvanceBusy(uint64_t now_ps);
  struct Completion {
    uint64_t time_ps, seq, bytes;
    bool operator>(const Completion& o) const {
      return time_ps != o.time_ps ? time_ps > o.time_ps : seq > o.seq;
    }
  };

  ThermalConfig cfg_;
  std::vector<spec::PowerStateDescriptor> descriptors_;
  std::vector<PowerState> states_;
  ThermalRc rc_;
  double temp_ = 0;
  uint64_t last_ps_ = 0;
  double last_busy_ = 0, last_bps_ = 0, last_power_ = 0;
  std::array<Boundary, kMachineCount> m_{};
  uint16_t tmt1_ = 0, tmt2_ = 0, over_ = 0, under_ = 0;
  uint32_t ps_ = 0, last_operational_ps_ = 0;
  uint64_t state_since_ps_ = 0;
  bool apst_enabled_ = false;
  spec::ApstData apst_{};
  bool shutdown_ = false;
  // Event-style activity.
  uint32_t outstanding_ = 0;
  bool idle_ = true;
  uint64_t idle_since_ps_ = 0;
  uint64_t busy_mark_ps_ = 0;
  uint64_t pending_busy_ps_ = 0, pending_bytes_ = 0;
  std::vector<Completion> completions_;  // min-heap on (time, seq)
  uint64_t completion_seq_ = 0;
  std::vector<ThermalEvent> events_;
  ThermalStats stats_;
};

}  // namespace nvmesim::device::thermal
