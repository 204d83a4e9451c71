// Every request a workload submits and every completion it gets back, so that "each request
// completed exactly once, or failed with an allowed status" can be checked: requests never
// completed, completed twice or completions nobody asked for all show. Also answers the
// questions expectations ask (statuses seen on an LBA range, when in-flight work drained).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "harness/workload/io_generator.h"
#include "spec/status.h"

namespace nvmesim::harness {

struct RequestRecord {
  uint64_t id = 0;
  uint32_t job = 0;  // the runner's job index (e.g. position in ScenarioSpec::jobs)
  IoOp op = IoOp::kRead;
  uint64_t lba = 0;
  uint32_t nlb = 0;
  uint64_t submit_ps = 0;
  uint64_t complete_ps = 0;  // first completion; valid when completions > 0
  uint32_t completions = 0;
  spec::Status status;  // of the first completion
};

enum class CompletionCheck {
  kFirst,      // the request's one completion
  kDuplicate,  // it had completed before
  kUnknown,    // no such request was submitted
};

class CompletionLedger {
 public:
  // Returns the request id (0, 1, 2 ... in submission order).
  uint64_t Submit(uint32_t job, IoOp op, uint64_t lba, uint32_t nlb, uint64_t time_ps);
  CompletionCheck Complete(uint64_t id, const spec::Status& status, uint64_t time_ps);

  uint64_t submitted() const { return records_.size(); }
  uint64_t completed() const { return completed_; }
  uint64_t outstanding() const { return records_.size() - completed_; }
  uint64_t duplicate_completions() const { return duplicates_; }
  uint64_t unknown_completions() const { return unknown_; }

  const std::vector<RequestRecord>& records() const { return records_; }
  const RequestRecord* Find(uint64_t id) const {
    return id < records_.size() ? &records_[id] : nullptr;
  }

  // Completions with this status (type and code), optionally of one job and touching an LBA
  // range [lba, lba + count).
  struct Range {
    uint64_t lba = 0, count = 0;
  };
  uint64_t CountStatus(const spec::Status& status, std::optional<uint32_t> job = std::nullopt,
                       std::optional<Range> touching = std::nullopt, bool outside = false) const;

  // Recovery from a fault that started at `start_ps` and whose effect ended at `ref_ps`
  // (ref_ps == start_ps for faults without an end): the time the last request that was in flight
  // at start_ps or submitted before ref_ps completed, or nullopt while any of them is still
  // outstanding. Requests of no job filter: all.
  std::optional<uint64_t> DrainedAfter(uint64_t start_ps, uint64_t ref_ps) const;
  // First successful completion after `time_ps` (nullopt when none).
  std::optional<uint64_t> FirstSuccessAfter(uint64_t time_ps) const;

 private:
  std::vector<RequestRecord> records_;
  uint64_t completed_ = 0;
  uint64_t duplicates_ = 0;
  uint64_t unknown_ = 0;
};

}  // namespace nvmesim::harness
