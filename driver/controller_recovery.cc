// Recovery: command timeouts -> Abort -> controller reset escalation, fatal
// status, timeout storms, reset on request, giving up, and surprise removal.
#include <string>

#include "driver/commands.h"
#include "driver/controller.h"
#include "driver/internal/nvme_defs.h"
#include "spec/opcodes.h"
#include "spec/registers.h"

namespace nvmesim::driver {

namespace {
const char* OpName(const spec::Sqe& sqe, bool admin) {
  const char* n = admin ? spec::AdminOpcodeName(sqe.opcode) : spec::IoOpcodeName(sqe.opcode);
  return n ? n : "unknown opcode";
}
}  // namespace

bool Controller::CheckRegistersGone(uint32_t value) {
  // A PCIe read to a function that is gone completes with all ones (base 2.0
  // 3.1.3: CSTS has reserved bits that never read 1 on a live controller).
  if (value != 0xFFFFFFFFu) return false;
  Removed();
  return true;
}

void Controller::ArmWatchdog() {
  if (watchdog_timer_ != hal::Clock::kNoTimer) return;
  uint64_t interval = options_.watchdog_interval_ns;
  if (options_.health_check_interval_ns != 0 && state_ == ControllerState::kReady) {
    interval = std::min(interval, options_.health_check_interval_ns);
  }
  const uint64_t epoch = epoch_;
  watchdog_timer_ = platform_.clock->StartTimer(interval, [this, epoch] {
    watchdog_timer_ = hal::Clock::kNoTimer;
    if (epoch == epoch_) WatchdogTick();
  });
}

void Controller::WatchdogTick() {
  if (!IoAccepting()) return;
  const spec::CstsRegister csts{ReadCsts()};
  if (CheckRegistersGone(csts.raw)) return;
  if (csts.cfs()) return BeginReset("controller fatal status (CSTS.CFS)");
  const uint64_t now = platform_.clock->NowNs();
  uint32_t expired = 0;
  bool busy = false;
  const char* reset_reason = nullptr;
  for (uint16_t qid = 0; qid < queues_.size() && !reset_reason; ++qid) {
    if (!waiting_[qid].empty()) busy = true;
    for (Command* cmd = queues_[qid]->oldest(); cmd != nullptr;) {
      Command* next = cmd->next;
      if (cmd->deadline_ns == UINT64_MAX) {
        cmd = next;
        continue;  // no timeout (Asynchronous Event Requests)
      }
      busy = true;
      if (cmd->deadline_ns > now) {
        if (!cmd->abort_sent) break;  // submission order: the rest are younger
        cmd = next;
        continue;
      }
      ++expired;
      ++stats_.timeouts;
      Trace("timeout", qid, cmd->sqe.cid, cmd->abort_sent ? 1 : 0);
      Logf(hal::LogLevel::kWarning,
           std::string("timeout: q") + std::to_string(qid) + " cid " +
               std::to_string(cmd->sqe.cid) + " " + OpName(cmd->sqe, qid == 0) +
               (cmd->abort_sent ? " (still not complete after Abort)" : ""));
      if (qid == 0) {
        reset_reason = "admin command timeout";
        break;
      }
      if (cmd->abort_sent) {
        reset_reason = "I/O command timeout after Abort";
        break;
      }
      SendAbort(cmd);
      cmd = next;
    }
  }
  if (reset_reason == nullptr && expired >= options_.timeout_storm_threshold) {
    reset_reason = "timeout storm";
  }
  if (reset_reason) return BeginReset(reset_reason);
  if (busy || options_.health_check_interval_ns != 0) ArmWatchdog();
}

void Controller::SendAbort(Command* cmd) {
  cmd->abort_sent = true;
  cmd->deadline_ns = platform_.clock->NowNs() + cmd->timeout_ns;  // one more period to finish
  // ACL is 0-based: at most ACL + 1 Aborts outstanding (Identify Controller, base 5.17).
  if (aborts_in_flight_ > info_.acl) {
    Logf(hal::LogLevel::kWarning,
         "Abort limit reached; the command escalates to reset if it stays");
    return;
  }
  ++aborts_in_flight_;
  ++stats_.aborts_sent;
  const uint16_t sqid = cmd->queue, cid = cmd->sqe.cid;
  const uint64_t epoch = epoch_;
  SubmitAdmin(commands::Abort(sqid, cid), [this, epoch, sqid, cid](const spec::Cqe& cqe) {
    if (epoch != epoch_) return;
    --aborts_in_flight_;
    const spec::Status st = cqe.status_value();
    if (st.ok() && !nvme::AbortNotAborted(cqe.dw0)) {
      ++stats_.aborts_succeeded;
      Logf(hal::LogLevel::kInfo, "Abort of q" + std::to_string(sqid) + " cid " +
                                     std::to_string(cid) + ": command aborted");
    } else {
      // Success with DW0 bit 0 set: the controller did not abort it (base 2.0 5.1).
      Logf(hal::LogLevel::kWarning,
           "Abort of q" + std::to_string(sqid) + " cid " + std::to_string(cid) +
               (st.ok() ? ": the controller did not abort the command (DW0 bit 0 set)"
                        : " failed: " + st.ToString()));
    }
  });
}

void Controller::Reset(DoneCallback on_done) {
  if (state_ == ControllerState::kIdle || state_ == ControllerState::kFailed ||
      state_ == ControllerState::kRemoved || state_ == ControllerState::kShutdown ||
      state_ == ControllerState::kShuttingDown) {
    if (on_done) on_done(spec::PathStatus::kHostPathingError);
    return;
  }
  if (on_done) on_reset_.push_back(std::move(on_done));
  BeginReset("requested by the host");
}

void Controller::Reprobe(DoneCallback on_done) {
  if (state_ != ControllerState::kRemoved && state_ != ControllerState::kFailed) {
    if (on_done) {
      platform_.clock->StartTimer(
          0, [cb = std::move(on_done)] { cb(spec::GenericStatus::kCommandSequenceError); });
    }
    return;
  }
  ++stats_.reprobes;
  Logf(hal::LogLevel::kInfo, "re-probing the controller");
  Trace("reprobe");
  reset_attempts_ = 0;
  aer_outstanding_ = 0;  // the AERs died with the controller (their epoch is gone)
  aborts_in_flight_ = 0;
  if (on_done) on_reset_.push_back(std::move(on_done));
  Enter(ControllerState::kDisabling);
  BeginInit();
}

void Controller::InitFailed(spec::Status status, const std::string& why) {
  ++stats_.init_failures;
  Logf(hal::LogLevel::kError, "initialisation failed: " + why + ": " + status.ToString());
  BeginReset("initialisation failed");
}

void Controller::BeginReset(const char* reason) {
  if (!IoAccepting() && state_ != ControllerState::kShuttingDown) return;
  if (state_ == ControllerState::kShuttingDown) return;
  if (reset_attempts_ >= options_.max_reset_attempts) {
    return GiveUp(spec::GenericStatus::kInternalError,
                  std::string("giving up after ") + std::to_string(reset_attempts_) +
                      " consecutive resets (last cause: " + reason + ")");
  }
  ++reset_attempts_;
  ++stats_.resets;
  Logf(hal::LogLevel::kWarning, std::string("controller reset: ") + reason);
  Trace("reset", reset_attempts_);
  StopTimers();
  Enter(ControllerState::kDisabling);
  aer_outstanding_ = 0;
  aborts_in_flight_ = 0;
  if (path_handler_) path_handler_({PathEventKind::kControllerDown, 0, spec::Status::Ok()});
  RecoverCommands(true, spec::PathStatus::kCommandAbortedByHost);
  if (state_ != ControllerState::kDisabling) return;  // a callback changed the course
  BeginInit();
}

// Takes every command off the queues. I/O that may be retried is parked for
// re-issue after re-initialisation (keep_retryable), the rest completes
// with `fail`. Internal commands see `fail` in a synthetic completion.
void Controller::RecoverCommands(bool keep_retryable, spec::Status fail) {
  std::vector<Command*> all;
  for (uint16_t qid = 0; qid < queues_.size(); ++qid) {
    for (Command* c : queues_[qid]->TakeAllInFlight()) all.push_back(c);
    while (Command* c = waiting_[qid].PopFront()) all.push_back(c);
  }
  while (Command* c = delayed_.PopFront()) {
    platform_.clock->CancelTimer(c->retry_timer);
    c->retry_timer = hal::Clock::kNoTimer;
    all.push_back(c);
  }
  spec::Cqe synthetic;
  synthetic.set_status(fail, true);
  for (Command* c : all) {
    if (c->on_complete) {
      auto done = std::move(c->on_complete);
      synthetic.cid = c->sqe.cid;
      FreeCommand(c);
      done(synthetic);
    } else if (keep_retryable && path_handler_ && c->request) {
      // A multipath layer owns this I/O: hand it back with a path status at
      // once so it goes out on another path instead of waiting for this
      // controller's re-initialisation (Base 2.0 Figure 103: Command Aborted
      // By Host, path related).
      ++stats_.failed_over_on_reset;
      FinishCommand(c, fail);
    } else if (keep_retryable && c->retry_allowed && c->retries < options_.max_retries) {
      ++c->retries;
      if (c->request) ++c->request->retries;
      ++stats_.requeued_on_reset;
      parked_.PushBack(c);
    } else {
      ++stats_.failed_on_reset;
      FinishCommand(c, fail);
    }
  }
}

void Controller::FailParked(const spec::Status& status) {
  // Requests the IoHooks gate still holds fail with the parked ones.
  while (Command* c = gated_.PopFront()) parked_.PushBack(c);
  while (Command* c = parked_.PopFront()) {
    if (c->on_complete) {
      auto done = std::move(c->on_complete);
      spec::Cqe synthetic;
      synthetic.set_status(status, true);
      FreeCommand(c);
      done(synthetic);
    } else {
      FinishCommand(c, status);
    }
  }
}

void Controller::GiveUp(const spec::Status& status, const std::string& why) {
  Logf(hal::LogLevel::kError, "controller failed: " + why);
  Trace("failed");
  StopTimers();
  Enter(ControllerState::kFailed);
  EndDeadPath(status);
}

void Controller::Removed() {
  if (state_ == ControllerState::kRemoved) return;
  Logf(hal::LogLevel::kError, "registers read all ones: controller is gone");
  const spec::Status gone = spec::PathStatus::kHostPathingError;
  StopTimers();
  Enter(ControllerState::kRemoved);
  Trace("removed");
  EndDeadPath(gone);
}

void Controller::StopTimers() {
  ++epoch_;  // callbacks of the old epoch that still run find nothing to do
  for (hal::Clock::TimerId* id : {&state_timer_, &watchdog_timer_, &keep_alive_timer_}) {
    if (*id != hal::Clock::kNoTimer) platform_.clock->CancelTimer(*id);
    *id = hal::Clock::kNoTimer;
  }
}

void Controller::EndDeadPath(const spec::Status& status) {
  // The path is dead: I/O fails at once with a path error the multipath layer
  // may redirect (no DNR), never hangs; whoever waits for the controller
  // learns why.
  RecoverCommands(false, spec::PathStatus::kHostPathingError);
  FailParked(spec::PathStatus::kHostPathingError);
  if (path_handler_) path_handler_({PathEventKind::kControllerDown, 0, status});
  if (on_ready_) {
    auto cb = std::move(on_ready_);
    on_ready_ = nullptr;
    cb(status);
  }
  std::vector<DoneCallback> resets;
  resets.swap(on_reset_);
  for (auto& cb : resets) cb(status);
  if (on_shutdown_) {
    auto cb = std::move(on_shutdown_);
    on_shutdown_ = nullptr;
    cb(status);
  }
}

}  // namespace nvmesim::driver
