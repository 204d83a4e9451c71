// A scenario file as plain data: topology (hosts, subsystems, controllers with their links,
// namespaces), the driver's [advanced_nvme] table, workload jobs, faults and expectations.
// ParseScenario checks every value on its own; Validate checks the cross-references.
// docs/scenario-reference.md documents every key, its default and its limits.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "harness/faults/condition.h"
#include "harness/faults/fault_spec.h"
#include "harness/scenario/diagnostic.h"
#include "harness/workload/io_generator.h"
#include "harness/workload/job_spec.h"
#include "spec/status.h"

namespace nvmesim::harness {

enum class ScenarioFidelity { kFunctional, kApproximate, kCycle };
const char* FidelityName(ScenarioFidelity f);  // "functional", "approximate", "cycle"

struct ScenarioInfo {
  std::string name;  // default: the file name without .toml
  std::string description;
  uint64_t seed = 1;
  ScenarioFidelity fidelity = ScenarioFidelity::kApproximate;
  uint64_t time_limit_ps = 10 * 1000ull * 1000 * 1000 * 1000;  // simulated; default 10 s
  uint64_t wall_time_limit_ms = 300 * 1000;                    // host wall time; default 300 s
};

struct HostSpec {
  std::string name;
  uint32_t cpus = 1;  // CPU contexts that submit and complete I/O
  int line = 0;
};

// ANA states (Base 2.0 section 8.1.3, Figure 290 ANA State values).
enum class AnaStateSpec : uint8_t {
  kOptimized = 0x1,
  kNonOptimized = 0x2,
  kInaccessible = 0x3,
  kPersistentLoss = 0x4,
  kChange = 0xF,
};
const char* AnaStateSpecName(AnaStateSpec s);

struct AnaGroupSpec {
  uint32_t id = 1;
  AnaStateSpec state = AnaStateSpec::kOptimized;          // seen through every controller...
  std::map<std::string, AnaStateSpec> controller_states;  // ...unless given per controller
  int line = 0;
};

struct SubsystemSpec {
  std::string name;
  std::string nqn;
  // Identify Controller SN / MN (Base 2.0 Figure 275: the NVM subsystem's,
  // the same on each of its controllers) and the PCI vendor ids of its
  // functions. Unset: "NVMESIM" + the subsystem's number, the built-in model
  // name, the built-in vendor id.
  std::optional<std::string> serial, model;
  std::optional<uint16_t> vendor_id;
  std::vector<AnaGroupSpec> ana_groups;
  int line = 0;  // 0 when implied (no [[subsystem]] in the file)
};

struct LinkSpec {
  uint32_t generation = 5;               // PCIe 1..5
  uint32_t width = 4;                    // lanes: 1, 2, 4, 8, 16
  uint32_t max_payload_size = 256;       // bytes: 128..4096, a power of two
  uint32_t max_read_request_size = 512;  // bytes: 128..4096, a power of two
};

// One power state descriptor of Identify Controller (Base 2.0 Figure 276), in SI units.
struct PowerStateSpec {
  double max_watts = 0;                // MP
  std::optional<double> idle_watts;    // IDLP; unset = not reported
  std::optional<double> active_watts;  // ACTP; unset = not reported
  uint64_t entry_latency_ps = 0;       // ENLAT (whole microseconds)
  uint64_t exit_latency_ps = 0;        // EXLAT (whole microseconds)
  bool operational = true;             // NOPS clear
  int line = 0;
};

// A thermal table: the scenario's [thermal], a device profile's [thermal] or a
// controller's `thermal`. Unset = taken from the level below (model default <
// profile < scenario < controller); docs/scenario-reference.md lists which keys
// each level accepts.
struct ThermalSectionSpec {
  bool present = false;
  // Device side (the thermal and power model of the controller).
  std::optional<double> ambient_kelvin, initial_kelvin;
  std::optional<double> resistance_k_per_w, capacitance_j_per_k;
  std::optional<uint32_t> wctemp, cctemp;  // kelvin (Identify Controller)
  std::optional<uint32_t> mntmt, mxtmt;    // kelvin: HCTM range (Identify Controller)
  std::optional<uint32_t> device_light_kelvin, device_heavy_kelvin;
  std::optional<double> light_factor, heavy_factor, hysteresis_kelvin;
  std::optional<double> joules_per_byte;
  std::optional<double> throttle_reference_gbps;  // GB/s the throttle factors scale
  std::optional<bool> apst_supported, hctm_supported;
  std::optional<std::vector<PowerStateSpec>> power_states;  // replaced as a whole
  // Driver side.
  std::optional<uint64_t> poll_interval_ps;         // SMART read period
  std::optional<uint64_t> horizon_ps;               // forecast look-ahead
  std::optional<uint32_t> tmt1, tmt2;               // HCTM thresholds the driver programs
  std::optional<uint64_t> apst_max_latency_ps;      // APST exit-latency tolerance
  uint64_t sample_interval_ps = 10'000'000'000ull;  // temperature series in the result (10 ms)
  std::string file;  // the file the table is in (scenario or profile)
  int line = 0;
};

enum class ArbitrationSpec { kRoundRobin, kWeightedRoundRobin };

struct ControllerSpec {
  std::string name;
  std::string subsystem;
  std::string host;
  uint16_t cntlid = 0;  // default: position in the subsystem, from 1
  LinkSpec link;
  uint32_t max_queue_entries = 1024;  // CAP.MQES + 1
  uint32_t io_queues = 8;             // I/O submission/completion queue pairs offered
  uint32_t mdts = 5;                  // 2^mdts * 4 KiB per command; 0 = no limit
  bool volatile_write_cache = true;
  ArbitrationSpec arbitration = ArbitrationSpec::kRoundRobin;
  std::optional<std::string> firmware;  // Identify FR (8 ASCII characters at most)
  std::string profile;                  // as written; empty = built-in
  std::string profile_resolved;         // relative to the scenario file
  ThermalSectionSpec thermal;           // its own `thermal` table (present when given)
  ThermalSectionSpec profile_thermal;  // its profile's [thermal] (present when the profile has one)
  int line = 0;
};

enum class NamespaceKind { kConventional, kZoned };

struct NamespaceSpec {
  std::string name;
  std::string subsystem;
  uint32_t nsid = 0;
  uint64_t size_bytes = 0;
  uint32_t lba_size = 4096;
  NamespaceKind kind = NamespaceKind::kConventional;
  uint64_t zone_size_bytes = 0;          // zoned only
  uint64_t zone_capacity_bytes = 0;      // zoned only; defaults to zone_size
  uint32_t max_open_zones = 0;           // 0 = no limit
  uint32_t max_active_zones = 0;         // 0 = no limit
  std::vector<std::string> controllers;  // attached to; default every controller of the subsystem
  uint32_t ana_group = 0;                // 0 = none
  int line = 0;

  uint64_t lba_count() const { return lba_size ? size_bytes / lba_size : 0; }
  uint64_t zone_count() const { return zone_size_bytes ? size_bytes / zone_size_bytes : 0; }
};

enum class ExpectKind {
  kAllCompleted,   // every request completed exactly once, or failed with an allowed status
  kNoCorruption,   // every verified read matched the data oracle
  kRecovery,       // after `fault`, I/O completes again within `within`
  kCounter,        // `check` holds at the end of the run
  kState,          // `object` is in `state` at the end of the run
  kStatusSeen,     // `status` was returned (at least min_count times, optionally only in a range)
  kStatusNotSeen,  // `status` was never returned
};
const char* ExpectKindName(ExpectKind k);

struct ExpectSpec {
  ExpectKind kind = ExpectKind::kAllCompleted;
  std::string name;                            // default "<kind>#<index>"
  std::string job;                             // restricts to one job (empty = all)
  std::vector<spec::Status> allowed_statuses;  // kAllCompleted
  std::vector<std::string> allowed_status_names;
  std::string fault;            // kRecovery
  uint64_t within_ps = 0;       // kRecovery
  Condition check;              // kCounter
  std::string object;           // kState
  std::string state;            // kState
  spec::Status status;          // kStatusSeen / kStatusNotSeen
  std::string status_name;      // as written
  uint64_t min_count = 1;       // kStatusSeen
  std::optional<uint64_t> lba;  // kStatusSeen: commands touching [lba, lba+lba_count)
  uint64_t lba_count = 1;
  bool only_in_range = false;  // kStatusSeen: and never for commands outside the range
  int line = 0;
};

// PCIe 5.0 6.6.1: above 5.0 GT/s, software waits at least 100 ms after link
// training completes before its first Configuration Request.
inline constexpr uint64_t kLinkSettlePs = 100'000'000'000ull;

// [driver]: options of the driver instance on each host controller; unset = the driver's default.
struct DriverOptionsSpec {
  std::optional<uint64_t> io_timeout_ps;         // per I/O command attempt
  std::optional<uint64_t> admin_timeout_ps;      // per admin command
  std::optional<uint64_t> watchdog_interval_ps;  // timeout scan period
  std::optional<uint64_t> keep_alive_ps;         // Keep Alive Timeout; 0 = not set
  std::optional<uint32_t> max_retries;           // resubmissions per command
  std::optional<uint32_t> max_reset_attempts;    // failed recoveries before giving up
  std::optional<uint32_t> admin_queue_entries;   // 2..4096
  std::optional<uint64_t> max_transfer_bytes;    // driver cap per command
  std::optional<bool> use_interrupts;            // false = polled completions
  std::optional<bool> prefer_sgl;
  // Interrupt Coalescing (Set Features 08h): completions per interrupt
  // (1..256, THR + 1) and aggregation time (100 us units, 0..25.5 ms).
  std::optional<uint32_t> coalescing_completions;
  std::optional<uint64_t> coalescing_time_ps;
  // Hotplug: when a removed controller's link comes back, the host waits
  // `reprobe_delay` (at least 100 ms, PCIe 5.0 6.6.1) and brings it up again.
  std::optional<bool> reprobe_on_link_up;
  std::optional<uint64_t> reprobe_delay_ps;
  int line = 0;
};

// [optimizer]: settings of the driver's learning engine and predictive maintenance.
struct OptimizerSectionSpec {
  bool present = false;
  std::optional<uint64_t> p99_target_ps;  // latency goal of the tuner
  std::optional<bool> throughput_goal;    // goal = "throughput"
  std::optional<uint64_t> epoch_ps;       // tuning epoch
  std::optional<double> warn_margin_hours;
  std::optional<double> hours_per_second;  // power-on hours per simulated second
  int line = 0;
};

struct ScenarioSpec {
  std::string path;       // the file it came from
  std::string directory;  // its directory (for relative paths)
  ScenarioInfo info;
  std::vector<HostSpec> hosts;
  std::vector<SubsystemSpec> subsystems;
  std::vector<ControllerSpec> controllers;
  std::vector<NamespaceSpec> namespaces;
  std::optional<toml::table> advanced_nvme;  // raw; the driver validates it
  int advanced_nvme_line = 0;
  // Line of each key of the section (a copied toml::table keeps no source positions).
  std::map<std::string, int> advanced_nvme_key_lines;
  DriverOptionsSpec driver;
  ThermalSectionSpec thermal;
  OptimizerSectionSpec optimizer;
  std::vector<JobSpec> jobs;
  std::vector<FaultSpec> faults;
  std::vector<ExpectSpec> expectations;

  const HostSpec* FindHost(const std::string& name) const;
  const SubsystemSpec* FindSubsystem(const std::string& name) const;
  const ControllerSpec* FindController(const std::string& name) const;
  const NamespaceSpec* FindNamespace(const std::string& name) const;
  const JobSpec* FindJob(const std::string& name) const;
  const FaultSpec* FindFault(const std::string& name) const;
};

// The thermal settings controller `c` runs with: model default < its profile's [thermal] <
// the scenario's [thermal] < its own `thermal`, key by key (a power-state table as a whole).
// nullopt when neither the scenario nor the controller has a thermal table: no thermal model.
// `file` and `line` name the most specific table present.
std::optional<ThermalSectionSpec> EffectiveThermal(const ScenarioSpec& scenario,
                                                   const ControllerSpec& c);

// The geometry a job sees on a namespace (for IoGenerator, before the driver reports it).
TargetGeometry GeometryOf(const NamespaceSpec& ns);

// What `nvmesim check` prints: the topology, jobs, faults and expectations, one line each.
std::string FormatScenarioSummary(const ScenarioSpec& scenario);

// Parses scenario text; `path` names the file in errors and anchors relative paths (job files,
// profiles). Throws ScenarioError (file, line, key, what was expected) on the first problem.
ScenarioSpec ParseScenario(std::string_view text, const std::string& path);

// Reads, parses and validates a scenario file; throws ScenarioError on the first problem.
ScenarioSpec LoadScenario(const std::string& path);

// Cross-references and fit: every problem found, in file order (empty = valid).
std::vector<Diagnostic> Validate(const ScenarioSpec& scenario);

}  // namespace nvmesim::harness
