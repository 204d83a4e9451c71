// A workload job: the documented subset of fio's job options (docs/scenario-reference.md),
// parsed from fio job files (INI) or from a scenario's inline [[job]] keys.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nvmesim::harness {

enum class RwMode {
  kRead,       // rw=read: sequential reads
  kWrite,      // rw=write: sequential writes
  kRandRead,   // rw=randread
  kRandWrite,  // rw=randwrite
  kReadWrite,  // rw=rw / readwrite: sequential mixed, rwmixread % reads
  kRandRw,     // rw=randrw: random mixed
  kTrim,       // rw=trim: sequential deallocate (zone resets with zonemode=zbd)
  kRandTrim,   // rw=randtrim
};

enum class DistributionKind { kUniform, kZipf, kPareto, kNormal };
enum class VerifyMode { kNone, kPattern, kCrc32c };
enum class ZoneMode { kNone, kZbd };

struct BlockSizeWeight {
  uint64_t bytes = 0;
  uint32_t percent = 0;
};

struct JobSpec {
  std::string name;
  std::string file;  // where it was defined (fio job file or scenario)
  int line = 0;      // line of its section header / [[job]] table

  RwMode rw = RwMode::kRead;
  uint64_t bs = 4096;                    // bs / blocksize
  std::vector<BlockSizeWeight> bssplit;  // overrides bs when not empty; percents sum to 100
  uint32_t rwmixread = 50;               // percent of reads in mixed modes
  uint32_t iodepth = 1;
  uint32_t numjobs = 1;
  uint64_t size = 0;            // bytes of the region; 0 = to the end of the namespace
  uint32_t size_percent = 0;    // size=N% of the namespace (when non-zero)
  uint64_t offset = 0;          // bytes from the start of the namespace
  uint32_t offset_percent = 0;  // offset=N% (when non-zero)
  uint64_t io_size = 0;         // bytes to transfer; 0 = the region size
  uint64_t number_ios = 0;      // stop after this many I/Os; 0 = no limit
  uint64_t runtime_ps = 0;      // simulated run time limit; 0 = none
  bool time_based = false;      // keep going (wrapping around) until runtime
  uint64_t startdelay_ps = 0;
  ZoneMode zonemode = ZoneMode::kNone;
  uint32_t max_open_zones = 0;  // 0 = the namespace's limit
  bool zone_append = false;     // writes as Zone Append (zonemode=zbd only)
  VerifyMode verify = VerifyMode::kNone;
  std::vector<uint8_t> verify_pattern;  // verify_pattern bytes (pattern mode)
  bool do_verify = true;
  DistributionKind distribution = DistributionKind::kUniform;
  double distribution_param = 0;  // zipf θ, pareto h, normal σ (percent of the region)
  std::optional<uint64_t> randseed;
  uint32_t fsync = 0;      // a flush after every N writes
  bool end_fsync = false;  // a flush when the job ends
  // Accepted and ignored because they mean nothing in simulation (ioengine, direct, ...).
  std::map<std::string, std::string> ignored;

  // Set by the scenario: which namespace (and host) the job runs against.
  std::string target_namespace;
  std::string host;
  int scenario_line = 0;  // line of the [[job]] table that brought the job in

  bool IsRandom() const;
  bool HasReads() const;
  bool HasWrites() const;
  uint64_t MinBlockSize() const;
  uint64_t MaxBlockSize() const;
};

const char* RwModeName(RwMode mode);

// Applies one fio option (`key=value`; value empty for bare flags such as time_based). Returns ""
// or what was expected. Unknown and unsupported options are errors.
std::string ApplyFioOption(JobSpec& job, std::string_view key, std::string_view value);

// Consistency of one job after all options: "" or the problem (names the option).
std::string CheckJobOptions(const JobSpec& job);

// The job's effective options as fio would echo them in "job options" (rw, bs, iodepth ...):
// only options that differ from the defaults, plus rw, bs and iodepth always.
std::map<std::string, std::string> JobOptionsForReport(const JobSpec& job);

// The option names ApplyFioOption knows (for error messages and the reference).
const std::vector<std::string>& SupportedFioOptions();

// Parses an fio job file: [global] sections apply to the jobs after them; each other section is
// a job. Throws ScenarioError naming file, line and option on anything unknown or invalid.
std::vector<JobSpec> ParseFioJobFile(std::string_view text, const std::string& path);
std::vector<JobSpec> LoadFioJobFile(const std::string& path);

}  // namespace nvmesim::harness
