#include "driver/thermal/thermal_forecaster.h"

#include <string>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <gtest/gtest.h>

#include "driver/thermal/thermal_stats.h"

namespace nvmesim::driver::thermal {
namespace {

constexpr uint64_t kSec = 1'000'000'000ull;

TEST(ThermalForecaster, LowersTheRateBeforeTheThresholdOnARamp) {
  ThermalForecaster f;
  f.SetLimitKelvin(343);
  double first_limit_kelvin = 0;
  for (int i = 0; i <= 600; ++i) {
    const double kelvin = std::floor(320.0 + 0.05 * i + 0.5);  // SMART: whole kelvin
    f.AddSample(i * kSec, kelvin, 3e9);
    if (f.limiting() && first_limit_kelvin == 0) first_limit_kelvin = kelvin;
  }
  ASSERT_TRUE(f.limiting());
  // 0.05 K/s over a 30 s horizon is 1.5 K: the limit comes ~2.5 K early,
  // well before the trace reaches 343 K (at 460 s).
  EXPECT_GT(first_limit_kelvin, 335.0);
  EXPECT_LE(first_limit_kelvin, 341.0);
  EXPECT_LT(f.rate_limit_bps(), 3e9);
  EXPECT_GT(f.stats().reductions, 0u);
}

TEST(ThermalForecaster, StatsShowNoForecastUntilTheModelHasEnoughSamples) {
  ThermalForecaster f;
  f.SetLimitKelvin(343);
  ThermalStatsView view;
  view.forecaster = &f;
  f.AddSample(0, 320, 3e9);
  std::string text = FormatThermalStats(view);
  EXPECT_NE(text.find("forecast none yet (1 sample)"), std::string::npos) << text;
  for (int i = 1; i <= 60; ++i) f.AddSample(i * kSec, 320, 3e9);
  ASSERT_GT(f.stats().decisions, 0u);
  text = FormatThermalStats(view);
  char want[64];
  std::snprintf(want, sizeof(want), "forecast %.2f K", f.stats().last_forecast_kelvin);
  EXPECT_NE(text.find(want), std::string::npos) << text;
  EXPECT_NEAR(f.stats().last_forecast_kelvin, 320, 1.0);  // a flat trace forecasts itself
}

TEST(ThermalForecaster, NeverLimitsAFlatTrace) {
  ThermalForecaster f;
  f.SetLimitKelvin(343);
  for (int i = 0; i <= 600; ++i) {
    const double wobble = (i % 7 == 0) ? 1.0 : 0.0;  // sensor rounding flicker
    f.AddSample(i * kSec, 338.0 + wobble, 3e9);
    ASSERT_FALSE(f.limiting()) << "at sample " << i;
  }
  EXPECT_EQ(f.stats().reductions, 0u);
  EXPECT_TRUE(f.Admit(601 * kSec, 1 << 20));
}

TEST(ThermalForecaster, LearnsTheFirstOrderModel) {
  // Exact first-order plant, continuous readings, varied rate (excitation).
  ThermalForecaster f(ForecasterConfig{.lambda = 0.999, .level_gain = 1.0, .trend_gain = 1.0});
  double t = 310;
  double prev_rate = 0;
  for (int i = 0; i < 400; ++i) {
    const double rate = (i / 20) % 2 ? 3e9 : 1e9;
    f.AddSample(i * kSec / 10, t, prev_rate);  // the rate since the previous reading
    prev_rate = rate;
    // dT/dt = 0.4 + 0.3 * GBps - (T - 300) / 30, integrated exactly for 0.1 s.
    const double tinf = 300 + 30 * (0.4 + 0.3 * rate / 1e9);
    t = tinf + (t - tinf) * std::exp(-0.1 / 30);
  }
  // Slopes between samples are secant slopes: within a percent of the truth.
  EXPECT_NEAR(f.c(), -1.0 / 30, 0.002);
  EXPECT_NEAR(f.b(), 0.3, 0.02);
  EXPECT_NEAR(f.a(), 0.4, 0.03);
  // And the forecast is the closed-form solution.
  const double tinf = 300 + 30 * (0.4 + 0.3 * 3.0);
  const double expect = tinf + (f.Forecast(0, 3e9) - tinf) * std::exp(-30.0 / 30);
  EXPECT_NEAR(f.Forecast(30, 3e9), expect, 0.3);
}

TEST(ThermalForecaster, TokenBucketHoldsTheRate) {
  ThermalForecaster f;
  f.SetLimitKelvin(330);
  for (int i = 0; i < 10; ++i) f.AddSample(i * kSec, 320.0 + i, 2e9);  // 1 K/s: limit at once
  ASSERT_TRUE(f.limiting());
  const double limit = f.rate_limit_bps();
  // Offer 64 KiB every microsecond (65 GB/s) for one second: admitted bytes
  // follow the limit (plus one bucket depth).
  uint64_t admitted = 0;
  const uint64_t start = 10 * kSec;
  for (uint64_t now = start; now < start + kSec; now += 1000) {
    if (f.Admit(now, 65536)) admitted += 65536;
  }
  EXPECT_NEAR(static_cast<double>(admitted), limit, limit * 0.02 + (1 << 20) + 65536);
  EXPECT_GT(f.stats().deferred, 0u);
  const uint64_t next = f.NextAdmitNs(start + kSec, 65536);
  EXPECT_GT(next, start + kSec - 1);
  EXPECT_TRUE(f.Admit(next + 1, 65536));
}

// Closed loop against a first-order drive that throttles itself at 343 K
// (to 60 %, released below 341 K): with the forecaster limiting submissions
// the drive never throttles, and the limit settles near the rate the drive
// can sustain just under the threshold.
struct LoopResult {
  double throttled_s = 0;
  double bytes = 0;
  double max_kelvin = 0;
  double final_limit = 0;
};

LoopResult RunLoop(bool predictive) {
  constexpr double kAmbient = 308, kR = 6, kC = 5, kMax = 3.5e9;
  ForecasterConfig fc;
  if (getenv("FC_LAMBDA")) fc.lambda = atof(getenv("FC_LAMBDA"));
  if (getenv("FC_DEC")) fc.decrease = atof(getenv("FC_DEC"));
  if (getenv("FC_INC")) fc.increase = atof(getenv("FC_INC"));
  if (getenv("FC_MARGIN")) fc.margin_kelvin = atof(getenv("FC_MARGIN"));
  if (getenv("FC_BAND")) fc.band_kelvin = atof(getenv("FC_BAND"));
  ThermalForecaster f(fc);
  f.SetLimitKelvin(343);
  double temp = 330;
  bool throttled = false;
  LoopResult r;
  double bytes_since_poll = 0;
  const double dt = 0.01;
  for (int step = 0; step < 60000; ++step) {  // 600 s
    const double factor = throttled ? 0.6 : 1.0;
    double rate = kMax * factor;
    if (predictive && f.limiting()) rate = std::min(rate, f.rate_limit_bps());
    const double watts = 1.0 + 2.0 * rate / kMax + rate * 1e-9;
    const double tinf = kAmbient + watts * kR;
    temp = tinf + (temp - tinf) * std::exp(-dt / (kR * kC));
    r.max_kelvin = std::max(r.max_kelvin, temp);
    const double composite = std::floor(temp + 0.5);
    if (!throttled && composite >= 343) throttled = true;
    if (throttled && composite < 341) throttled = false;
    if (throttled) r.throttled_s += dt;
    r.bytes += rate * dt;
    bytes_since_poll += rate * dt;
    if (step % 100 == 99) {  // SMART read every second
      f.AddSample(static_cast<uint64_t>((step + 1) * dt * 1e9), composite, bytes_since_poll);
      bytes_since_poll = 0;
      if (getenv("FORECAST_TRACE") && predictive && step % 1000 == 999) {
        std::printf("t=%5.0f T=%.2f lim=%.2f fc=%.2f a=%.3f b=%.3f c=%.4f\n", (step + 1) * dt, temp,
                    f.limiting() ? f.rate_limit_bps() / 1e9 : -1.0, f.stats().last_forecast_kelvin,
                    f.a(), f.b(), f.c());
      }
    }
  }
  r.final_limit = f.rate_limit_bps();
  return r;
}

TEST(ThermalForecaster, ClosedLoopAvoidsDeviceThrottling) {
  const LoopResult off = RunLoop(false);
  const LoopResult on = RunLoop(true);
  std::printf("predictive off: throttled %.1f s, %.2f GB, max %.2f K\n", off.throttled_s,
              off.bytes / 1e9, off.max_kelvin);
  std::printf("predictive on:  throttled %.1f s, %.2f GB, max %.2f K\n", on.throttled_s,
              on.bytes / 1e9, on.max_kelvin);
  EXPECT_GT(off.throttled_s, 60.0);
  EXPECT_LT(on.throttled_s, off.throttled_s / 10);
  EXPECT_LT(on.max_kelvin, 342.5);
  // Holding just under the threshold moves as many bytes as throttling
  // around it (here +0.2 %): never noticeably fewer.
  EXPECT_GT(on.bytes, off.bytes * 0.99);
  // Sustainable at 342 K: P = (342 - 308) / 6 W = 1 + (2 / 3.5 + 1) x GB/s.
  const double sustainable = ((342.0 - 308.0) / 6.0 - 1.0) / (2.0 / 3.5e9 + 1e-9);
  EXPECT_GT(on.final_limit, 0.9 * sustainable);
  EXPECT_LT(on.final_limit, sustainable);
}

}  // namespace
}  // namespace nvmesim::driver::thermal
