// Parsers of the [thermal] and [optimizer] scenario tables (scenario_spec.h).
#pragma once

#include <string>

#include "harness/scenario/scenario_spec.h"
#include "harness/scenario/toml_reader.h"

namespace nvmesim::harness {

// Each throws ScenarioError naming the key and what was expected.
void ParseThermalSection(TomlReader& top, const std::string& path, ThermalSectionSpec* out);
void ParseOptimizerSection(TomlReader& top, const std::string& path, OptimizerSectionSpec* out);

}  // namespace nvmesim::harness
