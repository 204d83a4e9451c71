// `nvmesim bench JOBFILE --profile P`: runs an fio job file against a device
// profile in simulated time — one controller with the profile's media behind a
// PCIe link, one namespace, the file's jobs — and returns the run for fio-style
// text and JSON output.
#pragma once

#include <optional>
#include <string>

#include "harness/runner/runner.h"
#include "harness/scenario/scenario_spec.h"

namespace nvmesim::harness {

struct BenchRequest {
  std::string job_file;
  std::string profile;  // device profile TOML; "" = zero-cost media
  uint64_t namespace_bytes = uint64_t{64} << 30;
  uint32_t lba_size = 4096;
  uint32_t link_generation = 5, link_width = 4;
  uint32_t queue_count = 8, queue_depth = 1024;
  std::optional<uint64_t> seed;
  std::optional<ScenarioFidelity> fidelity;
};

// The scenario the bench runs (exposed for tests and `--show-scenario`).
// Throws ScenarioError for a bad job file or profile path.
ScenarioSpec BenchScenario(const BenchRequest& request);

}  // namespace nvmesim::harness
