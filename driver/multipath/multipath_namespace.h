// One multipath namespace: the same namespace (same NSID and NGUID/EUI-64/UUID,
// NVMe Base 2.0 4.7.1 / 8.1) reached through up to 16 controllers of one NVM
// subsystem. It offers the driver's block API (Submit(BlockRequest, callback)),
// picks a path per request by policy and applies the failover rules:
//
//  * path-related status (SCT 3h, Base 2.0 Figure 103: Internal Path Error,
//    ANA Inaccessible / Transition, Controller / Host Pathing Error, Command
//    Aborted By Host) without DNR: the request is retried on another path;
//    ANA statuses also update the path's ANA state at once;
//  * a dead controller (removed, failed, link down) fails its in-flight I/O
//    with Host Pathing Error: every such request is re-queued on a surviving
//    path, exactly once per failure;
//  * no usable path: requests wait, bounded by `no_path_timeout_ns` (or the
//    ANA Transition Time when a path is in ANA Change, Base 2.0 Figure 275
//    ANATT), then fail with the last path status;
//  * any other status, and path status with DNR set, completes the request as
//    is: it is never retried on another path.
//
// Single-threaded like the rest of the driver: every call comes from the
// platform's loop; callbacks run later, never from inside Submit.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "driver/block.h"
#include "driver/hal/hal.h"
#include "driver/multipath/path.h"
#include "driver/multipath/selector.h"
#include "spec/status.h"

namespace nvmesim::driver::multipath {

struct MultipathOptions {
  Policy policy = Policy::kRoundRobin;
  SelectorParams selector;
  uint32_t max_paths = kMaxPaths;               // [advanced_nvme] multipath_max_paths (1..16 here)
  bool failover_enabled = true;                 // [advanced_nvme] multipath_failover_enabled
  uint64_t no_path_timeout_ns = 1'000'000'000;  // how long a request may wait for a path
  uint32_t max_path_retries = 64;               // resubmissions of one request across paths
  // ANA Transition Time before Identify Controller says otherwise (seconds,
  // Base 2.0 Figure 275 ANATT; 0 there means "not reported").
  uint32_t anatt_s = 10;
};
// "" or the first problem, naming the field and the limit.
std::string ValidateMultipathOptions(const MultipathOptions& o);

struct NamespaceCounters {
  uint64_t submitted = 0;         // requests accepted by Submit
  uint64_t completed = 0;         // callbacks delivered (ok or not)
  uint64_t failed = 0;            // callbacks with a failure status
  uint64_t failovers = 0;         // resubmissions to another path after a path failure
  uint64_t waited = 0;            // requests that had to wait for a path
  uint64_t wait_timeouts = 0;     // ... and failed because none came in time
  uint64_t non_path_errors = 0;   // failures returned as is (never retried elsewhere)
  uint64_t failbacks = 0;         // a path (re)entered the ANA Optimized state and takes I/O again
  uint64_t failover_samples = 0;  // requests that succeeded after a path failure
  uint64_t failover_max_ns = 0;   // worst detection -> success time among them
  uint64_t failover_total_ns = 0;
};

class MultipathNamespace {
 public:
  MultipathNamespace(std::string name, uint32_t nsid, hal::Clock& clock, MultipathOptions options);
  ~MultipathNamespace();
  MultipathNamespace(const MultipathNamespace&) = delete;
  MultipathNamespace& operator=(const MultipathNamespace&) = delete;

  // Adds a path; returns its index or -1 when max_paths is reached.
  int AddPath(const PathDescriptor& d, uint32_t anagrpid, AnaState ana);

  // Block API, the same contract as driver::Controller::Submit: success when
  // accepted (the callback runs exactly once, later), else the reason (no callback).
  spec::Status Submit(const BlockRequest& request, BlockCallback done);

  // Path state inputs (from the manager, or tests).
  void SetAnaState(int path, AnaState state);
  void SetLive(int path, bool live);  // controller ready / down
  // Re-reads every path's Live() (after a controller event).
  void RefreshLiveness();
  // Manual failover: no new I/O goes down a disabled path (in-flight I/O finishes).
  void SetDisabled(int path, bool disabled);
  // ANA Transition Time of the controllers (seconds, Figure 275 ANATT).
  void SetAnatt(uint32_t seconds) { options_.anatt_s = seconds; }

  // Policy and parameters (nvme-multipath-config).
  void SetPolicy(Policy p) {
    options_.policy = p;
    selector_.SetPolicy(p);
  }
  void SetSelectorParams(const SelectorParams& p) {
    options_.selector = p;
    selector_.SetParams(p);
  }
  void SetNoPathTimeout(uint64_t ns) { options_.no_path_timeout_ns = ns; }
  // Off: a path error ends the request instead of retrying it on another path.
  void SetFailoverEnabled(bool on) { options_.failover_enabled = on; }
  const MultipathOptions& options() const { return options_; }

  struct PathView {
    PathDescriptor desc;
    uint32_t anagrpid = 0;
    AnaState ana = AnaState::kOptimized;
    bool live = true;
    bool disabled = false;
    uint32_t inflight = 0;
    uint64_t service_ns = 0;
    uint64_t last_down_ns = 0;  // clock time the path last stopped being usable
    uint64_t last_up_ns = 0;    // ... and last became usable again
    PathCounters counters;
    const char* StateName() const;  // "live" / "dead" / "disabled"
    bool usable() const;
  };
  int path_count() const { return static_cast<int>(paths_.size()); }
  const PathView& path(int i) const { return paths_.at(static_cast<size_t>(i)); }
  int FindPath(const std::string& name) const;
  const NamespaceCounters& counters() const { return counters_; }
  const std::string& name() const { return name_; }
  uint32_t nsid() const { return nsid_; }
  Policy policy() const { return options_.policy; }
  size_t waiting() const { return waiting_.size(); }
  uint64_t inflight() const { return inflight_; }
  uint64_t probes() const { return selector_.probes(); }
  // For the benchmark: one policy decision with no I/O.
  PathSelector& selector() { return selector_; }

 private:
  struct Req;
  void Dispatch(Req* r);
  void OnPathDone(Req* r, int path, uint64_t sent_ns, uint32_t inflight_before,
                  const BlockResult& result);
  void Park(Req* r);
  void DrainWaiting();
  void ArmWaitTimer();
  void OnWaitTimer();
  void Finish(Req* r, const spec::Status& status);
  void UpdateTier(int path, bool initial = false);
  void PathFailed(int path);
  uint64_t WaitBoundNs() const;
  Req* NewReq();
  void FreeReq(Req* r);

  std::string name_;
  uint32_t nsid_;
  hal::Clock& clock_;
  MultipathOptions options_;
  PathSelector selector_;
  std::vector<PathView> paths_;
  std::vector<uint64_t> change_since_ns_;  // per path: when ANA Change began (0 = not in it)
  NamespaceCounters counters_;
  std::deque<Req*> waiting_;
  std::vector<std::unique_ptr<Req>> req_store_;
  std::vector<Req*> req_free_;
  hal::Clock::TimerId wait_timer_ = hal::Clock::kNoTimer;
  uint64_t wait_timer_at_ = 0;
  uint64_t inflight_ = 0;
  bool draining_ = false;
  std::shared_ptr<bool> alive_;  // guards timer callbacks against destruction
};

}  // namespace nvmesim::driver::multipath
