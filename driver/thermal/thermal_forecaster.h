// predictive_thermal_management: forecasts the composite temperature from
// its recent trend and the host's own submission rate, and lowers that rate
// before the device would throttle.
//
// Model. The drive behaves like a first-order thermal system (the device
// model's RC: C dT/dt = P - (T - Ta)/R, with P rising with the bytes moved),
// so the rate of change is linear in the temperature and the I/O rate:
//
//     dT/dt = a + b * rate + c * (T - 300 K)
//
// a, b, c are learnt online by recursive least squares with forgetting from
// the raw readings (secant slope between readings against their midpoint:
// unbiased; the long memory averages out SMART's whole-kelvin steps). The
// forecast starts from a Holt-smoothed level (level and trend filter), so a
// one-kelvin flicker does not move it. The
// forecast over a horizon H at a given rate is the closed-form solution of
// that equation (exponential approach when c < 0, straight line otherwise).
//
// Decision (each sample). With the limit L (TMT1 when the host set one, else
// WCTEMP: where the device starts throttling) and a margin m:
//   forecast(H, current rate) >= L - m      -> rate limit = the model's rate for
//                                              L - m at the horizon, bounded
//                                              below by current rate x decrease
//   forecast(H, current rate) <  L - m - band and limited -> limit x increase,
//                                              unlimited once above the peak demand.
// The I/O path consults Admit() (a token bucket at the limit) before each
// submission; while unlimited it always admits.
#pragma once

#include <cstdint>
#include <limits>

#include "driver/optimizer/rls.h"

namespace nvmesim::driver::thermal {

struct ForecasterConfig {
  double horizon_s = 30.0;     // look-ahead
  double margin_kelvin = 1.0;  // keep the forecast this far below the limit
  double band_kelvin = 1.5;    // relax only when this much further below
  double decrease = 0.85;      // multiplicative decrease of the rate limit
  double increase = 1.03;      // multiplicative increase while relaxing
  double min_rate_bps = 20e6;  // never limit below this
  double lambda = 0.999;       // RLS forgetting factor
  // Holt smoothing of the level the forecast starts from (SMART reports
  // whole kelvin): level and trend gains; 1 and 1 follow the raw readings.
  double level_gain = 0.3;
  double trend_gain = 0.2;
  uint32_t min_samples = 4;     // no decision before this many samples
  uint32_t model_samples = 20;  // use the model's own rate bound after this many
  double burst_s = 0.005;       // token bucket depth, seconds at the limit
};

struct ForecasterStats {
  uint64_t samples = 0;
  uint64_t decisions = 0;
  uint64_t reductions = 0;
  uint64_t relaxations = 0;
  uint64_t admitted = 0, deferred = 0;
  uint64_t limited_ns = 0;  // time spent with a finite limit
  double last_forecast_kelvin = 0;
};

class ThermalForecaster {
 public:
  static constexpr double kUnlimited = std::numeric_limits<double>::infinity();

  explicit ThermalForecaster(const ForecasterConfig& config = {});

  // The temperature the forecast must stay under (kelvin, whole degrees as
  // SMART reports them): TMT1 if set, else WCTEMP.
  void SetLimitKelvin(double kelvin) { limit_ = kelvin; }
  double limit_kelvin() const { return limit_; }

  // One temperature reading and the host's I/O rate (bytes/s) since the
  // previous reading. Runs the decision; returns the new rate limit.
  double AddSample(uint64_t time_ns, double kelvin, double rate_bps);
  // Temperature expected `horizon_s` from the last sample at `rate_bps`.
  double Forecast(double horizon_s, double rate_bps) const;

  double rate_limit_bps() const { return limit_bps_; }
  bool limiting() const { return limit_bps_ != kUnlimited; }
  // Admission for one request of `bytes` at `now_ns` (token bucket at the
  // rate limit); true: submit now, false: hold it until NextAdmitNs().
  bool Admit(uint64_t now_ns, uint64_t bytes);
  uint64_t NextAdmitNs(uint64_t now_ns, uint64_t bytes) const;

  const ForecasterStats& stats() const { return stats_; }
  // Learnt coefficients: a (K/s), b (K/s per GB/s), c (1/s).
  double a() const { return rls_.theta()[0]; }
  double b() const { return rls_.theta()[1]; }
  double c() const { return rls_.theta()[2]; }

 private:
  void Refill(uint64_t now_ns);
  // Rate (bytes/s) whose forecast lands on `target_kelvin` at the horizon;
  // negative while the model is not physically plausible.
  double MaxRateFor(double target_kelvin) const;
  ForecasterConfig cfg_;
  optimizer::Rls<3> rls_;
  double limit_ = 343;
  double limit_bps_ = kUnlimited;
  double peak_rate_ = 0;
  bool have_last_ = false;
  uint64_t last_ns_ = 0;
  double last_kelvin_ = 0, last_rate_ = 0;  // smoothed level
  double trend_ = 0;                        // smoothed K/s
  double last_raw_ = 0;                     // last reading as given
  // token bucket
  double tokens_ = 0;
  uint64_t bucket_ns_ = 0;
  ForecasterStats stats_;
};

}  // namespace nvmesim::driver::thermal
