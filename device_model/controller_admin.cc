// Admin command dispatch and the queue-management, Abort, Keep Alive and
// Asynchronous Event Request commands (NVMe Base 2.0 section 5).
#include <algorithm>
#include <cstring>

#include "device_model/controller.h"
#include "device_model/thermal/thermal_model.h"
#include "spec/opcodes.h"

namespace nvmesim::device {

using spec::AdminOpcode;
using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;

Status NvmeController::CheckMdts(uint64_t bytes) const {
  // MDTS is 2^n units of CAP.MPSMIN (Figure 275); larger transfers are
  // aborted with Invalid Field in Command.
  if (cfg_.mdts == 0)
    return bytes <= bounce_.size() ? Status::Ok() : Status(GenericStatus::kInvalidField, true);
  const uint64_t limit = (uint64_t{1} << (12 + cfg_.mpsmin)) << cfg_.mdts;
  return bytes <= limit ? Status::Ok() : Status(GenericStatus::kInvalidField, true);
}

Status NvmeController::ToHostBuffer(const spec::Sqe& s, const void* data, uint64_t len,
                                    bool allow_bucket) {
  TransferLimits lim;
  lim.page_size = page_size_;
  lim.sgl_supported = cfg_.sgl_support;
  lim.bit_bucket_allowed = allow_bucket;
  Status st = BuildTransfer(s, len, lim, *this, segs_);
  if (!st.ok()) return st;
  if (!CopyToHost(*this, segs_, static_cast<const uint8_t*>(data), len))
    return Status(GenericStatus::kDataTransferError);
  return Status::Ok();
}

Status NvmeController::FromHost(const spec::Sqe& s, void* data, uint64_t len) {
  TransferLimits lim;
  lim.page_size = page_size_;
  lim.sgl_supported = cfg_.sgl_support;
  lim.bit_bucket_allowed = false;
  Status st = BuildTransfer(s, len, lim, *this, segs_);
  if (!st.ok()) return st;
  if (!CopyFromHost(*this, segs_, static_cast<uint8_t*>(data), len))
    return Status(GenericStatus::kDataTransferError);
  return Status::Ok();
}

void NvmeController::AddMediaTime(const MediaOp& op) {
  pending_media_ps_ += media_->LatencyPs(op, NowPs());
}

void NvmeController::RegisterCommandSet(uint8_t csi, IoCommandSetHandler* handler) {
  command_sets_[csi] = handler;
}

Status NvmeController::ExecuteAdmin(Command& c) {
  const spec::Sqe& s = c.sqe;
  // Admin commands over PCIe use PRPs only (Base 2.0 Figure 88, PSDT).
  if (s.psdt() != spec::DataPointerType::kPrp) return Status(GenericStatus::kInvalidField, true);
  switch (static_cast<AdminOpcode>(s.opcode)) {
    case AdminOpcode::kDeleteIoSq:
      return DeleteIoSq(s);
    case AdminOpcode::kCreateIoSq:
      return CreateIoSq(s);
    case AdminOpcode::kGetLogPage:
      return GetLogPage(c);
    case AdminOpcode::kDeleteIoCq:
      return DeleteIoCq(s);
    case AdminOpcode::kCreateIoCq:
      return CreateIoCq(s);
    case AdminOpcode::kIdentify:
      return Identify(c);
    case AdminOpcode::kAbort:
      return Abort(c);
    case AdminOpcode::kSetFeatures:
      return SetFeatures(c);
    case AdminOpcode::kGetFeatures:
      return GetFeatures(c);
    case AdminOpcode::kAsyncEventRequest:
      return AsyncEventRequest(c);
    case AdminOpcode::kNamespaceManagement:
      return NamespaceManagement(c);
    case AdminOpcode::kFirmwareCommit:
      return FirmwareCommit(c);
    case AdminOpcode::kFirmwareImageDownload:
      return FirmwareDownload(c);
    case AdminOpcode::kNamespaceAttachment:
      return NamespaceAttachment(c);
    case AdminOpcode::kKeepAlive:
      return KeepAlive(c);
    case AdminOpcode::kFormatNvm:
      return FormatNvm(c);
    default:
      return Status(GenericStatus::kInvalidOpcode, true);
  }
}

namespace {
uint64_t BaseMaskBytes(uint32_t entries, uint32_t entry_bytes) {
  return uint64_t{entries} * entry_bytes;
}
}  // namespace

// Create I/O Completion Queue (Base 2.0 5.4, Figures 151-153).
Status NvmeController::CreateIoCq(const spec::Sqe& s) {
  const uint16_t qid = static_cast<uint16_t>(s.cdw10 & 0xFFFF);
  const uint32_t qsize = (s.cdw10 >> 16) + 1u;  // 0's based
  const bool pc = s.cdw11 & 1u;
  const bool ien = (s.cdw11 >> 1) & 1u;
  const uint16_t iv = static_cast<uint16_t>(s.cdw11 >> 16);
  if (qid == 0 || qid > uint32_t{ncqa_} + 1 || qid >= cqs_.size() || cqs_[qid].valid)
    return Status(CommandSpecificStatus::kInvalidQueueIdentifier, true);
  if (qsize < 2 || qsize > cap_.mqes() + 1u)
    return Status(CommandSpecificStatus::kInvalidQueueSize, true);
  if (!pc && cap_.cqr()) return Status(GenericStatus::kInvalidField, true);  // CAP.CQR
  if (ien && iv >= cfg_.msix_vectors)
    return Status(CommandSpecificStatus::kInvalidInterruptVector, true);
  if (cc_.iocqes() != spec::kCqesLog2) return Status(GenericStatus::kInvalidField, true);
  if (s.prp1 & (page_size_ - 1)) return Status(GenericStatus::kPrpOffsetInvalid, true);
  const uint64_t bar = pcie_->Bar0Base();
  const uint64_t bytes = BaseMaskBytes(qsize, sizeof(spec::Cqe));
  if (s.prp1 + bytes < s.prp1 || (bar != 0 && s.prp1 < bar + bar0_size_ && s.prp1 + bytes > bar))
    return Status(GenericStatus::kDataTransferError);
  CompletionQueue& cq = cqs_[qid];
  cq = CompletionQueue{};
  cq.valid = true;
  cq.qid = qid;
  cq.base = s.prp1;
  cq.size = qsize;
  cq.irq_enabled = ien;
  cq.vector = iv;
  cq.backlog.reserve(64);
  io_queues_created_ = true;
  Trace("create_cq", qid, qsize, iv);
  return Status::Ok();
}

// Create I/O Submission Queue (Base 2.0 5.5, Figures 155-157).
Status NvmeController::CreateIoSq(const spec::Sqe& s) {
  const uint16_t qid = static_cast<uint16_t>(s.cdw10 & 0xFFFF);
  const uint32_t qsize = (s.cdw10 >> 16) + 1u;
  const bool pc = s.cdw11 & 1u;
  const uint8_t qprio = (s.cdw11 >> 1) & 3u;
  const uint16_t cqid = static_cast<uint16_t>(s.cdw11 >> 16);
  if (qid == 0 || qid > uint32_t{nsqa_} + 1 || qid >= sqs_.size() || sqs_[qid].valid)
    return Status(CommandSpecificStatus::kInvalidQueueIdentifier, true);
  if (qsize < 2 || qsize > cap_.mqes() + 1u)
    return Status(CommandSpecificStatus::kInvalidQueueSize, true);
  if (cqid == 0 || cqid >= cqs_.size() || !cqs_[cqid].valid)
    return Status(CommandSpecificStatus::kCompletionQueueInvalid, true);
  if (!pc && cap_.cqr()) return Status(GenericStatus::kInvalidField, true);
  if (cc_.iosqes() != spec::kSqesLog2) return Status(GenericStatus::kInvalidField, true);
  if (s.prp1 & (page_size_ - 1)) return Status(GenericStatus::kPrpOffsetInvalid, true);
  const uint64_t bar = pcie_->Bar0Base();
  const uint64_t bytes = BaseMaskBytes(qsize, sizeof(spec::Sqe));
  if (s.prp1 + bytes < s.prp1 || (bar != 0 && s.prp1 < bar + bar0_size_ && s.prp1 + bytes > bar))
    return Status(GenericStatus::kDataTransferError);
  SubmissionQueue& sq = sqs_[qid];
  sq = SubmissionQueue{};
  sq.valid = true;
  sq.qid = qid;
  sq.base = s.prp1;
  sq.size = qsize;
  sq.cqid = cqid;
  sq.prio = static_cast<QueuePriority>(qprio);
  ++cqs_[cqid].sq_refs;
  arbiter_.AddQueue(qid, sq.prio);
  UpdateAvail(qid);
  io_queues_created_ = true;
  Trace("create_sq", qid, qsize, cqid);
  return Status::Ok();
}

// Delete I/O Submission Queue (Base 2.0 5.7).
Status NvmeController::DeleteIoSq(const spec::Sqe& s) {
  const uint16_t qid = static_cast<uint16_t>(s.cdw10 & 0xFFFF);
  if (qid == 0 || qid >= sqs_.size() || !sqs_[qid].valid)
    return Status(CommandSpecificStatus::kInvalidQueueIdentifier, true);
  CompleteInFlightForSq(qid, Status(GenericStatus::kAbortedSqDeleted));
  const uint16_t cqid = sqs_[qid].cqid;
  if (cqs_[cqid].sq_refs) --cqs_[cqid].sq_refs;
  sqs_[qid] = SubmissionQueue{};
  sq_avail_[qid] = 0;
  arbiter_.RemoveQueue(qid);
  Trace("delete_sq", qid);
  return Status::Ok();
}

// Delete I/O Completion Queue (Base 2.0 5.6).
Status NvmeController::DeleteIoCq(const spec::Sqe& s) {
  const uint16_t qid = static_cast<uint16_t>(s.cdw10 & 0xFFFF);
  if (qid == 0 || qid >= cqs_.size() || !cqs_[qid].valid)
    return Status(CommandSpecificStatus::kInvalidQueueIdentifier, true);
  if (cqs_[qid].sq_refs) return Status(CommandSpecificStatus::kInvalidQueueDeletion, true);
  cqs_[qid] = CompletionQueue{};
  Trace("delete_cq", qid);
  return Status::Ok();
}

// Abort (Base 2.0 5.1): DW0 bit 0 is 0 when the command was aborted.
Status NvmeController::Abort(Command& c) {
  const uint16_t sqid = static_cast<uint16_t>(c.sqe.cdw10 & 0xFFFF);
  const uint16_t cid = static_cast<uint16_t>(c.sqe.cdw10 >> 16);
  c.dw0 = 1;
  if (sqid >= sqs_.size() || !sqs_[sqid].valid) return Status::Ok();  // nothing to abort
  const Status aborted(GenericStatus::kAbortedByRequest);
  for (size_t i = 0; i < held_.size(); ++i) {
    if (held_[i].sqid == sqid && held_[i].cqe.cid == cid) {
      spec::Cqe cqe = held_[i].cqe;
      cqe.status = aborted.ToCqeField(false);
      const uint16_t cqid = held_[i].cqid;
      held_.erase(held_.begin() + static_cast<long>(i));
      PostCqe(cqid, cqe);
      c.dw0 = 0;
      return Status::Ok();
    }
  }
  // Found in flight: completes now, as aborted.
  if (timed_.make_due(
          [&](Timed& t) {
            if (t.sqid != sqid || t.cqe.cid != cid) return false;
            t.cqe.status = aborted.ToCqeField(false);
            return true;
          },
          0)) {
    completion_event_.notify(sc_core::SC_ZERO_TIME);
    c.dw0 = 0;
    return Status::Ok();
  }
  if (sqid == 0) {
    auto it = std::find(aer_cids_.begin(), aer_cids_.end(), cid);
    if (it != aer_cids_.end()) {
      aer_cids_.erase(it);
      Command a;
      a.sqe.cid = cid;
      a.sqid = 0;
      Complete(a, aborted);
      c.dw0 = 0;
    }
  }
  return Status::Ok();
}

// Keep Alive (Base 2.0 5.25): restarts the Keep Alive Timer.
Status NvmeController::KeepAlive(Command&) {
  last_keep_alive_ps_ = NowPs();
  return Status::Ok();
}

// Asynchronous Event Request (Base 2.0 5.2): held until an event occurs.
Status NvmeController::AsyncEventRequest(Command& c) {
  if (aer_cids_.size() >= uint32_t{cfg_.aerl} + 1u)
    return Status(CommandSpecificStatus::kAsyncEventRequestLimitExceeded);
  aer_cids_.push_back(c.sqe.cid);
  c.deferred = true;
  DeliverAsyncEvents();
  return Status::Ok();
}

void NvmeController::QueueAsyncEvent(uint8_t type, uint8_t info, uint8_t log_page) {
  // Completion DW0 (Figure 146): type 2:0, info 15:8, log page 23:16.
  const uint32_t dw0 = (type & 7u) | (uint32_t{info} << 8) | (uint32_t{log_page} << 16);
  // Async Event Configuration (Figure 328) gates SMART and notice events.
  if (type == 2) {  // notice
    // NAN 8, FA 9, ANACN 11 (Figure 330); ZDCN 27 for Zone Descriptor Changed (EFh, ZNS 1.1).
    const uint32_t bit = info == 0x00   ? 8u
                         : info == 0x01 ? 9u
                         : info == 0x03 ? 11u
                         : info == 0xEF ? 27u
                                        : 0u;
    if (bit && !(async_event_config_ & (1u << bit))) return;
  }
  if (type == 1) {
    // SMART events follow the critical warning bits they report (Figure 330):
    // 00h reliability -> bit 2, 01h temperature -> bit 1, 02h spare -> bit 0.
    const uint32_t bit = info == 0x00 ? 2u : info == 0x01 ? 1u : 0u;
    if (!(async_event_config_ & (1u << bit))) return;
  }
  if (std::find(event_queue_.begin(), event_queue_.end(), dw0) == event_queue_.end() &&
      event_queue_.size() < 64) {
    event_queue_.push_back(dw0);
  }
  Trace("async_event", type, info, log_page);
  if (executing_) {
    deliver_events_after_ = true;  // after the current command's completion
  } else {
    DeliverAsyncEvents();
  }
}

void NvmeController::DeliverAsyncEvents() {
  // An event type stays masked after it is reported until the host reads the
  // log page it names (5.2, "Asynchronous Event Information").
  for (size_t i = 0; i < event_queue_.size() && !aer_cids_.empty();) {
    const uint32_t dw0 = event_queue_[i];
    const uint32_t type = dw0 & 7u;
    if (masked_event_types_ & (1u << type)) {
      ++i;
      continue;
    }
    masked_event_types_ |= 1u << type;
    event_queue_.erase(event_queue_.begin() + static_cast<long>(i));
    Command a;
    a.sqe.cid = aer_cids_.front();
    a.sqid = 0;
    a.dw0 = dw0;
    aer_cids_.erase(aer_cids_.begin());
    Complete(a, Status::Ok());
  }
  if (!in_engine_) FlushInterrupts();
}

void NvmeController::OnNamespaceAttributeChanged(uint32_t nsid) {
  if (std::find(changed_ns_.begin(), changed_ns_.end(), nsid) == changed_ns_.end()) {
    if (changed_ns_.size() < 1024) {
      changed_ns_.push_back(nsid);
    } else {
      changed_ns_.assign(1, 0xFFFFFFFFu);  // more than 1024 changed (Figure 210)
    }
  }
  QueueAsyncEvent(2, 0x00, 0x04);  // Notice: Namespace Attribute Changed, log 04h
}

void NvmeController::OnAnaChange() {
  QueueAsyncEvent(2, 0x03, 0x0C);  // Notice: ANA Change, log 0Ch (Figure 148)
}

void NvmeController::SetAnaState(uint32_t group, AnaState state) {
  subsystem_.SetAnaState(group, cfg_.cntlid, state);
}

void NvmeController::HangQueue(uint16_t sqid, bool hung) {
  if (sqid < sqs_.size()) sqs_[sqid].hung = hung;
  if (!hung) {
    // Release what was held, in order.
    std::vector<Timed> held;
    held.swap(held_);
    for (const Timed& t : held) {
      if (t.sqid == sqid) {
        PostCqe(t.cqid, t.cqe);
      } else {
        held_.push_back(t);
      }
    }
    FlushInterrupts();
  }
}

void NvmeController::InjectMediaError(uint32_t nsid, uint64_t slba, uint64_t nlb) {
  Namespace* ns = subsystem_.Find(nsid);
  if (!ns) return;
  if (nlb == 0) {
    ns->media_errors().Clear();
  } else {
    ns->media_errors().Add(slba, nlb);
  }
}

void NvmeController::SetTemperatureOverride(bool on, uint16_t kelvin) {
  if (thermal_) {
    // The thermal model owns the temperature: force it and report its events.
    health_.temperature_overridden = on;
    if (on) thermal_->ForceTemperature(NowPs(), kelvin);
    ThermalPoll();
    return;
  }
  health_.temperature_overridden = on;
  health_.temperature_kelvin = on ? kelvin : cfg_.ambient_kelvin;
  // Temperature threshold event (Figure 148): over the threshold or under it.
  const bool over = health_.temperature_kelvin >= temp_threshold_over_;
  const bool under =
      temp_threshold_under_ != 0 && health_.temperature_kelvin < temp_threshold_under_;
  if (over || under) {
    health_.critical_warning |= 1u << 1;
    QueueAsyncEvent(1, 0x01, 0x02);  // SMART: temperature threshold, log 02h
  } else {
    health_.critical_warning &= static_cast<uint8_t>(~(1u << 1));
  }
}

}  // namespace nvmesim::device
