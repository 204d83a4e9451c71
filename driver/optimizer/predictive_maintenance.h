// predictive_maintenance: remaining life and failure probability from SMART
// trends (Base 2.0 Figure 207: Available Spare, Available Spare Threshold,
// Percentage Used, Media and Data Integrity Errors, Composite Temperature,
// Critical Warning).
//
// A drive counts as failed when Available Spare falls to its threshold, when
// Percentage Used reaches 100, or when a critical warning for spare,
// reliability or read-only mode (bits 0, 2, 3) is set. Over the last `window`
// samples, least squares gives each indicator's slope and its standard error;
// the time to failure of an indicator is its distance d to the limit over its
// rate r (wear is sped up by the share of time spent at or above
// `hot_kelvin`). Failing within a horizon H means r >= d / H, so with the
// rate's standard error se the probability is Phi((r - d / H) / se); the
// indicators combine as independent. The earliest TTF is the remaining life. A media error rate
// above the alarm rate is treated as a failing medium (TTF = time to the next `error_budget`
// errors).
//
// The warning is raised when P(failure within 2 x warn_margin) reaches
// warn_probability, so it comes at least the margin before a failure the
// trend predicts, and never on a flat or slow trend.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace nvmesim::driver::optimizer {

struct HealthSample {
  double hours = 0;  // power-on time (or any monotonic clock, hours)
  uint8_t percentage_used = 0;
  uint8_t available_spare = 100;
  uint8_t spare_threshold = 10;
  uint64_t media_errors = 0;
  uint16_t kelvin = 0;
  uint8_t critical_warning = 0;
};

struct MaintenanceConfig {
  double warn_margin_hours = 168;  // warn at least this long before failure
  double horizon_hours = 720;      // window of the reported failure probability
  double warn_probability = 0.05;
  size_t window = 24;         // samples in each trend fit
  double min_span_hours = 6;  // no trend with less history than this
  double error_alarm_per_hour = 1.0;
  double error_budget = 500;      // further media errors counted as a failure
  uint16_t hot_kelvin = 343;      // WCTEMP by default
  double hot_acceleration = 2.0;  // wear multiplier for time spent hot
};

struct MaintenanceAssessment {
  static constexpr double kNever = std::numeric_limits<double>::infinity();
  double remaining_life_hours = kNever;
  double sigma_hours = 0;
  const char* limiting = "none";          // "spare", "wear", "media errors", "critical warning"
  double failure_probability = 0;         // within horizon_hours
  double failure_probability_margin = 0;  // within 2 x warn_margin_hours
  bool warning = false;
  std::string reason;
  double spare_per_hour = 0, wear_per_hour = 0, errors_per_hour = 0;
  double hot_fraction = 0;
};

class PredictiveMaintenance {
 public:
  explicit PredictiveMaintenance(const MaintenanceConfig& config = {});
  // Samples in time order. Returns the assessment after it.
  const MaintenanceAssessment& AddSample(const HealthSample& s);
  const MaintenanceAssessment& assessment() const { return last_; }
  uint64_t samples() const { return samples_; }
  uint64_t warnings() const { return warnings_; }
  // Time of the first sample that raised the warning, or -1.
  double first_warning_hours() const { return first_warning_; }
  const MaintenanceConfig& config() const { return cfg_; }

 private:
  struct Fit {
    double slope = 0, se = 0, value = 0;  // value fitted at the newest sample
  };
  enum Indicator { kSpare, kWear, kErrors };
  Fit FitLast(Indicator which) const;
  MaintenanceAssessment Assess() const;
  MaintenanceConfig cfg_;
  std::vector<HealthSample> ring_;
  size_t next_ = 0;
  uint64_t samples_ = 0, warnings_ = 0;
  double first_warning_ = -1;
  MaintenanceAssessment last_;
};

std::string FormatMaintenance(const MaintenanceAssessment& a, const MaintenanceConfig& c);

}  // namespace nvmesim::driver::optimizer
