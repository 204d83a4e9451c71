#include "driver/optimizer/predictive_maintenance.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nvmesim::driver::optimizer {

namespace {
// Standard normal CDF.
double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
// Critical Warning bits 0 (spare below threshold), 2 (reliability degraded),
// 3 (read only): Figure 207.
constexpr uint8_t kFailureBits = (1u << 0) | (1u << 2) | (1u << 3);
}  // namespace

PredictiveMaintenance::PredictiveMaintenance(const MaintenanceConfig& config) : cfg_(config) {
  cfg_.window = std::max<size_t>(cfg_.window, 3);
  ring_.reserve(cfg_.window);
}

const MaintenanceAssessment& PredictiveMaintenance::AddSample(const HealthSample& s) {
  if (ring_.size() < cfg_.window)
    ring_.push_back(s);
  else
    ring_[next_] = s;
  next_ = (next_ + 1) % cfg_.window;
  ++samples_;
  last_ = Assess();
  if (last_.warning) {
    ++warnings_;
    if (first_warning_ < 0) first_warning_ = s.hours;
  }
  return last_;
}

PredictiveMaintenance::Fit PredictiveMaintenance::FitLast(Indicator which) const {
  Fit f;
  const size_t n = ring_.size();
  const HealthSample& newest = ring_[(next_ + cfg_.window - 1) % cfg_.window % n];
  double st = 0, sy = 0;
  auto y_of = [&](const HealthSample& h) {
    switch (which) {
      case kSpare:
        return static_cast<double>(h.available_spare);
      case kWear:
        return static_cast<double>(h.percentage_used);
      case kErrors:
        return static_cast<double>(h.media_errors);
    }
    return 0.0;
  };
  for (const HealthSample& h : ring_) {
    st += h.hours - newest.hours;
    sy += y_of(h);
  }
  const double dn = static_cast<double>(n);
  const double tm = st / dn, ym = sy / dn;
  double stt = 0, sty = 0;
  for (const HealthSample& h : ring_) {
    const double t = h.hours - newest.hours - tm;
    stt += t * t;
    sty += t * (y_of(h) - ym);
  }
  if (stt <= 0) {
    f.value = y_of(newest);
    return f;
  }
  f.slope = sty / stt;
  f.value = ym + f.slope * (0 - tm);  // at the newest sample
  double sse = 0;
  for (const HealthSample& h : ring_) {
    const double t = h.hours - newest.hours;
    const double r = y_of(h) - (f.value + f.slope * t);
    sse += r * r;
  }
  // Integer SMART fields: at least the rounding error (1/sqrt(12)) as residual.
  const double sigma = std::max(std::sqrt(sse / std::max(1.0, dn - 2)), 1.0 / std::sqrt(12.0));
  f.se = sigma / std::sqrt(stt);
  return f;
}

MaintenanceAssessment PredictiveMaintenance::Assess() const {
  MaintenanceAssessment a;
  if (ring_.empty()) return a;
  const HealthSample& newest = ring_[(next_ + cfg_.window - 1) % cfg_.window % ring_.size()];
  if (newest.critical_warning & kFailureBits) {
    a.remaining_life_hours = 0;
    a.limiting = "critical warning";
    a.failure_probability = a.failure_probability_margin = 1;
    a.warning = true;
    a.reason = "critical warning set (spare, reliability or read-only)";
    return a;
  }
  double span = 0;
  size_t hot = 0;
  for (const HealthSample& h : ring_) {
    span = std::max(span, newest.hours - h.hours);
    if (cfg_.hot_kelvin != 0 && h.kelvin >= cfg_.hot_kelvin) ++hot;
  }
  a.hot_fraction = static_cast<double>(hot) / static_cast<double>(ring_.size());
  if (ring_.size() < 3 || span < cfg_.min_span_hours) return a;

  const Fit spare = FitLast(kSpare), wear = FitLast(kWear), errors = FitLast(kErrors);
  const double accel = 1.0 + (cfg_.hot_acceleration - 1.0) * a.hot_fraction;
  a.spare_per_hour = spare.slope;
  a.wear_per_hour = wear.slope * accel;
  a.errors_per_hour = errors.slope;

  // For each indicator with distance d to its limit and rate r (estimate r^,
  // standard error se): failure within H means r >= d / H, so
  // P = Phi((r^ - d / H) / se). The time to failure d / r^ and its spread
  // (delta method) are what the report shows.
  double p_h = 0, p_m = 0;
  auto add = [&](double distance, double rate, double se, const char* what) {
    distance = std::max(0.0, distance);
    se = std::max(se, 1e-9);
    const double ph = Phi((rate - distance / cfg_.horizon_hours) / se);
    const double pm = Phi((rate - distance / (2 * cfg_.warn_margin_hours)) / se);
    p_h = 1 - (1 - p_h) * (1 - ph);  // independent indicators: P(any)
    p_m = 1 - (1 - p_m) * (1 - pm);
    if (!(rate > 0)) return;
    const double ttf = distance / rate;
    if (ttf < a.remaining_life_hours) {
      a.remaining_life_hours = ttf;
      a.sigma_hours = ttf * se / rate;
      a.limiting = what;
    }
  };
  add(spare.value - newest.spare_threshold, -spare.slope, spare.se, "spare");
  add(100.0 - wear.value, wear.slope * accel, wear.se * accel, "wear");
  if (errors.slope > cfg_.error_alarm_per_hour) {
    add(cfg_.error_budget, errors.slope, errors.se, "media errors");
  }
  a.failure_probability = p_h;
  a.failure_probability_margin = p_m;
  a.warning = p_m >= cfg_.warn_probability;
  if (a.warning) {
    char buf[160];
    std::snprintf(buf, sizeof(buf), "%s trend: failure expected in %.0f h (+/- %.0f h)", a.limiting,
                  a.remaining_life_hours, a.sigma_hours);
    a.reason = buf;
  }
  return a;
}

std::string FormatMaintenance(const MaintenanceAssessment& a, const MaintenanceConfig& c) {
  char life[128];
  if (std::isfinite(a.remaining_life_hours)) {
    std::snprintf(life, sizeof(life), "%.0f h (+/- %.0f h, limited by %s)", a.remaining_life_hours,
                  a.sigma_hours, a.limiting);
  } else {
    std::snprintf(life, sizeof(life), "no end in sight (no trend towards a limit)");
  }
  char buf[640];
  const int n = std::snprintf(
      buf, sizeof(buf),
      "remaining life: %s\n"
      "failure probability: %.3f within %.0f h, %.3f within %.0f h\n"
      "trends: spare %+.4f %%/h  wear %+.4f %%/h  media errors %+.3f /h  hot %.0f%% of samples\n"
      "warning: %s%s\n",
      life, a.failure_probability, c.horizon_hours, a.failure_probability_margin,
      2 * c.warn_margin_hours, a.spare_per_hour, a.wear_per_hour, a.errors_per_hour,
      a.hot_fraction * 100, a.warning ? "YES - " : "no", a.reason.c_str());
  return std::string(buf, static_cast<size_t>(std::max(0, n)));
}

}  // namespace nvmesim::driver::optimizer
