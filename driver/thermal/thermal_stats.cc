#include "driver/thermal/thermal_stats.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "driver/text.h"

namespace nvmesim::driver::thermal {

namespace {
std::string Line(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string Line(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string out = VPrintf(fmt, ap);
  va_end(ap);
  return out + "\n";
}
double Celsius(double kelvin) { return kelvin - 273.15; }
std::string Samples(uint64_t n) { return std::to_string(n) + (n == 1 ? " sample" : " samples"); }
}  // namespace

std::string FormatThermalStats(const ThermalStatsView& v) {
  std::string out = Line("thermal statistics for %s", v.device);
  out += Line("  thresholds: WCTEMP %u K  CCTEMP %u K  TMT1 %u K  TMT2 %u K", v.wctemp, v.cctemp,
              v.tmt1, v.tmt2);
  if (v.monitor) {
    const ThermalMonitorStats& s = v.monitor->stats();
    out += Line("  temperature: now %u K (%.1f C)  min %u K  max %u K  mean %.1f K", s.last_kelvin,
                Celsius(s.last_kelvin), s.min_kelvin, s.max_kelvin, s.mean_kelvin);
    // K/min suits a drive heating over minutes; a fast trend (scenarios with
    // small thermal capacitance) reads better per second.
    const bool fast = std::fabs(s.slope_k_per_min) >= 600;
    if (s.samples < 2) {
      out += Line("  trend: none yet (%s)", Samples(s.samples).c_str());
    } else {
      out += Line("  trend: %+.2f K/%s over the last samples (%s)",
                  fast ? s.slope_k_per_min / 60 : s.slope_k_per_min, fast ? "s" : "min",
                  Samples(s.samples).c_str());
    }
    out += Line("  time above WCTEMP: %u min  above CCTEMP: %u min", s.warning_minutes,
                s.critical_minutes);
    out += Line("  host thermal management: TMT1 %u transitions / %u s  TMT2 %u transitions / %u s",
                s.tmt1_transitions, s.tmt1_seconds, s.tmt2_transitions, s.tmt2_seconds);
    out += Line("  threshold events: %llu  critical warnings: %llu",
                static_cast<unsigned long long>(s.threshold_events),
                static_cast<unsigned long long>(s.critical_warnings));
  }
  if (v.forecaster) {
    const ForecasterStats& f = v.forecaster->stats();
    char forecast[64];
    if (f.decisions == 0) {
      // Too few samples for the model yet: there is no forecast to show.
      std::snprintf(forecast, sizeof(forecast), "none yet (%s)", Samples(f.samples).c_str());
    } else {
      std::snprintf(forecast, sizeof(forecast), "%.2f K", f.last_forecast_kelvin);
    }
    out += Line("  predictive: limit %.0f K  forecast %s  rate limit %s",
                v.forecaster->limit_kelvin(), forecast,
                v.forecaster->limiting()
                    ? (std::to_string(v.forecaster->rate_limit_bps() / 1e6) + " MB/s").c_str()
                    : "none");
    out += Line(
        "  predictive: model dT/dt = %.4g + %.4g*GBps + %.4g*(T-300)  reductions %llu  "
        "relaxations %llu  limited %.3f s  deferred %llu",
        v.forecaster->a(), v.forecaster->b(), v.forecaster->c(),
        static_cast<unsigned long long>(f.reductions),
        static_cast<unsigned long long>(f.relaxations), f.limited_ns / 1e9,
        static_cast<unsigned long long>(f.deferred));
  }
  if (v.apst) {
    out += "  APST:\n";
    const std::string plan = DescribeApstPlan(*v.apst, v.npss);
    size_t pos = 0;
    while (pos < plan.size()) {
      const size_t nl = plan.find('\n', pos);
      out += "    " + plan.substr(pos, nl - pos) + "\n";
      pos = nl == std::string::npos ? plan.size() : nl + 1;
    }
  }
  if (v.power) {
    out += Line(
        "  power: operational PS%u  APST tolerance %llu us (PS%d)  saving %.3f W  "
        "wakes %.2f/s",
        v.power->operational_state, static_cast<unsigned long long>(v.power->latency_tolerance_us),
        v.power->apst_state, v.power->saving_watts, v.power->wakes_per_second);
  }
  if (v.history && v.monitor) {
    out += "  curve (s, K):\n";
    const auto h = v.monitor->History();
    const uint64_t t0 = h.empty() ? 0 : h.front().time_ns;
    for (const auto& p : h) out += Line("    %.3f %u", (p.time_ns - t0) / 1e9, p.kelvin);
  }
  return out;
}

}  // namespace nvmesim::driver::thermal
