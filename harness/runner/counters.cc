#include "harness/runner/counters.h"

#include "harness/runner/thermal_counters.h"

#include <cctype>
#include <string>

namespace nvmesim::harness {

namespace {
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::map<std::string, double> CollectCounters(SimSystem& system, const ScenarioSpec& scenario,
                                              const std::vector<std::unique_ptr<JobRunner>>& jobs,
                                              uint64_t submitted) {
  std::map<std::string, double> c;
  uint64_t completed = 0, errors = 0, refused = 0, retries = 0, mismatches = 0, dups = 0;
  uint64_t dir_ios[kIoDirections] = {0, 0, 0, 0};
  for (const auto& j : jobs) {
    const JobRecord& r = j->record();
    completed += r.completed;
    refused += r.refused;
    retries += r.retries;
    mismatches += r.mismatch_count;
    dups += r.duplicate_callbacks;
    errors += r.stats.total_errors();
    for (int d = 0; d < kIoDirections; ++d)
      dir_ios[d] += r.stats.direction(static_cast<IoDirection>(d)).ios;
  }
  c["io.submitted"] = static_cast<double>(submitted);
  c["io.completed"] = static_cast<double>(completed);
  c["io.errors"] = static_cast<double>(errors);
  c["io.refused"] = static_cast<double>(refused);
  c["io.retries"] = static_cast<double>(retries);
  c["io.mismatches"] = static_cast<double>(mismatches);
  c["io.duplicate_callbacks"] = static_cast<double>(dups);
  c["read.ios"] = static_cast<double>(dir_ios[0]);
  c["write.ios"] = static_cast<double>(dir_ios[1]);
  c["trim.ios"] = static_cast<double>(dir_ios[2]);
  c["flush.ios"] = static_cast<double>(dir_ios[3]);
  c["sim.time_us"] = static_cast<double>(sc_core::sc_time_stamp().value()) / 1e6;
  c["commands_submitted"] = c["io.submitted"];
  c["commands_completed"] = c["io.completed"];
  // Per job (instances summed): job.<name>.<direction>.{ios,iops,errors}.
  std::map<std::string, JobStats> per_job;
  for (const auto& j : jobs) {
    auto [it, fresh] = per_job.emplace(j->record().name, j->record().stats);
    if (!fresh) it->second.Merge(j->record().stats);
  }
  for (const auto& [name, stats] : per_job) {
    for (int d = 0; d < kIoDirections; ++d) {
      const auto dir = static_cast<IoDirection>(d);
      const std::string p = "job." + name + "." + IoDirectionName(dir) + ".";
      c[p + "ios"] = static_cast<double>(stats.direction(dir).ios);
      c[p + "iops"] = stats.Iops(dir);
      c[p + "errors"] = static_cast<double>(stats.direction(dir).errors);
      c[p + "p99_us"] = static_cast<double>(stats.direction(dir).clat.Percentile(99.0)) / 1000.0;
      c[p + "bytes"] = static_cast<double>(stats.direction(dir).bytes);
    }
  }

  for (size_t i = 0; i < system.controller_count() && i < scenario.controllers.size(); ++i) {
    const std::string p = scenario.controllers[i].name + ".";
    if (driver::Controller* d = system.driver(i)) {
      const driver::ControllerStats& s = d->stats();
      c[p + "driver.resets"] = static_cast<double>(s.resets);
      c[p + "driver.io_queues"] = static_cast<double>(d->info().io_queues);
      c[p + "driver.namespaces"] = static_cast<double>(d->namespaces().table().size());
      c[p + "driver.io_depth_limit"] = static_cast<double>(d->io_depth_limit());
      c[p + "driver.init_failures"] = static_cast<double>(s.init_failures);
      c[p + "driver.timeouts"] = static_cast<double>(s.timeouts);
      c[p + "driver.aborts_sent"] = static_cast<double>(s.aborts_sent);
      c[p + "driver.aborts_succeeded"] = static_cast<double>(s.aborts_succeeded);
      c[p + "driver.retries"] = static_cast<double>(s.retries);
      c[p + "driver.path_errors"] = static_cast<double>(s.path_errors);
      c[p + "driver.async_events"] = static_cast<double>(s.async_events);
      c[p + "driver.requeued_on_reset"] = static_cast<double>(s.requeued_on_reset);
      c[p + "driver.failed_on_reset"] = static_cast<double>(s.failed_on_reset);
      c[p + "driver.failed_over_on_reset"] = static_cast<double>(s.failed_over_on_reset);
      c[p + "driver.reprobes"] = static_cast<double>(s.reprobes);
      c[p + "driver.ready"] = d->state() == driver::ControllerState::kReady ? 1 : 0;
    }
    const device::ControllerStats& ds = system.device(i).stats();
    c[p + "device.commands_fetched"] = static_cast<double>(ds.commands_fetched);
    c[p + "device.completions_posted"] = static_cast<double>(ds.completions_posted);
    c[p + "device.interrupts_sent"] = static_cast<double>(ds.interrupts_sent);
    c[p + "device.dma_errors"] = static_cast<double>(ds.dma_errors);
    c[p + "device.dma_direct"] = static_cast<double>(ds.dma_direct);
    c[p + "device.doorbell_errors"] = static_cast<double>(ds.doorbell_errors);
    c[p + "device.commands_aborted_by_reset"] = static_cast<double>(ds.commands_aborted_by_reset);
    c[p + "device.completions_dropped"] = static_cast<double>(ds.completions_dropped);
    c[p + "device.completions_duplicated"] = static_cast<double>(ds.completions_duplicated);
    c[p + "device.completions_corrupted"] = static_cast<double>(ds.completions_corrupted);
    c[p + "device.resets"] = static_cast<double>(ds.resets);
    c[p + "temperature_c"] =
        static_cast<double>(system.device(i).health().temperature_kelvin) - 273.15;
    double replays = 0;
    for (auto dir : {pcie::Direction::kDownstream, pcie::Direction::kUpstream}) {
      const pcie::DirectionCounters& lc = system.link(i).counters(dir);
      const std::string q = p + "link." + (dir == pcie::Direction::kDownstream ? "down." : "up.");
      c[q + "tlps"] = static_cast<double>(lc.tlps);
      c[q + "payload_bytes"] = static_cast<double>(lc.payload_bytes);
      c[q + "replays"] = static_cast<double>(lc.replays);
      c[q + "dropped_tlps"] = static_cast<double>(lc.dropped_tlps);
      c[q + "completion_timeouts"] = static_cast<double>(lc.completion_timeouts);
      replays += static_cast<double>(lc.replays);
    }
    c[p + "link.replays"] = replays;
  }
  AddThermalCounters(system, scenario, c);
  const pcie::RootComplexCounters& rc = system.root_complex().counters();
  c["rc.unsupported_requests"] = static_cast<double>(rc.unsupported_requests);
  c["rc.msi_messages"] = static_cast<double>(rc.msi_messages);
  c["rc.mmio_failed_reads"] = static_cast<double>(rc.mmio_failed_reads);
  return c;
}

std::map<std::string, std::string> CollectStates(SimSystem& system, const ScenarioSpec& scenario) {
  std::map<std::string, std::string> s;
  // Zones of zoned namespaces: "<ns>.zone[i]" -> "empty", "full", "read_only", "offline" ...
  for (const NamespaceSpec& ns : scenario.namespaces) {
    if (ns.kind != NamespaceKind::kZoned) continue;
    for (size_t si = 0; si < scenario.subsystems.size(); ++si) {
      if (scenario.subsystems[si].name != ns.subsystem) continue;
      device::zns::ZnsCommandSet* zns = system.zns(si);
      nvmesim::zns::ZonedNamespace* model = zns ? zns->Model(ns.nsid) : nullptr;
      if (model == nullptr) continue;
      for (uint32_t z = 0; z < model->zone_count() && z < 4096; ++z) {
        std::string name = Lower(spec::ZoneStateName(model->Zone(z).state));
        for (char& c : name) c = c == ' ' ? '_' : c;
        s[ns.name + ".zone[" + std::to_string(z) + "]"] = name;
      }
    }
  }
  for (size_t i = 0; i < system.controller_count() && i < scenario.controllers.size(); ++i) {
    driver::Controller* d = system.driver(i);
    s[scenario.controllers[i].name] =
        d ? Lower(driver::ControllerStateName(d->state())) : "not_enumerated";
  }
  return s;
}

JobTargetInfo ResolveJobTarget(const ScenarioSpec& scenario, SimSystem& system,
                               const JobSpec& job) {
  JobTargetInfo out;
  const NamespaceSpec* ns = nullptr;
  if (!job.target_namespace.empty()) {
    ns = scenario.FindNamespace(job.target_namespace);
  } else if (scenario.namespaces.size() == 1) {
    ns = &scenario.namespaces[0];
  }
  if (ns == nullptr) {
    out.error = "no namespace to run against (set `namespace`)";
    return out;
  }
  out.namespace_name = ns->name;
  // The first controller that reaches the namespace carries the job.
  int index = -1;
  for (size_t i = 0; i < scenario.controllers.size() && index < 0; ++i) {
    const ControllerSpec& c = scenario.controllers[i];
    if (c.subsystem != ns->subsystem) continue;
    if (ns->controllers.empty() || std::find(ns->controllers.begin(), ns->controllers.end(),
                                             c.name) != ns->controllers.end()) {
      index = static_cast<int>(i);
    }
  }
  if (index < 0) {
    out.error = "namespace " + ns->name + " is attached to no controller";
    return out;
  }
  driver::Controller* d = system.driver(static_cast<size_t>(index));
  const driver::NamespaceInfo* info = d ? d->namespaces().Find(ns->nsid) : nullptr;
  if (info == nullptr) {
    out.error = "the driver did not find namespace " + std::to_string(ns->nsid) + " (" + ns->name +
                ") on " + scenario.controllers[static_cast<size_t>(index)].name;
    return out;
  }
  out.target.controller = d;
  out.target.submit = [d](const driver::BlockRequest& r, driver::BlockCallback cb) {
    return d->Submit(r, std::move(cb));
  };
  out.target.nsid = ns->nsid;
  out.target.geometry.lba_size = info->lba_size;
  out.target.geometry.lba_count = info->nsze;
  if (ns->kind == NamespaceKind::kZoned && info->lba_size != 0) {
    out.target.geometry.zone_size_lbas = ns->zone_size_bytes / info->lba_size;
    out.target.geometry.zone_capacity_lbas = ns->zone_capacity_bytes / info->lba_size;
    out.target.geometry.max_open_zones = ns->max_open_zones;
  }
  out.target.volatile_write_cache =
      scenario.controllers[static_cast<size_t>(index)].volatile_write_cache;
  if (std::string e = IoGenerator::Check(job, out.target.geometry); !e.empty()) out.error = e;
  return out;
}

}  // namespace nvmesim::harness
