#include "harness/report_text.h"

#include <cstdio>

namespace nvmesim::harness {

namespace {
std::string Ms(uint64_t ps) {
  char b[48];
  std::snprintf(b, sizeof b, "%.3f ms", static_cast<double>(ps) / 1e9);
  return b;
}
}  // namespace

std::string FormatThermalReport(const RunResult& run) {
  std::string out;
  char b[256];
  for (const ThermalSeries& t : run.thermal) {
    if (t.points.empty()) continue;
    auto counter = [&](const std::string& key) {
      auto it = run.counters.find(t.controller + "." + key);
      return it == run.counters.end() ? 0.0 : it->second;
    };
    std::snprintf(b, sizeof b,
                  "\nThermal (%s): peak %.2f K, throttled %.3f s, energy %.3f J (%.2f W mean), "
                  "held back %.0f requests\n",
                  t.controller.c_str(), counter("thermal.peak_k"), counter("thermal.throttled_s"),
                  counter("thermal.energy_j"), counter("thermal.avg_power_w"),
                  counter("thermal_manager.deferred"));
    out += b;
    // A compact curve: at most 24 points, kelvin and the throttle level
    // (' ' none, '*' light, '#' heavy, '!' shut down).
    const size_t n = t.points.size();
    const size_t step = (n + 23) / 24;
    out += "  curve (ms: K):";
    for (size_t i = 0; i < n; i += step) {
      const ThermalPoint& p = t.points[i];
      static const char kMark[] = " *#!";
      std::snprintf(b, sizeof b, " %.0f:%.1f%c", static_cast<double>(p.time_ps) / 1e9, p.kelvin,
                    kMark[p.throttle & 3u]);
      out += b;
    }
    out += "\n";
  }
  return out;
}

std::string FormatRunReport(const RunResult& run) {
  std::string out = FormatThermalReport(run);
  if (!run.faults.empty()) {
    out += "\nFaults:\n";
    for (const FaultRecord& f : run.faults) {
      out += "  " + f.description + "\n";
      if (!f.applied) {
        out += "    not applied" + (f.error.empty() ? std::string() : ": " + f.error) + "\n";
        continue;
      }
      out += "    applied at " + Ms(f.start_ps);
      if (f.end_ps) out += ", ended at " + Ms(*f.end_ps);
      out += "; " + std::to_string(f.caught_requests) + " request(s) caught";
      if (f.recovered)
        out += "; recovered after " + Ms(f.drained_ps - f.start_ps);
      else
        out += "; I/O did not succeed again";
      out += "\n";
      if (!f.error.empty()) out += "    " + f.error + "\n";
    }
  }
  if (!run.expectations.empty()) {
    out += "\nExpectations:\n";
    for (const ExpectationResult& e : run.expectations) {
      const bool ok = e.outcome == ExpectationOutcome::kPassed;
      out += std::string("  [") + (ok ? "PASS" : "FAIL") + "] " + e.name + " (" + e.kind + ")";
      if (!e.reason.empty()) out += ": " + e.reason;
      out += "\n";
      if (!ok && !e.details.empty()) out += "         " + e.details + "\n";
      if (ok && !e.details.empty()) out += "         " + e.details + "\n";
    }
  }
  if (!run.error.empty()) out += "\nerror: " + run.error + "\n";
  char line[384];
  std::snprintf(line, sizeof line,
                "\n%s: %s  (seed %llu, %.3f ms simulated, %.2f s host of which %.2f s elaboration, "
                "%.0f MiB peak, trace hash %s, %llu events)\n",
                run.scenario.c_str(), run.passed ? "PASSED" : "FAILED",
                static_cast<unsigned long long>(run.seed),
                static_cast<double>(run.simulated_ps) / 1e9, run.wall_seconds,
                run.elaboration_seconds,
                static_cast<double>(run.peak_rss_bytes) / (1024.0 * 1024.0),
                run.trace_hash_hex.c_str(), static_cast<unsigned long long>(run.trace_events));
  out += line;
  return out;
}

}  // namespace nvmesim::harness
