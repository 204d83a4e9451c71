// Checks a scenario's [[expect]] entries against a finished run. Every
// expectation yields a result with a one-line reason when it fails.
#pragma once

#include <vector>

#include "harness/report/junit.h"
#include "harness/runner/runner.h"
#include "harness/scenario/scenario_spec.h"

namespace nvmesim::harness {

std::vector<ExpectationResult> EvaluateExpectations(const ScenarioSpec& scenario,
                                                    const RunResult& run);

}  // namespace nvmesim::harness
