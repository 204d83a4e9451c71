// Parsers of the thermal tables (the scenario's [thermal], a controller's
// `thermal`, a device profile's [thermal]) and of [optimizer] (scenario_spec.h).
#pragma once

#include <string>
#include <string_view>

#include "harness/scenario/scenario_spec.h"
#include "harness/scenario/toml_reader.h"

namespace nvmesim::harness {

// Which keys a thermal table may carry: a profile describes the drive (no
// ambient, no driver settings), a controller entry the drive in its slot plus
// the HCTM thresholds its driver programs, the scenario table everything.
enum class ThermalScope { kScenario, kController, kProfile };

// Each throws ScenarioError naming the file, line, key and what was expected.
void ParseThermalSection(TomlReader& top, const std::string& path, ThermalSectionSpec* out);
void ParseThermalTable(TomlReader& r, ThermalScope scope, ThermalSectionSpec* out);
void ParseOptimizerSection(TomlReader& top, const std::string& path, OptimizerSectionSpec* out);

// The [thermal] table of a device profile (scenarios/profiles/*.toml); the
// other tables of the file are the media profile's (device_model/media).
// `out->present` stays false when the profile has none.
void ParseProfileThermal(std::string_view text, const std::string& path, ThermalSectionSpec* out);
void LoadProfileThermal(const std::string& path, ThermalSectionSpec* out);

// Checks between keys that may come from different levels (CCTEMP above
// WCTEMP, TMT1 below TMT2, ...) on a combined table: "" or "key: what was expected".
std::string CheckThermalCombination(const ThermalSectionSpec& t);

}  // namespace nvmesim::harness
