// The SQ/CQ engine: arbitration, batched SQE fetch, dispatch, completion
// posting with phase tags (NVMe Base 2.0 sections 3.3 and 4.2), interrupts
// with coalescing (5.27.1.8), timed completions, and in-flight bookkeeping.
#include <algorithm>
#include <cstring>

#include "device_model/controller.h"
#include "device_model/thermal/thermal_model.h"

namespace nvmesim::device {

using spec::GenericStatus;
using spec::Status;

namespace {
constexpr uint32_t kMaxCommandsPerActivation = 4096;
// Temporal decoupling quantum: the engine yields once its local time runs
// this far ahead of SystemC time.
const sc_core::sc_time kQuantum(static_cast<double>(kEngineQuantumPs), sc_core::SC_PS);
}  // namespace

void NvmeController::ScheduleEngine() {
  // From outside the engine local_ is the caller's annotated time offset.
  if (!in_engine_) engine_event_.notify(local_);
}

void NvmeController::UpdateAvail(uint16_t qid) {
  const SubmissionQueue& sq = sqs_[qid];
  uint32_t n = 0;
  if (sq.valid && sq.size && !sq.broken) {
    const CompletionQueue& cq = cqs_[sq.cqid];
    if (!cq.HasBacklog()) n = sq.Available();
  }
  sq_avail_[qid] = n;
}

void NvmeController::EngineProcess() {
  ++stats_.engine_activations;
  if (state_ != State::kReady) return;
  in_engine_ = true;
  local_ = sc_core::SC_ZERO_TIME;
  uint32_t budget = kMaxCommandsPerActivation;
  bool more = false;
  while (state_ == State::kReady) {
    if (budget == 0 || local_ >= kQuantum) {
      more = true;
      break;
    }
    const Arbiter::Grant g = arbiter_.Select(sq_avail_);
    if (g.qid < 0) break;
    const uint16_t qid = static_cast<uint16_t>(g.qid);
    SubmissionQueue& sq = sqs_[qid];
    uint32_t n = std::min({sq_avail_[qid], g.max_commands, sq.size - sq.head,
                           static_cast<uint32_t>(fetch_buf_.size()), budget});
    // One DMA read for a run of SQEs (they are contiguous up to the wrap).
    if (!DmaRead(sq.base + uint64_t{sq.head} * sizeof(spec::Sqe), fetch_buf_.data(),
                 uint64_t{n} * sizeof(spec::Sqe))) {
      // No CQE can name the command: stop the queue and tell the host
      // through a Persistent Internal Error event (Figure 147).
      Trace("sqe_fetch_error", qid, sq.head);
      sq.broken = true;
      sq_avail_[qid] = 0;
      QueueAsyncEvent(0, 0x03, 0x01);
      if (qid == 0) InjectFatal();
      continue;
    }
    sq.head += n;  // n stops at the ring's end: at most one wrap
    if (sq.head == sq.size) sq.head = 0;
    stats_.commands_fetched += n;
    arbiter_.Consumed(qid, n);
    UpdateAvail(qid);
    budget -= n;
    local_ += ps_clock_.Time(cfg_.command_overhead_ps * n);
    for (uint32_t i = 0; i < n && state_ == State::kReady; ++i) {
      Command c;
      c.sqe = fetch_buf_[i];
      c.sqid = qid;
      Execute(c);
      if (!sqs_[qid].valid) break;  // deleted by a command in this batch
    }
  }
  FlushInterrupts();
  if (more) engine_event_.notify(local_);
  in_engine_ = false;
  local_ = sc_core::SC_ZERO_TIME;
}

void NvmeController::Execute(Command& c) {
  Trace("cmd", c.sqid, c.sqe.cid, c.sqe.opcode);
  executing_ = true;
  Status s;
  // Fused operations are not supported (FUSES = 0, Figure 275); reserved FUSE
  // values are invalid (Figure 88).
  if (c.sqe.fuse() != spec::FusedOperation::kNormal) {
    s = Status(GenericStatus::kInvalidField, true);
  } else if (c.sqid == 0) {
    s = ExecuteAdmin(c);
  } else {
    // A command may wake the device from a non-operational power state.
    const uint64_t wake_ps = thermal_ ? thermal_->CommandStarted(NowPs()) : 0;
    s = ExecuteIo(c);
    if (thermal_) {
      ThermalThrottle(c);
      c.media_ps += wake_ps;  // after ExecuteIo, which sets the media time
    }
  }
  executing_ = false;
  if (!c.deferred) Complete(c, s);
  if (deliver_events_after_) {
    deliver_events_after_ = false;
    DeliverAsyncEvents();
  }
}

void NvmeController::ThermalThrottle(Command& c) {
  const double f = thermal_->throughput_factor();
  if (!(f > 0 && f < 1)) return;
  // Throttling stretches media service time (thermal throughput factor)...
  if (c.media_ps > 0) c.media_ps = static_cast<uint64_t>(static_cast<double>(c.media_ps) / f);
  // ...and, with a reference bandwidth, caps the data rate at f x reference:
  // a pacer every data transfer passes through, so a write cache cannot hide it.
  const double reference = thermal_->config().throttle_reference_bps;
  if (reference <= 0 || c.bytes == 0) return;
  const uint64_t now = NowPs();
  const uint64_t start = std::max(now, throttle_free_ps_);
  throttle_free_ps_ =
      start + static_cast<uint64_t>(static_cast<double>(c.bytes) * 1e12 / (f * reference));
  if (throttle_free_ps_ > now + c.media_ps) c.media_ps = throttle_free_ps_ - now;
}

void NvmeController::Complete(const Command& c, const Status& s) {
  SubmissionQueue& sq = sqs_[c.sqid];
  spec::Cqe cqe;
  cqe.dw0 = c.dw0;
  cqe.dw1 = c.dw1;
  cqe.sq_head = static_cast<uint16_t>(sq.head);
  cqe.sq_id = c.sqid;
  cqe.cid = c.sqe.cid;
  cqe.status = s.ToCqeField(false);
  if (!s.ok()) {
    health_.AddError(c.sqid, c.sqe.cid, cqe.status, c.sqe.nsid, 0, 0);
    Trace("cmd_error", c.sqid, c.sqe.cid, cqe.status);
  }
  const uint16_t cqid = sq.cqid;
  if (sq.hung) {
    held_.push_back({0, timed_seq_++, c.sqid, cqid, cqe, false});
    return;
  }
  uint64_t extra = c.media_ps;
  health_.busy_ps += c.media_ps + cfg_.command_overhead_ps;  // SMART Controller Busy Time
  if (thermal_ && c.sqid != 0) {
    thermal_->CommandCompleted(NowPs() + extra, c.bytes);
    ThermalPoll();
  }
  const FaultHooks::Action a = faults_.OnCompletion(c.sqid, c.sqe.cid);
  if (a.delay_ps) extra += a.delay_ps;
  if (extra > 0) {
    const uint64_t now = NowPs();
    PushTimed({now + extra, timed_seq_++, c.sqid, cqid, cqe, false});
    return;
  }
  PostCqe(cqid, cqe);
}

void NvmeController::PostCqe(uint16_t cqid, spec::Cqe cqe, bool from_fault_path) {
  CompletionQueue& cq = cqs_[cqid];
  if (!cq.valid) return;
  if (!from_fault_path) {
    const FaultHooks::Action a = faults_.OnPost(cqe.sq_id, cqe.cid);
    if (a.drop) {
      ++stats_.completions_dropped;
      Trace("cqe_dropped", cqid, cqe.cid);
      return;
    }
    if (a.corrupt) {
      ++stats_.completions_corrupted;
      cqe.cid ^= 0x5A5A;
      cqe.status ^= 0x00FE;
      Trace("cqe_corrupted", cqid, cqe.cid);
    }
    if (a.duplicate) {
      ++stats_.completions_duplicated;
      PostCqe(cqid, cqe, true);
    }
  }
  if (cq.HasBacklog() || cq.Full()) {
    if (cq.backlog_head == cq.backlog.size()) {
      cq.backlog.clear();
      cq.backlog_head = 0;
    }
    cq.backlog.push_back(cqe);
    // SQs completing here stop being fetched until there is room.
    for (size_t q = 0; q < sqs_.size(); ++q) {
      if (sqs_[q].valid && sqs_[q].cqid == cqid) sq_avail_[q] = 0;
    }
    Trace("cq_full", cqid);
    return;
  }
  if (WriteCqe(cq, cqe)) RaiseInterrupt(cq);
}

bool NvmeController::WriteCqe(CompletionQueue& cq, const spec::Cqe& in) {
  spec::Cqe cqe = in;
  cqe.status = static_cast<uint16_t>((cqe.status & ~1u) | (cq.phase ? 1u : 0u));
  if (!DmaWrite(cq.base + uint64_t{cq.tail} * sizeof(spec::Cqe), &cqe, sizeof cqe)) {
    Trace("cqe_write_error", cq.qid, cq.tail);
    return false;
  }
  if (++cq.tail == cq.size) {
    cq.tail = 0;
    cq.phase = !cq.phase;  // phase tag inverts on each pass (4.2.4)
  }
  ++stats_.completions_posted;
  Trace("cqe_post", cq.qid, cqe.cid, cqe.status);
  return true;
}

void NvmeController::DrainBacklog(CompletionQueue& cq) {
  bool posted = false;
  while (cq.HasBacklog() && !cq.Full()) {
    if (WriteCqe(cq, cq.backlog[cq.backlog_head])) posted = true;
    ++cq.backlog_head;
  }
  if (!cq.HasBacklog()) {
    cq.backlog.clear();
    cq.backlog_head = 0;
    for (size_t q = 0; q < sqs_.size(); ++q) {
      if (sqs_[q].valid && sqs_[q].cqid == cq.qid) UpdateAvail(static_cast<uint16_t>(q));
    }
  }
  if (posted) RaiseInterrupt(cq);
}

void NvmeController::RaiseInterrupt(CompletionQueue& cq) {
  if (!cq.irq_enabled) return;
  const uint16_t v = cq.vector;
  if (v >= irq_pending_.size()) return;
  // Interrupt coalescing applies to I/O CQs only (5.27.1.8); THR is 0's based.
  if (cq.qid != 0 && !coalesce_disable_[v] && coalesce_thr_ > 0) {
    if (++coalesce_count_[v] <= coalesce_thr_) {
      if (coalesce_time_ > 0 && !coalesce_armed_) {
        coalesce_armed_ = true;
        coalesce_event_.notify(sc_core::sc_time(100.0 * coalesce_time_, sc_core::SC_US) + local_);
      }
      return;
    }
    coalesce_count_[v] = 0;
  }
  if (!irq_pending_[v]) {
    irq_pending_[v] = 1;
    irq_list_.push_back(v);
  }
  if (!in_engine_ && !defer_irqs_) FlushInterrupts();
}

void NvmeController::FlushInterrupts() {
  for (uint16_t v : irq_list_) {
    irq_pending_[v] = 0;
    SendMsix(v);
  }
  irq_list_.clear();
}

void NvmeController::CoalesceProcess() {
  local_ = sc_core::SC_ZERO_TIME;
  coalesce_armed_ = false;
  for (uint16_t v = 0; v < coalesce_count_.size(); ++v) {
    if (coalesce_count_[v] > 0) {
      coalesce_count_[v] = 0;
      SendMsix(v);
    }
  }
  local_ = sc_core::SC_ZERO_TIME;
}

void NvmeController::CompletionProcess() {
  local_ = sc_core::SC_ZERO_TIME;
  const uint64_t now = ps_clock_.NowPs();
  // With a window, each CQE is written at its own due time (local_) and the
  // interrupts wait for the last of them (FlushInterrupts at the final local_).
  const uint64_t horizon = now + cfg_.completion_window_ps;
  defer_irqs_ = cfg_.completion_window_ps > 0;
  while (!timed_.empty() && timed_.front().due_ps <= horizon) {
    Timed t = PopTimed();
    local_ = ps_clock_.Time(t.due_ps > now ? t.due_ps - now : 0);
    PostCqe(t.cqid, t.cqe);
  }
  defer_irqs_ = false;
  FlushInterrupts();
  if (!timed_.empty()) {
    completion_event_.notify(ps_clock_.Time(timed_.front().due_ps - now));
  }
  // Posting takes CQ room, never gives it: SQs held back by a full CQ run
  // again from the CQ head doorbell (DoorbellWrite), not from here.
  local_ = sc_core::SC_ZERO_TIME;
}

void NvmeController::PushTimed(const Timed& t) {
  // Only a new earliest completion moves the wake-up: the one for an earlier
  // front is pending already (the kernel keeps the earlier of two anyway).
  if (!timed_.push(t)) return;
  const uint64_t sc_now = ps_clock_.NowPs();
  const uint64_t due = t.due_ps;
  completion_event_.notify(ps_clock_.Time(due > sc_now ? due - sc_now : 0));
}

NvmeController::Timed NvmeController::PopTimed() { return timed_.pop(); }

// Delete I/O SQ (Base 2.0 5.7): commands of that SQ still in flight end with
// Command Aborted due to SQ Deletion, posted before the Delete completes.
void NvmeController::CompleteInFlightForSq(uint16_t sqid, const Status& s) {
  timed_.extract_if([sqid](const Timed& t) { return t.sqid == sqid; },
                    [&](const Timed& t) {
                      spec::Cqe cqe = t.cqe;
                      cqe.status = s.ToCqeField(false);
                      PostCqe(t.cqid, cqe);
                    });
  for (size_t i = 0; i < held_.size();) {
    if (held_[i].sqid == sqid) {
      spec::Cqe cqe = held_[i].cqe;
      cqe.status = s.ToCqeField(false);
      PostCqe(held_[i].cqid, cqe);
      held_.erase(held_.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
}

void NvmeController::AbortAllInFlight(bool by_reset) {
  // A controller reset ends every command without a completion (3.7.2):
  // the host owns their fate. Count and trace each so none vanishes unseen.
  timed_.for_each([&](const Timed& t) {
    ++stats_.commands_aborted_by_reset;
    Trace(by_reset ? "cmd_aborted_reset" : "cmd_aborted", t.sqid, t.cqe.cid);
  });
  timed_.clear();
  for (const Timed& t : held_) {
    ++stats_.commands_aborted_by_reset;
    Trace(by_reset ? "cmd_aborted_reset" : "cmd_aborted", t.sqid, t.cqe.cid);
  }
  held_.clear();
  for (uint16_t cid : aer_cids_) {
    ++stats_.commands_aborted_by_reset;
    Trace(by_reset ? "cmd_aborted_reset" : "cmd_aborted", 0, cid);
  }
  aer_cids_.clear();
  for (auto& cq : cqs_) {
    stats_.commands_aborted_by_reset += cq.backlog.size() - cq.backlog_head;
    cq.backlog.clear();
    cq.backlog_head = 0;
  }
}

void NvmeController::KeepAliveProcess() {
  if (kato_ms_ == 0 || state_ != State::kReady) return;
  const uint64_t kato_ps = uint64_t{kato_ms_} * 1'000'000'000ull;
  const uint64_t now = NowPs();
  if (now - last_keep_alive_ps_ >= kato_ps) {
    // Keep Alive Timer expired (3.9.5): the controller records an error and
    // stops as if a fatal error occurred, so the host must reset it.
    Trace("keep_alive_expired", kato_ms_);
    health_.AddError(0xFFFF, 0xFFFF,
                     Status(GenericStatus::kKeepAliveTimerExpired).ToCqeField(false), 0, 0, 0);
    InjectFatal();
    return;
  }
  keep_alive_event_.notify(
      sc_core::sc_time(static_cast<double>(last_keep_alive_ps_ + kato_ps - now), sc_core::SC_PS));
}

}  // namespace nvmesim::device
