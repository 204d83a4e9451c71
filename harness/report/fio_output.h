// Job results shaped like fio's: the text summary it prints and its --output-format=json
// document (jobs[].read.iops, bw_bytes, clat_ns.percentile["99.000000"] ...), so fio tooling
// reads nvmesim results unchanged. All times are simulated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/report/job_stats.h"

namespace nvmesim::harness {

struct RunSummary {
  std::string scenario;
  uint64_t seed = 0;
  std::string fidelity;       // "approximate" ...
  uint64_t simulated_ps = 0;  // simulated time of the whole run
  std::string trace_hash;     // TraceHasher::HexHash()
  uint64_t trace_events = 0;
};

// fio's per-job block ("randrw: (groupid=0, jobs=1): err= 0: ...", IOPS/BW lines, clat
// min/max/avg/stdev, the percentile table) per job, then "Run status group" totals and the
// trace hash.
std::string FormatFioText(const std::vector<JobStats>& jobs, const RunSummary& run);

// fio's JSON output shape; nvmesim's extras sit under "nvmesim" keys fio does not use.
nlohmann::json FioJson(const std::vector<JobStats>& jobs, const RunSummary& run);

// fio's percentile key: 99.0 -> "99.000000".
std::string FioPercentileKey(double p);

// fio-style number formatting: 25100 -> "25.1k", 1234567 -> "1235k"; bytes/s -> "98.0MiB/s".
std::string FormatFioCount(double v);
std::string FormatFioBandwidth(double bytes_per_second);  // "98.0MiB/s (103MB/s)"

}  // namespace nvmesim::harness
