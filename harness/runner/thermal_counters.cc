#include "harness/runner/thermal_counters.h"

#include <cmath>

namespace nvmesim::harness {

void AddThermalCounters(SimSystem& system, const ScenarioSpec& scenario,
                        std::map<std::string, double>& c) {
  const double sim_s = static_cast<double>(sc_core::sc_time_stamp().value()) / 1e12;
  for (size_t i = 0; i < system.controller_count() && i < scenario.controllers.size(); ++i) {
    const std::string p = scenario.controllers[i].name + ".";
    if (device::thermal::ThermalModel* tm = system.thermal(i)) {
      tm->Tick(static_cast<uint64_t>(sc_core::sc_time_stamp().value()));
      const device::thermal::ThermalStats& s = tm->stats();
      const std::string q = p + "thermal.";
      c[q + "throttled_s"] = static_cast<double>(s.throttled_ps) / 1e12;
      c[q + "device_light_s"] = static_cast<double>(s.device_light_ps) / 1e12;
      c[q + "device_heavy_s"] = static_cast<double>(s.device_heavy_ps) / 1e12;
      c[q + "throttle_entries"] =
          static_cast<double>(s.device_light_transitions + s.device_heavy_transitions +
                              s.tmt1_transitions + s.tmt2_transitions);
      c[q + "warning_s"] = static_cast<double>(s.warning_ps) / 1e12;
      c[q + "peak_k"] = s.max_kelvin;
      c[q + "kelvin"] = tm->temperature_kelvin();
      c[q + "energy_j"] = s.energy_joules;
      c[q + "avg_power_w"] = sim_s > 0 ? s.energy_joules / sim_s : 0;
      c[q + "apst_transitions"] = static_cast<double>(s.apst_transitions);
      c[q + "wakeups"] = static_cast<double>(s.wakeups);
      c[q + "wake_latency_us"] = static_cast<double>(s.wake_latency_ps) / 1e6;
      c[q + "wake_latency_mean_us"] =
          s.wakeups ? static_cast<double>(s.wake_latency_ps) / 1e6 / static_cast<double>(s.wakeups)
                    : 0;
      c[q + "over_threshold_events"] = static_cast<double>(s.over_threshold_events);
      c[q + "shutdowns"] = static_cast<double>(s.shutdowns);
      c[q + "power_state"] = static_cast<double>(tm->power_state());
      for (size_t ps = 0; ps < s.time_per_state_ps.size(); ++ps) {
        c[q + "ps" + std::to_string(ps) + "_s"] =
            static_cast<double>(s.time_per_state_ps[ps]) / 1e12;
      }
    }
    driver::advanced::AdvancedFeatures* adv = system.advanced(i);
    if (adv == nullptr) continue;
    const driver::advanced::AdvancedStats& as = adv->stats();
    if (const driver::thermal::ThermalManager* m = adv->thermal()) {
      const std::string q = p + "thermal_manager.";
      c[q + "smart_samples"] = static_cast<double>(m->monitor().stats().samples);
      c[q + "threshold_events"] = static_cast<double>(m->monitor().stats().threshold_events);
      c[q + "apst_programs"] = static_cast<double>(m->apst_programs());
      c[q + "deferred"] = static_cast<double>(as.deferred);
      c[q + "held_ms"] = static_cast<double>(as.held_ns) / 1e6;
      const driver::thermal::ForecasterStats& f = m->forecaster().stats();
      c[q + "limited_s"] = static_cast<double>(f.limited_ns) / 1e9;
      c[q + "reductions"] = static_cast<double>(f.reductions);
      const double limit = m->forecaster().rate_limit_bps();
      c[q + "rate_limit_mbps"] = std::isfinite(limit) ? limit / 1e6 : 0;
    }
    if (const driver::optimizer::PerformanceOptimizer* o = adv->optimizer()) {
      const std::string q = p + "optimizer.";
      c[q + "epochs"] = static_cast<double>(adv->epochs().size());
      c[q + "knob_changes"] = static_cast<double>(as.knob_changes);
      c[q + "coalescing_threshold"] = adv->knobs().coalescing_threshold;
      c[q + "coalescing_time_100us"] = adv->knobs().coalescing_time_100us;
      c[q + "queue_depth"] = adv->knobs().queue_depth;
      c[q + "depth_sets"] = static_cast<double>(as.depth_sets);
      if (!adv->epochs().empty()) {
        c[q + "last_epoch_p99_us"] = adv->epochs().back().metrics.p99_us;
        c[q + "first_epoch_p99_us"] = adv->epochs().front().metrics.p99_us;
      }
      c[q + "latency_relative_error"] = o->latency().relative_error();
      if (o->settings().maintenance) {
        const std::string m = p + "maintenance.";
        c[m + "samples"] = static_cast<double>(o->maintenance().samples());
        c[m + "warning"] = as.maintenance_warning_s >= 0 ? 1 : 0;
        c[m + "warning_s"] = as.maintenance_warning_s;
        c[m + "warning_hours"] = o->maintenance().first_warning_hours();
        const double life = o->maintenance().assessment().remaining_life_hours;
        c[m + "remaining_life_hours"] = std::isfinite(life) ? life : -1;
      }
    }
  }
}

}  // namespace nvmesim::harness
