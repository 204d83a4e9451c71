// The engine of `nvmesim bench`: one simulated machine (host, PCIe link,
// controller with the profile's media, one namespace) that runs, in order and
// in simulated time,
//   1. with --precondition: a fresh-out-of-box (FOB) round of 4 KiB random
//      writes, a sequential fill (128 KiB writes, `fill_passes` x the
//      namespace), then rounds of 4 KiB random writes until the SNIA PTS
//      steady-state criterion holds on the rounds' IOPS (or max_rounds);
//   2. the job file's jobs (the measured part).
// Throughout it samples a time series per interval: IOPS and bandwidth, GC
// relocations and erases, write amplification and link utilisation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "device_model/media/media_model.h"
#include "harness/bench/steady_state.h"
#include "harness/bench_command.h"
#include "harness/runner/job_runner.h"

namespace nvmesim::harness {

struct PreconditionOptions {
  bool enabled = false;
  uint32_t fill_passes = 2;   // sequential fill: this many times the namespace
  uint64_t round_bytes = 0;   // random writes per round; 0 = namespace / 4
  uint32_t max_rounds = 40;   // stop looking for steady state after this many rounds
  uint32_t queue_depth = 32;  // of the FOB round, the fill and the rounds
  SteadyStateCriteria criteria;
};

struct BenchOptions {
  PreconditionOptions precondition;
  uint64_t interval_ps = uint64_t{10} * 1000 * 1000 * 1000;  // 10 ms
  // Media capacity scaled down to about this many user bytes (0 = the profile's
  // own geometry): blocks shortened to one program unit (erase time scaled
  // alike), as many blocks per plane as the capacity needs.
  uint64_t media_capacity_bytes = 0;
  // Keep the trace events of the measured jobs (up to max_events) and their
  // requests, for the QD 1 latency breakdown.
  bool record_events = false;
  size_t max_events = 2'000'000;
};

// One trace event of the measured phase. The name is a static string; the source is copied
// (the emitting module's name dies with the simulated system).
struct RecordedEvent {
  uint64_t time_ps = 0;
  std::string source;
  const char* name = "";
  uint64_t a = 0, b = 0, c = 0;
};

// One call into the media model: the controller asked at `now_ps` and was told `latency_ps`
// (firmware cycles on the embedded cores plus DRAM/NAND time).
struct RecordedMediaCall {
  uint64_t now_ps = 0, latency_ps = 0;
  uint64_t firmware_done_ps = 0;  // the firmware's end on its core (= now_ps for zero-cost media)
  uint8_t kind = 0;               // device::MediaOp::Kind
};

// One finished request of the measured phase.
struct RecordedRequest {
  std::string job;
  IoOp op = IoOp::kRead;
  uint64_t submit_ps = 0, complete_ps = 0;
  bool ok = true;
};

// Scales `p` as BenchOptions::media_capacity_bytes describes. "" or an error
// naming --media-capacity and the smallest capacity the profile allows.
std::string ScaleMediaCapacity(device::media::MediaProfile& p, uint64_t user_bytes);

// One interval of the time series (or one round of preconditioning).
struct BenchSample {
  std::string phase;   // "fob", "fill", "precondition", "measure"
  uint32_t index = 0;  // round number within its phase (rounds only)
  uint64_t start_ps = 0, end_ps = 0;
  uint64_t read_ios = 0, write_ios = 0;
  uint64_t read_bytes = 0, write_bytes = 0;
  uint64_t host_units = 0;  // mapping units written by the host (media)
  uint64_t gc_units = 0;    // mapping units relocated by GC
  uint64_t pad_units = 0;
  uint64_t erased_superblocks = 0;
  uint64_t down_busy_ps = 0, up_busy_ps = 0;  // link directions' transmit time

  double Seconds() const { return static_cast<double>(end_ps - start_ps) / 1e12; }
  double Iops() const;
  double ReadIops() const;
  double WriteIops() const;
  double BandwidthBytesPerSecond() const;
  // NAND units programmed per host unit in this sample (1 when the host wrote nothing).
  double WriteAmplification() const;
  double LinkUtilisation(bool upstream) const;
};

struct BenchResult {
  std::string error;
  bool refused = false;  // `error` was found before the simulation was built: nothing ran
  bool booted = false;
  uint64_t seed = 0;
  std::string fidelity;
  std::vector<JobRecord> jobs;  // the measured jobs, one per instance
  std::vector<BenchSample> intervals;
  std::vector<BenchSample> rounds;  // the FOB round then the preconditioning rounds
  bool has_media = false;           // a NAND/FTL media model was behind the controller
  device::media::MediaStats media;  // at the end
  uint64_t user_capacity_bytes = 0;
  uint64_t namespace_bytes = 0;
  // Preconditioning.
  bool preconditioned = false;
  uint64_t fill_bytes = 0, fill_start_ps = 0, fill_end_ps = 0;
  SteadyStateCheck steady;              // on the last window of rounds
  double fob_iops = 0;                  // the FOB round
  double steady_iops = 0;               // average of the steady-state window
  double steady_wa = 0;                 // write amplification over the window
  std::optional<size_t> knee_interval;  // first interval in which GC relocated data
  std::optional<size_t> knee_round;     // first round (index into rounds) with GC relocations
  uint64_t measure_start_ps = 0;
  uint64_t simulated_ps = 0;
  std::string trace_hash;
  uint64_t trace_events = 0;
  std::vector<RecordedEvent> events;           // BenchOptions::record_events
  std::vector<RecordedRequest> requests;       // BenchOptions::record_events
  std::vector<RecordedMediaCall> media_calls;  // BenchOptions::record_events
  bool passed = false;                         // ran to the end, every request completed, no errors
};

// Runs the bench. `scenario` comes from BenchScenario(request); the scenario's
// profile is loaded (and scaled) here. Never throws for bad input: the result's
// error says what was wrong.
BenchResult RunBench(const ScenarioSpec& scenario, const BenchOptions& options);

}  // namespace nvmesim::harness
