// From a validated scenario (plain data) to the system the simulator
// elaborates: subsystems with their namespaces, controllers behind their
// links, and the driver options from the [advanced_nvme] table.
#pragma once

#include <string>
#include <vector>

#include "device_model/thermal/thermal_model.h"
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

// A controller's combined thermal table (EffectiveThermal) as the device model's
// configuration: unset keys keep the model's defaults.
device::thermal::ThermalConfig ToThermalConfig(const ThermalSectionSpec& t);
// One power state of a thermal table as the Identify Controller descriptor;
// `index` gives the relative throughput / latency fields.
spec::PowerStateDescriptor ToPowerStateDescriptor(const PowerStateSpec& ps, uint8_t index);

// Index of the controller named `name` in the built system, or -1.
int ControllerIndex(const ScenarioSpec& scenario, const std::string& name);

}  // namespace nvmesim::harness
