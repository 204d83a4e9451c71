#include "harness/report/request_trace.h"

namespace nvmesim::harness {

void AddRequestSlices(ChromeTraceWriter& writer, const CompletionLedger& ledger,
                      const std::vector<std::string>& job_names, uint64_t end_ps) {
  for (const RequestRecord& r : ledger.records()) {
    std::string job = r.job < job_names.size() ? job_names[r.job] : "job#" + std::to_string(r.job);
    bool done = r.completions > 0;
    uint64_t end = done ? r.complete_ps : std::max(end_ps, r.submit_ps);
    ChromeTraceWriter::Args args = {{"id", r.id}, {"lba", r.lba}, {"nlb", r.nlb}};
    if (done) args.push_back({"status", r.status.WithDnr(false).ToString()});
    if (r.completions > 1) args.push_back({"completions", r.completions});
    writer.Slice("jobs", job, (done ? std::string() : std::string("lost ")) + IoOpName(r.op), r.submit_ps,
                 end - r.submit_ps, args);
  }
}

}  // namespace nvmesim::harness
