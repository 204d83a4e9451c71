// `nvmesim mgmt SCENARIO COMMAND`: boots the scenario's system (no jobs, no
// faults), runs one of the driver's management commands on one controller,
// and returns its text.
#pragma once

#include <string>

#include "driver/mgmt/mgmt.h"
#include "harness/mgmt_optimizer.h"
#include "harness/scenario/scenario_spec.h"

namespace nvmesim::harness {

struct MgmtRequest {
  std::string command;     // nvme-advanced-controller-info, ..., admin-passthru, io-passthru
  std::string controller;  // default: the first controller
  driver::mgmt::Passthru passthru;
  uint32_t nsid = 1;       // nvme-zns-info, nvme-zns-delete
  std::string zone_state;  // nvme-zns-info: only zones in this state ("full", "empty" ...)
  uint64_t blocks = 0;     // nvme-zns-create: size in logical blocks
  std::string args;        // nvme-multipath-config: "policy=latency ..."
  std::string path;        // nvme-multipath-failover: the path to move I/O off ("nvme0")
  bool restore = false;    // nvme-multipath-failover: put the path back in service
  // nvme-ai-optimize, nvme-adaptive-tune, nvme-performance-predict,
  // nvme-predictive-stats; nvme-thermal-stats runs it only when `load` is set.
  WorkloadOptions workload;
  bool load = false;
};

struct MgmtResult {
  bool ok = false;    // the command ran and its NVMe status was success
  std::string text;   // what to print
  std::string error;  // why it could not run
};

// The commands `mgmt` knows, with one line each.
const std::vector<std::pair<std::string, std::string>>& MgmtCommands();

MgmtResult RunMgmtCommand(const ScenarioSpec& scenario, const MgmtRequest& request);

}  // namespace nvmesim::harness
