// One submission queue and its completion queue (1:1), as the host sees them:
// SQ tail and CQ head, phase tag, CID allocation with a generation count, SQ
// flow control from the SQHD the controller reports, doorbell batching and
// per-queue statistics. NVMe 2.0 base 3.3.1 (queue model), 4.2 (CQE), and
// PCIe transport 1.0 3.1.2 (doorbells).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <vector>

#include "driver/hal/hal.h"
#include "driver/internal/command.h"
#include "spec/command.h"
#include "spec/registers.h"

namespace nvmesim::driver {

struct QueueStats {
  uint64_t submitted = 0;     // commands written to the SQ
  uint64_t completed = 0;     // CQEs matched to a command
  uint64_t sq_doorbells = 0;  // SQ tail doorbell writes
  uint64_t cq_doorbells = 0;  // CQ head doorbell writes
  uint64_t queue_full = 0;    // submissions deferred: no free CID or SQ slot, or depth limit
  uint64_t ignored_cqes = 0;  // unknown, out-of-range or stale CID, wrong SQ id
  uint64_t bad_sq_head = 0;   // CQEs whose SQHD was out of range (ignored)
  uint64_t empty_reaps = 0;   // interrupts/polls that found no new CQE
  uint32_t outstanding = 0;
  uint32_t max_outstanding = 0;
};

class QueuePair {
 public:
  // `entries` is the queue size of both SQ and CQ (2..65536).
  QueuePair(uint16_t qid, uint32_t entries, uint8_t dstrd, hal::Mmio* mmio, hal::Log* log,
            const char* trace_source);
  QueuePair(const QueuePair&) = delete;
  QueuePair& operator=(const QueuePair&) = delete;

  // Allocates both rings (page aligned, base 2.0 5.4/5.5 require PC=1 here).
  bool Allocate(hal::DmaMemory* dma, uint32_t page_size);
  void Release(hal::DmaMemory* dma);
  // Back to the state after creation: CQ zeroed, head/tail 0, phase 1. Slots
  // must be empty (TakeAllInFlight first).
  void ResetRings();

  uint16_t qid() const { return qid_; }
  uint32_t entries() const { return entries_; }
  uint32_t slots() const { return slots_; }
  uint64_t sq_bus() const { return sq_.bus; }
  uint64_t cq_bus() const { return cq_.bus; }
  uint16_t sq_tail() const { return tail_; }
  uint16_t cq_head() const { return head_; }
  uint16_t sq_head() const { return sq_head_; }
  bool phase() const { return phase_; }
  const QueueStats& stats() const { return stats_; }
  QueueStats& mutable_stats() { return stats_; }
  uint32_t cid_generation_bits() const { return 16 - slot_bits_; }

  // True when a command can be written now (free CID and free SQ entry).
  bool CanSubmit() const;
  // Writes cmd->sqe with a fresh CID at the tail. Rings the doorbell unless
  // `defer_doorbell`. Precondition: CanSubmit().
  void Submit(internal::Command* cmd, uint64_t now_ns, bool defer_doorbell);
  // Writes the SQ tail doorbell if entries were added since the last write.
  void FlushDoorbell();
  bool doorbell_pending() const { return doorbell_pending_; }

  // Consumes up to `budget` new CQEs; for each one matched to a command in
  // flight calls deliver(cmd, cqe) after freeing its CID. CQEs with an
  // unknown/out-of-range/stale CID are logged and dropped. Writes the CQ head
  // doorbell once at the end. Returns the number of CQEs consumed.
  template <typename Deliver>
  uint32_t Reap(uint32_t budget, Deliver&& deliver);

  // Commands in flight, oldest submission first (for the timeout scan).
  internal::Command* oldest() const { return in_flight_.front(); }
  // Removes every command in flight (controller reset) and returns them in
  // submission order; their CIDs are released.
  std::vector<internal::Command*> TakeAllInFlight();
  // Looks up the command in flight with this CID (nullptr if none).
  internal::Command* FindByCid(uint16_t cid) const;

 private:
  // Validates a CQE's CID and returns its command, or nullptr (logged).
  internal::Command* Match(const spec::Cqe& cqe);
  void Ignore(const spec::Cqe& cqe, const char* why);

  uint16_t qid_;
  uint32_t entries_;
  uint32_t slots_;      // at most entries - 1 commands in flight (one SQ entry stays empty)
  uint32_t slot_bits_;  // CID = generation << slot_bits | slot
  uint32_t dstrd_;
  hal::Mmio* mmio_;
  hal::Log* log_;
  const char* trace_source_;
  hal::DmaBuffer sq_, cq_;
  uint16_t tail_ = 0, head_ = 0, sq_head_ = 0;
  bool phase_ = true;
  bool doorbell_pending_ = false;
  uint64_t ring_epoch_ = 0;  // bumped by ResetRings so a Reap in progress stops
  std::vector<internal::Command*> slot_cmd_;
  std::vector<uint16_t> slot_gen_;
  std::vector<uint16_t> free_;  // FIFO ring of free slots
  uint32_t free_head_ = 0, free_count_ = 0;
  internal::CommandList in_flight_;
  QueueStats stats_;
};

template <typename Deliver>
uint32_t QueuePair::Reap(uint32_t budget, Deliver&& deliver) {
  const uint64_t epoch = ring_epoch_;
  uint32_t n = 0;
  auto* ring = reinterpret_cast<volatile const uint16_t*>(cq_.cpu);
  while (n < budget && cq_.valid()) {
    // Status (with the phase tag) is the last half-word of the 16-byte CQE.
    const uint16_t status = ring[head_ * 8 + 7];
    if (((status & 1u) != 0) != phase_) break;
    std::atomic_thread_fence(std::memory_order_acquire);
    spec::Cqe cqe;
    std::memcpy(&cqe, cq_.cpu + size_t{head_} * sizeof(spec::Cqe), sizeof cqe);
    if (++head_ == entries_) {
      head_ = 0;
      phase_ = !phase_;  // base 2.0 4.2.4: the phase inverts on every pass
    }
    ++n;
    internal::Command* cmd = Match(cqe);
    if (cmd != nullptr) {
      deliver(cmd, cqe);
      if (epoch != ring_epoch_) return n;  // the queue was reset underneath us
    }
  }
  if (n == 0) {
    ++stats_.empty_reaps;
  } else {
    mmio_->Write32(spec::CqHeadDoorbellOffset(qid_, static_cast<uint8_t>(dstrd_)), head_);
    ++stats_.cq_doorbells;
  }
  return n;
}

}  // namespace nvmesim::driver
