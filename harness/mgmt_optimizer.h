// The learning-engine and thermal management commands of `nvmesim mgmt`:
//   nvme-ai-optimize          run a workload with the tuner on; what it changed and why
//   nvme-adaptive-tune        the tuner epoch by epoch (goal, target; depth applied)
//   nvme-performance-predict  predict IOPS / p99 of a described workload, then measure it
//   nvme-predictive-stats     predictive maintenance: remaining life, failure probability
//   nvme-thermal-stats        through the driver's thermal manager when it runs
// Each drives a closed-loop workload (block size, queue depth, read share) on
// the booted system through the driver's block API.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "driver/advanced/advanced_features.h"
#include "driver/controller.h"
#include "harness/system/sim_system.h"
#include "spec/status.h"

namespace nvmesim::harness {

struct WorkloadOptions {
  uint32_t block_bytes = 4096;
  uint32_t queue_depth = 32;
  uint32_t read_percent = 70;
  uint64_t ios = 20000;
  std::string goal = "latency";  // nvme-adaptive-tune
  double target_p99_us = 0;      // 0: the scenario's [optimizer] p99_target (or 1000 us)
};

// "" or what is wrong, naming the option and the accepted range.
std::string CheckWorkloadOptions(const WorkloadOptions& w, uint32_t lba_bytes);

// True for the commands handled here.
bool IsOptimizerCommand(const std::string& command);

// Turns on the [advanced_nvme] features `command` needs (before the system is built).
void EnableFeaturesFor(const std::string& command, const WorkloadOptions& w, SimSystemSpec& spec);

using MgmtDone = std::function<void(const std::string& text, spec::Status status)>;

// Runs `command` on controller `index` of the booted system.
void RunOptimizerCommand(const std::string& command, const WorkloadOptions& w, SimSystem& system,
                         size_t index, MgmtDone done);

// nvme-thermal-stats with a workload first: the manager's history, throttle
// time and APST state after it.
void RunThermalLoad(const WorkloadOptions& w, SimSystem& system, size_t index, MgmtDone done);

}  // namespace nvmesim::harness
