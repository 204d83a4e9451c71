// Applies a scenario's [[fault]] entries to the simulated system on their
// schedule — at a simulated time, after N submitted commands, or when a
// counter condition first holds — and ends them after `duration` / `until`.
// Everything runs as host CPU tasks, so a fault lands between driver steps,
// never inside one. Also measures each fault's recovery from the completions.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/runner/job_runner.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_spec.h"
#include "harness/system/sim_system.h"
#include "harness/workload/data_oracle.h"

namespace nvmesim::harness {

class FaultInjector {
 public:
  using CounterSource = std::function<std::map<std::string, double>()>;

  FaultInjector(const ScenarioSpec& scenario, SimSystem& system,
                std::map<std::string, std::unique_ptr<DataOracle>>& oracles,
                std::vector<FaultRecord>* records);

  // ANA states the scenario's subsystems start with.
  void ApplyInitialAnaStates();
  // Arms every fault's trigger (call once, on the host CPU, when I/O starts).
  void Schedule(CounterSource counters);
  void Stop() { stopped_ = true; }

  void OnSubmitted(uint64_t total_submitted);
  void OnCompleted(const CompletionEvent& event);
  // Figures of the faults themselves (e.g. "<ctrl>.wear_out.failure_s").
  const std::map<std::string, double>& counters() const { return fault_counters_; }

 private:
  void Start(size_t index);
  void End(size_t index);
  std::string Apply(const FaultSpec& fault, bool start);
  void ReprobeAfterLinkUp(size_t controller);
  void Poll();
  void WearStep(size_t controller, double spare_per_s, double wear_per_s, uint64_t step_ps,
                double spare, double used);
  int TargetController(const FaultSpec& fault) const;
  const NamespaceSpec* TargetNamespace(const FaultSpec& fault) const;
  int SubsystemIndex(const std::string& name) const;

  const ScenarioSpec& scenario_;
  SimSystem& system_;
  std::map<std::string, std::unique_ptr<DataOracle>>& oracles_;
  std::vector<FaultRecord>* records_;
  CounterSource counters_;
  std::vector<bool> started_, ended_;
  std::map<const FaultSpec*, device::AnaState> saved_ana_;  // ANA state before a change
  std::map<std::string, double> fault_counters_;
  bool polling_ = false;
  bool stopped_ = false;
};

}  // namespace nvmesim::harness
