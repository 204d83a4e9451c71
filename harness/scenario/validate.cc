// Validate: the cross-references of a parsed scenario, reported all at once in file order.
#include <algorithm>
#include <set>

#include "harness/scenario/scenario_spec.h"
#include "harness/scenario/thermal_section.h"
#include "harness/scenario/units.h"
#include "harness/workload/io_generator.h"

namespace nvmesim::harness {
namespace {

class Checker {
 public:
  explicit Checker(const ScenarioSpec& s) : s_(s) {}

  std::vector<Diagnostic> Run() {
    Unique(s_.hosts, "host");
    Unique(s_.subsystems, "subsystem");
    Unique(s_.controllers, "controller");
    Unique(s_.namespaces, "namespace");
    Unique(s_.jobs, "job");
    Unique(s_.faults, "fault");
    Unique(s_.expectations, "expect");
    Subsystems();
    Controllers();
    Namespaces();
    Jobs();
    Faults();
    Expectations();
    std::stable_sort(out_.begin(), out_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
    return std::move(out_);
  }

 private:
  void Add(int line, const std::string& key, const std::string& message) {
    Diagnostic d;
    d.file = s_.path;
    d.line = line;
    d.key = key;
    d.message = message;
    out_.push_back(std::move(d));
  }

  static std::string Key(const char* section, size_t i, const char* key) {
    return std::string(section) + "[" + std::to_string(i) + "]" + (key[0] ? "." : "") + key;
  }

  template <typename T>
  void Unique(const std::vector<T>& v, const char* section) {
    std::set<std::string> seen;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!seen.insert(v[i].name).second) {
        Add(v[i].line, Key(section, i, "name"), "name \"" + v[i].name + "\" is used twice");
      }
    }
  }

  void Subsystems() {
    for (size_t i = 0; i < s_.subsystems.size(); ++i) {
      const SubsystemSpec& sub = s_.subsystems[i];
      for (size_t j = 0; j < i; ++j) {
        if (s_.subsystems[j].nqn == sub.nqn) {
          Add(sub.line, Key("subsystem", i, "nqn"),
              "NQN \"" + sub.nqn + "\" is used by subsystem \"" + s_.subsystems[j].name + "\" too");
        }
      }
      for (const AnaGroupSpec& g : sub.ana_groups) {
        for (const auto& [ctrl, state] : g.controller_states) {
          const ControllerSpec* c = s_.FindController(ctrl);
          if (c == nullptr || c->subsystem != sub.name) {
            Add(g.line, Key("subsystem", i, "ana_group.controllers"),
                "\"" + ctrl + "\" is not a controller of subsystem \"" + sub.name + "\"");
          }
        }
      }
    }
  }

  void Controllers() {
    std::set<std::pair<std::string, uint16_t>> cntlids;
    for (size_t i = 0; i < s_.controllers.size(); ++i) {
      const ControllerSpec& c = s_.controllers[i];
      if (s_.FindSubsystem(c.subsystem) == nullptr) {
        Add(c.line, Key("controller", i, "subsystem"),
            "no subsystem named \"" + c.subsystem + "\"");
      }
      if (s_.FindHost(c.host) == nullptr) {
        Add(c.line, Key("controller", i, "host"), "no host named \"" + c.host + "\"");
      }
      if (!cntlids.insert({c.subsystem, c.cntlid}).second) {
        Add(c.line, Key("controller", i, "cntlid"),
            "controller ID " + std::to_string(c.cntlid) + " is used twice in subsystem \"" +
                c.subsystem + "\" (CNTLID is unique within an NVM subsystem)");
      }
      // The thermal levels may each be valid and still disagree once combined.
      if (std::optional<ThermalSectionSpec> t = EffectiveThermal(s_, c)) {
        if (std::string e = CheckThermalCombination(*t); !e.empty()) {
          const size_t colon = e.find(':');
          Add(c.line, Key("controller", i, "thermal.") + e.substr(0, colon),
              e.substr(colon + 2) + " (profile, scenario and controller thermal tables combined)");
        }
      }
    }
  }

  void Namespaces() {
    std::set<std::pair<std::string, uint32_t>> nsids;
    for (size_t i = 0; i < s_.namespaces.size(); ++i) {
      const NamespaceSpec& n = s_.namespaces[i];
      const SubsystemSpec* sub = s_.FindSubsystem(n.subsystem);
      if (sub == nullptr) {
        Add(n.line, Key("namespace", i, "subsystem"), "no subsystem named \"" + n.subsystem + "\"");
      }
      if (!nsids.insert({n.subsystem, n.nsid}).second) {
        Add(n.line, Key("namespace", i, "nsid"),
            "NSID " + std::to_string(n.nsid) + " is used twice in subsystem \"" + n.subsystem +
                "\"");
      }
      for (const std::string& ctrl : n.controllers) {
        const ControllerSpec* c = s_.FindController(ctrl);
        if (c == nullptr) {
          Add(n.line, Key("namespace", i, "controllers"), "no controller named \"" + ctrl + "\"");
        } else if (c->subsystem != n.subsystem) {
          Add(n.line, Key("namespace", i, "controllers"),
              "controller \"" + ctrl + "\" belongs to subsystem \"" + c->subsystem +
                  "\", not to the namespace's subsystem \"" + n.subsystem + "\"");
        }
      }
      if (n.ana_group != 0 && sub != nullptr) {
        bool found = false;
        for (const AnaGroupSpec& g : sub->ana_groups) found = found || g.id == n.ana_group;
        if (!found) {
          Add(n.line, Key("namespace", i, "ana_group"),
              "subsystem \"" + n.subsystem + "\" has no ANA group " + std::to_string(n.ana_group));
        }
      }
    }
  }

  void Jobs() {
    for (size_t i = 0; i < s_.jobs.size(); ++i) {
      const JobSpec& j = s_.jobs[i];
      const int line = j.scenario_line;
      std::string key = "job \"" + j.name + "\"";
      if (s_.FindHost(j.host) == nullptr)
        Add(line, key + ".host", "no host named \"" + j.host + "\"");
      const NamespaceSpec* n = s_.FindNamespace(j.target_namespace);
      if (n == nullptr) {
        Add(line, key + ".namespace", "no namespace named \"" + j.target_namespace + "\"");
        continue;
      }
      bool reachable = false;
      for (const std::string& ctrl : n->controllers) {
        const ControllerSpec* c = s_.FindController(ctrl);
        reachable = reachable || (c != nullptr && c->host == j.host);
      }
      if (!reachable) {
        Add(line, key + ".namespace",
            "namespace \"" + n->name + "\" is not attached to any controller of host \"" + j.host +
                "\"");
      }
      std::string e = IoGenerator::Check(j, GeometryOf(*n));
      if (!e.empty()) Add(line, key, e + " (namespace \"" + n->name + "\")");
    }
  }

  void Faults() {
    for (size_t i = 0; i < s_.faults.size(); ++i) {
      const FaultSpec& f = s_.faults[i];
      const FaultKindInfo& info = FaultKindInfoOf(f.kind);
      std::string key = Key("fault", i, "target");
      std::string target = f.target;
      size_t count = info.target == FaultTarget::kController  ? s_.controllers.size()
                     : info.target == FaultTarget::kNamespace ? s_.namespaces.size()
                                                              : s_.subsystems.size();
      if (target.empty()) {
        if (count != 1) {
          Add(f.line, key,
              std::string("missing target: the scenario has ") + std::to_string(count) + " " +
                  FaultTargetName(info.target) + "s, name one");
          continue;
        }
        target = info.target == FaultTarget::kController  ? s_.controllers[0].name
                 : info.target == FaultTarget::kNamespace ? s_.namespaces[0].name
                                                          : s_.subsystems[0].name;
      }
      const ControllerSpec* ctrl = nullptr;
      const NamespaceSpec* ns = nullptr;
      switch (info.target) {
        case FaultTarget::kController:
          ctrl = s_.FindController(target);
          if (ctrl == nullptr)
            Add(f.line, key,
                info.name + " needs a controller; no controller named \"" + target + "\"");
          break;
        case FaultTarget::kNamespace:
          ns = s_.FindNamespace(target);
          if (ns == nullptr)
            Add(f.line, key,
                info.name + " needs a namespace; no namespace named \"" + target + "\"");
          break;
        case FaultTarget::kSubsystem:
          if (s_.FindSubsystem(target) == nullptr) {
            Add(f.line, key,
                info.name + " needs a subsystem; no subsystem named \"" + target + "\"");
          }
          break;
      }
      if (ns != nullptr && f.kind == FaultKind::kMediaError) {
        uint64_t lba = static_cast<uint64_t>(f.Int("lba")),
                 count_lbas = static_cast<uint64_t>(f.Int("lba_count", 1));
        if (lba >= ns->lba_count() || count_lbas > ns->lba_count() - lba) {
          Add(f.line, Key("fault", i, "lba"),
              "LBA range " + std::to_string(lba) + "+" + std::to_string(count_lbas) +
                  " is beyond namespace \"" + ns->name + "\" (" + std::to_string(ns->lba_count()) +
                  " LBAs)");
        }
      }
      if (ns != nullptr &&
          (f.kind == FaultKind::kZoneReadOnly || f.kind == FaultKind::kZoneOffline)) {
        if (ns->kind != NamespaceKind::kZoned) {
          Add(f.line, key, "namespace \"" + ns->name + "\" is not zoned");
        } else if (static_cast<uint64_t>(f.Int("zone")) >= ns->zone_count()) {
          Add(f.line, Key("fault", i, "zone"),
              "namespace \"" + ns->name + "\" has " + std::to_string(ns->zone_count()) + " zones");
        }
      }
      if (ns != nullptr && f.kind == FaultKind::kNamespaceAttach && f.Has("controller")) {
        const ControllerSpec* c = s_.FindController(f.Text("controller"));
        if (c == nullptr || c->subsystem != ns->subsystem) {
          Add(f.line, Key("fault", i, "controller"),
              "\"" + f.Text("controller") + "\" is not a controller of subsystem \"" +
                  ns->subsystem + "\"");
        }
      }
      if (ctrl != nullptr && f.kind == FaultKind::kAnaStateChange) {
        const SubsystemSpec* sub = s_.FindSubsystem(ctrl->subsystem);
        bool found = false;
        if (sub != nullptr) {
          for (const AnaGroupSpec& g : sub->ana_groups)
            found = found || g.id == static_cast<uint64_t>(f.Int("group"));
        }
        if (!found) {
          Add(f.line, Key("fault", i, "group"),
              "subsystem \"" + ctrl->subsystem + "\" has no ANA group " +
                  std::to_string(f.Int("group")));
        }
      }
      if (f.trigger.kind == TriggerKind::kAtTime && f.trigger.at_ps >= s_.info.time_limit_ps) {
        Add(f.line, Key("fault", i, "at"), "the fault would fire after the scenario's time_limit");
      }
    }
  }

  void Expectations() {
    for (size_t i = 0; i < s_.expectations.size(); ++i) {
      const ExpectSpec& x = s_.expectations[i];
      if (!x.job.empty() && s_.FindJob(x.job) == nullptr) {
        Add(x.line, Key("expect", i, "job"), "no job named \"" + x.job + "\"");
      }
      if (x.kind == ExpectKind::kRecovery && s_.FindFault(x.fault) == nullptr) {
        std::string names;
        for (const FaultSpec& f : s_.faults) names += (names.empty() ? "" : ", ") + f.name;
        Add(x.line, Key("expect", i, "fault"),
            "no fault named \"" + x.fault + "\" (faults: " + (names.empty() ? "none" : names) +
                ")");
      }
      if ((x.kind == ExpectKind::kNoCorruption) && !s_.jobs.empty()) {
        bool verified = false;
        for (const JobSpec& j : s_.jobs) {
          if (x.job.empty() || j.name == x.job)
            verified = verified || j.verify != VerifyMode::kNone;
        }
        if (!verified) {
          Add(x.line, Key("expect", i, "kind"),
              "no_corruption needs a job with verify=crc32c or verify=pattern");
        }
      }
    }
  }

  const ScenarioSpec& s_;
  std::vector<Diagnostic> out_;
};

}  // namespace

TargetGeometry GeometryOf(const NamespaceSpec& n) {
  TargetGeometry g;
  g.lba_size = n.lba_size;
  g.lba_count = n.lba_count();
  if (n.kind == NamespaceKind::kZoned) {
    g.zone_size_lbas = n.zone_size_bytes / n.lba_size;
    g.zone_capacity_lbas = n.zone_capacity_bytes / n.lba_size;
    g.max_open_zones = n.max_open_zones;
  }
  return g;
}

std::vector<Diagnostic> Validate(const ScenarioSpec& scenario) { return Checker(scenario).Run(); }

}  // namespace nvmesim::harness

namespace nvmesim::harness {

std::string FormatScenarioSummary(const ScenarioSpec& s) {
  std::string out = "scenario " + s.info.name + " (seed " + std::to_string(s.info.seed) + ", " +
                    FidelityName(s.info.fidelity) + ", time limit " +
                    FormatDuration(s.info.time_limit_ps) + ")\n";
  if (!s.info.description.empty()) out += "  " + s.info.description + "\n";
  for (const HostSpec& h : s.hosts)
    out += "  host " + h.name + ": " + std::to_string(h.cpus) + " cpu(s)\n";
  for (const SubsystemSpec& sub : s.subsystems) {
    out += "  subsystem " + sub.name + ": " + sub.nqn;
    for (const AnaGroupSpec& g : sub.ana_groups) {
      out += ", ANA group " + std::to_string(g.id) + " " + AnaStateSpecName(g.state);
    }
    out += "\n";
  }
  for (const ControllerSpec& c : s.controllers) {
    out += "  controller " + c.name + " (cntlid " + std::to_string(c.cntlid) + ", " + c.subsystem +
           ", host " + c.host + "): PCIe Gen" + std::to_string(c.link.generation) + " x" +
           std::to_string(c.link.width) + ", MPS " + std::to_string(c.link.max_payload_size) +
           ", MRRS " + std::to_string(c.link.max_read_request_size) + "; " +
           std::to_string(c.io_queues) + " I/O queues of " + std::to_string(c.max_queue_entries) +
           ", MDTS " + std::to_string(c.mdts) +
           (c.volatile_write_cache ? ", volatile write cache" : "") +
           (c.profile.empty() ? "" : ", profile " + c.profile) + "\n";
  }
  for (const NamespaceSpec& n : s.namespaces) {
    out += "  namespace " + n.name + " (nsid " + std::to_string(n.nsid) + ", " + n.subsystem +
           "): " + FormatSize(n.size_bytes) + ", " + std::to_string(n.lba_size) + " B LBAs";
    if (n.kind == NamespaceKind::kZoned) {
      out += ", zoned: " + std::to_string(n.zone_count()) + " zones of " +
             FormatSize(n.zone_size_bytes) + " (capacity " + FormatSize(n.zone_capacity_bytes) +
             ")";
    }
    out += ", attached to";
    for (const std::string& c : n.controllers) out += " " + c;
    out += "\n";
  }
  for (const JobSpec& j : s.jobs) {
    out += "  job " + j.name + " on " + j.target_namespace + ":";
    for (const auto& [k, v] : JobOptionsForReport(j)) out += " " + k + "=" + v;
    out += "\n";
  }
  for (const FaultSpec& f : s.faults) out += "  fault " + DescribeFault(f) + "\n";
  for (const ExpectSpec& x : s.expectations) {
    out += "  expect " + x.name + " [" + ExpectKindName(x.kind) + "]\n";
  }
  return out;
}

}  // namespace nvmesim::harness
