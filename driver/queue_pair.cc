#include "driver/queue_pair.h"

#include <string>

namespace nvmesim::driver {

namespace {
uint32_t BitsFor(uint32_t max_value) {
  uint32_t bits = 0;
  while (bits < 16 && (uint32_t{1} << bits) <= max_value) ++bits;
  return bits == 0 ? 1 : bits;
}
}  // namespace

QueuePair::QueuePair(uint16_t qid, uint32_t entries, uint8_t dstrd, hal::Mmio* mmio, hal::Log* log,
                     const char* trace_source)
    : qid_(qid),
      entries_(entries),
      slots_(entries - 1),
      slot_bits_(BitsFor(entries - 2)),
      dstrd_(dstrd),
      mmio_(mmio),
      log_(log),
      trace_source_(trace_source),
      slot_cmd_(slots_, nullptr),
      slot_gen_(slots_, 0),
      free_(slots_) {
  for (uint32_t i = 0; i < slots_; ++i) free_[i] = static_cast<uint16_t>(i);
  free_count_ = slots_;
}

bool QueuePair::Allocate(hal::DmaMemory* dma, uint32_t page_size) {
  sq_ = dma->Allocate(size_t{entries_} * sizeof(spec::Sqe), page_size);
  cq_ = dma->Allocate(size_t{entries_} * sizeof(spec::Cqe), page_size);
  if (!sq_.valid() || !cq_.valid()) {
    Release(dma);
    return false;
  }
  ResetRings();
  return true;
}

void QueuePair::Release(hal::DmaMemory* dma) {
  if (sq_.valid()) dma->Free(sq_);
  if (cq_.valid()) dma->Free(cq_);
  sq_ = {};
  cq_ = {};
}

void QueuePair::ResetRings() {
  if (cq_.valid()) std::memset(cq_.cpu, 0, cq_.size);
  tail_ = head_ = sq_head_ = 0;
  phase_ = true;  // base 2.0 4.2.4: the first pass posts phase 1 over a zeroed queue
  doorbell_pending_ = false;
  ++ring_epoch_;
}

bool QueuePair::CanSubmit() const {
  const uint32_t next = (tail_ + 1u == entries_) ? 0u : tail_ + 1u;
  return free_count_ > 0 && next != sq_head_;  // base 2.0 3.3.1.1: full when tail+1 == head
}

void QueuePair::Submit(internal::Command* cmd, uint64_t now_ns, bool defer_doorbell) {
  const uint16_t slot = free_[free_head_];
  free_head_ = (free_head_ + 1 == slots_) ? 0 : free_head_ + 1;
  --free_count_;
  const uint32_t gen_bits = 16 - slot_bits_;
  uint16_t cid;
  do {
    slot_gen_[slot] =
        gen_bits ? static_cast<uint16_t>((slot_gen_[slot] + 1) & ((1u << gen_bits) - 1)) : 0;
    cid = static_cast<uint16_t>((uint32_t{slot_gen_[slot]} << slot_bits_) | slot);
    // CID FFFFh is avoided: the Error Information log uses it for "no
    // command" (Error Information log, base 5.16).
  } while (cid == 0xFFFF && gen_bits != 0);
  slot_cmd_[slot] = cmd;
  cmd->slot = slot;
  cmd->sqe.cid = cid;
  cmd->submit_ns = now_ns;
  std::memcpy(sq_.cpu + size_t{tail_} * sizeof(spec::Sqe), &cmd->sqe, sizeof(spec::Sqe));
  tail_ = static_cast<uint16_t>((tail_ + 1u == entries_) ? 0u : tail_ + 1u);
  in_flight_.PushBack(cmd);
  ++stats_.submitted;
  if (++stats_.outstanding > stats_.max_outstanding) stats_.max_outstanding = stats_.outstanding;
  doorbell_pending_ = true;
  if (!defer_doorbell) FlushDoorbell();
}

void QueuePair::FlushDoorbell() {
  if (!doorbell_pending_) return;
  doorbell_pending_ = false;
  std::atomic_thread_fence(std::memory_order_release);  // SQEs visible before the doorbell
  // Traced when issued: the write's own MMIO time is spent after it.
  log_->Trace({0, trace_source_, "sq_doorbell", qid_, tail_, 0});
  mmio_->Write32(spec::SqTailDoorbellOffset(qid_, static_cast<uint8_t>(dstrd_)), tail_);
  ++stats_.sq_doorbells;
}

void QueuePair::Ignore(const spec::Cqe& cqe, const char* why) {
  ++stats_.ignored_cqes;
  log_->Write(hal::LogLevel::kWarning, std::string(trace_source_) + ": q" + std::to_string(qid_) +
                                           " ignored completion cid " + std::to_string(cqe.cid) +
                                           " sqid " + std::to_string(cqe.sq_id) + ": " + why);
  log_->Trace({0, trace_source_, "cqe_ignored", qid_, cqe.cid, 0});
}

internal::Command* QueuePair::Match(const spec::Cqe& cqe) {
  // SQHD: how far the controller has consumed the SQ (base 2.0 4.2.2).
  if (cqe.sq_head < entries_) {
    sq_head_ = cqe.sq_head;
  } else {
    ++stats_.bad_sq_head;
  }
  if (cqe.sq_id != qid_) {
    Ignore(cqe, "SQ identifier does not match this queue");
    return nullptr;
  }
  const uint32_t slot = cqe.cid & ((1u << slot_bits_) - 1);
  if (slot >= slots_) {
    Ignore(cqe, "CID out of range for this queue");
    return nullptr;
  }
  internal::Command* cmd = slot_cmd_[slot];
  if (cmd == nullptr) {
    Ignore(cqe, "no command in flight with this CID");
    return nullptr;
  }
  if (cmd->sqe.cid != cqe.cid) {
    Ignore(cqe, "stale CID generation (late completion of a recycled CID)");
    return nullptr;
  }
  slot_cmd_[slot] = nullptr;
  const uint32_t tail = free_head_ + free_count_;
  free_[tail >= slots_ ? tail - slots_ : tail] = static_cast<uint16_t>(slot);
  ++free_count_;
  in_flight_.Remove(cmd);
  cmd->slot = internal::kNoSlot;
  --stats_.outstanding;
  ++stats_.completed;
  return cmd;
}

internal::Command* QueuePair::FindByCid(uint16_t cid) const {
  const uint32_t slot = cid & ((1u << slot_bits_) - 1);
  if (slot >= slots_) return nullptr;
  internal::Command* cmd = slot_cmd_[slot];
  return (cmd != nullptr && cmd->sqe.cid == cid) ? cmd : nullptr;
}

std::vector<internal::Command*> QueuePair::TakeAllInFlight() {
  std::vector<internal::Command*> out;
  out.reserve(in_flight_.size());
  while (internal::Command* cmd = in_flight_.PopFront()) {
    slot_cmd_[cmd->slot] = nullptr;
    const uint32_t tail = free_head_ + free_count_;
    free_[tail >= slots_ ? tail - slots_ : tail] = cmd->slot;
    ++free_count_;
    cmd->slot = internal::kNoSlot;
    out.push_back(cmd);
  }
  stats_.outstanding = 0;
  ++ring_epoch_;  // a Reap in progress must not consume more of this ring
  return out;
}

}  // namespace nvmesim::driver
