// The workload's requests as Perfetto slices: one track per job, one slice per request from
// submission to completion (requests never completed end at the run's end, named "lost ...").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/report/chrome_trace.h"
#include "harness/workload/completion_ledger.h"

namespace nvmesim::harness {

void AddRequestSlices(ChromeTraceWriter& writer, const CompletionLedger& ledger,
                      const std::vector<std::string>& job_names, uint64_t end_ps);

}  // namespace nvmesim::harness
