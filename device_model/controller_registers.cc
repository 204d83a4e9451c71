// BAR0 controller properties (NVMe Base 2.0 section 3.1.3) and the
// controller state machine: enable, disable (controller reset), shutdown,
// NVM subsystem reset, fatal status.
#include <algorithm>

#include "device_model/controller.h"
#include "device_model/thermal/thermal_model.h"

namespace nvmesim::device {

using spec::CcRegister;

uint64_t NvmeController::RegisterRead(uint32_t off, unsigned /*size*/) {
  switch (off) {
    case spec::kRegCap:
      return static_cast<uint32_t>(cap_.raw);
    case spec::kRegCap + 4:
      return static_cast<uint32_t>(cap_.raw >> 32);
    case spec::kRegVs:
      return spec::kNvmeVersion2_0;  // VS 2.0.0 (Figure 37)
    case spec::kRegIntms:
    case spec::kRegIntmc:
      return intms_;  // both read the mask (Figures 38-39)
    case spec::kRegCc:
      return cc_.raw;
    case spec::kRegCsts:
      return csts_.raw;
    case spec::kRegNssr:
      return 0;  // reads return 0 (Figure 43)
    case spec::kRegAqa:
      return aqa_.raw;
    case spec::kRegAsq:
      return static_cast<uint32_t>(asq_);
    case spec::kRegAsq + 4:
      return static_cast<uint32_t>(asq_ >> 32);
    case spec::kRegAcq:
      return static_cast<uint32_t>(acq_);
    case spec::kRegAcq + 4:
      return static_cast<uint32_t>(acq_ >> 32);
    case spec::kRegCrto: {
      // CRTO (Figure 51): both ready timeouts equal CAP.TO.
      return (uint32_t{cfg_.timeout_500ms} << 16) | cfg_.timeout_500ms;
    }
    default:
      return 0;  // reserved, unsupported optional registers, doorbells (write-only)
  }
}

void NvmeController::RegisterWrite(uint32_t off, unsigned /*size*/, uint64_t value) {
  const uint32_t v = static_cast<uint32_t>(value);
  if (off >= spec::kRegDoorbellBase && off < doorbell_end_) {
    DoorbellWrite(off, v);
    return;
  }
  const bool disabled = cc_.en() == 0;
  switch (off) {
    case spec::kRegIntms:
      intms_ |= v;
      break;  // RW1S (Figure 38)
    case spec::kRegIntmc:
      intms_ &= ~v;
      break;  // RW1C (Figure 39)
    case spec::kRegCc:
      WriteCc(v);
      break;
    case spec::kRegCsts:
      if (v & (1u << 4)) csts_.set_nssro(0);  // NSSRO is RW1C (Figure 42)
      break;
    case spec::kRegNssr:
      // Only the value "NVMe" starts an NVM Subsystem Reset (3.1.3.7, Figure 43).
      if (v == spec::kNssrResetValue && cap_.nssrs()) {
        Trace("nssr");
        subsystem_.NotifySubsystemReset();
      }
      break;
    // AQA, ASQ and ACQ change only while CC.EN = 0 (3.1.3.8-10); the 64-bit
    // bases may arrive as two dword writes in either order.
    case spec::kRegAqa:
      if (disabled) aqa_.raw = v & 0x0FFF0FFFu;
      break;
    case spec::kRegAsq:
      if (disabled) asq_ = (asq_ & ~uint64_t{0xFFFFFFFF}) | (v & 0xFFFFF000u);
      break;
    case spec::kRegAsq + 4:
      if (disabled) asq_ = (asq_ & 0xFFFFFFFFu) | (uint64_t{v} << 32);
      break;
    case spec::kRegAcq:
      if (disabled) acq_ = (acq_ & ~uint64_t{0xFFFFFFFF}) | (v & 0xFFFFF000u);
      break;
    case spec::kRegAcq + 4:
      if (disabled) acq_ = (acq_ & 0xFFFFFFFFu) | (uint64_t{v} << 32);
      break;
    default:
      Trace("mmio_ignored_write", off, v);
      break;  // read-only and reserved properties ignore writes
  }
}

void NvmeController::WriteCc(uint32_t value) {
  CcRegister n{value & 0x01FFFFF1u};  // EN, CSS, MPS, AMS, SHN, IOSQES, IOCQES, CRIME (Figure 41)
  const CcRegister old = cc_;
  if (old.en()) {
    // CSS, MPS and AMS change only while disabled (Figure 41).
    n.set_css(old.css()).set_mps(old.mps()).set_ams(old.ams());
  }
  cc_ = n;
  Trace("cc_write", value);
  if (!old.en() && n.en()) {
    if (state_ == State::kOff) return;  // powered off: waits for a power cycle
    enable_pending_ = true;
    disable_pending_ = false;
    state_ = State::kEnabling;
    state_event_.notify(sc_core::sc_time(static_cast<double>(cfg_.enable_time_ps), sc_core::SC_PS));
    return;
  }
  if (old.en() && !n.en()) {
    // Controller reset: stop at once, tear down now, RDY falls after the
    // configured time (3.7.2).
    Reset(false);
    disable_pending_ = true;
    enable_pending_ = false;
    csts_.set_rdy(1);  // still reads 1 until the transition completes
    state_event_.notify(
        sc_core::sc_time(static_cast<double>(cfg_.disable_time_ps), sc_core::SC_PS));
    return;
  }
  if (n.en() && old.shn() == 0 && n.shn() != 0 && state_ == State::kReady) {
    // Shutdown notification (3.6.1): stop fetching, finish what is in
    // flight, make cached data durable, then report SHST = complete.
    csts_.set_shst(static_cast<uint8_t>(spec::ShutdownStatus::kOccurring));
    state_ = State::kShutdown;
    shutdown_pending_ = true;
    Trace("shutdown", n.shn());
    state_event_.notify(
        sc_core::sc_time(static_cast<double>(cfg_.shutdown_time_ps), sc_core::SC_PS));
  }
}

void NvmeController::StateProcess() {
  local_ = sc_core::SC_ZERO_TIME;
  if (disable_pending_) {
    disable_pending_ = false;
    csts_.set_rdy(0);
    Trace("ready", 0);
  }
  if (enable_pending_) {
    enable_pending_ = false;
    if (StartController()) {
      csts_.set_rdy(1);
      state_ = State::kReady;
      Trace("ready", 1);
      ScheduleEngine();
    }
  }
  if (shutdown_pending_) {
    shutdown_pending_ = false;
    // Normal and abrupt both end with every timed completion posted (or, for
    // abrupt, dropped) and the write caches flushed.
    const bool abrupt = cc_.shn() == static_cast<uint8_t>(spec::ShutdownNotification::kAbrupt);
    while (!timed_.empty()) {
      Timed t = PopTimed();
      if (abrupt) {
        ++stats_.commands_aborted_by_reset;
        Trace("cmd_dropped_shutdown", t.sqid, t.cqe.cid);
      } else {
        PostCqe(t.cqid, t.cqe);
      }
    }
    FlushInterrupts();
    for (const auto& [nsid, ns] : subsystem_.namespaces()) {
      if (subsystem_.IsAttached(nsid, cfg_.cntlid)) ns->store().Flush();
    }
    csts_.set_shst(static_cast<uint8_t>(spec::ShutdownStatus::kComplete));
    Trace("shutdown_complete");
  }
  local_ = sc_core::SC_ZERO_TIME;
}

bool NvmeController::StartController() {
  // Enable-time checks (3.5.1, Figure 41): MPS within CAP, a supported CSS
  // and AMS, admin queues of at least two entries, bases outside our BAR.
  const uint8_t css = cc_.css();
  const bool css_ok = css == static_cast<uint8_t>(spec::CcCss::kNvm) ||
                      css == static_cast<uint8_t>(spec::CcCss::kAllIoCommandSets);
  const bool ams_ok = cc_.ams() == 0 || (cc_.ams() == 1 && cfg_.weighted_round_robin);
  const bool mps_ok = cc_.mps() >= cap_.mpsmin() && cc_.mps() <= cap_.mpsmax();
  const uint32_t asqs = aqa_.asqs() + 1u, acqs = aqa_.acqs() + 1u;
  const bool aqa_ok =
      asqs >= 2 && acqs >= 2 && asqs <= cfg_.max_queue_entries && acqs <= cfg_.max_queue_entries;
  const uint64_t bar = pcie_->Bar0Base();
  auto in_bar = [&](uint64_t base, uint64_t bytes) {
    return bar != 0 && base < bar + bar0_size_ && base + bytes > bar;
  };
  const bool base_ok = !in_bar(asq_, uint64_t{asqs} * 64) && !in_bar(acq_, uint64_t{acqs} * 16);
  if (!css_ok || !ams_ok || !mps_ok || !aqa_ok || !base_ok) {
    csts_.set_cfs(1);
    state_ = State::kFatal;
    Trace("enable_failed", css_ok | (ams_ok << 1) | (mps_ok << 2) | (aqa_ok << 3) | (base_ok << 4));
    return false;
  }
  page_size_ = uint64_t{1} << (12 + cc_.mps());
  arb_.mechanism = cc_.ams();
  arbiter_.Configure(arb_);
  SubmissionQueue& sq = sqs_[0];
  sq = SubmissionQueue{};
  sq.valid = true;
  sq.base = asq_;
  sq.size = asqs;
  CompletionQueue& cq = cqs_[0];
  cq = CompletionQueue{};
  cq.valid = true;
  cq.base = acq_;
  cq.size = acqs;
  cq.vector = 0;
  cq.sq_refs = 1;
  arbiter_.AddQueue(0, QueuePriority::kUrgent);
  last_keep_alive_ps_ = NowPs();
  return true;
}

void NvmeController::Reset(bool subsystem_reset) {
  ++stats_.resets;
  Trace("reset", subsystem_reset);
  AbortAllInFlight(true);
  for (auto& q : sqs_) q = SubmissionQueue{};
  for (auto& q : cqs_) q = CompletionQueue{};
  std::fill(sq_avail_.begin(), sq_avail_.end(), 0);
  arbiter_.Clear();
  std::fill(irq_pending_.begin(), irq_pending_.end(), 0);
  irq_list_.clear();
  std::fill(coalesce_count_.begin(), coalesce_count_.end(), 0);
  std::fill(coalesce_disable_.begin(), coalesce_disable_.end(), 0);
  coalesce_thr_ = coalesce_time_ = 0;
  coalesce_armed_ = false;
  // Features return to their defaults on a Controller Level Reset (3.7.2).
  arb_ = ArbitrationSettings{};
  power_state_ = 0;
  temp_threshold_over_ = cfg_.warning_kelvin;
  temp_threshold_under_ = 0;
  error_recovery_ = 0;
  vwc_enabled_ = false;
  async_event_config_ = 0;
  apst_ = 0;
  kato_ms_ = 0;
  io_command_set_profile_ = 0;
  if (thermal_) thermal_->ResetFeatures(NowPs());
  nsqa_ = ncqa_ = static_cast<uint16_t>(cfg_.max_io_queues - 1);
  io_queues_created_ = false;
  event_queue_.clear();
  masked_event_types_ = 0;
  fw_image_.clear();
  if (fw_next_slot_) {  // a committed image activates at this reset (5.12, Figure 183)
    fw_active_slot_ = fw_next_slot_;
    fw_next_slot_ = 0;
  }
  csts_.set_rdy(0).set_cfs(0).set_shst(0).set_pp(0);
  state_ = State::kDisabled;
  if (subsystem_reset) {
    cc_.raw = 0;
    aqa_.raw = 0;
    asq_ = acq_ = 0;
    intms_ = 0;
    csts_.set_nssro(1);  // NSSRO (Figure 42)
  }
}

void NvmeController::OnSubsystemReset() {
  Reset(true);
  disable_pending_ = enable_pending_ = shutdown_pending_ = false;
}

void NvmeController::InjectFatal() {
  Trace("fatal");
  csts_.set_cfs(1);  // CSTS.CFS (Figure 42): host must reset
  state_ = State::kFatal;
}

void NvmeController::InjectPowerLoss() {
  Trace("power_loss");
  for (const auto& [nsid, ns] : subsystem_.namespaces()) {
    if (subsystem_.IsAttached(nsid, cfg_.cntlid)) ns->store().PowerLoss();
  }
  for (IoCommandSetHandler* h : command_sets_) {
    if (h) h->OnPowerLoss();
  }
  if (csts_.shst() != static_cast<uint8_t>(spec::ShutdownStatus::kComplete)) {
    ++health_.unsafe_shutdowns;  // SMART Unsafe Shutdowns (Figure 207)
  }
  ++health_.power_cycles;
  Reset(true);
  csts_.set_nssro(0);
  disable_pending_ = enable_pending_ = shutdown_pending_ = false;
}

// Doorbells (PCIe Transport 1.0 3.1.2; Base 2.0 3.3.1): errors become the
// asynchronous events of Figure 147, never a crash.
void NvmeController::DoorbellWrite(uint32_t off, uint32_t value) {
  const uint32_t stride = spec::DoorbellStrideBytes(cfg_.doorbell_stride);
  const uint32_t rel = off - spec::kRegDoorbellBase;
  if (rel % stride != 0) return;  // between doorbells: reserved
  const uint32_t idx = rel / stride;
  const uint16_t qid = static_cast<uint16_t>(idx / 2);
  const bool is_cq = idx & 1u;
  if (state_ != State::kReady && state_ != State::kShutdown) return;
  constexpr uint8_t kErrorType = 0;           // Error status (Figure 146)
  constexpr uint8_t kInvalidDoorbell = 0x00;  // Write to Invalid Doorbell Register (Figure 147)
  constexpr uint8_t kInvalidValue = 0x01;     // Invalid Doorbell Write Value (Figure 147)
  constexpr uint8_t kErrorLog = 0x01;         // Error Information log page
  if (!is_cq) {
    SubmissionQueue& sq = sqs_[qid];
    if (!sq.valid) {
      ++stats_.doorbell_errors;
      Trace("db_invalid", qid, 0, value);
      QueueAsyncEvent(kErrorType, kInvalidDoorbell, kErrorLog);
      return;
    }
    if (value >= sq.size) {
      ++stats_.doorbell_errors;
      Trace("db_bad_value", qid, 0, value);
      QueueAsyncEvent(kErrorType, kInvalidValue, kErrorLog);
      return;
    }
    sq.tail = value;
    UpdateAvail(qid);
    Trace("sq_doorbell", qid, value);
    ScheduleEngine();
    return;
  }
  CompletionQueue& cq = cqs_[qid];
  if (!cq.valid) {
    ++stats_.doorbell_errors;
    Trace("db_invalid", qid, 1, value);
    QueueAsyncEvent(kErrorType, kInvalidDoorbell, kErrorLog);
    return;
  }
  // The new head may only release entries the controller has posted.
  const uint32_t posted = (cq.tail + cq.size - cq.head) % cq.size;
  const uint32_t advance = (value + cq.size - cq.head) % cq.size;
  if (value >= cq.size || advance > posted) {
    ++stats_.doorbell_errors;
    Trace("db_bad_value", qid, 1, value);
    QueueAsyncEvent(kErrorType, kInvalidValue, kErrorLog);
    return;
  }
  cq.head = value;
  if (cq.HasBacklog()) {
    DrainBacklog(cq);
    FlushInterrupts();
    ScheduleEngine();  // SQs held back by a full CQ may run again
  }
}

}  // namespace nvmesim::device
