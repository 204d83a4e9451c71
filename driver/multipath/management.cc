#include "driver/multipath/management.h"

#include <cstdio>
#include <sstream>
#include <vector>

namespace nvmesim::driver::multipath {

namespace {
std::string Fixed(double v, int digits) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

struct Parsed {
  std::optional<Policy> policy;
  SelectorParams params;
  std::optional<uint64_t> no_path_timeout_ns;
  std::optional<bool> failover;
  std::string preferred_name;
  bool set_params = false;
};

bool ParseUnsigned(const std::string& v, uint64_t* out) {
  if (v.empty() || v.size() > 19) return false;
  uint64_t x = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    x = x * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = x;
  return true;
}

// Parses args against `base` params; "" on success, else the error.
std::string Parse(const std::string& args, const SelectorParams& base, Parsed* p) {
  p->params = base;
  std::istringstream in(args);
  std::string tok;
  while (in >> tok) {
    const size_t eq = tok.find('=');
    if (eq == std::string::npos) return "'" + tok + "': expected key=value";
    const std::string k = tok.substr(0, eq), v = tok.substr(eq + 1);
    uint64_t n = 0;
    if (k == "policy" || k == "iopolicy") {
      p->policy = ParsePolicy(v);
      if (!p->policy) return "policy=" + v + ": expected numa, round-robin, queue-depth or latency";
    } else if (k == "probe_interval") {
      if (!ParseUnsigned(v, &n) || n > 1'000'000)
        return "probe_interval=" + v + ": expected 0..1000000";
      p->params.probe_interval = static_cast<uint32_t>(n), p->set_params = true;
    } else if (k == "ewma_shift") {
      if (!ParseUnsigned(v, &n) || n < 1 || n > 8) return "ewma_shift=" + v + ": expected 1..8";
      p->params.ewma_shift = static_cast<uint32_t>(n), p->set_params = true;
    } else if (k == "numa_node") {
      if (!ParseUnsigned(v, &n) || n > 1023) return "numa_node=" + v + ": expected 0..1023";
      p->params.numa_node = static_cast<uint32_t>(n), p->set_params = true;
    } else if (k == "preferred") {
      p->preferred_name = v, p->set_params = true;
    } else if (k == "no_path_timeout_ms") {
      if (!ParseUnsigned(v, &n) || n < 1 || n > 3'600'000) {
        return "no_path_timeout_ms=" + v + ": expected 1..3600000";
      }
      p->no_path_timeout_ns = n * 1'000'000;
    } else if (k == "failover") {
      if (v != "on" && v != "off") return "failover=" + v + ": expected on or off";
      p->failover = v == "on";
    } else {
      return "unknown key '" + k +
             "' (policy, probe_interval, ewma_shift, numa_node, preferred, no_path_timeout_ms, "
             "failover)";
    }
  }
  return "";
}

std::string Settings(const MultipathNamespace& ns) {
  const MultipathOptions& o = ns.options();
  const int pref = o.selector.preferred_path;
  std::string s =
      ns.name() + ": policy=" + PolicyName(o.policy) +
      " probe_interval=" + std::to_string(o.selector.probe_interval) +
      " ewma_shift=" + std::to_string(o.selector.ewma_shift) +
      " numa_node=" + std::to_string(o.selector.numa_node) + " preferred=" +
      (pref >= 0 && pref < ns.path_count() ? ns.path(pref).desc.name : std::string("none")) +
      " no_path_timeout_ms=" + std::to_string(o.no_path_timeout_ns / 1'000'000) +
      " failover=" + (o.failover_enabled ? "on" : "off") + "\n";
  return s;
}

std::string Apply(const std::vector<MultipathNamespace*>& targets, const std::string& args,
                  bool* ok) {
  if (ok) *ok = false;
  if (targets.empty()) return "no multipath namespace";
  std::vector<Parsed> parsed(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string err = Parse(args, targets[i]->options().selector, &parsed[i]);
    if (!err.empty()) return err;
    if (!parsed[i].preferred_name.empty()) {
      if (parsed[i].preferred_name == "none") {
        parsed[i].params.preferred_path = -1;
      } else {
        const int p = targets[i]->FindPath(parsed[i].preferred_name);
        if (p < 0) {
          return "preferred=" + parsed[i].preferred_name + ": no such path of " +
                 targets[i]->name();
        }
        parsed[i].params.preferred_path = p;
      }
    }
  }
  std::string out;
  for (size_t i = 0; i < targets.size(); ++i) {
    MultipathNamespace& ns = *targets[i];
    if (parsed[i].policy) ns.SetPolicy(*parsed[i].policy);
    if (parsed[i].set_params) ns.SetSelectorParams(parsed[i].params);
    if (parsed[i].no_path_timeout_ns) ns.SetNoPathTimeout(*parsed[i].no_path_timeout_ns);
    if (parsed[i].failover) ns.SetFailoverEnabled(*parsed[i].failover);
    out += Settings(ns);
  }
  if (ok) *ok = true;
  return out;
}

std::string FailoverOn(const std::vector<MultipathNamespace*>& targets, const std::string& path,
                       bool restore, bool* ok) {
  if (ok) *ok = false;
  std::string out;
  for (MultipathNamespace* ns : targets) {
    const int p = ns->FindPath(path);
    if (p < 0) continue;
    const bool others = (ns->selector().usable_mask() & ~(1u << p)) != 0;
    ns->SetDisabled(p, !restore);
    out += ns->name() + ": " + path + (restore ? " back in service" : " out of service") +
           (restore || others ? "" : " (no other usable path: new I/O waits)") + ", " +
           std::to_string(ns->path(p).inflight) + " in flight finish there\n";
  }
  if (out.empty()) return "no multipath namespace has a path named '" + path + "'";
  if (ok) *ok = true;
  return out;
}
}  // namespace

std::string NamespaceInfo(const MultipathNamespace& ns) {
  std::ostringstream o;
  const NamespaceCounters& c = ns.counters();
  o << "  " << ns.name() << " nsid " << ns.nsid() << " iopolicy=" << PolicyName(ns.policy())
    << " paths=" << ns.path_count() << " in-flight=" << ns.inflight() << " waiting=" << ns.waiting()
    << "\n";
  o << "    requests " << c.submitted << " completed " << c.completed << " failed " << c.failed
    << " failovers " << c.failovers << " failbacks " << c.failbacks << " waited " << c.waited
    << " wait-timeouts " << c.wait_timeouts << " non-path-errors " << c.non_path_errors << "\n";
  if (c.failover_samples != 0) {
    o << "    failover after detection: max " << Fixed(c.failover_max_ns / 1e3, 1) << " us, mean "
      << Fixed(static_cast<double>(c.failover_total_ns) / c.failover_samples / 1e3, 1)
      << " us over " << c.failover_samples << " requests\n";
  }
  o << "  \\\n";
  for (int i = 0; i < ns.path_count(); ++i) {
    const auto& p = ns.path(i);
    o << "   +- " << p.desc.name << " pcie " << (p.desc.address.empty() ? "-" : p.desc.address)
      << " " << p.StateName() << " " << AnaStateName(p.ana) << "  cntlid " << p.desc.cntlid
      << " anagrp " << p.anagrpid << " numa " << p.desc.numa_node << " qd " << p.inflight << " svc "
      << Fixed(p.service_ns / 1e3, 2) << "us sent " << p.counters.submitted << " ok "
      << p.counters.completed_ok << " path-err " << p.counters.path_errors << " err "
      << p.counters.other_errors << " moved " << p.counters.moved_off << "\n";
  }
  return o.str();
}

std::string MultipathInfo(MultipathManager& manager) {
  std::ostringstream o;
  size_t index = 0;
  for (const auto& sub : manager.subsystems()) {
    o << "nvme-subsys" << index++ << " - NQN=" << sub.subnqn << "\n";
    for (const auto& ns : sub.namespaces) o << NamespaceInfo(*ns);
    if (sub.namespaces.empty()) o << "  (no namespaces)\n";
  }
  if (manager.subsystems().empty()) o << "no NVMe subsystems\n";
  return o.str();
}

std::string MultipathConfig(MultipathManager& manager, const std::string& args, bool* ok) {
  return Apply(manager.all(), args, ok);
}
std::string MultipathConfig(MultipathNamespace& ns, const std::string& args, bool* ok) {
  return Apply({&ns}, args, ok);
}
std::string MultipathFailover(MultipathManager& manager, const std::string& path, bool restore,
                              bool* ok) {
  return FailoverOn(manager.all(), path, restore, ok);
}
std::string MultipathFailover(MultipathNamespace& ns, const std::string& path, bool restore,
                              bool* ok) {
  return FailoverOn({&ns}, path, restore, ok);
}

}  // namespace nvmesim::driver::multipath
