// What every LBA of a namespace should read back, tracked sparsely from the writes, trims,
// flushes and power losses the runner reports. States per LBA:
//   unwritten     - never written by a job: any contents are accepted;
//   in flight     - a write was submitted and has not completed: old or new contents;
//   acknowledged  - completed but not yet durable (volatile write cache on, no FUA, no flush
//                   since): reads must see it; a power loss may lose it;
//   durable       - completed with FUA, with the cache off, or covered by a completed flush;
//   deallocated   - trimmed: reads return the deallocated pattern (DLFEAT);
//   indeterminate - a write failed: any contents until the next write;
//   uncertain     - after a power loss: the durable value or any acknowledged-but-volatile or
//                   in-flight one; the first verified read pins which one survived.
// Overlapping writes in flight together are not ordered: the last completion wins.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "harness/workload/stamps.h"

namespace nvmesim::harness {

// What a read of a deallocated block returns: Identify Namespace DLFEAT bits 2:0
// (NVM Command Set 2.0 section 4.1.5.1, Figure 97): 000b not reported, 001b zeroes, 010b FFh.
enum class DeallocatedReads { kUnspecified, kZeroes, kOnes, kZeroesOrOnes };

enum class LbaState {
  kUnwritten,
  kInFlight,
  kAcknowledged,
  kDurable,
  kDeallocated,
  kIndeterminate,
  kUncertain,
};
const char* LbaStateName(LbaState s);

class DataOracle {
 public:
  explicit DataOracle(uint32_t lba_size,
                      DeallocatedReads deallocated = DeallocatedReads::kZeroesOrOnes);

  uint32_t lba_size() const { return lba_size_; }

  void WriteSubmitted(uint64_t lba, uint32_t nlb, const WriteStamp& stamp);
  // durable: FUA, or no volatile write cache.
  void WriteCompleted(uint64_t lba, uint32_t nlb, const WriteStamp& stamp, bool durable);
  void WriteFailed(uint64_t lba, uint32_t nlb, const WriteStamp& stamp);
  // A Zone Append landed at `assigned_lba` (from the completion); its data was stamped before
  // the LBA was known, with FillBlocks(..., stamped_lba, ...) - usually the zone start. Reads
  // of the assigned LBAs expect those headers. (No WriteSubmitted for appends: the LBA is unknown.)
  void AppendCompleted(uint64_t assigned_lba, uint32_t nlb, uint64_t stamped_lba,
                       const WriteStamp& stamp, bool durable);
  void TrimCompleted(uint64_t lba, uint32_t nlb, bool durable);
  void TrimFailed(uint64_t lba, uint32_t nlb);

  // A flush makes durable what was acknowledged before it was submitted.
  uint64_t FlushSubmitted() const { return ack_seq_; }
  void FlushCompleted(uint64_t token);

  // Power was lost: acknowledged-but-volatile and in-flight contents may or may not survive.
  void PowerLoss();

  // Checks nlb blocks read from lba; the first block that no acceptable value explains.
  std::optional<StampMismatch> VerifyRead(std::span<const uint8_t> buffer, uint64_t lba,
                                          uint32_t nlb);

  LbaState StateOf(uint64_t lba) const;
  // The stamp a read should find now (the newest acknowledged write), if it is data.
  std::optional<BlockStamp> Expected(uint64_t lba) const;
  size_t tracked_lbas() const { return entries_.size(); }

 private:
  struct Value {
    enum class Kind : uint8_t { kUnwritten, kData, kDeallocated, kIndeterminate };
    Kind kind = Kind::kUnwritten;
    uint64_t generation = 0;
    uint64_t job_seed = 0;
    uint64_t seq = 0;        // acknowledgement order
    uint64_t lba_delta = 0;  // header LBA = LBA - lba_delta (non-zero for zone appends)
  };
  // Usually one value of each at most: kept inline, no allocation.
  using Values = boost::container::small_vector<Value, 1>;
  struct Entry {
    Value durable;
    Values volatile_values;  // acknowledged, not durable; newest last
    Values in_flight;
    Values candidates;   // non-empty after a power loss until resolved
    bool dirty = false;  // listed in dirty_
  };

  void Complete(uint64_t lba, const Value& v, bool durable);
  // Completes `nlb` blocks from `lba` with `v` under one new acknowledgement number.
  void CompleteRange(uint64_t lba, uint32_t nlb, Value v, bool durable);
  static Value Stamped(Value::Kind kind, const WriteStamp& stamp);
  bool Matches(const uint8_t* block, uint64_t lba, const Value& v) const;

  uint32_t lba_size_;
  DeallocatedReads deallocated_;
  uint64_t ack_seq_ = 0;
  std::unordered_map<uint64_t, Entry> entries_;  // looked up only; never iterated for output
  std::vector<uint64_t> dirty_;                  // LBAs that may hold volatile values
};

}  // namespace nvmesim::harness
