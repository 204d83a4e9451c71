// Controller bring-up and shutdown as an asynchronous state machine.
#include <algorithm>
#include <string>

#include "driver/commands.h"
#include "driver/controller.h"
#include "driver/internal/nvme_defs.h"
#include "spec/identify.h"
#include "spec/registers.h"

namespace nvmesim::driver {

namespace {
constexpr uint64_t kToUnitNs = 500'000'000;          // CAP.TO: 500 ms units (base 3.1.3.1)
constexpr uint64_t kShutdownMinNs = 5'000'000'000;   // lower bound when RTD3E is small
constexpr uint64_t kShutdownMaxNs = 60'000'000'000;  // upper bound on RTD3E
constexpr uint32_t kMaxAdminEntries = 4096;          // AQA ASQS/ACQS 12-bit 0-based (3.1.3.8)

std::string Trim(const uint8_t* p, size_t n) {
  std::string s(reinterpret_cast<const char*>(p), n);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}
}  // namespace

const char* ControllerStateName(ControllerState s) {
  switch (s) {
    case ControllerState::kIdle:
      return "idle";
    case ControllerState::kDisabling:
      return "disabling";
    case ControllerState::kEnabling:
      return "enabling";
    case ControllerState::kIdentifying:
      return "identifying";
    case ControllerState::kSettingQueues:
      return "setting_queues";
    case ControllerState::kConfiguring:
      return "configuring";
    case ControllerState::kCreatingQueues:
      return "creating_queues";
    case ControllerState::kScanningNamespaces:
      return "scanning_namespaces";
    case ControllerState::kReady:
      return "ready";
    case ControllerState::kShuttingDown:
      return "shutting_down";
    case ControllerState::kShutdown:
      return "shutdown";
    case ControllerState::kFailed:
      return "failed";
    case ControllerState::kRemoved:
      return "removed";
  }
  return "?";
}

void Controller::Enter(ControllerState s) {
  state_ = s;
  Trace("state", static_cast<uint64_t>(s));
  Logf(hal::LogLevel::kDebug, std::string("state ") + ControllerStateName(s));
}

void Controller::Start(DoneCallback on_ready) {
  on_ready_ = std::move(on_ready);
  if (state_ != ControllerState::kIdle) {
    if (on_ready_) on_ready_(spec::GenericStatus::kCommandSequenceError);
    return;
  }
  const uint32_t admin = options_.admin_queue_entries;
  if (admin < 2 || admin > kMaxAdminEntries) {
    GiveUp(spec::GenericStatus::kInvalidField, "admin_queue_entries = " + std::to_string(admin) +
                                                   " outside 2..4096 (AQA, base 3.1.3.8)");
    return;
  }
  identify_page_ = platform_.dma->Allocate(nvme::kIdentifyBytes, 4096);
  log_page_ = platform_.dma->Allocate(nvme::kIdentifyBytes, 4096);
  if (!identify_page_.valid() || !log_page_.valid()) {
    GiveUp(spec::GenericStatus::kInternalError, "cannot allocate DMA memory for identify data");
    return;
  }
  BeginInit();
}

void Controller::BeginInit() {
  ++epoch_;
  const uint64_t cap = platform_.mmio->Read64(spec::kRegCap);
  if (cap == ~uint64_t{0}) return Removed();
  info_.cap = cap;
  info_.vs = platform_.mmio->Read32(spec::kRegVs);
  const spec::CapRegister c{cap};
  info_.dstrd = static_cast<uint8_t>(c.dstrd());
  info_.ready_timeout_ns = std::max<uint64_t>(1, c.to()) * kToUnitNs;
  // Memory page size: the smallest the controller supports (CAP.MPSMIN, 2^(12+n)).
  info_.page_size = 4096u << c.mpsmin();
  if (!started_once_) {
    const uint32_t admin = options_.admin_queue_entries;
    const uint32_t mqes = static_cast<uint32_t>(c.mqes()) + 1;  // 0-based
    const uint32_t admin_entries = std::min(admin, mqes);
    if (admin_entries != admin) {
      Logf(hal::LogLevel::kWarning, "admin queue: requested " + std::to_string(admin) +
                                        " entries, CAP.MQES allows " + std::to_string(mqes));
    }
    queues_.push_back(std::make_unique<QueuePair>(0, admin_entries, info_.dstrd, platform_.mmio,
                                                  platform_.log, options_.name));
    waiting_.resize(1);
    vector_of_.assign(1, 0);
    if (!queues_[0]->Allocate(platform_.dma, info_.page_size)) {
      return GiveUp(spec::GenericStatus::kInternalError, "cannot allocate the admin queue");
    }
    // MSI-X: one vector for the admin queue and one per I/O queue if granted.
    const uint32_t want = options_.use_interrupts ? 1 + options_.config.queue_count : 0;
    info_.interrupt_vectors = want ? platform_.interrupts->Allocate(want) : 0;
    if (options_.use_interrupts && info_.interrupt_vectors < want) {
      Logf(hal::LogLevel::kInfo, "interrupts: asked for " + std::to_string(want) +
                                     " vectors, platform granted " +
                                     std::to_string(info_.interrupt_vectors));
    }
    for (uint32_t v = 0; v < info_.interrupt_vectors; ++v) {
      platform_.interrupts->SetHandler(v, [this, v] { OnInterrupt(v); });
    }
    started_once_ = true;
  }
  StartDisable();
}

void Controller::StartDisable() {
  Enter(ControllerState::kDisabling);
  spec::CcRegister cc{platform_.mmio->Read32(spec::kRegCc)};
  if (CheckRegistersGone(cc.raw)) return;
  if (cc.en()) {
    cc.set_en(0);
    platform_.mmio->Write32(spec::kRegCc, cc.raw);
  }
  state_deadline_ns_ = platform_.clock->NowNs() + info_.ready_timeout_ns;
  PollReady(false);
}

// Waits for CSTS.RDY == want_ready within CAP.TO (base 3.1.3.1, 3.5.1).
void Controller::PollReady(bool want_ready) {
  state_timer_ = hal::Clock::kNoTimer;
  const spec::CstsRegister csts{ReadCsts()};
  if (CheckRegistersGone(csts.raw)) return;
  if (want_ready && csts.cfs()) {
    return InitFailed(spec::GenericStatus::kInternalError,
                      "controller fatal status (CSTS.CFS) while enabling");
  }
  if (csts.rdy() == (want_ready ? 1u : 0u)) {
    if (want_ready) return IdentifyController();
    return SetupAdminQueueAndEnable();
  }
  if (platform_.clock->NowNs() >= state_deadline_ns_) {
    return InitFailed(spec::GenericStatus::kInternalError,
                      std::string("CSTS.RDY did not become ") + (want_ready ? "1" : "0") +
                          " within CAP.TO = " + std::to_string(info_.ready_timeout_ns / 1000000) +
                          " ms");
  }
  const uint64_t epoch = epoch_;
  state_timer_ = platform_.clock->StartTimer(options_.register_poll_ns, [this, want_ready, epoch] {
    if (epoch == epoch_) PollReady(want_ready);
  });
}

void Controller::SetupAdminQueueAndEnable() {
  Enter(ControllerState::kEnabling);
  QueuePair& aq = *queues_[0];
  // Commands lost with the old admin queue were recovered before the disable.
  aq.ResetRings();
  spec::AqaRegister aqa;
  aqa.set_asqs(aq.entries() - 1).set_acqs(aq.entries() - 1);  // 0-based sizes
  platform_.mmio->Write32(spec::kRegAqa, aqa.raw);
  platform_.mmio->Write64(spec::kRegAsq, aq.sq_bus());
  platform_.mmio->Write64(spec::kRegAcq, aq.cq_bus());
  const spec::CapRegister c{info_.cap};
  spec::CcRegister cc;
  // CC.CSS (base Figure 41): 110b when CAP.CSS advertises I/O command sets,
  // 000b for the NVM command set alone, 111b for admin only.
  uint8_t css = static_cast<uint8_t>(spec::CcCss::kNvm);
  if (c.css() & spec::kCapCssIoCommandSets)
    css = static_cast<uint8_t>(spec::CcCss::kAllIoCommandSets);
  else if (!(c.css() & spec::kCapCssNvm) && (c.css() & spec::kCapCssNoIo))
    css = static_cast<uint8_t>(spec::CcCss::kAdminOnly);
  cc.set_css(css)
      .set_mps(c.mpsmin())
      .set_ams(static_cast<uint8_t>(spec::ArbitrationMechanism::kRoundRobin))
      .set_shn(0)
      .set_iosqes(spec::kSqesLog2)
      .set_iocqes(spec::kCqesLog2)
      .set_en(1);
  platform_.mmio->Write32(spec::kRegCc, cc.raw);
  state_deadline_ns_ = platform_.clock->NowNs() + info_.ready_timeout_ns;
  PollReady(true);
}

void Controller::IdentifyController() {
  Enter(ControllerState::kIdentifying);
  const uint64_t epoch = epoch_;
  SubmitAdmin(
      commands::Identify(nvme::kCnsController, 0, 0, 0, identify_page_.bus),
      [this, epoch](const spec::Cqe& cqe) {
        if (epoch != epoch_) return;
        const spec::Status st = cqe.status_value();
        if (!st.ok()) return InitFailed(st, "Identify Controller failed");
        const auto id = nvme::ParsePage<spec::IdentifyController>(identify_page_.cpu);
        info_.vid = id.vid;
        info_.serial = Trim(reinterpret_cast<const uint8_t*>(id.sn), sizeof id.sn);
        info_.model = Trim(reinterpret_cast<const uint8_t*>(id.mn), sizeof id.mn);
        info_.firmware = Trim(reinterpret_cast<const uint8_t*>(id.fr), sizeof id.fr);
        info_.mdts = id.mdts;
        info_.cntlid = id.cntlid;
        info_.rtd3e_us = id.rtd3e;
        info_.oaes = id.oaes;
        info_.crdt[0] = id.crdt1;
        info_.crdt[1] = id.crdt2;
        info_.crdt[2] = id.crdt3;
        info_.oacs = id.oacs;
        info_.acl = id.acl;
        info_.aerl = id.aerl;
        info_.kas = id.kas;
        info_.nn = id.nn;
        info_.oncs = id.oncs;
        // SGLS bits 1:0: 01b byte-aligned SGLs, 10b dword-aligned (Identify Controller, base 5.17).
        info_.sgls = static_cast<SglSupport>(id.sgls & 0x3);
        if (info_.sgls != SglSupport::kByteAligned && info_.sgls != SglSupport::kDwordAligned) {
          info_.sgls = SglSupport::kNone;
        }
        const uint8_t sqes = id.sqes, cqes = id.cqes;
        // SQES/CQES: required (3:0) <= our entry size <= maximum (7:4) (Identify Controller,
        // base 5.17).
        if ((sqes & 0xF) > spec::kSqesLog2 || (sqes >> 4) < spec::kSqesLog2 ||
            (cqes & 0xF) > spec::kCqesLog2 || (cqes >> 4) < spec::kCqesLog2) {
          Logf(hal::LogLevel::kWarning, "Identify SQES/CQES do not include 64/16-byte entries");
        }
        // MDTS in units of CAP.MPSMIN pages, 0 = no limit (Identify Controller, base 5.17).
        const uint64_t mpsmin = 4096ull << spec::CapRegister{info_.cap}.mpsmin();
        uint64_t max = options_.max_transfer_bytes;
        max = std::min<uint64_t>(max, MaxPrpTransfer(info_.page_size));
        if (info_.mdts != 0 && info_.mdts < 32) max = std::min<uint64_t>(max, mpsmin << info_.mdts);
        info_.max_transfer_bytes = max;
        if (max < options_.max_transfer_bytes) {
          Logf(hal::LogLevel::kInfo, "max transfer " + std::to_string(options_.max_transfer_bytes) +
                                         " bytes clamped to " + std::to_string(max) + " (MDTS " +
                                         std::to_string(info_.mdts) + ")");
        }
        SetNumberOfQueues();
      });
}

void Controller::SetNumberOfQueues() {
  Enter(ControllerState::kSettingQueues);
  const uint32_t want =
      std::min(options_.config.queue_count, options_.config.controller_max_queues);
  info_.io_queues_requested = want;
  // NSQR 15:0, NCQR 31:16, both 0-based (base 2.0 5.27.1).
  const uint32_t cdw11 = ((want - 1) << 16) | (want - 1);
  const uint64_t epoch = epoch_;
  SubmitAdmin(commands::SetFeatures(nvme::kFeatNumberOfQueues, cdw11), [this, epoch, want](
                                                                           const spec::Cqe& cqe) {
    if (epoch != epoch_) return;
    const spec::Status st = cqe.status_value();
    if (!st.ok()) return InitFailed(st, "Set Features Number of Queues failed");
    const uint32_t nsqa = (cqe.dw0 & 0xFFFF) + 1, ncqa = (cqe.dw0 >> 16) + 1;
    const uint32_t granted = std::min(nsqa, ncqa);
    info_.io_queues_granted = granted;
    uint32_t n = std::min(want, granted);
    if (info_.io_queues != 0 && n != info_.io_queues) {
      // Queue objects persist across resets; keep the first layout.
      Logf(hal::LogLevel::kWarning, "after reset the controller grants " + std::to_string(n) +
                                        " I/O queues, keeping " + std::to_string(info_.io_queues));
      if (n < info_.io_queues)
        return InitFailed(spec::GenericStatus::kInternalError,
                          "fewer I/O queues granted after reset");
      n = info_.io_queues;
    }
    if (n < want) {
      Logf(hal::LogLevel::kWarning, "I/O queues: requested " + std::to_string(want) +
                                        ", controller granted " + std::to_string(granted) +
                                        " (NSQA " + std::to_string(nsqa) + ", NCQA " +
                                        std::to_string(ncqa) + "): using " + std::to_string(n));
    }
    if (info_.io_queues == 0) {
      info_.io_queues = n;
      if (!AllocateIoQueues()) {
        return GiveUp(spec::GenericStatus::kInternalError, "cannot allocate I/O queue memory");
      }
    }
    Configure(0);
  });
}

bool Controller::AllocateIoQueues() {
  const uint32_t mqes = static_cast<uint32_t>(spec::CapRegister{info_.cap}.mqes()) + 1;
  const uint32_t want = options_.config.queue_depth;
  uint32_t depth = std::min({want, mqes, options_.config.controller_max_queue_depth});
  info_.queue_depth_requested = want;
  info_.queue_depth = depth;
  if (depth < want) {
    Logf(hal::LogLevel::kWarning, "I/O queue depth: requested " + std::to_string(want) +
                                      " entries, CAP.MQES allows " + std::to_string(mqes) +
                                      ": using " + std::to_string(depth));
  }
  for (uint32_t i = 1; i <= info_.io_queues; ++i) {
    queues_.push_back(std::make_unique<QueuePair>(static_cast<uint16_t>(i), depth, info_.dstrd,
                                                  platform_.mmio, platform_.log, options_.name));
    if (!queues_.back()->Allocate(platform_.dma, info_.page_size)) return false;
    const uint32_t io_vectors = info_.interrupt_vectors > 1 ? info_.interrupt_vectors - 1 : 0;
    vector_of_.push_back(io_vectors ? static_cast<uint8_t>(1 + (i - 1) % io_vectors) : 0);
  }
  waiting_.resize(queues_.size());
  return true;
}

uint16_t Controller::VectorOf(uint16_t qid) const { return vector_of_[qid]; }

// Optional features; a refusal is logged, never fatal.
void Controller::Configure(int step) {
  Enter(ControllerState::kConfiguring);
  const uint64_t epoch = epoch_;
  auto next = [this, epoch, step](const char* what) {
    return [this, epoch, step, what](const spec::Cqe& cqe) {
      if (epoch != epoch_) return;
      if (!cqe.status_value().ok()) {
        Logf(hal::LogLevel::kWarning,
             std::string("Set Features ") + what + " refused: " + cqe.status_value().ToString());
      }
      Configure(step + 1);
    };
  };
  switch (step) {
    case 0: {
      // Async Event Configuration (base 2.0 5.27.1): SMART critical warnings
      // 7:0 plus the notices the controller advertises in OAES.
      const uint32_t notices = info_.oaes & (nvme::kOaesNamespaceAttribute | nvme::kOaesAnaChange);
      SubmitAdmin(commands::SetFeatures(nvme::kFeatAsyncEventConfig, 0xFFu | notices),
                  next("Asynchronous Event Configuration"));
      return;
    }
    case 1:
      if (options_.keep_alive_ms != 0 && info_.kas != 0) {
        // KATO in milliseconds (base 2.0 5.27.1).
        SubmitAdmin(commands::SetFeatures(nvme::kFeatKeepAliveTimer, options_.keep_alive_ms),
                    next("Keep Alive Timer"));
        return;
      }
      [[fallthrough]];
    case 2:
      if (options_.coalescing_threshold != 0 || options_.coalescing_time_100us != 0) {
        // THR 7:0 (0-based), TIME 15:8 in 100 us units (base 2.0 5.27.1).
        const uint32_t v =
            options_.coalescing_threshold | (uint32_t{options_.coalescing_time_100us} << 8);
        SubmitAdmin(commands::SetFeatures(nvme::kFeatInterruptCoalescing, v),
                    next("Interrupt Coalescing"));
        return;
      }
      [[fallthrough]];
    default:
      Enter(ControllerState::kCreatingQueues);
      CreateQueues(1, false);
  }
}

void Controller::CreateQueues(uint16_t qid, bool sq) {
  if (qid > info_.io_queues) return ScanNamespaces();
  QueuePair& q = *queues_[qid];
  if (!sq) q.ResetRings();
  const bool ien = info_.interrupt_vectors > 0;
  const spec::Sqe sqe = sq ? commands::CreateIoSq(qid, q.entries(), q.sq_bus(), qid)
                           : commands::CreateIoCq(qid, q.entries(), q.cq_bus(), VectorOf(qid), ien);
  const uint64_t epoch = epoch_;
  SubmitAdmin(sqe, [this, epoch, qid, sq](const spec::Cqe& cqe) {
    if (epoch != epoch_) return;
    const spec::Status st = cqe.status_value();
    if (!st.ok()) {
      return InitFailed(st, std::string(sq ? "Create I/O SQ " : "Create I/O CQ ") +
                                std::to_string(qid) + " failed");
    }
    if (sq) return CreateQueues(static_cast<uint16_t>(qid + 1), false);
    CreateQueues(qid, true);
  });
}

void Controller::ScanNamespaces() {
  Enter(ControllerState::kScanningNamespaces);
  const uint64_t epoch = epoch_;
  namespaces_.Scan([this, epoch](spec::Status st) {
    if (epoch != epoch_) return;
    if (!st.ok()) return InitFailed(st, "namespace scan failed");
    BecomeReady();
  });
}

void Controller::BecomeReady() {
  Enter(ControllerState::kReady);
  Logf(hal::LogLevel::kInfo, "ready: " + std::to_string(info_.io_queues) + " I/O queues x " +
                                 std::to_string(info_.queue_depth) + " entries, " +
                                 std::to_string(namespaces_.table().size()) +
                                 " namespaces, max transfer " +
                                 std::to_string(info_.max_transfer_bytes) + " bytes");
  ArmAsyncEvents();
  if (options_.keep_alive_ms != 0 && info_.kas != 0) KeepAliveTick();
  // Commands held while recovering go out again.
  BeginBatch();
  while (Command* cmd = parked_.PopFront()) Issue(cmd);
  EndBatch();
  if (path_handler_) path_handler_({PathEventKind::kControllerReady, 0, spec::Status::Ok()});
  if (!on_ready_) {
    for (const auto& listener : reinit_listeners_) listener();  // ready again, not first bring-up
  }
  // Take the waiting reset callbacks first: a reset requested from inside the
  // ready callback below belongs to the next bring-up, not to this one.
  std::vector<DoneCallback> resets;
  resets.swap(on_reset_);
  if (on_ready_) {
    auto cb = std::move(on_ready_);
    on_ready_ = nullptr;
    cb(spec::Status::Ok());
  }
  for (auto& cb : resets) cb(spec::Status::Ok());
  if (options_.health_check_interval_ns != 0) ArmWatchdog();
}

void Controller::ArmAsyncEvents() {
  const uint32_t limit = std::min<uint32_t>(options_.async_event_requests, info_.aerl + 1u);
  while (aer_outstanding_ < limit) {
    ++aer_outstanding_;
    const uint64_t epoch = epoch_;
    const spec::Status s = SubmitAdmin(
        commands::AsyncEventRequest(),
        [this, epoch](const spec::Cqe& cqe) {
          if (epoch != epoch_) return;
          --aer_outstanding_;
          OnAsyncEvent(cqe);
        },
        /*timeout_ns=*/UINT64_MAX);
    if (!s.ok()) {
      --aer_outstanding_;
      break;
    }
  }
}

void Controller::OnAsyncEvent(const spec::Cqe& cqe) {
  const spec::Status st = cqe.status_value();
  if (!st.ok()) {
    // Aborted by a reset or refused: not re-armed here (BecomeReady re-arms).
    if (!st.Is(spec::CommandSpecificStatus::kAsyncEventRequestLimitExceeded)) {
      Logf(hal::LogLevel::kDebug, "Asynchronous Event Request ended: " + st.ToString());
    }
    return;
  }
  ++stats_.async_events;
  const uint32_t dw0 = cqe.dw0;
  const uint8_t type = nvme::AenType(dw0), info = nvme::AenInfo(dw0), lid = nvme::AenLogPage(dw0);
  Trace("async_event", type, info, lid);
  Logf(hal::LogLevel::kInfo, "async event type " + std::to_string(type) + " info " +
                                 std::to_string(info) + " log page " + std::to_string(lid));
  if (async_handler_) async_handler_(dw0);
  for (const auto& listener : async_listeners_) listener(dw0);
  // Read the log page the event names, which also clears the event (RAE = 0,
  // base 2.0 5.2.12 / 5.16), then re-arm.
  const uint64_t epoch = epoch_;
  SubmitAdmin(commands::GetLogPage(lid, spec::kNsidAll, 4096, false, log_page_.bus, 0),
              [this, epoch, type, info](const spec::Cqe& log_cqe) {
                if (epoch != epoch_) return;
                if (!log_cqe.status_value().ok()) {
                  Logf(hal::LogLevel::kWarning, "Get Log Page after async event failed: " +
                                                    log_cqe.status_value().ToString());
                }
                if (type == nvme::kAenTypeNotice && info == nvme::kAenNoticeNamespaceChanged) {
                  namespaces_.Scan(nullptr);
                } else if (type == nvme::kAenTypeNotice && info == nvme::kAenNoticeAnaChange &&
                           path_handler_) {
                  path_handler_({PathEventKind::kAnaChange, 0, spec::Status::Ok()});
                }
                if (state_ == ControllerState::kReady) ArmAsyncEvents();
              });
}

void Controller::KeepAliveTick() {
  const uint64_t epoch = epoch_;
  keep_alive_timer_ =
      platform_.clock->StartTimer(uint64_t{options_.keep_alive_ms} * 1'000'000 / 2, [this, epoch] {
        keep_alive_timer_ = hal::Clock::kNoTimer;
        if (epoch != epoch_ || state_ != ControllerState::kReady) return;
        SubmitAdmin(commands::KeepAlive(), [](const spec::Cqe&) {});
        KeepAliveTick();
      });
}

void Controller::Shutdown(DoneCallback on_done) {
  on_shutdown_ = std::move(on_done);
  if (state_ == ControllerState::kRemoved || state_ == ControllerState::kFailed ||
      state_ == ControllerState::kIdle || state_ == ControllerState::kShutdown) {
    auto cb = std::move(on_shutdown_);
    if (cb)
      cb(state_ == ControllerState::kRemoved ? spec::Status(spec::PathStatus::kHostPathingError)
                                             : spec::Status::Ok());
    return;
  }
  if (state_ != ControllerState::kReady) {
    // Bring-up or recovery in progress: skip queue deletion, shut down directly.
    ++epoch_;
    Enter(ControllerState::kShuttingDown);
    RecoverCommands(false, spec::PathStatus::kCommandAbortedByHost);
    return ShutdownStep(2, 0);
  }
  Enter(ControllerState::kShuttingDown);
  FailParked(spec::PathStatus::kCommandAbortedByHost);
  ShutdownStep(0, static_cast<uint16_t>(info_.io_queues));
}

// step 0: delete SQs (highest first), 1: delete CQs, 2: CC.SHN, 3: wait SHST.
void Controller::ShutdownStep(int step, uint16_t qid) {
  if (step < 2 && qid == 0) {
    return step == 0 ? ShutdownStep(1, static_cast<uint16_t>(info_.io_queues)) : ShutdownStep(2, 0);
  }
  if (step < 2) {
    const spec::Sqe sqe = step == 0 ? commands::DeleteIoSq(qid) : commands::DeleteIoCq(qid);
    const spec::Status s = SubmitAdmin(sqe, [this, step, qid](const spec::Cqe& cqe) {
      if (!cqe.status_value().ok()) {
        Logf(hal::LogLevel::kWarning,
             "queue deletion during shutdown: " + cqe.status_value().ToString());
      }
      ShutdownStep(step, static_cast<uint16_t>(qid - 1));
    });
    if (!s.ok()) ShutdownStep(2, 0);
    return;
  }
  ++epoch_;  // nothing of the running controller may act any more
  if (watchdog_timer_) platform_.clock->CancelTimer(watchdog_timer_);
  watchdog_timer_ = hal::Clock::kNoTimer;
  RecoverCommands(false, spec::PathStatus::kCommandAbortedByHost);
  spec::CcRegister cc{platform_.mmio->Read32(spec::kRegCc)};
  if (CheckRegistersGone(cc.raw)) return;
  cc.set_shn(static_cast<uint8_t>(spec::ShutdownNotification::kNormal));
  platform_.mmio->Write32(spec::kRegCc, cc.raw);
  // RTD3E (microseconds, Identify Controller, base 5.17) bounds the wait, within [5 s, 60 s].
  const uint64_t rtd3e = uint64_t{info_.rtd3e_us} * 1000;
  const uint64_t budget = std::clamp(rtd3e, kShutdownMinNs, kShutdownMaxNs);
  PollShutdown(platform_.clock->NowNs() + budget);
}

void Controller::PollShutdown(uint64_t deadline) {
  state_timer_ = hal::Clock::kNoTimer;
  const spec::CstsRegister csts{ReadCsts()};
  if (CheckRegistersGone(csts.raw)) return;
  const bool done = csts.shst() == static_cast<uint8_t>(spec::ShutdownStatus::kComplete);
  if (done || platform_.clock->NowNs() >= deadline) {
    if (!done) Logf(hal::LogLevel::kWarning, "shutdown did not complete in time (CSTS.SHST)");
    Enter(ControllerState::kShutdown);
    if (on_shutdown_) {
      auto cb = std::move(on_shutdown_);
      cb(done ? spec::Status::Ok() : spec::Status(spec::GenericStatus::kInternalError));
    }
    return;
  }
  state_timer_ = platform_.clock->StartTimer(options_.register_poll_ns,
                                             [this, deadline] { PollShutdown(deadline); });
}

}  // namespace nvmesim::driver
