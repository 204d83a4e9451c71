#include "driver/thermal/thermal_forecaster.h"

#include <algorithm>
#include <cmath>

namespace nvmesim::driver::thermal {

namespace {
constexpr double kRefKelvin = 300.0;
constexpr double kGB = 1e9;
}  // namespace

ThermalForecaster::ThermalForecaster(const ForecasterConfig& config)
    : cfg_(config), rls_(config.lambda, 10.0, 1e6) {
  // Prior: a drive settles with a time constant of about a minute (c = -1/60 s);
  // the intercept and the rate gain start unknown.
  rls_.SetPrior({0.0, 0.0, -1.0 / 60}, 10.0);
}

double ThermalForecaster::Forecast(double horizon_s, double rate_bps) const {
  if (!have_last_) return 0;
  const double u = (std::isfinite(rate_bps) ? rate_bps : last_rate_) / kGB;
  const double t0 = last_kelvin_ - kRefKelvin;
  const double drive = a() + b() * u;
  const double cc = c();
  if (cc < -1e-6) {  // restoring: exponential approach to the steady state
    const double tinf = -drive / cc;
    return kRefKelvin + tinf + (t0 - tinf) * std::exp(cc * horizon_s);
  }
  return last_kelvin_ + (drive + cc * t0) * horizon_s;  // no restoring force seen yet
}

double ThermalForecaster::AddSample(uint64_t time_ns, double kelvin, double rate_bps) {
  ++stats_.samples;
  if (!have_last_) {
    last_kelvin_ = kelvin;
    trend_ = 0;
  } else if (time_ns > last_ns_) {
    const double dt = static_cast<double>(time_ns - last_ns_) / 1e9;
    const double predicted = last_kelvin_ + trend_ * dt;
    const double level = predicted + cfg_.level_gain * (kelvin - predicted);
    const double slope = (level - last_kelvin_) / dt;
    // The first slope seeds the trend; later ones are smoothed into it.
    trend_ = stats_.samples == 2 ? (kelvin - last_kelvin_) / dt
                                 : trend_ + cfg_.trend_gain * (slope - trend_);
    // Identification uses the raw readings (secant slope against the
    // midpoint): unbiased, and the long memory of the RLS averages out the
    // whole-kelvin steps; the forecast starts from the smoothed level.
    const double raw_slope = (kelvin - last_raw_) / dt;
    const double mid = 0.5 * (kelvin + last_raw_) - kRefKelvin;
    rls_.Update({1.0, rate_bps / kGB, mid}, raw_slope);
    last_kelvin_ = level;
    if (limiting()) stats_.limited_ns += time_ns - last_ns_;
  }
  have_last_ = true;
  last_raw_ = kelvin;
  last_ns_ = time_ns;
  last_rate_ = rate_bps;
  peak_rate_ = std::max(peak_rate_, rate_bps);
  if (stats_.samples < cfg_.min_samples) return limit_bps_;

  ++stats_.decisions;
  const double forecast = Forecast(cfg_.horizon_s, rate_bps);
  stats_.last_forecast_kelvin = forecast;
  const double target = limit_ - cfg_.margin_kelvin;
  const double umax = MaxRateFor(target);
  if (forecast >= target) {
    // Over: the rate the model says keeps the forecast at the target, or a
    // multiplicative cut when the model is not yet trustworthy.
    const double base = limiting() ? std::min(limit_bps_, std::max(rate_bps, cfg_.min_rate_bps))
                                   : std::max(rate_bps, cfg_.min_rate_bps);
    const double cut = base * cfg_.decrease;
    limit_bps_ = std::max(cfg_.min_rate_bps, umax > 0 ? std::max(cut, std::min(base, umax)) : cut);
    ++stats_.reductions;
  } else if (limiting() && forecast < target - cfg_.band_kelvin) {
    const double raised = limit_bps_ * cfg_.increase;
    limit_bps_ = umax > 0 ? std::max(raised, std::min(umax, limit_bps_ * 1.25)) : raised;
    ++stats_.relaxations;
    if (limit_bps_ > peak_rate_ * 1.2) limit_bps_ = kUnlimited;
  }
  return limit_bps_;
}

double ThermalForecaster::MaxRateFor(double target_kelvin) const {
  // Trust the model only when it has the physical signs: heating with rate
  // (b > 0) and a restoring force towards ambient (c < 0).
  const double bb = b(), cc = c();
  if (!(bb > 1e-3) || !(cc < -1e-3) || stats_.samples < cfg_.model_samples) return -1;
  const double e = std::exp(cc * cfg_.horizon_s);
  const double t0 = last_kelvin_ - kRefKelvin;
  const double tinf = (target_kelvin - kRefKelvin - t0 * e) / (1 - e);  // T(H) = target
  const double u = (-cc * tinf - a()) / bb;                             // GB/s
  return u > 0 ? u * kGB : cfg_.min_rate_bps;
}

void ThermalForecaster::Refill(uint64_t now_ns) {
  if (!limiting()) return;
  const double depth = std::max(limit_bps_ * cfg_.burst_s, 1.0 * (1 << 20));
  if (now_ns > bucket_ns_) {
    tokens_ += limit_bps_ * static_cast<double>(now_ns - bucket_ns_) / 1e9;
  }
  bucket_ns_ = std::max(bucket_ns_, now_ns);
  tokens_ = std::min(tokens_, depth);
}

bool ThermalForecaster::Admit(uint64_t now_ns, uint64_t bytes) {
  if (!limiting()) {
    ++stats_.admitted;
    bucket_ns_ = now_ns;
    tokens_ = 1.0 * (1 << 20);  // a limit imposed later starts with a small burst
    return true;
  }
  Refill(now_ns);
  if (tokens_ >= static_cast<double>(bytes)) {
    tokens_ -= static_cast<double>(bytes);
    ++stats_.admitted;
    return true;
  }
  ++stats_.deferred;
  return false;
}

uint64_t ThermalForecaster::NextAdmitNs(uint64_t now_ns, uint64_t bytes) const {
  if (!limiting()) return now_ns;
  double tokens = tokens_;
  if (now_ns > bucket_ns_) tokens += limit_bps_ * static_cast<double>(now_ns - bucket_ns_) / 1e9;
  tokens = std::min(tokens, std::max(limit_bps_ * cfg_.burst_s, 1.0 * (1 << 20)));
  const double need = static_cast<double>(bytes) - tokens;
  if (need <= 0) return now_ns;
  return now_ns + static_cast<uint64_t>(std::ceil(need / limit_bps_ * 1e9));
}

}  // namespace nvmesim::driver::thermal
