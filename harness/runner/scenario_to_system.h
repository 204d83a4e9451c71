// From a validated scenario (plain data) to the system the simulator
// elaborates: subsystems with their namespaces, controllers behind their
// links, and the driver options from the [advanced_nvme] table.
#pragma once

#include <string>
#include <vector>

#include "harness/scenario/scenario_spec.h"
#include "harness/system/sim_system.h"
#include "pcie_model/fidelity.h"

namespace nvmesim::harness {

struct SystemBuild {
  SimSystemSpec spec;
  std::vector<std::string> errors;  // each names the file, line and key
  bool ok() const { return errors.empty(); }
};

pcie::Fidelity ToPcieFidelity(ScenarioFidelity f);

// `fidelity` overrides the scenario's own level.
SystemBuild BuildSystemSpec(const ScenarioSpec& scenario, ScenarioFidelity fidelity);

// Index of the controller named `name` in the built system, or -1.
int ControllerIndex(const ScenarioSpec& scenario, const std::string& name);

}  // namespace nvmesim::harness
