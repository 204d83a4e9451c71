// What `nvmesim run` prints after the fio-style job summary: the faults with
// their recovery, every expectation with its verdict, and the verdict line.
#pragma once

#include <string>

#include "harness/runner/runner.h"

namespace nvmesim::harness {

std::string FormatRunReport(const RunResult& run);
// The temperature curve and thermal figures of each controller with a thermal model.
std::string FormatThermalReport(const RunResult& run);

}  // namespace nvmesim::harness
