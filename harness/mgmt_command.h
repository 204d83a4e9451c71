// `nvmesim mgmt SCENARIO COMMAND`: boots the scenario's system (no jobs, no
// faults), runs one of the driver's management commands on one controller,
// and returns its text.
#pragma once

#include <string>

#include "driver/mgmt/mgmt.h"
#include "harness/scenario/scenario_spec.h"

namespace nvmesim::harness {

struct MgmtRequest {
  std::string command;     // nvme-advanced-controller-info, ..., admin-passthru, io-passthru
  std::string controller;  // default: the first controller
  driver::mgmt::Passthru passthru;
};

struct MgmtResult {
  bool ok = false;     // the command ran and its NVMe status was success
  std::string text;    // what to print
  std::string error;   // why it could not run
};

// The commands `mgmt` knows, with one line each.
const std::vector<std::pair<std::string, std::string>>& MgmtCommands();

MgmtResult RunMgmtCommand(const ScenarioSpec& scenario, const MgmtRequest& request);

}  // namespace nvmesim::harness
