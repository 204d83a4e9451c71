#include "harness/runner/fault_injector.h"

#include <algorithm>
#include <cmath>

#include "harness/faults/fault_spec.h"

namespace nvmesim::harness {

namespace {
using sc_core::sc_time;
uint64_t NowPs() { return static_cast<uint64_t>(sc_core::sc_time_stamp().value()); }

device::AnaState AnaFromName(const std::string& s) {
  if (s == "optimized") return device::AnaState::kOptimized;
  if (s == "non_optimized") return device::AnaState::kNonOptimized;
  if (s == "inaccessible") return device::AnaState::kInaccessible;
  if (s == "persistent_loss") return device::AnaState::kPersistentLoss;
  return device::AnaState::kChange;
}

sc_time PollPeriod() { return sc_time(10, sc_core::SC_US); }
}  // namespace

FaultInjector::FaultInjector(const ScenarioSpec& scenario, SimSystem& system,
                             std::map<std::string, std::unique_ptr<DataOracle>>& oracles,
                             std::vector<FaultRecord>* records)
    : scenario_(scenario), system_(system), oracles_(oracles), records_(records) {
  started_.assign(scenario.faults.size(), false);
  ended_.assign(scenario.faults.size(), false);
  records_->resize(scenario.faults.size());
  for (size_t i = 0; i < scenario.faults.size(); ++i) {
    (*records_)[i].name = scenario.faults[i].name;
    (*records_)[i].description = DescribeFault(scenario.faults[i]);
  }
}

int FaultInjector::SubsystemIndex(const std::string& name) const {
  for (size_t i = 0; i < scenario_.subsystems.size(); ++i) {
    if (scenario_.subsystems[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

void FaultInjector::ApplyInitialAnaStates() {
  for (size_t si = 0; si < scenario_.subsystems.size(); ++si) {
    for (const AnaGroupSpec& g : scenario_.subsystems[si].ana_groups) {
      for (size_t ci = 0; ci < scenario_.controllers.size(); ++ci) {
        const ControllerSpec& c = scenario_.controllers[ci];
        if (c.subsystem != scenario_.subsystems[si].name) continue;
        auto it = g.controller_states.find(c.name);
        const AnaStateSpec st = it != g.controller_states.end() ? it->second : g.state;
        system_.subsystem(si).SetAnaState(g.id, c.cntlid, static_cast<device::AnaState>(st));
      }
    }
  }
}

int FaultInjector::TargetController(const FaultSpec& fault) const {
  if (fault.target.empty()) return scenario_.controllers.size() == 1 ? 0 : -1;
  for (size_t i = 0; i < scenario_.controllers.size(); ++i) {
    if (scenario_.controllers[i].name == fault.target) return static_cast<int>(i);
  }
  return -1;
}

const NamespaceSpec* FaultInjector::TargetNamespace(const FaultSpec& fault) const {
  if (fault.target.empty())
    return scenario_.namespaces.size() == 1 ? &scenario_.namespaces[0] : nullptr;
  return scenario_.FindNamespace(fault.target);
}

void FaultInjector::Schedule(CounterSource counters) {
  counters_ = std::move(counters);
  for (size_t i = 0; i < scenario_.faults.size(); ++i) {
    const FaultSpec& f = scenario_.faults[i];
    switch (f.trigger.kind) {
      case TriggerKind::kAtTime: {
        const uint64_t now = NowPs();
        const uint64_t at = std::max(now, f.trigger.at_ps);
        system_.cpu().Post(sc_time::from_value(at - now), [this, i] { Start(i); });
        break;
      }
      case TriggerKind::kAfterCommands:
        if (f.trigger.after_commands == 0)
          system_.cpu().Post(sc_core::SC_ZERO_TIME, [this, i] { Start(i); });
        break;
      case TriggerKind::kOnCondition:
        polling_ = true;
        break;
    }
    if (f.until) polling_ = true;
  }
  if (polling_) system_.cpu().Post(PollPeriod(), [this] { Poll(); });
}

void FaultInjector::Poll() {
  if (stopped_) return;
  bool pending = false;
  std::map<std::string, double> c = counters_();
  auto value = [&](const std::string& name, double* out) {
    auto it = c.find(name);
    if (it == c.end()) return false;
    *out = it->second;
    return true;
  };
  for (size_t i = 0; i < scenario_.faults.size(); ++i) {
    const FaultSpec& f = scenario_.faults[i];
    double v = 0;
    if (!started_[i] && f.trigger.kind == TriggerKind::kOnCondition) {
      if (value(f.trigger.condition.counter, &v) && f.trigger.condition.Holds(v))
        Start(i);
      else
        pending = true;
    }
    if (started_[i] && !ended_[i] && f.until) {
      if (value(f.until->counter, &v) && f.until->Holds(v))
        End(i);
      else
        pending = true;
    }
    if (!started_[i] && f.until) pending = true;
  }
  if (pending) system_.cpu().Post(PollPeriod(), [this] { Poll(); });
}

void FaultInjector::OnSubmitted(uint64_t total) {
  for (size_t i = 0; i < scenario_.faults.size(); ++i) {
    const FaultSpec& f = scenario_.faults[i];
    if (!started_[i] && f.trigger.kind == TriggerKind::kAfterCommands &&
        total == f.trigger.after_commands) {
      system_.cpu().Post(sc_core::SC_ZERO_TIME, [this, i] { Start(i); });
    }
  }
}

void FaultInjector::OnCompleted(const CompletionEvent& e) {
  const uint64_t submit_ps = e.submit_ns * 1000, complete_ps = e.complete_ns * 1000;
  for (size_t i = 0; i < records_->size(); ++i) {
    FaultRecord& r = (*records_)[i];
    if (!r.applied) continue;
    const uint64_t window_end = r.end_ps.value_or(r.start_ps);
    // Caught: in flight when the fault started, or submitted while it lasted.
    if (submit_ps <= window_end && complete_ps >= r.start_ps) {
      ++r.caught_requests;
      r.drained_ps = std::max(r.drained_ps, complete_ps);
    }
    if (e.status.ok() && complete_ps >= std::max(r.drained_ps, r.start_ps)) r.recovered = true;
  }
}

void FaultInjector::Start(size_t i) {
  if (stopped_ || started_[i]) return;
  started_[i] = true;
  FaultRecord& r = (*records_)[i];
  r.start_ps = NowPs();
  r.drained_ps = r.start_ps;
  r.error = Apply(scenario_.faults[i], true);
  r.applied = r.error.empty();
  if (r.applied && scenario_.faults[i].duration_ps) {
    system_.cpu().Post(sc_time::from_value(*scenario_.faults[i].duration_ps),
                       [this, i] { End(i); });
  }
}

void FaultInjector::End(size_t i) {
  if (ended_[i] || !started_[i]) return;
  ended_[i] = true;
  FaultRecord& r = (*records_)[i];
  r.end_ps = NowPs();
  if (r.applied) {
    const std::string e = Apply(scenario_.faults[i], false);
    if (!e.empty() && r.error.empty()) r.error = "ending: " + e;
  }
}

void FaultInjector::WearStep(size_t ci, double spare_per_s, double wear_per_s, uint64_t step_ps,
                             double spare, double used) {
  if (stopped_) return;
  device::Health& h = system_.device(ci).health();
  const double dt = static_cast<double>(step_ps) / 1e12;
  spare = std::max(0.0, spare - spare_per_s * dt);
  used = std::min(255.0, used + wear_per_s * dt);  // Percentage Used may exceed 100 (Figure 207)
  h.available_spare = static_cast<uint8_t>(std::ceil(spare));
  h.percentage_used = static_cast<uint8_t>(std::floor(used));
  if (spec::TraceSink* trace = system_.spec().trace) {
    // Each step is a hop of the run: runs that wear differently hash differently.
    spec::TraceEvent e;
    e.time_ps = NowPs();
    e.source = scenario_.controllers[ci].name.c_str();
    e.name = "wear_out_step";
    e.a = h.available_spare;
    e.b = h.percentage_used;
    trace->Emit(e);
  }
  if (h.available_spare <= h.spare_threshold) {
    // Available Spare below its threshold: critical warning bit 0 (Figure 207).
    h.critical_warning |= 1u;
    fault_counters_[scenario_.controllers[ci].name + ".wear_out.failure_s"] =
        static_cast<double>(NowPs()) / 1e12;
    return;
  }
  system_.cpu().Post(sc_time::from_value(step_ps),
                     [this, ci, spare_per_s, wear_per_s, step_ps, spare, used] {
                       WearStep(ci, spare_per_s, wear_per_s, step_ps, spare, used);
                     });
}

// Hotplug: the link of controller ci is up again. A driver that declared
// the controller removed brings it up again after the settle time, as a
// hotplug-capable host does once the Data Link Layer is active.
void FaultInjector::ReprobeAfterLinkUp(size_t ci) {
  const DriverOptionsSpec& d = scenario_.driver;
  if (!d.reprobe_on_link_up.value_or(true)) return;
  const uint64_t delay_ps = d.reprobe_delay_ps.value_or(kLinkSettlePs);
  system_.cpu().Post(sc_time::from_value(delay_ps), [this, ci] {
    driver::Controller* c = system_.driver(ci);
    if (stopped_ || c == nullptr || c->state() != driver::ControllerState::kRemoved) return;
    c->Reprobe(nullptr);  // outcome: the controller's state, counters and log
  });
}

std::string FaultInjector::Apply(const FaultSpec& f, bool start) {
  const int ci = TargetController(f);
  auto need_controller = [&]() -> std::string {
    return ci < 0 ? "target `" + f.target + "` is not a controller of this scenario" : "";
  };
  switch (f.kind) {
    case FaultKind::kLinkDown:
    case FaultKind::kSurpriseRemoval:
      if (auto e = need_controller(); !e.empty()) return e;
      system_.link(static_cast<size_t>(ci)).SetLinkDown(start);
      if (!start) ReprobeAfterLinkUp(static_cast<size_t>(ci));
      return "";
    case FaultKind::kLinkUp:
      if (auto e = need_controller(); !e.empty()) return e;
      system_.link(static_cast<size_t>(ci)).SetLinkDown(false);
      ReprobeAfterLinkUp(static_cast<size_t>(ci));
      return "";
    case FaultKind::kLinkRetrain: {
      if (auto e = need_controller(); !e.empty()) return e;
      if (!start) return "";
      return system_.link(static_cast<size_t>(ci))
          .Retrain(static_cast<unsigned>(f.Int("generation")),
                   static_cast<unsigned>(f.Int("width")));
    }
    case FaultKind::kLcrcErrorRate:
      if (auto e = need_controller(); !e.empty()) return e;
      return system_.link(static_cast<size_t>(ci)).SetLcrcErrorRate(start ? f.Real("rate") : 0.0);
    case FaultKind::kControllerFatal:
      if (auto e = need_controller(); !e.empty()) return e;
      if (start) system_.device(static_cast<size_t>(ci)).InjectFatal();
      return "";
    case FaultKind::kControllerHang: {
      if (auto e = need_controller(); !e.empty()) return e;
      device::NvmeController& d = system_.device(static_cast<size_t>(ci));
      for (uint32_t q = 0; q <= d.config().max_io_queues; ++q)
        d.HangQueue(static_cast<uint16_t>(q), start);
      return "";
    }
    case FaultKind::kDropCompletion:
    case FaultKind::kDelayCompletion:
    case FaultKind::kDuplicateCompletion:
    case FaultKind::kCorruptCompletion: {
      if (auto e = need_controller(); !e.empty()) return e;
      if (!start) return "";
      device::FaultHooks& h = system_.device(static_cast<size_t>(ci)).faults();
      const uint32_t q =
          f.Has("queue") ? static_cast<uint32_t>(f.Int("queue")) : device::FaultHooks::kAnyQueue;
      const uint32_t count = static_cast<uint32_t>(f.Int("count", 1));
      switch (f.kind) {
        case FaultKind::kDropCompletion:
          h.DropCompletion(q, device::FaultHooks::kAnyCid, count);
          break;
        case FaultKind::kDuplicateCompletion:
          h.DuplicateCompletion(q, device::FaultHooks::kAnyCid, count);
          break;
        case FaultKind::kCorruptCompletion:
          h.CorruptCompletion(q, device::FaultHooks::kAnyCid, count);
          break;
        default:
          h.DelayCompletion(f.DurationPs("delay"), q, device::FaultHooks::kAnyCid, count);
          break;
      }
      return "";
    }
    case FaultKind::kMediaError: {
      const NamespaceSpec* ns = TargetNamespace(f);
      if (ns == nullptr) return "target `" + f.target + "` is not a namespace of this scenario";
      for (size_t i = 0; i < scenario_.controllers.size(); ++i) {
        if (scenario_.controllers[i].subsystem != ns->subsystem) continue;
        // The error lives in the shared namespace: injecting through one controller is enough.
        if (start)
          system_.device(i).InjectMediaError(ns->nsid, static_cast<uint64_t>(f.Int("lba")),
                                             static_cast<uint64_t>(f.Int("lba_count", 1)));
        else
          system_.device(i).InjectMediaError(ns->nsid, 0, 0);
        return "";
      }
      return "namespace " + ns->name + " has no controller";
    }
    case FaultKind::kPowerLoss: {
      if (!start) return "";
      const int si =
          f.target.empty() ? (scenario_.subsystems.size() == 1 ? 0 : -1) : SubsystemIndex(f.target);
      if (si < 0) return "target `" + f.target + "` is not a subsystem of this scenario";
      for (size_t i = 0; i < scenario_.controllers.size(); ++i) {
        if (scenario_.controllers[i].subsystem ==
            scenario_.subsystems[static_cast<size_t>(si)].name) {
          system_.device(i).InjectPowerLoss();
        }
      }
      for (const NamespaceSpec& ns : scenario_.namespaces) {
        if (ns.subsystem != scenario_.subsystems[static_cast<size_t>(si)].name) continue;
        if (auto it = oracles_.find(ns.name); it != oracles_.end()) it->second->PowerLoss();
      }
      return "";
    }
    case FaultKind::kAnaStateChange: {
      if (auto e = need_controller(); !e.empty()) return e;
      const ControllerSpec& c = scenario_.controllers[static_cast<size_t>(ci)];
      device::Subsystem& sub = system_.subsystem(static_cast<size_t>(SubsystemIndex(c.subsystem)));
      const uint32_t group = static_cast<uint32_t>(f.Int("group"));
      if (start) {
        saved_ana_[&f] = sub.GetAnaState(group, c.cntlid);  // the end restores it
        sub.SetAnaState(group, c.cntlid, AnaFromName(f.Text("state")));
      } else if (auto it = saved_ana_.find(&f); it != saved_ana_.end()) {
        sub.SetAnaState(group, c.cntlid, it->second);
      }
      return "";
    }
    case FaultKind::kNamespaceHotRemove:
    case FaultKind::kNamespaceAttach: {
      if (!start && f.kind == FaultKind::kNamespaceAttach) return "";
      // A hot remove ends by attaching the namespace again.
      const bool detach = f.kind == FaultKind::kNamespaceHotRemove && start;
      const NamespaceSpec* ns = TargetNamespace(f);
      if (ns == nullptr) return "target `" + f.target + "` is not a namespace of this scenario";
      const int si = SubsystemIndex(ns->subsystem);
      const std::string only = f.Text("controller");
      for (const ControllerSpec& c : scenario_.controllers) {
        if (c.subsystem != ns->subsystem || (!only.empty() && c.name != only)) continue;
        device::Subsystem& sub = system_.subsystem(static_cast<size_t>(si));
        const spec::Status s =
            detach ? sub.Detach(ns->nsid, c.cntlid) : sub.Attach(ns->nsid, c.cntlid);
        if (!s.ok()) return "namespace " + ns->name + " on " + c.name + ": " + s.ToString();
      }
      return "";
    }
    case FaultKind::kZoneReadOnly:
    case FaultKind::kZoneOffline: {
      if (!start) return "";
      const NamespaceSpec* ns = TargetNamespace(f);
      if (ns == nullptr) return "target `" + f.target + "` is not a namespace of this scenario";
      device::zns::ZnsCommandSet* zns =
          system_.zns(static_cast<size_t>(SubsystemIndex(ns->subsystem)));
      if (zns == nullptr) return "namespace " + ns->name + " is not zoned";
      const spec::Status st = zns->InjectZoneFault(ns->nsid, static_cast<uint32_t>(f.Int("zone")),
                                                   f.kind == FaultKind::kZoneReadOnly
                                                       ? device::zns::ZoneFault::kReadOnly
                                                       : device::zns::ZoneFault::kOffline);
      return st.ok() ? "" : "zone " + std::to_string(f.Int("zone")) + ": " + st.ToString();
    }
    case FaultKind::kWearOut: {
      if (auto e = need_controller(); !e.empty()) return e;
      if (!start) return "";
      const device::Health& h = system_.device(static_cast<size_t>(ci)).health();
      const uint64_t step = f.DurationPs("step");
      if (step == 0) return "step must be above zero";
      fault_counters_[scenario_.controllers[static_cast<size_t>(ci)].name + ".wear_out.start_s"] =
          static_cast<double>(NowPs()) / 1e12;
      WearStep(static_cast<size_t>(ci), f.Real("spare_per_second"), f.Real("wear_per_second"), step,
               h.available_spare, h.percentage_used);
      return "";
    }
    case FaultKind::kTemperatureExcursion: {
      if (auto e = need_controller(); !e.empty()) return e;
      const double kelvin = f.Real("temperature") + 273.15;
      system_.device(static_cast<size_t>(ci))
          .SetTemperatureOverride(start, static_cast<uint16_t>(std::clamp(kelvin, 0.0, 65535.0)));
      return "";
    }
  }
  return "unknown fault kind";
}

}  // namespace nvmesim::harness
