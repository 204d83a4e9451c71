// The multipath manager: finds which driver controllers belong to one NVM
// subsystem (Identify Controller SUBNQN) and which of their namespaces are
// the same namespace (NSID plus NGUID / EUI-64 / UUID), builds one
// MultipathNamespace per shared namespace with a path per controller, and
// keeps each path's state current from the ANA log (read with RGO, Base 2.0
// 5.16.1.13), ANA change notices and controller up/down events (driver seam
// PathEventHandler). Management output (nvme-multipath-info / -config /
// -failover) lives in management.h.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/config.h"
#include "driver/controller.h"
#include "driver/hal/hal.h"
#include "driver/multipath/identity.h"
#include "driver/multipath/multipath_namespace.h"

namespace nvmesim::driver::multipath {

// [advanced_nvme] multipath keys -> options. kNone maps to the numa policy
// with no preferred path (the first path of the local node carries the I/O).
MultipathOptions OptionsFromConfig(const AdvancedNvmeConfig& config);

struct ControllerPort {
  Controller* controller = nullptr;
  std::string name;     // "nvme0"
  std::string address;  // "0000:01:00.0"
  uint32_t numa_node = 0;
};

class MultipathManager {
 public:
  MultipathManager(hal::Clock& clock, MultipathOptions options, hal::Log* log = nullptr);
  ~MultipathManager();
  MultipathManager(const MultipathManager&) = delete;
  MultipathManager& operator=(const MultipathManager&) = delete;

  // Before Discover(). The controller must be ready (booted); the manager
  // installs its path event handler on it.
  void AddController(const ControllerPort& port);

  // Identifies every controller and namespace, groups them and builds the
  // multipath namespaces; `done` runs once (ok, or the first failure).
  void Discover(std::function<void(spec::Status)> done);

  struct Subsystem {
    std::string subnqn;
    std::vector<size_t> controllers;                              // indices into ports
    std::vector<std::unique_ptr<MultipathNamespace>> namespaces;  // ascending NSID
  };
  const std::vector<Subsystem>& subsystems() const { return subsystems_; }
  // The multipath namespace for (subnqn, nsid); "" = the first subsystem.
  MultipathNamespace* Find(uint32_t nsid, const std::string& subnqn = "");
  // Every multipath namespace in subsystem, NSID order.
  std::vector<MultipathNamespace*> all();
  MultipathNamespace* FindByName(const std::string& name);  // "nvme0n1"

  size_t port_count() const { return ports_.size(); }
  const ControllerPort& port(size_t i) const;
  const ControllerIdentity& identity(size_t i) const;
  uint64_t ana_log_reads() const { return ana_log_reads_; }
  uint64_t identity_mismatches() const { return identity_mismatches_; }
  // After discovery: paths that joined on a namespace arrival, and paths
  // taken down because their namespace left the controller.
  uint64_t paths_added() const { return paths_added_; }
  uint64_t paths_detached() const { return paths_detached_; }
  const MultipathOptions& options() const { return options_; }
  hal::Clock& clock() { return clock_; }

 private:
  struct PortState;
  struct PathRef {
    MultipathNamespace* ns;
    int path;
  };
  void IdentifyController(size_t i);
  void IdentifyNamespaces(size_t i, size_t k);
  void ReadAnaLog(size_t i, std::function<void()> then);
  void ApplyAna(size_t i, const AnaLog& log);
  void PortDone(size_t i, spec::Status st);
  void Build();
  bool SameAsOtherPorts(size_t i, const Subsystem& sub, uint32_t nsid, const NamespaceIds& ids);
  static MultipathNamespace* FindIn(Subsystem& sub, uint32_t nsid);
  MultipathNamespace* AddPath(size_t i, Subsystem& sub, uint32_t nsid, const NamespaceIds& ids);
  void OnPathEvent(size_t i, const PathEvent& e);
  void OnNamespaceChange(size_t i, const NamespaceInfo& info, bool present);
  void IdentifyArrival(size_t i);
  void JoinArrival(size_t i, uint32_t nsid, const NamespaceIds& ids);
  void Logf(hal::LogLevel level, const std::string& text);

  hal::Clock& clock_;
  MultipathOptions options_;
  hal::Log* log_;
  std::vector<std::unique_ptr<PortState>> ports_;
  std::vector<Subsystem> subsystems_;
  std::function<void(spec::Status)> on_discovered_;
  size_t pending_ = 0;
  spec::Status first_error_;
  uint64_t ana_log_reads_ = 0;
  uint64_t identity_mismatches_ = 0;
  uint64_t paths_added_ = 0;
  uint64_t paths_detached_ = 0;
  bool built_ = false;
  std::shared_ptr<bool> alive_;
};

}  // namespace nvmesim::driver::multipath
