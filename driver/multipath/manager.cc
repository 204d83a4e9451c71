#include "driver/multipath/manager.h"

#include <algorithm>
#include <utility>

#include "driver/commands.h"
#include "spec/command.h"
#include "spec/identify.h"
#include "spec/log_pages.h"

namespace nvmesim::driver::multipath {

namespace {
constexpr size_t kPageBytes = 4096;  // Identify data and the ANA log read (Base 2.0 5.17, 5.16)
constexpr uint8_t kLidAna = 0x0C;    // Asymmetric Namespace Access log (Base 2.0 Figure 202)

// A driver controller as a path.
class ControllerTarget final : public PathTarget {
 public:
  explicit ControllerTarget(Controller* c) : c_(c) {}
  spec::Status Submit(const BlockRequest& request, BlockCallback done) override {
    return c_->Submit(request, std::move(done));
  }
  bool Live() const override { return c_->state() == ControllerState::kReady; }

 private:
  Controller* c_;
};
}  // namespace

MultipathOptions OptionsFromConfig(const AdvancedNvmeConfig& config) {
  MultipathOptions o;
  switch (config.multipath_load_balancing) {
    case LoadBalancing::kNone:
    case LoadBalancing::kNuma:
      o.policy = Policy::kNuma;
      break;
    case LoadBalancing::kRoundRobin:
      o.policy = Policy::kRoundRobin;
      break;
    case LoadBalancing::kQueueDepth:
      o.policy = Policy::kQueueDepth;
      break;
    case LoadBalancing::kLatency:
      o.policy = Policy::kLatency;
      break;
  }
  o.max_paths = std::min<uint32_t>(config.multipath_max_paths, kMaxPaths);
  o.failover_enabled = config.multipath_failover_enabled;
  return o;
}

struct MultipathManager::PortState {
  ControllerPort port;
  std::unique_ptr<ControllerTarget> target;
  ControllerIdentity identity;
  std::vector<std::pair<uint32_t, NamespaceIds>> namespaces;  // ascending NSID
  hal::DmaBuffer page;
  hal::DmaBuffer ana_page;
  AnaLog ana;
  bool ana_known = false;
  bool ana_reading = false;
  bool ana_again = false;
  std::vector<PathRef> paths;
  // After discovery: paths whose namespace left this controller (dead until
  // it is attached again), and NSIDs that arrived and wait to be identified.
  std::vector<PathRef> detached;
  std::vector<uint32_t> arrivals;
  bool identifying = false;
};

const ControllerPort& MultipathManager::port(size_t i) const { return ports_.at(i)->port; }
const ControllerIdentity& MultipathManager::identity(size_t i) const {
  return ports_.at(i)->identity;
}

MultipathManager::MultipathManager(hal::Clock& clock, MultipathOptions options, hal::Log* log)
    : clock_(clock), options_(options), log_(log), alive_(std::make_shared<bool>(true)) {}

MultipathManager::~MultipathManager() {
  *alive_ = false;
  for (auto& p : ports_) {
    p->port.controller->SetPathEventHandler(nullptr);
    if (p->page.valid()) p->port.controller->dma()->Free(p->page);
    if (p->ana_page.valid()) p->port.controller->dma()->Free(p->ana_page);
  }
}

void MultipathManager::Logf(hal::LogLevel level, const std::string& text) {
  if (log_ != nullptr) log_->Write(level, "multipath: " + text);
}

void MultipathManager::AddController(const ControllerPort& port) {
  auto st = std::make_unique<PortState>();
  st->port = port;
  st->target = std::make_unique<ControllerTarget>(port.controller);
  const size_t i = ports_.size();
  std::weak_ptr<bool> alive = alive_;
  port.controller->SetPathEventHandler([this, i, alive](const PathEvent& e) {
    if (!alive.expired() && *alive.lock()) OnPathEvent(i, e);
  });
  port.controller->namespaces().AddChangeListener(
      [this, i, alive](const NamespaceInfo& ns, bool present) {
        if (!alive.expired() && *alive.lock()) OnNamespaceChange(i, ns, present);
      });
  ports_.push_back(std::move(st));
}

void MultipathManager::Discover(std::function<void(spec::Status)> done) {
  on_discovered_ = std::move(done);
  first_error_ = spec::Status::Ok();
  pending_ = ports_.size();
  if (pending_ == 0) {
    Build();
    auto cb = std::move(on_discovered_);
    if (cb) cb(spec::Status::Ok());
    return;
  }
  for (size_t i = 0; i < ports_.size(); ++i) IdentifyController(i);
}

void MultipathManager::PortDone(size_t i, spec::Status st) {
  if (!st.ok()) {
    Logf(hal::LogLevel::kWarning, ports_[i]->port.name + ": discovery failed: " + st.ToString());
    if (first_error_.ok()) first_error_ = st;
  }
  if (--pending_ != 0) return;
  Build();
  auto cb = std::move(on_discovered_);
  if (cb) cb(first_error_);
}

void MultipathManager::IdentifyController(size_t i) {
  PortState& ps = *ports_[i];
  Controller* c = ps.port.controller;
  if (!ps.page.valid()) ps.page = c->dma()->Allocate(kPageBytes, kPageBytes);
  if (!ps.ana_page.valid()) ps.ana_page = c->dma()->Allocate(kPageBytes, kPageBytes);
  if (!ps.page.valid() || !ps.ana_page.valid()) {
    return PortDone(i, spec::GenericStatus::kInternalError);
  }
  const uint8_t cns = static_cast<uint8_t>(spec::Cns::kController);
  const spec::Status st = c->SubmitAdmin(
      commands::Identify(cns, 0, 0, 0, ps.page.bus), [this, i](const spec::Cqe& cqe) {
        PortState& p = *ports_[i];
        if (!cqe.status_value().ok()) return PortDone(i, cqe.status_value());
        p.identity = ParseControllerIdentity(p.page.cpu);
        p.namespaces.clear();
        for (const auto& [nsid, info] : p.port.controller->namespaces().table()) {
          NamespaceIds ids;
          ids.anagrpid = info.anagrpid;
          p.namespaces.emplace_back(nsid, ids);
        }
        IdentifyNamespaces(i, 0);
      });
  if (!st.ok()) PortDone(i, st);
}

// Identify Namespace (CNS 00h) then the descriptor list (CNS 03h) per NSID.
void MultipathManager::IdentifyNamespaces(size_t i, size_t k) {
  PortState& ps = *ports_[i];
  if (k == ps.namespaces.size()) {
    return ReadAnaLog(i, [this, i] { PortDone(i, spec::Status::Ok()); });
  }
  Controller* c = ps.port.controller;
  const uint32_t nsid = ps.namespaces[k].first;
  const spec::Status st = c->SubmitAdmin(
      commands::Identify(static_cast<uint8_t>(spec::Cns::kNamespace), nsid, 0, 0, ps.page.bus),
      [this, i, k, nsid](const spec::Cqe& cqe) {
        PortState& p = *ports_[i];
        if (!cqe.status_value().ok()) return PortDone(i, cqe.status_value());
        ParseIdentifyNamespaceIds(p.page.cpu, &p.namespaces[k].second);
        const spec::Status st2 = p.port.controller->SubmitAdmin(
            commands::Identify(static_cast<uint8_t>(spec::Cns::kNamespaceIdDescriptorList), nsid, 0,
                               0, p.page.bus),
            [this, i, k](const spec::Cqe& cqe2) {
              PortState& q = *ports_[i];
              // The list is optional before NVMe 1.3; a failure leaves the Identify ids.
              if (cqe2.status_value().ok() &&
                  !ParseDescriptorList(q.page.cpu, &q.namespaces[k].second)) {
                Logf(hal::LogLevel::kWarning,
                     q.port.name + ": malformed namespace descriptor list");
              }
              IdentifyNamespaces(i, k + 1);
            });
        if (!st2.ok()) PortDone(i, st2);
      });
  if (!st.ok()) PortDone(i, st);
}

void MultipathManager::ReadAnaLog(size_t i, std::function<void()> then) {
  PortState& ps = *ports_[i];
  if (ps.ana_reading) {
    ps.ana_again = true;
    if (then) then();
    return;
  }
  // ANA log with Return Groups Only (LSP bit 0, Base 2.0 Figure 201): group
  // states are all the host needs, NSIDs come from Identify. RAE = 1 leaves
  // the notice for the driver core's own log read.
  spec::Sqe sqe =
      commands::GetLogPage(kLidAna, spec::kNsidAll, kPageBytes, true, ps.ana_page.bus, 0);
  sqe.cdw10 |= uint32_t{spec::kAnaLspReturnGroupsOnly} << 8;  // LSP, CDW10 bits 11:8
  ps.ana_reading = true;
  ++ana_log_reads_;
  std::weak_ptr<bool> alive = alive_;
  const spec::Status st =
      ps.port.controller->SubmitAdmin(sqe, [this, i, alive, then](const spec::Cqe& cqe) {
        if (alive.expired() || !*alive.lock()) return;
        PortState& p = *ports_[i];
        p.ana_reading = false;
        if (cqe.status_value().ok()) {
          AnaLog log;
          const std::string err = ParseAnaLog(p.ana_page.cpu, kPageBytes, &log);
          if (err.empty()) {
            ApplyAna(i, log);
          } else {
            Logf(hal::LogLevel::kWarning, p.port.name + ": " + err);
          }
        }
        if (p.ana_again) {
          p.ana_again = false;
          ReadAnaLog(i, nullptr);
        }
        if (then) then();
      });
  if (!st.ok()) {
    ps.ana_reading = false;
    if (then) then();
  }
}

void MultipathManager::ApplyAna(size_t i, const AnaLog& log) {
  PortState& ps = *ports_[i];
  if (ps.ana_known && log.change_count < ps.ana.change_count) return;  // an older snapshot
  ps.ana = log;
  ps.ana_known = true;
  for (const PathRef& ref : ps.paths) {
    const uint32_t grp = ref.ns->path(ref.path).anagrpid;
    auto it = log.groups.find(grp);
    if (it != log.groups.end() && it->second != ref.ns->path(ref.path).ana) {
      ref.ns->SetAnaState(ref.path, it->second);
    }
  }
}

void MultipathManager::Build() {
  built_ = true;
  subsystems_.clear();
  for (auto& p : ports_) {
    p->paths.clear();
    p->detached.clear();
  }
  for (size_t i = 0; i < ports_.size(); ++i) {
    PortState& ps = *ports_[i];
    Subsystem* sub = nullptr;
    for (Subsystem& s : subsystems_) {
      if (s.subnqn == ps.identity.subnqn) sub = &s;
    }
    if (sub == nullptr) {
      subsystems_.emplace_back();
      sub = &subsystems_.back();
      sub->subnqn = ps.identity.subnqn;
    }
    sub->controllers.push_back(i);
    for (const auto& [nsid, ids] : ps.namespaces) {
      if (SameAsOtherPorts(i, *sub, nsid, ids)) AddPath(i, *sub, nsid, ids);
    }
  }
}

// The namespace's ids as another controller of the subsystem shows them
// must match (NGUID / EUI-64 / UUID): otherwise the NSID names another
// namespace there and this controller gets no path for it.
bool MultipathManager::SameAsOtherPorts(size_t i, const Subsystem& sub, uint32_t nsid,
                                        const NamespaceIds& ids) {
  for (size_t j : sub.controllers) {
    if (j == i) continue;
    for (const auto& [n2, ids2] : ports_[j]->namespaces) {
      if (n2 != nsid) continue;
      if (SameNamespace(ids2, ids)) return true;
      ++identity_mismatches_;
      Logf(hal::LogLevel::kError, ports_[i]->port.name + ": NSID " + std::to_string(nsid) +
                                      " is not the namespace other controllers show (" +
                                      ids.ToString() + " vs " + ids2.ToString() + "): no path");
      return false;
    }
  }
  return true;
}

MultipathNamespace* MultipathManager::FindIn(Subsystem& sub, uint32_t nsid) {
  for (auto& n : sub.namespaces) {
    if (n->nsid() == nsid) return n.get();
  }
  return nullptr;
}

// Controller i's path to `nsid` in `sub` (SameAsOtherPorts checked first),
// added to the multipath namespace, which is made when it is the first.
MultipathNamespace* MultipathManager::AddPath(size_t i, Subsystem& sub, uint32_t nsid,
                                              const NamespaceIds& ids) {
  PortState& ps = *ports_[i];
  MultipathNamespace* ns = FindIn(sub, nsid);
  if (ns == nullptr) {
    const size_t sub_index = static_cast<size_t>(&sub - subsystems_.data());
    MultipathOptions o = options_;
    if (ps.identity.anatt != 0) o.anatt_s = ps.identity.anatt;
    auto made = std::make_unique<MultipathNamespace>(
        "nvme" + std::to_string(sub_index) + "n" + std::to_string(nsid), nsid, clock_, o);
    ns = made.get();
    auto pos = std::find_if(sub.namespaces.begin(), sub.namespaces.end(),
                            [nsid](const auto& n) { return n->nsid() > nsid; });
    sub.namespaces.insert(pos, std::move(made));
  }
  AnaState ana = AnaState::kOptimized;  // ANA not reported: every path is optimized
  if (ids.anagrpid != 0 && ps.ana_known) {
    auto it = ps.ana.groups.find(ids.anagrpid);
    if (it != ps.ana.groups.end()) ana = it->second;
  }
  PathDescriptor d;
  d.name = ps.port.name;
  d.address = ps.port.address;
  d.cntlid = ps.identity.cntlid;
  d.numa_node = ps.port.numa_node;
  d.target = ps.target.get();
  const int idx = ns->AddPath(d, ids.anagrpid, ana);
  if (idx < 0) {
    Logf(hal::LogLevel::kWarning, ps.port.name + ": NSID " + std::to_string(nsid) +
                                      ": more than multipath_max_paths paths; ignored");
    return nullptr;
  }
  if (!ps.target->Live()) ns->SetLive(idx, false);
  ps.paths.push_back({ns, idx});
  return ns;
}

void MultipathManager::OnPathEvent(size_t i, const PathEvent& e) {
  PortState& ps = *ports_[i];
  switch (e.kind) {
    case PathEventKind::kAnaChange:
      ReadAnaLog(i, nullptr);
      break;
    case PathEventKind::kPathStatus:
      // ANA statuses mean the group state moved: read the log for all of it.
      if (e.status.Is(spec::PathStatus::kAsymmetricAccessInaccessible) ||
          e.status.Is(spec::PathStatus::kAsymmetricAccessTransition) ||
          e.status.Is(spec::PathStatus::kAsymmetricAccessPersistentLoss)) {
        ReadAnaLog(i, nullptr);
      }
      break;
    case PathEventKind::kControllerReady:
      for (const PathRef& ref : ps.paths) ref.ns->SetLive(ref.path, true);
      ReadAnaLog(i, nullptr);
      break;
    case PathEventKind::kControllerDown:
      for (const PathRef& ref : ps.paths) ref.ns->SetLive(ref.path, false);
      break;
  }
}

// A Namespace Attribute Changed notice made controller i's driver rescan
// (NamespaceManager change listener). Discovery sees the namespaces present
// at its time; after it, a namespace that leaves a controller takes that
// path down for good, and one that arrives gets identified and joins (or
// creates) its multipath namespace.
void MultipathManager::OnNamespaceChange(size_t i, const NamespaceInfo& info, bool present) {
  if (!built_) return;
  PortState& ps = *ports_[i];
  auto on_port = std::find_if(ps.paths.begin(), ps.paths.end(),
                              [&](const PathRef& r) { return r.ns->nsid() == info.nsid; });
  if (!present) {
    if (on_port == ps.paths.end()) return;
    on_port->ns->SetLive(on_port->path, false);
    ps.detached.push_back(*on_port);
    ps.paths.erase(on_port);
    ps.namespaces.erase(std::remove_if(ps.namespaces.begin(), ps.namespaces.end(),
                                       [&](const auto& n) { return n.first == info.nsid; }),
                        ps.namespaces.end());
    ++paths_detached_;
    Logf(hal::LogLevel::kInfo,
         ps.port.name + ": NSID " + std::to_string(info.nsid) + " detached: its path is down");
    return;
  }
  if (on_port != ps.paths.end()) return;  // a size change: the path stays
  if (std::find(ps.arrivals.begin(), ps.arrivals.end(), info.nsid) == ps.arrivals.end()) {
    ps.arrivals.push_back(info.nsid);
  }
  if (!ps.identifying) IdentifyArrival(i);
}

// Identify Namespace (CNS 00h) and its descriptor list (CNS 03h) for the next
// arrival on controller i, one at a time through the port's page.
void MultipathManager::IdentifyArrival(size_t i) {
  PortState& ps = *ports_[i];
  if (ps.arrivals.empty()) {
    ps.identifying = false;
    return;
  }
  ps.identifying = true;
  const uint32_t nsid = ps.arrivals.front();
  ps.arrivals.erase(ps.arrivals.begin());
  const NamespaceInfo* info = ps.port.controller->namespaces().Find(nsid);
  if (info == nullptr) return IdentifyArrival(i);  // gone again meanwhile
  NamespaceIds ids;
  ids.anagrpid = info->anagrpid;
  auto give_up = [this, i, nsid](const spec::Status& st) {
    Logf(hal::LogLevel::kWarning, ports_[i]->port.name + ": NSID " + std::to_string(nsid) +
                                      " arrived but could not be identified: " + st.ToString());
    IdentifyArrival(i);
  };
  Controller* c = ps.port.controller;
  const spec::Status st = c->SubmitAdmin(
      commands::Identify(static_cast<uint8_t>(spec::Cns::kNamespace), nsid, 0, 0, ps.page.bus),
      [this, i, nsid, ids, give_up](const spec::Cqe& cqe) mutable {
        PortState& p = *ports_[i];
        if (!cqe.status_value().ok()) return give_up(cqe.status_value());
        ParseIdentifyNamespaceIds(p.page.cpu, &ids);
        const spec::Status st2 = p.port.controller->SubmitAdmin(
            commands::Identify(static_cast<uint8_t>(spec::Cns::kNamespaceIdDescriptorList), nsid, 0,
                               0, p.page.bus),
            [this, i, nsid, ids](const spec::Cqe& cqe2) mutable {
              PortState& q = *ports_[i];
              if (cqe2.status_value().ok() && !ParseDescriptorList(q.page.cpu, &ids)) {
                Logf(hal::LogLevel::kWarning,
                     q.port.name + ": malformed namespace descriptor list");
              }
              JoinArrival(i, nsid, ids);
              IdentifyArrival(i);
            });
        if (!st2.ok()) give_up(st2);
      });
  if (!st.ok()) give_up(st);
}

void MultipathManager::JoinArrival(size_t i, uint32_t nsid, const NamespaceIds& ids) {
  PortState& ps = *ports_[i];
  if (ps.port.controller->namespaces().Find(nsid) == nullptr) return;  // left again
  Subsystem* sub = nullptr;
  for (Subsystem& s : subsystems_) {
    if (std::find(s.controllers.begin(), s.controllers.end(), i) != s.controllers.end()) sub = &s;
  }
  if (sub == nullptr || !SameAsOtherPorts(i, *sub, nsid, ids)) return;
  // Attached again: the path it had comes back.
  MultipathNamespace* had = FindIn(*sub, nsid);
  auto old = std::find_if(ps.detached.begin(), ps.detached.end(),
                          [&](const PathRef& r) { return had != nullptr && r.ns == had; });
  if (old != ps.detached.end()) {
    had->SetLive(old->path, ps.target->Live());
    ps.paths.push_back(*old);
    ps.detached.erase(old);
  } else if (MultipathNamespace* ns = AddPath(i, *sub, nsid, ids)) {
    Logf(hal::LogLevel::kInfo,
         ps.port.name + ": NSID " + std::to_string(nsid) + " attached: a path of " + ns->name());
  } else {
    return;
  }
  auto pos = std::find_if(ps.namespaces.begin(), ps.namespaces.end(),
                          [nsid](const auto& n) { return n.first >= nsid; });
  if (pos != ps.namespaces.end() && pos->first == nsid) {
    pos->second = ids;
  } else {
    ps.namespaces.insert(pos, {nsid, ids});
  }
  ++paths_added_;
  ReadAnaLog(i, nullptr);  // the group it joined may have its own state
}

MultipathNamespace* MultipathManager::Find(uint32_t nsid, const std::string& subnqn) {
  for (Subsystem& s : subsystems_) {
    if (!subnqn.empty() && s.subnqn != subnqn) continue;
    for (auto& n : s.namespaces) {
      if (n->nsid() == nsid) return n.get();
    }
    if (subnqn.empty()) return nullptr;
  }
  return nullptr;
}

MultipathNamespace* MultipathManager::FindByName(const std::string& name) {
  for (Subsystem& s : subsystems_) {
    for (auto& n : s.namespaces) {
      if (n->name() == name) return n.get();
    }
  }
  return nullptr;
}

std::vector<MultipathNamespace*> MultipathManager::all() {
  std::vector<MultipathNamespace*> v;
  for (Subsystem& s : subsystems_) {
    for (auto& n : s.namespaces) v.push_back(n.get());
  }
  return v;
}

}  // namespace nvmesim::driver::multipath
