// The scenario runner: elaborates the scenario's system, boots the driver on
// it, runs the jobs, injects the faults on their schedule, checks the
// expectations and gathers the results. One run per process (SystemC).
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/junit.h"
#include "harness/report/trace_hasher.h"
#include "harness/runner/job_runner.h"
#include "harness/scenario/scenario_spec.h"

namespace nvmesim::harness {

struct RunOptions {
  std::optional<uint64_t> seed;              // overrides [scenario].seed
  std::optional<ScenarioFidelity> fidelity;  // overrides [scenario].fidelity
  bool keep_event_log = false;               // for the Chrome/Perfetto trace
  std::FILE* progress = nullptr;             // progress lines on long runs (may be null)
  std::FILE* log = nullptr;                  // driver log lines at warning and above
};

struct FaultRecord {
  std::string name;
  std::string description;  // DescribeFault()
  bool applied = false;
  std::string error;  // why it could not be applied
  uint64_t start_ps = 0;
  std::optional<uint64_t> end_ps;
  // Recovery: every request in flight at the start (or submitted while the fault
  // lasted) finished by `drained_ps`; `recovered` once I/O succeeded again.
  uint64_t drained_ps = 0;
  bool recovered = false;
  uint64_t caught_requests = 0;
};

// One request as a slice for the Chrome/Perfetto trace.
struct CommandSlice {
  std::string job;
  uint32_t instance = 0;
  IoOp op = IoOp::kRead;
  uint64_t lba = 0;
  uint32_t nlb = 0;
  uint64_t start_ps = 0, end_ps = 0;
  std::string status;  // "" = success
};

// A sampled value for a counter track of the trace.
struct CounterSample {
  std::string track;  // "ctrl0.temperature_c", "ctrl0.link.up.payload_bytes" ...
  uint64_t time_ps = 0;
  double value = 0;
};

// One point of a controller's temperature curve ([thermal] sample_interval).
struct ThermalPoint {
  uint64_t time_ps = 0;
  double kelvin = 0;      // the model's temperature
  uint32_t throttle = 0;  // 0 none, 1 light, 2 heavy, 3 shut down
  uint32_t power_state = 0;
  double written_bytes = 0;  // host writes completed so far (all jobs)
  uint64_t deferred = 0;     // requests the driver's thermal gate held back so far
};

struct ThermalSeries {
  std::string controller;
  std::vector<ThermalPoint> points;
};

struct RunResult {
  std::string scenario;
  std::string path;
  uint64_t seed = 0;
  ScenarioFidelity fidelity = ScenarioFidelity::kApproximate;
  bool booted = false;
  std::string error;            // set when the run could not start or was cut short
  bool refused = false;         // `error` was found before the system existed: nothing ran
  std::vector<JobRecord> jobs;  // one per job instance
  std::vector<FaultRecord> faults;
  std::vector<ExpectationResult> expectations;
  std::map<std::string, double> counters;     // final counters (names in the reference)
  std::map<std::string, std::string> states;  // object -> state name at the end
  uint64_t simulated_ps = 0;
  double wall_seconds = 0;
  // Host-side measures, outside the trace hash: building the simulated system
  // (modules, links, memory) and the process's peak resident memory.
  double elaboration_seconds = 0;
  uint64_t peak_rss_bytes = 0;
  bool time_limit_hit = false;
  bool wall_limit_hit = false;
  uint64_t trace_hash = 0;
  std::string trace_hash_hex;
  uint64_t trace_events = 0;
  std::vector<LoggedEvent> event_log;  // when RunOptions::keep_event_log
  std::vector<CommandSlice> slices;    // when RunOptions::keep_event_log (first 1M)
  std::vector<CounterSample> samples;  // when RunOptions::keep_event_log
  std::vector<ThermalSeries> thermal;  // with a [thermal] section
  bool passed = false;                 // booted, not cut short, every expectation held
};

// Runs a loaded, validated scenario. Never throws for scenario problems: they
// end up in RunResult::error with passed = false.
RunResult RunScenario(const ScenarioSpec& scenario, const RunOptions& options);

}  // namespace nvmesim::harness
