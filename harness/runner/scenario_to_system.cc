#include "harness/runner/scenario_to_system.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "device_model/media/media_model.h"
#include "device_model/media/profile_loader.h"
#include "device_model/thermal/thermal_model.h"
#include "device_model/zns/zns_command_set.h"
#include "driver/config_toml.h"

namespace nvmesim::harness {

namespace {
std::string At(const ScenarioSpec& s, int line, const std::string& key) {
  // A scenario built in code (bench) has no lines to show.
  return s.path + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + key + ": ";
}

device::AnaState ToDeviceAna(AnaStateSpec a) { return static_cast<device::AnaState>(a); }

// A 16-bit power field and its scale (Power State Descriptor MXPS, IPS / APS
// 10b = 0.01 W, 01b = 0.0001 W, Figure 276): 0.01 W units when the value is a
// whole number of them, else 0.0001 W units while they reach.
struct ScaledPower {
  uint16_t value;
  bool fine;  // 0.0001 W units
};
ScaledPower Scale(double watts) {
  const double coarse = std::round(watts * 100);
  if (std::fabs(coarse - watts * 100) < 1e-6 && coarse <= 65535) {
    return {static_cast<uint16_t>(coarse), false};
  }
  const double fine = std::round(watts * 10000);
  if (fine <= 65535) return {static_cast<uint16_t>(fine), true};
  return {static_cast<uint16_t>(std::min(65535.0, coarse)), false};
}
}  // namespace

spec::PowerStateDescriptor ToPowerStateDescriptor(const PowerStateSpec& ps, uint8_t index) {
  spec::PowerStateDescriptor d;
  const ScaledPower mp = Scale(ps.max_watts);
  d.mp = mp.value;
  if (mp.fine) d.flags |= spec::kPsdFlagMxps;
  if (!ps.operational) d.flags |= spec::kPsdFlagNops;
  d.enlat = static_cast<uint32_t>(ps.entry_latency_ps / 1'000'000);  // microseconds
  d.exlat = static_cast<uint32_t>(ps.exit_latency_ps / 1'000'000);
  // Relative throughput / latency: states in table order, fastest first (5 bits).
  d.rrt = d.rrl = d.rwt = d.rwl = static_cast<uint8_t>(index & 0x1F);
  if (ps.idle_watts) {
    const ScaledPower p = Scale(*ps.idle_watts);
    d.idlp = p.value;
    d.ips = static_cast<uint8_t>((p.fine ? 1u : 2u) << 6);  // IPS bits 7:6
  }
  if (ps.active_watts) {
    const ScaledPower p = Scale(*ps.active_watts);
    d.actp = p.value;
    d.apws = static_cast<uint8_t>((p.fine ? 1u : 2u) << 6);  // APS bits 7:6
  }
  return d;
}

device::thermal::ThermalConfig ToThermalConfig(const ThermalSectionSpec& t) {
  device::thermal::ThermalConfig tc;
  if (t.ambient_kelvin) tc.ambient_kelvin = *t.ambient_kelvin;
  if (t.initial_kelvin) tc.initial_kelvin = *t.initial_kelvin;
  if (t.resistance_k_per_w) tc.resistance_k_per_w = *t.resistance_k_per_w;
  if (t.capacitance_j_per_k) tc.capacitance_j_per_k = *t.capacitance_j_per_k;
  if (t.wctemp) tc.wctemp = static_cast<uint16_t>(*t.wctemp);
  if (t.cctemp) tc.cctemp = static_cast<uint16_t>(*t.cctemp);
  if (t.mntmt) tc.mntmt = static_cast<uint16_t>(*t.mntmt);
  if (t.mxtmt) tc.mxtmt = static_cast<uint16_t>(*t.mxtmt);
  if (t.device_light_kelvin) tc.device_light_kelvin = static_cast<uint16_t>(*t.device_light_kelvin);
  if (t.device_heavy_kelvin) tc.device_heavy_kelvin = static_cast<uint16_t>(*t.device_heavy_kelvin);
  if (t.light_factor) tc.light_factor = *t.light_factor;
  if (t.heavy_factor) tc.heavy_factor = *t.heavy_factor;
  if (t.hysteresis_kelvin) tc.hysteresis_kelvin = *t.hysteresis_kelvin;
  if (t.joules_per_byte) tc.power.joules_per_byte = *t.joules_per_byte;
  if (t.throttle_reference_gbps) tc.throttle_reference_bps = *t.throttle_reference_gbps * 1e9;
  if (t.apst_supported) tc.apst_supported = *t.apst_supported;
  if (t.hctm_supported) tc.hctm_supported = *t.hctm_supported;
  if (t.power_states) {
    for (size_t i = 0; i < t.power_states->size(); ++i) {
      tc.power_states.push_back(
          ToPowerStateDescriptor((*t.power_states)[i], static_cast<uint8_t>(i)));
    }
  }
  return tc;
}

pcie::Fidelity ToPcieFidelity(ScenarioFidelity f) {
  switch (f) {
    case ScenarioFidelity::kFunctional:
      return pcie::Fidelity::kFunctional;
    case ScenarioFidelity::kApproximate:
      return pcie::Fidelity::kApproximate;
    case ScenarioFidelity::kCycle:
      return pcie::Fidelity::kCycle;
  }
  return pcie::Fidelity::kApproximate;
}

int ControllerIndex(const ScenarioSpec& scenario, const std::string& name) {
  for (size_t i = 0; i < scenario.controllers.size(); ++i) {
    if (scenario.controllers[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

SystemBuild BuildSystemSpec(const ScenarioSpec& scenario, ScenarioFidelity fidelity) {
  SystemBuild out;
  SimSystemSpec& spec = out.spec;
  spec.fidelity = ToPcieFidelity(fidelity);

  // Subsystems and their namespaces.
  for (const SubsystemSpec& sub : scenario.subsystems) {
    device::SubsystemConfig cfg;
    if (!sub.nqn.empty()) cfg.nqn = sub.nqn;
    cfg.namespaces.clear();
    uint32_t groups = 1;
    for (const AnaGroupSpec& g : sub.ana_groups) groups = std::max(groups, g.id);
    cfg.ana_groups = groups;
    uint64_t capacity = 0;
    for (const NamespaceSpec& ns : scenario.namespaces) {
      if (ns.subsystem != sub.name) continue;
      device::NamespaceConfig n;
      n.nsid = ns.nsid;
      n.lba_bytes = ns.lba_size;
      n.size_lbas = ns.lba_count();
      n.csi = ns.kind == NamespaceKind::kZoned ? 2 : 0;
      n.ana_group = ns.ana_group == 0 ? 1 : ns.ana_group;
      // The write cache is a property of the controllers that serve the namespace.
      n.volatile_write_cache = false;
      for (const ControllerSpec& c : scenario.controllers) {
        if (c.subsystem != sub.name) continue;
        const bool attached =
            ns.controllers.empty() ||
            std::find(ns.controllers.begin(), ns.controllers.end(), c.name) != ns.controllers.end();
        if (!attached) continue;
        n.volatile_write_cache = n.volatile_write_cache || c.volatile_write_cache;
        if (!ns.controllers.empty()) n.attached.push_back(c.cntlid);
      }
      n.shared = true;
      capacity += ns.size_bytes;
      cfg.namespaces.push_back(n);
    }
    // Zoned namespaces: the ZNS command set with each namespace's geometry.
    device::zns::ZnsCommandSetConfig zns;
    for (const NamespaceSpec& ns : scenario.namespaces) {
      if (ns.subsystem != sub.name || ns.kind != NamespaceKind::kZoned || ns.lba_size == 0)
        continue;
      nvmesim::zns::ZonedNamespaceConfig z;
      z.lba_bytes = ns.lba_size;
      z.zone_size_lbas = ns.zone_size_bytes / ns.lba_size;
      z.zone_capacity_lbas =
          (ns.zone_capacity_bytes ? ns.zone_capacity_bytes : ns.zone_size_bytes) / ns.lba_size;
      z.zone_count = static_cast<uint32_t>(ns.zone_count());
      z.max_open_zones = ns.max_open_zones;
      z.max_active_zones = ns.max_active_zones;
      zns.per_namespace[ns.nsid] = z;
      zns.defaults = z;
    }
    if (!zns.per_namespace.empty()) spec.zns[spec.subsystems.size()] = zns;
    cfg.max_namespaces =
        std::max<uint32_t>(cfg.max_namespaces, static_cast<uint32_t>(cfg.namespaces.size()));
    cfg.capacity_bytes = std::max(cfg.capacity_bytes, capacity);
    if (std::string e = device::ValidateSubsystemConfig(cfg); !e.empty()) {
      out.errors.push_back(At(scenario, sub.line, "subsystem " + sub.name) + e);
    }
    spec.subsystems.push_back(std::move(cfg));
  }

  // Controllers behind their links. The controllers of one subsystem are the
  // ports of one drive: they share its media model (NAND, FTL, write cache,
  // controller cores), so they must name the same profile.
  struct SharedMedia {
    std::string profile;  // resolved path
    std::string first;    // the controller that named it first
    std::shared_ptr<device::MediaTiming> media;
  };
  std::map<size_t, SharedMedia> media_of_subsystem;
  for (const ControllerSpec& c : scenario.controllers) {
    SimControllerSpec cs;
    for (size_t i = 0; i < scenario.subsystems.size(); ++i) {
      if (scenario.subsystems[i].name == c.subsystem) cs.subsystem = i;
    }
    cs.device.name = c.name;
    cs.device.cntlid = c.cntlid;
    // SN and MN are the subsystem's (Base 2.0 Figure 275): every controller of
    // it reports the same; each subsystem gets its own serial by default.
    if (cs.subsystem < scenario.subsystems.size()) {
      const SubsystemSpec& sub = scenario.subsystems[cs.subsystem];
      std::string number = std::to_string(cs.subsystem + 1);
      if (number.size() < 4) number.insert(0, 4 - number.size(), '0');
      cs.device.serial = sub.serial.value_or("NVMESIM" + number);
      if (sub.model) cs.device.model = *sub.model;
      if (sub.vendor_id) cs.device.vendor_id = *sub.vendor_id;
    }
    if (c.firmware) cs.device.firmware = *c.firmware;
    cs.device.max_queue_entries = c.max_queue_entries;
    cs.device.max_io_queues = static_cast<uint16_t>(c.io_queues);
    cs.device.msix_vectors = static_cast<uint16_t>(std::min<uint32_t>(c.io_queues + 1, 2048));
    cs.device.mdts = static_cast<uint8_t>(c.mdts);
    cs.device.weighted_round_robin = c.arbitration == ArbitrationSpec::kWeightedRoundRobin;
    cs.link.generation = c.link.generation;
    cs.link.width = c.link.width;
    cs.link.max_payload_size = c.link.max_payload_size;
    cs.link.max_read_request_size = c.link.max_read_request_size;
    cs.link.seed = scenario.info.seed;
    auto shared = media_of_subsystem.find(cs.subsystem);
    if (shared != media_of_subsystem.end() && shared->second.profile != c.profile_resolved) {
      out.errors.push_back(
          At(scenario, c.line, "controller " + c.name + ".profile") + "expected the profile of " +
          shared->second.first + " (" +
          (shared->second.profile.empty() ? "none" : shared->second.profile) +
          "): the controllers of one subsystem are ports of one drive and share its media");
    } else if (shared != media_of_subsystem.end()) {
      cs.media = shared->second.media;
    } else {
      if (!c.profile_resolved.empty()) {
        device::media::ProfileLoad profile = device::media::LoadProfile(c.profile_resolved);
        std::string error = profile.error;
        if (error.empty()) {
          cs.media = device::media::MakeMediaTiming(profile.profile, &error);
        }
        if (!error.empty()) {
          out.errors.push_back(At(scenario, c.line, "controller " + c.name + ".profile") + error);
        }
      }
      media_of_subsystem[cs.subsystem] = {c.profile_resolved, c.name, cs.media};
    }
    if (std::string e = device::ValidateControllerConfig(cs.device); !e.empty()) {
      out.errors.push_back(At(scenario, c.line, "controller " + c.name) + e);
    }
    if (std::string e = pcie::ValidateLinkConfig(cs.link); !e.empty()) {
      out.errors.push_back(At(scenario, c.line, "controller " + c.name + ".link") + e);
    }
    if (std::optional<ThermalSectionSpec> t = EffectiveThermal(scenario, c)) {
      auto tc = std::make_shared<device::thermal::ThermalConfig>(ToThermalConfig(*t));
      if (std::string e = device::thermal::ValidateThermalConfig(*tc); !e.empty()) {
        out.errors.push_back(At(scenario, c.line, "controller " + c.name + ".thermal") + e);
      }
      cs.thermal = std::move(tc);
    }
    spec.controllers.push_back(std::move(cs));
  }

  // Settings of the driver's thermal manager and optimizer.
  {
    driver::advanced::AdvancedOptions& a = spec.advanced;
    const ThermalSectionSpec& t = scenario.thermal;
    if (t.poll_interval_ps) a.thermal_options.poll_interval_ns = *t.poll_interval_ps / 1000;
    if (t.horizon_ps)
      a.thermal_options.forecaster.horizon_s = static_cast<double>(*t.horizon_ps) / 1e12;
    if (t.tmt1) a.thermal_options.tmt1 = static_cast<uint16_t>(*t.tmt1);
    if (t.tmt2) a.thermal_options.tmt2 = static_cast<uint16_t>(*t.tmt2);
    if (t.apst_max_latency_ps)
      a.thermal_options.apst.max_latency_us = *t.apst_max_latency_ps / 1'000'000;
    // The adaptive optimizer re-plans APST ten times per SMART period scale.
    a.thermal_options.replan_interval_ns = a.thermal_options.poll_interval_ns * 10;
    const OptimizerSectionSpec& o = scenario.optimizer;
    if (o.p99_target_ps)
      a.optimizer_settings.goal.p99_target_us = static_cast<double>(*o.p99_target_ps) / 1e6;
    if (o.throughput_goal && *o.throughput_goal)
      a.optimizer_settings.goal.kind = driver::optimizer::TunerGoalKind::kThroughput;
    if (o.epoch_ps) a.optimizer_settings.epoch_ns = *o.epoch_ps / 1000;
    if (o.warn_margin_hours)
      a.optimizer_settings.maintenance_config.warn_margin_hours = *o.warn_margin_hours;
    if (o.hours_per_second) a.maintenance_hours_per_second = *o.hours_per_second;
  }
  // A controller's own HCTM thresholds for its driver's thermal manager.
  for (size_t i = 0; i < scenario.controllers.size(); ++i) {
    const ThermalSectionSpec& ct = scenario.controllers[i].thermal;
    if (!ct.tmt1 && !ct.tmt2) continue;
    driver::thermal::ThermalManagerOptions to = spec.advanced.thermal_options;
    if (ct.tmt1) to.tmt1 = static_cast<uint16_t>(*ct.tmt1);
    if (ct.tmt2) to.tmt2 = static_cast<uint16_t>(*ct.tmt2);
    spec.controllers[i].thermal_manager = to;
  }

  // ANA states as the scenario starts them are applied after elaboration (runner).

  // The driver's [advanced_nvme] section.
  if (scenario.advanced_nvme) {
    driver::ConfigResult r = driver::LoadAdvancedNvmeSection(*scenario.advanced_nvme);
    // Each error at its key's own line (else the section's), in the file's order.
    std::vector<std::pair<int, std::string>> located;
    for (size_t i = 0; i < r.errors.size(); ++i) {
      int line = scenario.advanced_nvme_line;
      if (i < r.error_keys.size()) {
        auto it = scenario.advanced_nvme_key_lines.find(r.error_keys[i]);
        if (it != scenario.advanced_nvme_key_lines.end()) line = it->second;
      }
      located.emplace_back(line, r.errors[i]);
    }
    std::stable_sort(located.begin(), located.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [line, e] : located) {
      out.errors.push_back(At(scenario, line, "advanced_nvme") + e);
    }
    spec.driver.config = r.config;
  }
  // The [driver] table: options of each driver instance.
  const DriverOptionsSpec& d = scenario.driver;
  driver::ControllerOptions& o = spec.driver;
  if (d.io_timeout_ps) o.io_timeout_ns = *d.io_timeout_ps / 1000;
  if (d.admin_timeout_ps) o.admin_timeout_ns = *d.admin_timeout_ps / 1000;
  if (d.watchdog_interval_ps) o.watchdog_interval_ns = *d.watchdog_interval_ps / 1000;
  if (d.keep_alive_ps) o.keep_alive_ms = static_cast<uint32_t>(*d.keep_alive_ps / 1'000'000'000);
  if (d.max_retries) o.max_retries = *d.max_retries;
  if (d.max_reset_attempts) o.max_reset_attempts = *d.max_reset_attempts;
  if (d.admin_queue_entries) o.admin_queue_entries = *d.admin_queue_entries;
  if (d.max_transfer_bytes) o.max_transfer_bytes = static_cast<uint32_t>(*d.max_transfer_bytes);
  if (d.use_interrupts) o.use_interrupts = *d.use_interrupts;
  if (d.prefer_sgl) o.prefer_sgl = *d.prefer_sgl;
  if (d.coalescing_completions)
    o.coalescing_threshold = static_cast<uint8_t>(*d.coalescing_completions - 1);
  if (d.coalescing_time_ps)
    o.coalescing_time_100us = static_cast<uint8_t>(*d.coalescing_time_ps / 100'000'000ull);
  (void)ToDeviceAna;
  return out;
}

}  // namespace nvmesim::harness
