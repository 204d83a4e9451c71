// Where the time of a QD 1 request goes, from the events the model emitted
// while the measured jobs ran (BenchOptions::record_events): the driver's SQ
// doorbell, the doorbell TLP entering the link, the controller's doorbell, the
// SQE fetch read, command dispatch, the media model's answer, the CQE, the
// MSI-X message at the root complex and the completion callback. Each row is
// the time between two consecutive hops, so the rows of a request add up to
// its latency exactly, and the mean rows to the mean latency.
#pragma once

#include <string>
#include <vector>

#include "harness/bench/bench_run.h"

namespace nvmesim::harness {

struct BreakdownRow {
  std::string stage;  // "driver submit", "link down (doorbell TLP)" ...
  std::string hops;   // "submit -> driver sq_doorbell"
  double mean_ns = 0;
};

struct LatencyBreakdown {
  std::string job;
  IoOp op = IoOp::kRead;
  size_t requests = 0;         // requests broken down
  size_t skipped = 0;          // requests whose hops were not all found, that overlapped another
                               // request or a command of another queue (admin), or failed
  double mean_latency_ns = 0;  // of the requests broken down (submit to callback)
  std::vector<BreakdownRow> rows;
};

// One breakdown per measured job and direction. Requests must not overlap in
// time (QD 1, one job at a time); those that do, and those during which the
// controller ran a command of another queue (the driver's admin commands), are skipped.
// `controller` and `link` are the source names of the device and its link ("ctrl0", "link0").
std::vector<LatencyBreakdown> BreakDownLatency(const BenchResult& r,
                                               const std::string& controller = "ctrl0",
                                               const std::string& link = "link0");

std::string FormatLatencyBreakdown(const std::vector<LatencyBreakdown>& b);

}  // namespace nvmesim::harness
