// Counters of the thermal and power model and of the driver's thermal
// manager, optimizer and predictive maintenance (docs/scenario-reference.md,
// "Thermal, power and optimizer counters").
#pragma once

#include <map>
#include <string>

#include "harness/scenario/scenario_spec.h"
#include "harness/system/sim_system.h"

namespace nvmesim::harness {

void AddThermalCounters(SimSystem& system, const ScenarioSpec& scenario,
                        std::map<std::string, double>& counters);

}  // namespace nvmesim::harness
