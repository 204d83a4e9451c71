#include "harness/workload/completion_ledger.h"

#include <algorithm>

namespace nvmesim::harness {

uint64_t CompletionLedger::Submit(uint32_t job, IoOp op, uint64_t lba, uint32_t nlb,
                                  uint64_t time_ps) {
  RequestRecord r;
  r.id = records_.size();
  r.job = job;
  r.op = op;
  r.lba = lba;
  r.nlb = nlb;
  r.submit_ps = time_ps;
  records_.push_back(r);
  return r.id;
}

CompletionCheck CompletionLedger::Complete(uint64_t id, const spec::Status& status,
                                           uint64_t time_ps) {
  if (id >= records_.size()) {
    ++unknown_;
    return CompletionCheck::kUnknown;
  }
  RequestRecord& r = records_[id];
  if (r.completions++ > 0) {
    ++duplicates_;
    return CompletionCheck::kDuplicate;
  }
  r.complete_ps = time_ps;
  r.status = status;
  ++completed_;
  return CompletionCheck::kFirst;
}

uint64_t CompletionLedger::CountStatus(const spec::Status& status, std::optional<uint32_t> job,
                                       std::optional<Range> touching, bool outside) const {
  uint64_t n = 0;
  for (const RequestRecord& r : records_) {
    if (r.completions == 0 || !r.status.Is(status)) continue;
    if (job && r.job != *job) continue;
    if (touching) {
      // Zero-length requests (flush, zone reset) touch their start LBA.
      uint64_t end = r.lba + std::max<uint64_t>(r.nlb, 1);
      bool hit = r.lba < touching->lba + touching->count && touching->lba < end;
      if (hit == outside) continue;
    }
    ++n;
  }
  return n;
}

std::optional<uint64_t> CompletionLedger::DrainedAfter(uint64_t start_ps, uint64_t ref_ps) const {
  uint64_t last = ref_ps;
  for (const RequestRecord& r : records_) {
    if (r.submit_ps > ref_ps) continue;
    bool in_flight_at_start = r.completions == 0 || r.complete_ps >= start_ps;
    if (!in_flight_at_start) continue;
    if (r.completions == 0) return std::nullopt;
    last = std::max(last, r.complete_ps);
  }
  return last;
}

std::optional<uint64_t> CompletionLedger::FirstSuccessAfter(uint64_t time_ps) const {
  std::optional<uint64_t> best;
  for (const RequestRecord& r : records_) {
    if (r.completions == 0 || !r.status.ok() || r.complete_ps <= time_ps) continue;
    if (!best || r.complete_ps < *best) best = r.complete_ps;
  }
  return best;
}

}  // namespace nvmesim::harness
