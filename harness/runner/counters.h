// The runner's counters and object states, by the names scenario conditions
// and expectations use (docs/scenario-reference.md, "Counters"):
//   io.submitted io.completed io.errors io.refused io.retries io.mismatches
//   io.duplicate_callbacks  read.ios write.ios trim.ios flush.ios  sim.time_us
//   <ctrl>.driver.{resets,timeouts,aborts_sent,aborts_succeeded,retries,path_errors,
//                  async_events,requeued_on_reset,failed_on_reset,init_failures}
//   <ctrl>.device.{commands_fetched,completions_posted,interrupts_sent,dma_errors,
//                  doorbell_errors,commands_aborted_by_reset,completions_dropped,
//                  completions_duplicated,completions_corrupted,resets}
//   <ctrl>.link.{down,up}.{tlps,payload_bytes,replays,dropped_tlps,completion_timeouts}
//   <ctrl>.link.replays <ctrl>.temperature_c
//   commands_submitted commands_completed  job.<name>.<read|write|trim|sync>.{ios,iops,errors}
//   rc.unsupported_requests rc.msi_messages rc.mmio_failed_reads
// States: <ctrl> -> the driver's controller state ("ready", "failed", "removed" ...).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/runner/job_runner.h"
#include "harness/scenario/scenario_spec.h"
#include "harness/system/sim_system.h"

namespace nvmesim::harness {

std::map<std::string, double> CollectCounters(SimSystem& system, const ScenarioSpec& scenario,
                                              const std::vector<std::unique_ptr<JobRunner>>& jobs,
                                              uint64_t submitted);
std::map<std::string, std::string> CollectStates(SimSystem& system, const ScenarioSpec& scenario);

struct JobTargetInfo {
  JobTarget target;
  std::string namespace_name;
  std::string error;
};
// Which controller, namespace and geometry a job runs against (after boot).
JobTargetInfo ResolveJobTarget(const ScenarioSpec& scenario, SimSystem& system, const JobSpec& job);

}  // namespace nvmesim::harness
