#include "harness/runner/runner.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>

#include "driver/multipath/manager.h"
#include "harness/faults/fault_spec.h"
#include "harness/runner/counters.h"
#include "harness/runner/expectations.h"
#include "harness/runner/fault_injector.h"
#include "harness/runner/scenario_to_system.h"
#include "harness/system/sim_system.h"
#include "harness/workload/data_oracle.h"

namespace nvmesim::harness {

namespace {

using sc_core::sc_time;

uint64_t NowPs() { return static_cast<uint64_t>(sc_core::sc_time_stamp().value()); }

// Host wall time, the one clock outside the simulated world. It feeds only the
// wall-time guard (which can stop a run, never steer it), the progress line
// and the reported host and elaboration seconds; nothing the simulation decides
// and nothing in the trace hash depends on it.
using HostClock = std::chrono::steady_clock;  // legitimate: host wall time, never simulated
HostClock::time_point HostNow() { return HostClock::now(); }

// SplitMix64: a per-instance seed from the run's seed and the job's position.
uint64_t MixSeed(uint64_t seed, uint64_t a, uint64_t b) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (a * 1315423911ULL + b + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Run {
 public:
  Run(const ScenarioSpec& scenario, const RunOptions& options)
      : scenario_(scenario), options_(options), hasher_(options.keep_event_log) {}

  RunResult Execute();

 private:
  bool StartJobs();
  void OnJobDone();
  void Finish(const std::string& error);
  void ScheduleGuards();
  void SampleCounters();
  void SampleThermal();
  void AddMultipathCounters();
  static constexpr size_t kMaxSlices = 1'000'000;

  const ScenarioSpec& scenario_;
  RunOptions options_;
  RunResult result_;
  TraceHasher hasher_;
  std::unique_ptr<SimSystem> system_;
  std::unique_ptr<FaultInjector> injector_;
  std::unique_ptr<driver::multipath::MultipathManager>
      multipath_;                                               // [advanced_nvme] multipath_enabled
  std::map<std::string, std::unique_ptr<DataOracle>> oracles_;  // by namespace name
  std::map<std::string, std::vector<JobRunner*>> peers_;        // job instances by namespace
  std::vector<std::unique_ptr<JobRunner>> jobs_;
  size_t jobs_running_ = 0;
  uint64_t write_generation_ = 0;
  uint64_t submitted_ = 0;
  bool finished_ = false;
  // Host wall time at the start (see HostNow: guard and report only).
  HostClock::time_point wall_start_;
  uint64_t wall_limit_ms_ = 0;
};

// How long before an injected wear-out failure predictive maintenance warned,
// in the model's power-on hours: "<ctrl>.maintenance.lead_hours" (-1 when it
// never warned), beside the configured margin.
void AddMaintenanceLead(const ScenarioSpec& scenario, const driver::advanced::AdvancedOptions& a,
                        std::map<std::string, double>& c) {
  for (const ControllerSpec& ctrl : scenario.controllers) {
    const std::string p = ctrl.name + ".";
    auto failure = c.find(p + "wear_out.failure_s");
    auto warning = c.find(p + "maintenance.warning_s");
    if (warning == c.end()) continue;
    c[p + "maintenance.margin_hours"] = a.optimizer_settings.maintenance_config.warn_margin_hours;
    if (failure == c.end()) continue;
    c[p + "maintenance.lead_hours"] =
        warning->second < 0 ? -1
                            : (failure->second - warning->second) * a.maintenance_hours_per_second;
  }
}

RunResult Run::Execute() {
  wall_start_ = HostNow();  // host time: guard and report only
  result_.scenario = scenario_.info.name;
  result_.path = scenario_.path;
  result_.seed = options_.seed.value_or(scenario_.info.seed);
  result_.fidelity = options_.fidelity.value_or(scenario_.info.fidelity);
  wall_limit_ms_ = scenario_.info.wall_time_limit_ms;

  SystemBuild build = BuildSystemSpec(scenario_, result_.fidelity);
  if (!build.ok()) {
    for (const auto& e : build.errors) result_.error += (result_.error.empty() ? "" : "\n") + e;
    result_.refused = true;
    return result_;
  }
  for (auto& c : build.spec.controllers) c.link.seed = result_.seed;
  build.spec.trace = &hasher_;
  build.spec.echo = options_.log;
  try {
    const auto build_start = HostNow();  // host time: report only
    system_ = std::make_unique<SimSystem>(build.spec);
    result_.elaboration_seconds = std::chrono::duration<double>(HostNow() - build_start).count();
  } catch (const std::exception& e) {
    result_.error = scenario_.path + ": cannot build the system: " + e.what();
    result_.refused = true;
    return result_;
  }
  injector_ = std::make_unique<FaultInjector>(scenario_, *system_, oracles_, &result_.faults);
  injector_->ApplyInitialAnaStates();

  system_->Boot([this](spec::Status s) {
    if (!s.ok()) {
      Finish("driver bring-up failed: " + s.ToString());
      return;
    }
    result_.booted = true;
    auto start = [this] {
      if (!StartJobs()) return;
      injector_->Schedule(
          [this] { return CollectCounters(*system_, scenario_, jobs_, submitted_); });
      ScheduleGuards();
      // The temperature curve of every controller that has a thermal model
      // (from the scenario's [thermal] or its own `thermal` table).
      bool any_thermal = false;
      for (size_t i = 0; i < system_->controller_count(); ++i) {
        any_thermal = any_thermal || system_->thermal(i) != nullptr;
      }
      if (any_thermal) SampleThermal();
    };
    const driver::AdvancedNvmeConfig& cfg = system_->spec().driver.config;
    if (!cfg.multipath_enabled || system_->controller_count() < 2) {
      start();
      return;
    }
    // One multipath namespace per shared namespace, over every controller's path.
    multipath_ = std::make_unique<driver::multipath::MultipathManager>(
        system_->clock(), driver::multipath::OptionsFromConfig(cfg));
    for (size_t i = 0; i < system_->controller_count(); ++i) {
      multipath_->AddController({system_->driver(i), scenario_.controllers[i].name, "", 0});
    }
    multipath_->Discover([this, start](spec::Status d) {
      if (!d.ok()) {
        Finish("multipath discovery failed: " + d.ToString());
        return;
      }
      start();
    });
  });

  sc_core::sc_start(sc_time::from_value(scenario_.info.time_limit_ps));
  result_.simulated_ps = NowPs();
  if (!finished_) {
    result_.time_limit_hit = true;
    if (result_.error.empty()) {
      result_.error = "simulated time limit of " +
                      std::to_string(scenario_.info.time_limit_ps / 1'000'000'000) +
                      " ms reached before the workload ended";
    }
  }

  for (auto& j : jobs_) result_.jobs.push_back(j->record());
  result_.counters = CollectCounters(*system_, scenario_, jobs_, submitted_);
  for (const auto& [k, v] : injector_->counters()) result_.counters[k] = v;
  if (multipath_) AddMultipathCounters();
  AddMaintenanceLead(scenario_, system_->spec().advanced, result_.counters);
  result_.states = CollectStates(*system_, scenario_);
  result_.expectations = EvaluateExpectations(scenario_, result_);
  result_.trace_hash = hasher_.Hash();
  result_.trace_hash_hex = hasher_.HexHash();
  result_.trace_events = hasher_.event_count();
  if (options_.keep_event_log) result_.event_log = hasher_.log();
  result_.wall_seconds = std::chrono::duration<double>(HostNow() - wall_start_).count();
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    result_.peak_rss_bytes = static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // Linux: KiB
  }
  bool all_held = true;
  for (const auto& e : result_.expectations) all_held &= e.outcome == ExpectationOutcome::kPassed;
  result_.passed = result_.booted && result_.error.empty() && all_held;
  return std::move(result_);
}

bool Run::StartJobs() {
  // One data oracle per namespace that a job touches.
  for (size_t ji = 0; ji < scenario_.jobs.size(); ++ji) {
    const JobSpec& job = scenario_.jobs[ji];
    JobTargetInfo t = ResolveJobTarget(scenario_, *system_, job);
    if (!t.error.empty()) {
      Finish(job.file + ":" + std::to_string(job.line) + ": job " + job.name + ": " + t.error);
      return false;
    }
    if (multipath_) {
      const NamespaceSpec* ns = scenario_.FindNamespace(t.namespace_name);
      const SubsystemSpec* sub = ns ? scenario_.FindSubsystem(ns->subsystem) : nullptr;
      driver::multipath::MultipathNamespace* mpns =
          ns && sub ? multipath_->Find(ns->nsid, sub->nqn) : nullptr;
      if (mpns != nullptr && mpns->path_count() > 1) {
        t.target.controller = nullptr;
        t.target.submit = [mpns](const driver::BlockRequest& r, driver::BlockCallback cb) {
          return mpns->Submit(r, std::move(cb));
        };
      }
    }
    auto& oracle = oracles_[t.namespace_name];
    if (!oracle) oracle = std::make_unique<DataOracle>(t.target.geometry.lba_size);
    t.target.oracle = oracle.get();
    const uint32_t instances = std::max<uint32_t>(1, job.numjobs);
    for (uint32_t inst = 0; inst < instances; ++inst) {
      JobTarget target = t.target;
      target.queue = static_cast<uint16_t>(jobs_.size());
      target.peers = &peers_[t.namespace_name];
      const uint64_t seed =
          job.randseed ? MixSeed(*job.randseed, 0, inst) : MixSeed(result_.seed, ji, inst);
      try {
        jobs_.push_back(std::make_unique<JobRunner>(job, inst, target, system_->dma(),
                                                    system_->clock(), seed, &write_generation_));
        peers_[t.namespace_name].push_back(jobs_.back().get());
      } catch (const std::exception& e) {
        Finish(job.file + ":" + std::to_string(job.line) + ": job " + job.name + ": " + e.what());
        return false;
      }
    }
  }
  if (jobs_.empty()) {
    Finish("");
    return false;
  }
  jobs_running_ = jobs_.size();
  for (auto& j : jobs_) {
    JobRunner* runner = j.get();
    j->SetHooks(
        [this] { injector_->OnSubmitted(++submitted_); },
        [this, runner](const CompletionEvent& e) {
          injector_->OnCompleted(e);
          // Peers waiting on an overlap with this request may go now (from
          // their own task, not from inside this completion).
          for (JobRunner* peer : *runner->peers()) {
            if (peer != runner && peer->waiting_on_overlap()) {
              system_->cpu().Post(sc_core::SC_ZERO_TIME, [peer] { peer->Kick(); });
            }
          }
          if (options_.keep_event_log && result_.slices.size() < kMaxSlices) {
            result_.slices.push_back({runner->record().name, runner->record().instance, e.op, e.lba,
                                      e.nlb, e.submit_ns * 1000, e.complete_ns * 1000,
                                      e.status.ok() ? "" : e.status.ToString()});
          }
        });
  }
  for (auto& j : jobs_) {
    JobRunner* runner = j.get();
    system_->cpu().Post(sc_time::from_value(runner->job().startdelay_ps),
                        [this, runner] { runner->Start([this] { OnJobDone(); }); });
  }
  return true;
}

void Run::SampleCounters() {
  const uint64_t now = NowPs();
  for (size_t i = 0; i < system_->controller_count() && i < scenario_.controllers.size(); ++i) {
    const std::string& name = scenario_.controllers[i].name;
    result_.samples.push_back(
        {name + ".temperature_c", now,
         static_cast<double>(system_->device(i).health().temperature_kelvin) - 273.15});
    for (auto dir : {pcie::Direction::kDownstream, pcie::Direction::kUpstream}) {
      const auto& lc = system_->link(i).counters(dir);
      result_.samples.push_back({name + ".link." + pcie::DirectionName(dir) + ".payload_bytes", now,
                                 static_cast<double>(lc.payload_bytes)});
    }
  }
  uint64_t in_flight = 0;
  for (auto& j : jobs_) in_flight += j->in_flight();
  result_.samples.push_back({"host.requests_in_flight", now, static_cast<double>(in_flight)});
}

// mpath.<namespace>.* and mpath.<namespace>.<controller>.* for every
// multipath namespace and its paths.
void Run::AddMultipathCounters() {
  std::map<std::string, double>& c = result_.counters;
  for (driver::multipath::MultipathNamespace* ns : multipath_->all()) {
    const std::string p = "mpath." + ns->name() + ".";
    const driver::multipath::NamespaceCounters& n = ns->counters();
    c[p + "completed"] = static_cast<double>(n.completed);
    c[p + "failed"] = static_cast<double>(n.failed);
    c[p + "failovers"] = static_cast<double>(n.failovers);
    c[p + "waited"] = static_cast<double>(n.waited);
    c[p + "paths"] = ns->path_count();
    for (int i = 0; i < ns->path_count(); ++i) {
      const driver::multipath::MultipathNamespace::PathView& v = ns->path(i);
      const std::string q = p + v.desc.name + ".";
      c[q + "completed_ok"] = static_cast<double>(v.counters.completed_ok);
      c[q + "down_events"] = static_cast<double>(v.counters.down_events);
      c[q + "up_events"] = static_cast<double>(v.counters.up_events);
      c[q + "usable"] = v.usable() ? 1 : 0;
    }
  }
}

void Run::SampleThermal() {
  // The temperature curve: read-only sampling of each thermal model (no
  // Tick, so the models advance exactly as without sampling).
  if (finished_) return;
  const uint64_t now = NowPs();
  double written = 0;
  for (auto& j : jobs_)
    written += static_cast<double>(j->record().stats.direction(IoDirection::kWrite).bytes);
  if (result_.thermal.empty()) {
    for (size_t i = 0; i < system_->controller_count() && i < scenario_.controllers.size(); ++i) {
      if (system_->thermal(i)) result_.thermal.push_back({scenario_.controllers[i].name, {}});
    }
  }
  size_t k = 0;
  for (size_t i = 0; i < system_->controller_count() && k < result_.thermal.size(); ++i) {
    device::thermal::ThermalModel* tm = system_->thermal(i);
    if (tm == nullptr) continue;
    ThermalPoint p;
    p.time_ps = now;
    p.kelvin = tm->temperature_kelvin();
    p.throttle = static_cast<uint32_t>(tm->throttle_level());
    p.power_state = tm->power_state();
    p.written_bytes = written;
    if (driver::advanced::AdvancedFeatures* a = system_->advanced(i))
      p.deferred = a->stats().deferred;
    if (options_.keep_event_log) {
      const std::string& name = result_.thermal[k].controller;
      result_.samples.push_back({name + ".thermal_kelvin", now, p.kelvin});
      result_.samples.push_back({name + ".throttle_level", now, static_cast<double>(p.throttle)});
    }
    result_.thermal[k++].points.push_back(p);
  }
  system_->cpu().Post(sc_time::from_value(scenario_.thermal.sample_interval_ps),
                      [this] { SampleThermal(); });
}

void Run::OnJobDone() {
  if (--jobs_running_ == 0) Finish("");
}

void Run::Finish(const std::string& error) {
  if (finished_) return;
  finished_ = true;
  if (!error.empty() && result_.error.empty()) result_.error = error;
  result_.simulated_ps = NowPs();
  injector_->Stop();
  system_->cpu().Halt();
  sc_core::sc_stop();
}

void Run::ScheduleGuards() {
  // Wall-clock guard and progress line: checked every 100 us of simulated time. The wall
  // clock only ever stops a run; it never changes what the run does before that.
  const sc_time period(100, sc_core::SC_US);
  auto tick = std::make_shared<std::function<void()>>();
  // Host time of the last progress line (report only, see HostNow).
  auto last_progress = std::make_shared<HostClock::time_point>(wall_start_);
  *tick = [this, period, tick, last_progress] {
    if (finished_) return;
    const auto now = HostNow();
    const auto elapsed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - wall_start_).count();
    if (wall_limit_ms_ != 0 && static_cast<uint64_t>(elapsed_ms) > wall_limit_ms_) {
      result_.wall_limit_hit = true;
      Finish("wall-time limit of " + std::to_string(wall_limit_ms_ / 1000) + " s reached");
      return;
    }
    if (options_.keep_event_log) SampleCounters();
    if (options_.progress && now - *last_progress > std::chrono::seconds(2)) {
      *last_progress = now;
      uint64_t done = 0;
      for (auto& j : jobs_) done += j->record().completed;
      std::fprintf(options_.progress, "  ... %.3f ms simulated, %llu I/Os completed\n",
                   static_cast<double>(NowPs()) / 1e9, static_cast<unsigned long long>(done));
      std::fflush(options_.progress);
    }
    system_->cpu().Post(period, *tick);
  };
  system_->cpu().Post(period, *tick);
}

}  // namespace

RunResult RunScenario(const ScenarioSpec& scenario, const RunOptions& options) {
  Run run(scenario, options);
  return run.Execute();
}

}  // namespace nvmesim::harness
