// Command processor and block API: building commands (MDTS split, PRP/SGL),
// issuing them under queue back-pressure, reaping completions and applying
// the retry rules.
#include <algorithm>
#include <string>

#include "driver/commands.h"
#include "driver/controller.h"
#include "driver/internal/nvme_defs.h"
#include "driver/retry.h"
#include "spec/opcodes.h"
#include "spec/registers.h"

namespace nvmesim::driver {

Controller::Controller(const hal::Platform& platform, ControllerOptions options)
    : platform_(platform),
      options_(std::move(options)),
      namespaces_(this, options_.config.controller_max_namespaces) {}

Controller::~Controller() {
  StopTimers();
  if (gate_timer_ != hal::Clock::kNoTimer) platform_.clock->CancelTimer(gate_timer_);
  gate_timer_ = hal::Clock::kNoTimer;
  while (Command* c = delayed_.PopFront()) platform_.clock->CancelTimer(c->retry_timer);
  for (uint32_t v = 0; v < info_.interrupt_vectors; ++v)
    platform_.interrupts->SetHandler(v, nullptr);
  for (auto& q : queues_) q->Release(platform_.dma);
  for (auto& c : command_store_) {
    if (c->list_page.valid()) platform_.dma->Free(c->list_page);
  }
  if (identify_page_.valid()) platform_.dma->Free(identify_page_);
  if (log_page_.valid()) platform_.dma->Free(log_page_);
}

void Controller::Logf(hal::LogLevel level, const std::string& message) {
  platform_.log->Write(level, std::string(options_.name) + ": " + message);
}

void Controller::Trace(const char* name, uint64_t a, uint64_t b, uint64_t c) {
  platform_.log->Trace({0, options_.name, name, a, b, c});
}

uint32_t Controller::ReadCsts() { return platform_.mmio->Read32(spec::kRegCsts); }

const QueueStats* Controller::queue_stats(uint16_t qid) const {
  return qid < queues_.size() ? &queues_[qid]->stats() : nullptr;
}
const QueuePair* Controller::queue(uint16_t qid) const {
  return qid < queues_.size() ? queues_[qid].get() : nullptr;
}

Controller::Command* Controller::NewCommand() {
  if (command_free_.empty()) {
    command_store_.push_back(std::make_unique<Command>());
    return command_store_.back().get();
  }
  Command* c = command_free_.back();
  command_free_.pop_back();
  return c;
}

void Controller::FreeCommand(Command* c) {
  c->request = nullptr;
  c->on_complete = nullptr;
  c->retries = 0;
  c->abort_sent = false;
  c->retry_allowed = true;
  c->sqe = spec::Sqe{};
  command_free_.push_back(c);
}

Controller::Request* Controller::NewRequest() {
  if (request_free_ == nullptr) {
    request_store_.push_back(std::make_unique<Request>());
    return request_store_.back().get();
  }
  Request* r = request_free_;
  request_free_ = r->next_free;
  return r;
}

void Controller::FreeRequest(Request* r) {
  r->done = nullptr;
  r->retries = 0;
  r->dw0 = r->dw1 = 0;
  r->status = spec::Status::Ok();
  r->admitted = false;
  r->next_free = request_free_;
  request_free_ = r;
}

bool Controller::IoAccepting() const {
  return state_ != ControllerState::kIdle && state_ != ControllerState::kShuttingDown &&
         state_ != ControllerState::kShutdown && state_ != ControllerState::kFailed &&
         state_ != ControllerState::kRemoved;
}

spec::Status Controller::BuildData(Command* cmd, const DataSegment* seg, uint32_t count,
                                   uint64_t offset, uint64_t length) {
  const bool sgl_ok = info_.sgls != SglSupport::kNone;
  if (sgl_ok && (options_.prefer_sgl || !PrpCompatible(seg, count, info_.page_size))) {
    return BuildSgl(seg, count, offset, length, info_.sgls, info_.page_size, cmd->sqe,
                    cmd->list_page, platform_.dma);
  }
  return BuildPrp(seg, count, offset, length, info_.page_size, cmd->sqe, cmd->list_page,
                  platform_.dma);
}

void Controller::AbandonBuilt(internal::CommandList& built, Request* r) {
  while (Command* c = built.PopFront()) FreeCommand(c);
  FreeRequest(r);
}

spec::Status Controller::Submit(const BlockRequest& req, BlockCallback done) {
  if (!IoAccepting()) return spec::PathStatus::kHostPathingError;
  if (info_.io_queues == 0) return spec::GenericStatus::kCommandSequenceError;  // not up yet
  const NamespaceInfo* ns = namespaces_.Find(req.nsid);
  if (ns == nullptr) return spec::GenericStatus::kInvalidNamespaceOrFormat;
  const uint16_t qid = static_cast<uint16_t>(1 + req.queue % info_.io_queues);
  Request* r = NewRequest();
  internal::CommandList built;
  auto make = [&](const spec::Sqe& sqe) {
    Command* c = NewCommand();
    c->sqe = sqe;
    c->request = r;
    c->queue = qid;
    c->timeout_ns = options_.io_timeout_ns;
    built.PushBack(c);
    return c;
  };
  auto fail = [&](spec::Status s) {
    AbandonBuilt(built, r);
    return s;
  };
  const uint32_t lba = ns->lba_size;
  switch (req.op) {
    case BlockOp::kRead:
    case BlockOp::kWrite:
    case BlockOp::kCompare: {
      if (req.blocks == 0) return fail(spec::GenericStatus::kInvalidField);
      if (req.op == BlockOp::kCompare && !(info_.oncs & nvme::kOncsCompare)) {
        return fail(spec::GenericStatus::kInvalidOpcode);
      }
      uint64_t have = 0;
      for (uint32_t i = 0; i < req.segment_count; ++i) have += req.segments[i].length;
      const uint64_t bytes = uint64_t{req.blocks} * lba;
      if (have < bytes) return fail(spec::GenericStatus::kDataSglLengthInvalid);
      // MDTS split (Identify Controller, base 5.17) and the 16-bit NLB (Read/Write CDW12, NVM 3.2).
      const uint64_t chunk = std::min<uint64_t>(
          std::max<uint64_t>(1, info_.max_transfer_bytes / lba), commands::kMaxBlocksPerCommand);
      const spec::NvmOpcode op = req.op == BlockOp::kRead    ? spec::NvmOpcode::kRead
                                 : req.op == BlockOp::kWrite ? spec::NvmOpcode::kWrite
                                                             : spec::NvmOpcode::kCompare;
      for (uint64_t done_blocks = 0; done_blocks < req.blocks;) {
        const uint32_t n =
            static_cast<uint32_t>(std::min<uint64_t>(chunk, req.blocks - done_blocks));
        Command* c = make(commands::ReadWrite(op, req.nsid, req.slba + done_blocks, n, req.fua));
        const spec::Status s =
            BuildData(c, req.segments, req.segment_count, done_blocks * lba, uint64_t{n} * lba);
        if (!s.ok()) return fail(s);
        done_blocks += n;
      }
      break;
    }
    case BlockOp::kFlush:
      make(commands::Flush(req.nsid));
      break;
    case BlockOp::kWriteZeroes: {
      if (req.blocks == 0) return fail(spec::GenericStatus::kInvalidField);
      if (!(info_.oncs & nvme::kOncsWriteZeroes)) return fail(spec::GenericStatus::kInvalidOpcode);
      for (uint64_t d = 0; d < req.blocks;) {
        const uint32_t n = static_cast<uint32_t>(
            std::min<uint64_t>(commands::kMaxBlocksPerCommand, req.blocks - d));
        make(commands::WriteZeroes(req.nsid, req.slba + d, n, req.fua));
        d += n;
      }
      break;
    }
    case BlockOp::kDeallocate:
    case BlockOp::kCopy: {
      const bool copy = req.op == BlockOp::kCopy;
      if (!(info_.oncs & (copy ? nvme::kOncsCopy : nvme::kOncsDsm))) {
        return fail(spec::GenericStatus::kInvalidOpcode);
      }
      const LbaRange single{req.slba, req.blocks};
      const LbaRange* ranges = req.range_count ? req.ranges : &single;
      const uint32_t count = req.range_count ? req.range_count : 1;
      const uint32_t per = copy ? commands::kCopyRangeBytes : commands::kDsmRangeBytes;
      const uint32_t max = std::min(commands::kMaxDsmRanges, info_.page_size / per);
      if (count > max || (copy && req.range_count == 0))
        return fail(spec::GenericStatus::kInvalidField);
      Command* c = make(spec::Sqe{});
      if (!c->list_page.valid())
        c->list_page = platform_.dma->Allocate(info_.page_size, info_.page_size);
      if (!c->list_page.valid()) return fail(spec::GenericStatus::kInternalError);
      for (uint32_t i = 0; i < count; ++i) {
        if (ranges[i].blocks == 0 || (copy && ranges[i].blocks > commands::kMaxBlocksPerCommand)) {
          return fail(spec::GenericStatus::kInvalidField);
        }
        if (copy)
          commands::WriteCopyRange(c->list_page.cpu, i, ranges[i].slba, ranges[i].blocks);
        else
          commands::WriteDsmRange(c->list_page.cpu, i, ranges[i].slba, ranges[i].blocks);
      }
      c->sqe = copy ? commands::Copy(req.nsid, req.slba, count, req.fua, c->list_page.bus)
                    : commands::Deallocate(req.nsid, count, c->list_page.bus);
      break;
    }
  }
  r->done = std::move(done);
  r->submit_ns = platform_.clock->NowNs();
  r->outstanding = r->commands = built.size();
  r->status = spec::Status::Ok();
  // The IoHooks gate: one predictable branch when no hooks are installed.
  if (hooks_ != nullptr) [[unlikely]] {
    if (!GateRequest(built, r, uint64_t{req.blocks} * lba,
                     req.op == BlockOp::kWrite || req.op == BlockOp::kWriteZeroes, qid)) {
      return spec::Status::Ok();  // held: goes out from the gate timer
    }
  }
  if (built.size() == 1) {
    Issue(built.PopFront());
  } else {
    BeginBatch();
    while (Command* c = built.PopFront()) Issue(c);
    EndBatch();
  }
  return spec::Status::Ok();
}

bool Controller::GateRequest(internal::CommandList& built, Request* r, uint64_t bytes, bool write,
                             uint16_t qid) {
  r->bytes = bytes;
  r->write = write;
  r->qid = qid;
  // Requests go out in submission order: behind a held one, wait too.
  const uint64_t now = platform_.clock->NowNs();
  const uint64_t at = gated_.empty() ? hooks_->AdmitAt(now, bytes) : 1;
  if (at != 0) {
    while (Command* c = built.PopFront()) gated_.PushBack(c);
    if (gate_timer_ == hal::Clock::kNoTimer) ArmGate(std::max(at, now + 1));
    return false;
  }
  r->admitted = true;
  r->admit_ns = now;
  r->token = hooks_->OnIssued(now, qid, bytes, write);
  return true;
}

void Controller::ArmGate(uint64_t at_ns) {
  const uint64_t now = platform_.clock->NowNs();
  gate_timer_ = platform_.clock->StartTimer(at_ns > now ? at_ns - now : 1, [this] {
    gate_timer_ = hal::Clock::kNoTimer;
    ReleaseGated();
  });
}

void Controller::ReleaseGated() {
  BeginBatch();
  while (Command* c = gated_.front()) {
    Request* r = c->request;
    if (r != nullptr && !r->admitted) {
      const uint64_t now = platform_.clock->NowNs();
      const uint64_t at = hooks_ ? hooks_->AdmitAt(now, r->bytes) : 0;
      if (at != 0) {
        ArmGate(std::max(at, now + 1));
        break;
      }
      r->admitted = true;
      r->admit_ns = now;
      if (hooks_) r->token = hooks_->OnIssued(now, r->qid, r->bytes, r->write);
    }
    gated_.PopFront();
    Issue(c);
  }
  EndBatch();
}

spec::Status Controller::SubmitIo(uint16_t queue, const spec::Sqe& sqe, const DataSegment* segments,
                                  uint32_t segment_count, BlockCallback done) {
  if (!IoAccepting()) return spec::PathStatus::kHostPathingError;
  if (info_.io_queues == 0) return spec::GenericStatus::kCommandSequenceError;
  Request* r = NewRequest();
  Command* c = NewCommand();
  c->sqe = sqe;
  c->request = r;
  c->queue = static_cast<uint16_t>(1 + queue % info_.io_queues);
  c->timeout_ns = options_.io_timeout_ns;
  if (segment_count != 0) {
    uint64_t total = 0;
    for (uint32_t i = 0; i < segment_count; ++i) total += segments[i].length;
    const spec::Status s = BuildData(c, segments, segment_count, 0, total);
    if (!s.ok()) {
      FreeCommand(c);
      FreeRequest(r);
      return s;
    }
  }
  r->done = std::move(done);
  r->submit_ns = platform_.clock->NowNs();
  r->outstanding = r->commands = 1;
  if (hooks_ != nullptr) [[unlikely]] {
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < segment_count; ++i) bytes += segments[i].length;
    internal::CommandList built;
    built.PushBack(c);
    // Opcode bits 1:0 = 01b: data from host to controller (base 2.0 Figure 88).
    if (GateRequest(built, r, bytes, (sqe.opcode & 3u) == 1u, c->queue)) Issue(built.PopFront());
    return spec::Status::Ok();
  }
  Issue(c);
  return spec::Status::Ok();
}

spec::Status Controller::SubmitAdmin(const spec::Sqe& sqe,
                                     std::function<void(const spec::Cqe&)> done,
                                     uint64_t timeout_ns) {
  const bool admin_up = state_ != ControllerState::kIdle && state_ != ControllerState::kDisabling &&
                        state_ != ControllerState::kEnabling &&
                        state_ != ControllerState::kShutdown &&
                        state_ != ControllerState::kFailed && state_ != ControllerState::kRemoved;
  if (!admin_up) return spec::PathStatus::kHostPathingError;
  Command* c = NewCommand();
  c->sqe = sqe;
  c->on_complete = std::move(done);
  c->queue = 0;
  c->timeout_ns = timeout_ns == 0 ? options_.admin_timeout_ns : timeout_ns;
  Issue(c);
  return spec::Status::Ok();
}

void Controller::Issue(Command* cmd) {
  if (cmd->queue != 0 && state_ != ControllerState::kReady) {
    parked_.PushBack(cmd);  // recovering: goes out when the controller is ready again
    return;
  }
  QueuePair& q = *queues_[cmd->queue];
  if (waiting_[cmd->queue].empty() && CanIssue(q)) {
    SubmitNow(cmd, q);
  } else {
    waiting_[cmd->queue].PushBack(cmd);
    ++q.mutable_stats().queue_full;
  }
}

void Controller::SubmitNow(Command* cmd, QueuePair& q) {
  const uint64_t now = platform_.clock->NowNs();
  const bool timed = cmd->timeout_ns != UINT64_MAX;
  cmd->deadline_ns = timed ? now + cmd->timeout_ns : UINT64_MAX;
  cmd->abort_sent = false;
  const bool defer = batch_depth_ > 0;
  if (defer && !q.doorbell_pending()) dirty_.push_back(q.qid());
  q.Submit(cmd, now, defer);
  if (timed && watchdog_timer_ == hal::Clock::kNoTimer) ArmWatchdog();
}

void Controller::EndBatch() {
  if (batch_depth_ == 0 || --batch_depth_ != 0) return;
  for (uint16_t qid : dirty_) queues_[qid]->FlushDoorbell();
  dirty_.clear();
}

void Controller::DrainWaiting(uint16_t qid) {
  internal::CommandList& w = waiting_[qid];
  if (w.empty() || (qid != 0 && state_ != ControllerState::kReady)) return;
  QueuePair& q = *queues_[qid];
  BeginBatch();
  while (!w.empty() && CanIssue(q)) SubmitNow(w.PopFront(), q);
  EndBatch();
}

bool Controller::CanIssue(const QueuePair& q) const {
  if (!q.CanSubmit()) return false;
  return io_depth_limit_ == 0 || q.qid() == 0 || q.stats().outstanding < io_depth_limit_;
}

void Controller::SetIoDepthLimit(uint32_t limit) {
  const bool raised = limit == 0 || (io_depth_limit_ != 0 && limit > io_depth_limit_);
  io_depth_limit_ = limit;
  if (!raised) return;
  for (uint16_t qid = 1; qid < queues_.size(); ++qid) DrainWaiting(qid);
}

void Controller::ReapQueue(uint16_t qid) {
  QueuePair& q = *queues_[qid];
  q.Reap(UINT32_MAX, [this](Command* cmd, const spec::Cqe& cqe) { OnCqe(cmd, cqe); });
  if (qid < queues_.size()) DrainWaiting(qid);
}

uint32_t Controller::Poll() {
  uint32_t before = 0, after = 0;
  for (auto& q : queues_)
    before += static_cast<uint32_t>(q->stats().completed + q->stats().ignored_cqes);
  // Like an interrupt handler: commands submitted by completion callbacks ring
  // their SQ doorbell once per queue when the poll is done.
  BeginBatch();
  for (uint16_t qid = 0; qid < queues_.size(); ++qid) {
    if (state_ == ControllerState::kRemoved || state_ == ControllerState::kFailed) break;
    ReapQueue(qid);
  }
  EndBatch();
  for (auto& q : queues_)
    after += static_cast<uint32_t>(q->stats().completed + q->stats().ignored_cqes);
  return after - before;
}

void Controller::OnInterrupt(uint32_t vector) {
  if (state_ == ControllerState::kRemoved || state_ == ControllerState::kFailed) return;
  // Commands submitted by completion callbacks ring their SQ doorbell once,
  // when the handler is done: one MMIO write per queue, not one per command.
  BeginBatch();
  for (uint16_t qid = 0; qid < queues_.size(); ++qid) {
    if (vector_of_[qid] == vector) ReapQueue(qid);
  }
  EndBatch();
}

void Controller::OnCqe(Command* cmd, const spec::Cqe& cqe) {
  if (cmd->on_complete) {
    auto done = std::move(cmd->on_complete);
    FreeCommand(cmd);
    done(cqe);
    return;
  }
  const spec::Status status = cqe.status_value();
  if (status.ok()) {
    reset_attempts_ = 0;  // the controller works: recovery budget restored
    if (cmd->request) {
      cmd->request->dw0 = cqe.dw0;
      cmd->request->dw1 = cqe.dw1;
    }
    return FinishCommand(cmd, status);
  }
  const bool can_retry = cmd->retry_allowed && state_ == ControllerState::kReady;
  const RetryDecision d = can_retry ? DecideRetry(status, cmd->retries, options_.max_retries,
                                                  static_cast<bool>(path_handler_))
                                    : RetryDecision::kComplete;
  Trace("cqe_error", cmd->queue, cqe.cid, static_cast<uint64_t>(d));
  switch (d) {
    case RetryDecision::kRetry:
      ++cmd->retries;
      ++stats_.retries;
      if (cmd->request) ++cmd->request->retries;
      RetryLater(cmd, RetryDelayNs(status, info_.crdt));
      return;
    case RetryDecision::kPathError:
      ++stats_.path_errors;
      path_handler_({PathEventKind::kPathStatus, cmd->sqe.nsid, status});
      return FinishCommand(cmd, status);
    case RetryDecision::kComplete:
      return FinishCommand(cmd, status);
  }
}

void Controller::RetryLater(Command* cmd, uint64_t delay_ns) {
  if (delay_ns == 0) return Issue(cmd);
  delayed_.PushBack(cmd);
  cmd->retry_timer = platform_.clock->StartTimer(delay_ns, [this, cmd] {
    cmd->retry_timer = hal::Clock::kNoTimer;
    delayed_.Remove(cmd);
    Issue(cmd);
  });
}

void Controller::FinishCommand(Command* cmd, const spec::Status& status) {
  Request* r = cmd->request;
  FreeCommand(cmd);
  if (r == nullptr) return;
  if (!status.ok() && r->status.ok()) r->status = status;
  if (--r->outstanding != 0) return;
  BlockResult result;
  result.status = r->status;
  result.latency_ns = platform_.clock->NowNs() - r->submit_ns;
  if (hooks_ != nullptr && r->admitted) [[unlikely]] {
    const uint64_t now = platform_.clock->NowNs();
    hooks_->OnFinished(now, r->qid, r->bytes, r->write, now - r->admit_ns, r->token, r->status);
  }
  result.retries = r->retries;
  result.commands = r->commands;
  result.dw0 = r->dw0;
  result.dw1 = r->dw1;
  BlockCallback done = std::move(r->done);
  FreeRequest(r);
  if (done) done(result);
}

}  // namespace nvmesim::driver
