#include "pcie_model/link.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace nvmesim::pcie {
namespace {

constexpr uint64_t kForever = std::numeric_limits<uint64_t>::max();

uint32_t DataCredits(uint32_t payload) {
  return (payload + kCreditUnitBytes - 1) / kCreditUnitBytes;  // 3.4.1: 4 DW units
}

std::string CheckRate(double p) {
  if (!(p >= 0.0 && p < 1.0)) {
    std::ostringstream os;
    os << "pcie link: LCRC error rate " << p << " is not in [0, 1)";
    return os.str();
  }
  return "";
}

}  // namespace

Link::Link(sc_core::sc_module_name name, const LinkConfig& config, spec::TraceSink* trace)
    : sc_core::sc_module(name),
      down_target("down_target"),
      down_initiator("down_initiator"),
      up_target("up_target"),
      up_initiator("up_initiator"),
      config_(config),
      trace_(trace) {
  const std::string error = ValidateLinkConfig(config);
  if (!error.empty()) throw std::invalid_argument(error);
  down_target.bind(down_fw_);
  up_target.bind(up_fw_);
  up_initiator.register_invalidate_direct_mem_ptr(this, &Link::InvalidateDmiUp);
  steps_.push_back(Step{0, LinkTiming(config)});
  auto init = [](DirState& s, const FlowControlCredits& c) {
    const uint32_t h[3] = {c.posted_header, c.non_posted_header, c.completion_header};
    const uint32_t d[3] = {c.posted_data, c.non_posted_data, c.completion_data};
    for (int i = 0; i < 3; ++i) {
      s.credits[i].header_limit = s.credits[i].header_free = h[i];
      s.credits[i].data_limit = s.credits[i].data_free = d[i];
    }
  };
  init(dir_[Index(Direction::kDownstream)], config.device_credits);
  init(dir_[Index(Direction::kUpstream)], config.root_port_credits);
  rng_.seed(static_cast<uint32_t>(config.seed ^ (config.seed >> 32)));
  source_names_[0] = std::string(this->name()) + ".down";
  source_names_[1] = std::string(this->name()) + ".up";
  last_reported_ = LinkState{true, config.generation, config.width};
  tag_done_.reserve(config.max_outstanding_reads);
  SC_HAS_PROCESS(Link);
  SC_METHOD(ChangeProcess);
  sensitive << change_event_;
  dont_initialize();
}

// --- Time helpers -----------------------------------------------------------

const LinkTiming& Link::StepAt(uint64_t t_ps) const {
  auto it = std::upper_bound(steps_.begin(), steps_.end(), t_ps,
                             [](uint64_t t, const Step& s) { return t < s.at_ps; });
  return std::prev(it)->timing;
}
const LinkTiming& Link::timing() const { return TimingAt(NowPs()); }

// --- Faults -----------------------------------------------------------------

bool Link::DownAt(uint64_t t) const {
  for (const Interval& i : down_) {
    if (i.start_ps <= t && t < i.end_ps) return true;
  }
  return false;
}
bool Link::CompletionLostAt(uint64_t t) const {
  for (const Interval& i : cpl_loss_) {
    if (i.start_ps <= t && t < i.end_ps) return true;
  }
  return false;
}
double Link::LcrcRateAt(uint64_t t) const {
  double p = 0;
  for (const Interval& i : lcrc_) {
    if (i.start_ps <= t && t < i.end_ps) p = i.rate;  // the latest one set wins
  }
  return p;
}
bool Link::DrawLcrcError(double p) {
  // One 32-bit draw against p * 2^32: the same sequence on every platform.
  const double threshold = p * 4294967296.0;
  return static_cast<double>(rng_()) < threshold;
}

void Link::UpdateFaultHorizon() {
  // Past this time no fault window is open: the fast path may run again.
  uint64_t until = 0;
  for (const auto* list : {&down_, &lcrc_, &cpl_loss_}) {
    for (const Interval& i : *list) {
      if (i.end_ps > i.start_ps) until = std::max(until, i.end_ps);
    }
  }
  fault_until_ps_ = until;
  if (dmi_granted_ && !DmiGrantable()) {
    // A fault window opens now or later: DMA must go through the link again.
    dmi_granted_ = false;
    up_target->invalidate_direct_mem_ptr(0, ~sc_dt::uint64{0});
  }
}

bool Link::DmiGrantable() const {
  return config_.fidelity == Fidelity::kFunctional &&
         (fault_until_ps_ == 0 || fault_until_ps_ <= NowPs());
}

bool Link::GetDmiUp(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  if (!DmiGrantable() || !up_initiator->get_direct_mem_ptr(trans, dmi)) return false;
  dmi_granted_ = true;
  return true;
}

void Link::InvalidateDmiUp(sc_dt::uint64 start, sc_dt::uint64 end) {
  up_target->invalidate_direct_mem_ptr(start, end);
}

void Link::SetLinkDown(bool down) {
  const uint64_t now = NowPs();
  if (down) {
    if (!DownAt(now)) down_.push_back({now, kForever, 0});
  } else {
    for (Interval& i : down_) {
      if (i.start_ps <= now && now < i.end_ps) i.end_ps = now;
    }
  }
  UpdateFaultHorizon();
  NotifyChangeAt(now);
}

void Link::ScheduleLinkDown(const sc_core::sc_time& start, const sc_core::sc_time& end) {
  const uint64_t e = end == sc_core::sc_max_time() ? kForever : ToPs(end);
  down_.push_back({ToPs(start), e, 0});
  UpdateFaultHorizon();
  NotifyChangeAt(ToPs(start));
  if (e != kForever) NotifyChangeAt(e);
}

std::string Link::Retrain(unsigned generation, unsigned width) {
  return ScheduleRetrain(sc_core::sc_time_stamp(), generation, width);
}

std::string Link::ScheduleRetrain(const sc_core::sc_time& at, unsigned generation, unsigned width) {
  std::ostringstream os;
  if (generation < 1 || generation > config_.generation) {
    os << "pcie link: retrain to generation " << generation << " is not 1.." << config_.generation
       << " (the trained maximum, PCIe 5.0 4.2.6)";
    return os.str();
  }
  if ((width != 1 && width != 2 && width != 4 && width != 8 && width != 16) ||
      width > config_.width) {
    os << "pcie link: retrain to width x" << width << " is not x1/x2/x4/x8/x16 up to x"
       << config_.width << " (PCIe 5.0 4.2.4.11)";
    return os.str();
  }
  const uint64_t t = ToPs(at);
  auto it = std::upper_bound(steps_.begin(), steps_.end(), t,
                             [](uint64_t v, const Step& s) { return v < s.at_ps; });
  steps_.insert(it, Step{t, LinkTiming(config_, generation, width)});
  UpdateFaultHorizon();
  NotifyChangeAt(t);
  return "";
}

std::string Link::SetLcrcErrorRate(double p) {
  std::string e = CheckRate(p);
  if (!e.empty()) return e;
  const uint64_t now = NowPs();
  for (Interval& i : lcrc_) {
    if (i.start_ps <= now && now < i.end_ps) i.end_ps = now;
  }
  if (p > 0) lcrc_.push_back({now, kForever, p});
  UpdateFaultHorizon();
  return "";
}

std::string Link::ScheduleLcrcErrorRate(const sc_core::sc_time& start, const sc_core::sc_time& end,
                                        double p) {
  std::string e = CheckRate(p);
  if (!e.empty()) return e;
  lcrc_.push_back({ToPs(start), end == sc_core::sc_max_time() ? kForever : ToPs(end), p});
  UpdateFaultHorizon();
  return "";
}

void Link::ScheduleCompletionLoss(const sc_core::sc_time& start, const sc_core::sc_time& end) {
  cpl_loss_.push_back({ToPs(start), end == sc_core::sc_max_time() ? kForever : ToPs(end), 0});
  UpdateFaultHorizon();
}

void Link::SetCompletionLoss(bool lose) {
  const uint64_t now = NowPs();
  if (lose) {
    if (!CompletionLostAt(now)) cpl_loss_.push_back({now, kForever, 0});
  } else {
    for (Interval& i : cpl_loss_) {
      if (i.start_ps <= now && now < i.end_ps) i.end_ps = now;
    }
  }
  UpdateFaultHorizon();
}

void Link::SetStateListener(std::function<void(const LinkState&)> listener) {
  listener_ = std::move(listener);
}

LinkState Link::StateAt(const sc_core::sc_time& at) const {
  const uint64_t t = ToPs(at);
  const LinkTiming& tm = TimingAt(t);
  return LinkState{!DownAt(t), tm.generation(), tm.width()};
}

void Link::NotifyChangeAt(uint64_t at_ps) {
  const uint64_t now = NowPs();
  if (at_ps < now) at_ps = now;
  change_times_.push_back(at_ps);
  std::sort(change_times_.begin(), change_times_.end());
  change_event_.notify(Ps(change_times_.front() - now));
}

void Link::ChangeProcess() {
  const uint64_t now = NowPs();
  while (!change_times_.empty() && change_times_.front() <= now) {
    change_times_.erase(change_times_.begin());
  }
  const LinkState s = State();
  if (s.up != last_reported_.up || s.generation != last_reported_.generation ||
      s.width != last_reported_.width) {
    last_reported_ = s;
    Trace(s.up ? "link_up" : "link_down", Direction::kDownstream, now, s.generation, s.width);
    if (listener_) listener_(s);
  }
  if (!change_times_.empty()) change_event_.notify(Ps(change_times_.front() - now));
}

// --- Counters ---------------------------------------------------------------

double Link::Utilisation(Direction d, const sc_core::sc_time& elapsed) const {
  const uint64_t e = ToPs(elapsed);
  return e ? static_cast<double>(dir_[Index(d)].counters.busy_ps) / static_cast<double>(e) : 0.0;
}

void Link::ResetCounters() {
  for (DirState& s : dir_) s.counters = DirectionCounters{};
}

void Link::Emit(const char* name, Direction d, uint64_t at_ps, uint64_t a, uint64_t b) const {
  spec::TraceEvent e;
  e.time_ps = at_ps;
  e.source = source_names_[Index(d)].c_str();
  e.name = name;
  e.a = a;
  e.b = b;
  trace_->Emit(e);
}

// --- Wire -------------------------------------------------------------------

[[gnu::always_inline]] inline uint64_t Link::PlaceDllps(DirState& s, uint64_t t) {
  while (!s.dllps.empty() && s.dllps.front().at_ps <= std::max(s.busy_until_ps, t)) {
    const PendingDllp& p = s.dllps.front();
    s.busy_until_ps = std::max(s.busy_until_ps, p.at_ps) + p.duration_ps;
    s.dllps.pop_front();
  }
  return std::max(s.busy_until_ps, t);
}

void Link::ChargeDllps(Direction d, uint64_t at_ps, uint32_t count) {
  DirState& s = dir_[Index(d)];
  const uint64_t dur = count * TimingAt(at_ps).DllpTimePs();
  s.counters.dllps += count;
  s.counters.overhead_bytes += uint64_t(count) * kDllpWireBytes;
  s.counters.busy_ps += dur;
  if (!s.dllps.empty() && s.dllps.back().at_ps + s.dllps.back().duration_ps >= at_ps) {
    s.dllps.back().duration_ps += dur;  // back to back with the previous one
  } else {
    s.dllps.push_back({at_ps, dur});
  }
}

[[gnu::always_inline]] inline uint32_t Link::DllpsOwed(Direction d, uint64_t tlps) {
  DirState& s = dir_[Index(d)];
  uint64_t acks = 0, fcs = 0;
  uint64_t a = s.ack_phase + tlps, f = s.fc_phase + tlps;
  // Most transactions are a TLP or a few: one subtraction, a division only past that.
  if (a >= config_.ack_every) {
    a -= config_.ack_every;
    acks = 1;
    if (a >= config_.ack_every) {
      acks += a / config_.ack_every;
      a %= config_.ack_every;
    }
  }
  if (f >= config_.update_fc_every) {
    f -= config_.update_fc_every;
    fcs = 1;
    if (f >= config_.update_fc_every) {
      fcs += f / config_.update_fc_every;
      f %= config_.update_fc_every;
    }
  }
  s.ack_phase = static_cast<uint32_t>(a);
  s.fc_phase = static_cast<uint32_t>(f);
  return static_cast<uint32_t>(acks + fcs);
}

[[gnu::always_inline]] inline void Link::ReceiverDllps(Direction d, uint64_t at_ps, uint64_t tlps) {
  if (const uint32_t n = DllpsOwed(d, tlps)) ChargeDllps(Reverse(d), at_ps, n);
}

uint64_t Link::AcquireCredits(DirState& s, CreditClass cls, uint64_t t, uint32_t header,
                              uint32_t data, uint64_t* stall_ps) {
  CreditPool& p = s.credits[cls];
  *stall_ps = 0;
  const uint32_t need_h = p.header_limit ? header : 0;
  const uint32_t need_d = p.data_limit ? data : 0;
  if (!need_h && !need_d) return t;
  while (!p.returns.empty() && p.returns.front().at_ps <= t) {
    p.header_free += p.returns.front().header;
    p.data_free += p.returns.front().data;
    p.returns.pop_front();
  }
  uint64_t start = t;
  while ((p.header_free < need_h || p.data_free < need_d) && !p.returns.empty()) {
    start = std::max(start, p.returns.front().at_ps);
    p.header_free += p.returns.front().header;
    p.data_free += p.returns.front().data;
    p.returns.pop_front();
  }
  p.header_free -= std::min(p.header_free, need_h);
  p.data_free -= std::min(p.data_free, need_d);
  *stall_ps = start - t;
  return start;
}

[[gnu::always_inline]] inline Link::Sent Link::SendTlp(Direction d, uint64_t t, uint32_t payload,
                                                       unsigned header_dw, CreditClass cls,
                                                       bool use_credits) {
  DirState& s = dir_[Index(d)];
  const uint64_t start = StartAfter(s, t);
  if (start < fault_until_ps_ ||
      (use_credits && (s.credits[cls].header_limit || s.credits[cls].data_limit))) {
    return SendTlpSlow(d, start, payload, header_dw, cls, use_credits);
  }
  // No fault window, no credit limit: what SendTlpSlow does with neither.
  const LinkTiming& tm = TimingAt(start);
  const uint32_t wire = tm.TlpWireBytes(payload, header_dw);
  const uint64_t dur = tm.WireTimePs(wire);
  const uint64_t end = start + dur;
  s.busy_until_ps = end;
  ++s.counters.tlps;
  s.counters.payload_bytes += payload;
  s.counters.overhead_bytes += wire - payload;
  s.counters.busy_ps += dur;
  ReceiverDllps(d, end + tm.HopPs(), 1);
  return Sent{start, end, false};
}

Link::Sent Link::SendTlpSlow(Direction d, uint64_t start, uint32_t payload, unsigned header_dw,
                             CreditClass cls, bool use_credits) {
  DirState& s = dir_[Index(d)];
  uint32_t need_h = 0, need_d = 0;
  if (use_credits && (s.credits[cls].header_limit || s.credits[cls].data_limit)) {
    uint64_t stall = 0;
    need_h = s.credits[cls].header_limit ? 1 : 0;
    need_d = s.credits[cls].data_limit ? DataCredits(payload) : 0;
    start = AcquireCredits(s, cls, start, 1, DataCredits(payload), &stall);
    s.counters.credit_stall_ps += stall;
  }
  if (start < fault_until_ps_ && DownAt(start)) {
    ++s.counters.dropped_tlps;
    s.credits[cls].header_free += need_h;  // never sent: the credits stay with us
    s.credits[cls].data_free += need_d;
    return Sent{start, start, true};
  }
  const LinkTiming& tm = TimingAt(start);
  const uint32_t wire = tm.TlpWireBytes(payload, header_dw);
  const uint64_t dur = tm.WireTimePs(wire);
  if (start < fault_until_ps_) {
    const double p = LcrcRateAt(start);
    while (p > 0 && DrawLcrcError(p)) {
      // 3.6.2.1: the receiver Naks, the transmitter replays from this TLP on;
      // the link carried this TLP and whatever followed it until the Nak came back.
      const uint64_t wasted = dur + tm.NakLoopPs();
      ++s.counters.replays;
      s.counters.replay_ps += wasted;
      ++s.counters.tlps;
      s.counters.overhead_bytes += wire;
      s.counters.busy_ps += wasted;
      Trace("lcrc_replay", d, start, payload, wasted);
      ChargeDllps(Reverse(d), start + dur + tm.HopPs(), 1);  // the Nak
      start += wasted;
    }
  }
  const uint64_t end = start + dur;
  s.busy_until_ps = end;
  ++s.counters.tlps;
  s.counters.payload_bytes += payload;
  s.counters.overhead_bytes += wire - payload;
  s.counters.busy_ps += dur;
  if (need_h || need_d) s.credits[cls].returns.push_back({end + tm.CreditLoopPs(), need_h, need_d});
  ReceiverDllps(d, end + tm.HopPs(), 1);
  return Sent{start, end, false};
}

// --- Transactions -----------------------------------------------------------

[[gnu::always_inline]] inline void Link::Transport(Direction d, tlm::tlm_generic_payload& trans,
                                                   sc_core::sc_time& delay) {
  TlpExtension* ext = trans.get_extension<TlpExtension>();
  const bool config =
      ext && (ext->type == TlpType::kConfigRead || ext->type == TlpType::kConfigWrite);
  if (ext) ext->completion = CompletionStatus::kSuccessful;
  const bool posted = trans.is_write() && !config;
  if (config_.fidelity == Fidelity::kFunctional) {
    Functional(d, trans, delay, posted, config);
    if (fault_until_ps_ != 0 && !DmiGrantable()) trans.set_dmi_allowed(false);
    return;
  }
  const uint64_t now = NowPs();
  const uint64_t t0 = now + ToPs(delay);
  // DLLPs owed to the reverse direction that are due by now go on the wire.
  StartAfter(dir_[Index(Reverse(d))], now);
  if (posted) {
    if (config_.fidelity == Fidelity::kApproximate && t0 >= fault_until_ps_) {
      PostedBlock(d, trans, delay, now, t0);
    } else {
      PostedWrite(d, trans, delay, now, t0);
    }
  } else {
    NonPosted(d, trans, delay, now, t0, config);
  }
  trans.set_dmi_allowed(false);  // timed: every TLP crosses the link
}

void Link::TransportDown(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  Transport(Direction::kDownstream, trans, delay);
}
void Link::TransportUp(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  Transport(Direction::kUpstream, trans, delay);
}

[[gnu::always_inline]] inline void Link::Forward(Direction d, tlm::tlm_generic_payload& trans,
                                                 sc_core::sc_time& delay) {
  if (d == Direction::kDownstream) {
    down_initiator->b_transport(trans, delay);
  } else {
    up_initiator->b_transport(trans, delay);
  }
}

void Link::Functional(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                      bool posted, bool config) {
  const uint64_t len = trans.get_data_length();
  const uint32_t mps = config_.max_payload_size;
  DirectionCounters& c = dir_[Index(d)].counters;
  // fault_until_ps_ is 0 until a fault or retrain was ever scheduled: no clock read then.
  const uint64_t now = fault_until_ps_ != 0 ? NowPs() : 0;
  const uint64_t t0 = fault_until_ps_ != 0 ? now + ToPs(delay) : 0;
  if (t0 < fault_until_ps_) {
    if (DownAt(t0)) {
      if (posted) {
        c.dropped_tlps += ChunkCount(trans.get_address(), len, mps);
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
        Trace("tlp_drop", d, t0, trans.get_address(), len);
      } else {
        ++c.dropped_tlps;
        TimeOut(d, trans, delay, now, t0);
      }
      return;
    }
    if (!posted && CompletionLostAt(t0)) {
      TimeOut(d, trans, delay, now, t0);
      return;
    }
  }
  if (posted) {
    c.tlps += ChunkCount(trans.get_address(), len, mps);
    c.payload_bytes += len;
    sc_core::sc_time fwd = delay;  // posted: the requester does not wait for the target
    Forward(d, trans, fwd);
    return;
  } else {
    ++c.tlps;
    DirectionCounters& r = dir_[Index(Reverse(d))].counters;
    r.tlps += config ? 1 : ChunkCount(trans.get_address(), len, mps);
    r.payload_bytes += trans.is_read() ? len : 0;
    if (trans.is_write()) c.payload_bytes += len;
  }
  Forward(d, trans, delay);
}

void Link::TimeOut(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                   uint64_t now, uint64_t sent_ps) {
  // 2.8: no completion arrived; the requester gives up after the timeout.
  ++dir_[Index(d)].counters.completion_timeouts;
  if (trans.is_read() && trans.get_data_ptr()) {
    std::memset(trans.get_data_ptr(), 0xFF, trans.get_data_length());
  }
  trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
  if (TlpExtension* ext = trans.get_extension<TlpExtension>()) {
    ext->completion = CompletionStatus::kCompletionTimeout;
  }
  Trace("cpl_timeout", d, sent_ps, trans.get_address(), trans.get_data_length());
  delay = Ps(sent_ps + config_.completion_timeout_ps - now);
}

void Link::PostedBlock(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                       uint64_t now, uint64_t t0) {
  DirState& s = dir_[Index(d)];
  const uint64_t addr = trans.get_address();
  const uint32_t len = trans.get_data_length();
  const unsigned hdr = MemoryHeaderDw(addr);
  const uint32_t mps = config_.max_payload_size;
  Trace("tlp_mwr", d, t0, addr, len);
  // One block: n TLPs back to back (2.2.2 MPS split), one multiply.
  const LinkTiming& tm = TimingAt(t0);
  const uint64_t n = ChunkCount(addr, len, mps);
  const uint64_t overhead = n * tm.TlpOverheadBytes(hdr);
  const uint64_t dur = tm.WireTimePs(len + overhead);
  const uint64_t start = StartAfter(s, t0);
  const uint64_t end = start + dur;
  s.busy_until_ps = end;
  s.counters.tlps += n;
  s.counters.payload_bytes += len;
  s.counters.overhead_bytes += overhead;
  s.counters.busy_ps += dur;
  const uint64_t arrival = end + tm.HopPs();
  ReceiverDllps(d, arrival, n);
  sc_core::sc_time fwd = Ps(arrival - now);
  Forward(d, trans, fwd);
  delay = Ps(end - now);
}

void Link::PostedWrite(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                       uint64_t now, uint64_t t0) {
  DirState& s = dir_[Index(d)];
  const uint64_t addr = trans.get_address();
  const uint32_t len = trans.get_data_length();
  const unsigned hdr = MemoryHeaderDw(addr);
  const uint32_t mps = config_.max_payload_size;
  Trace("tlp_mwr", d, t0, addr, len);

  const bool credits = config_.fidelity == Fidelity::kCycle;
  const CreditPool& pool = s.credits[kPosted];
  if (t0 >= fault_until_ps_ && steps_.size() == 1 &&
      !(credits && (pool.header_limit || pool.data_limit))) {
    // No fault window, one link speed, no credit limit: SendTlp's fast case
    // per TLP, with what does not change between the TLPs worked out once.
    const LinkTiming& tm = steps_[0].timing;
    const uint32_t overhead = tm.TlpOverheadBytes(hdr);
    const uint64_t hop = tm.HopPs();
    uint64_t a = addr, left = len, end = t0;
    do {
      const uint32_t chunk = NextChunk(a, left, mps);
      const uint64_t start = StartAfter(s, end);
      const uint64_t dur = tm.WireTimePs(chunk + overhead);
      end = start + dur;
      s.busy_until_ps = end;
      ++s.counters.tlps;
      s.counters.payload_bytes += chunk;
      s.counters.overhead_bytes += overhead;
      s.counters.busy_ps += dur;
      ReceiverDllps(d, end + hop, 1);
      a += chunk;
      left -= chunk;
    } while (left > 0);
    sc_core::sc_time fwd = Ps(end + hop - now);
    Forward(d, trans, fwd);
    delay = Ps(end - now);
    return;
  }

  uint64_t a = addr, left = len, delivered = 0, last_end = t0, last_arrival = t0;
  bool lost = false;
  do {
    const uint32_t chunk = NextChunk(a, left, mps);
    const Sent sent = SendTlp(d, last_end, chunk, hdr, kPosted, credits);
    if (sent.lost) {
      lost = true;
      break;
    }
    last_end = sent.end_ps;
    last_arrival = sent.end_ps + TimingAt(sent.start_ps).HopPs();
    delivered += chunk;
    a += chunk;
    left -= chunk;
  } while (left > 0);
  if (lost) {
    // 3.2.1 DL_Down: the rest of the transfer never leaves; no one is told (posted).
    const uint64_t rest = left > 0 ? ChunkCount(a, left, mps) : 0;
    s.counters.dropped_tlps += rest > 0 ? rest - 1 : 0;  // SendTlp counted the first
    Trace("tlp_drop", d, last_end, a, left);
  }
  if (delivered > 0) {
    sc_core::sc_time fwd = Ps(last_arrival - now);
    if (delivered < len) {
      trans.set_data_length(static_cast<unsigned>(delivered));
      Forward(d, trans, fwd);
      trans.set_data_length(len);
    } else {
      Forward(d, trans, fwd);
    }
  } else {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  delay = Ps(last_end - now);
}

void Link::NonPosted(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                     uint64_t now, uint64_t t0, bool config) {
  const Direction r = Reverse(d);
  DirState& s = dir_[Index(d)];
  DirState& rs = dir_[Index(r)];
  const uint64_t addr = trans.get_address();
  const uint32_t len = trans.get_data_length();
  const unsigned hdr = config ? kConfigHeaderDw : MemoryHeaderDw(addr);
  const uint32_t mps = config_.max_payload_size;
  const uint32_t mrrs = config_.max_read_request_size;
  const uint32_t rcb = config_.read_completion_boundary;
  Trace(config ? "tlp_cfg" : "tlp_mrd", d, t0, addr, len);

  if (!config && config_.fidelity == Fidelity::kApproximate && t0 >= fault_until_ps_) {
    const LinkTiming& tm = TimingAt(t0);
    const uint64_t nreq = ChunkCount(addr, len, mrrs);
    const uint64_t req_ps = tm.TlpTimePs(0, hdr);
    const uint64_t start = StartAfter(s, t0);
    s.busy_until_ps = start + nreq * req_ps;
    s.counters.tlps += nreq;
    s.counters.overhead_bytes += nreq * tm.TlpOverheadBytes(hdr);
    s.counters.busy_ps += nreq * req_ps;
    const uint64_t first_arrival = start + req_ps + tm.HopPs();
    const uint64_t last_arrival = s.busy_until_ps + tm.HopPs();
    const uint32_t req_dllps = DllpsOwed(d, nreq);  // Acks/UpdateFCs for the requests
    sc_core::sc_time fwd = Ps(first_arrival - now);
    Forward(d, trans, fwd);
    const uint64_t back = ToPs(fwd) + now;
    const uint64_t latency = back > first_arrival ? back - first_arrival : 0;
    // Completions (2.3.1.1): per request, RCB-aligned pieces of at most MPS;
    // a failed request gets one completion without data.
    const bool ok = trans.is_response_ok();
    uint64_t ncpl = 0, last_piece = 0;
    if (ok) {
      uint64_t a = addr, left = len;
      do {
        uint64_t ca = a, cleft = NextChunk(a, left, mrrs);
        a += cleft;
        left -= cleft;
        do {
          last_piece = NextCompletion(ca, cleft, mps, rcb);
          ca += last_piece;
          cleft -= last_piece;
          ++ncpl;
        } while (cleft > 0);
      } while (left > 0);
    } else {
      ncpl = nreq;
    }
    const uint64_t bytes = ok ? len : 0;
    const uint64_t overhead = ncpl * tm.TlpOverheadBytes(kCompletionHeaderDw);
    const uint64_t dur = tm.WireTimePs(bytes + overhead);
    const uint64_t c_start = StartAfter(rs, first_arrival + latency);
    const uint64_t c_end =
        std::max(c_start + dur,
                 last_arrival + latency +
                     tm.TlpTimePs(static_cast<uint32_t>(ok ? last_piece : 0), kCompletionHeaderDw));
    uint64_t block_end = c_end;
    if (req_dllps) {
      if (last_arrival < c_end) {
        // The requests' DLLPs share the completion direction while it streams.
        const uint64_t dllp_ps = req_dllps * tm.DllpTimePs();
        block_end += dllp_ps;
        rs.counters.dllps += req_dllps;
        rs.counters.overhead_bytes += uint64_t(req_dllps) * kDllpWireBytes;
        rs.counters.busy_ps += dllp_ps;
      } else {
        ChargeDllps(r, last_arrival, req_dllps);
      }
    }
    rs.busy_until_ps = block_end;
    rs.counters.tlps += ncpl;
    rs.counters.payload_bytes += bytes;
    rs.counters.overhead_bytes += overhead;
    rs.counters.busy_ps += dur;
    ReceiverDllps(r, block_end + tm.HopPs(), ncpl);
    delay = Ps(block_end + tm.HopPs() - now);
    return;
  }

  // Per request: cycle fidelity, configuration requests, or faults active.
  const bool credits = config_.fidelity == Fidelity::kCycle;
  const uint32_t req_payload = config && trans.is_write() ? 4 : 0;  // CfgWr carries 1 DW
  uint64_t a = addr, left = config ? 0 : len;
  uint64_t t = t0, done = t0, latency = 0;
  bool first = true, ok = true;
  tag_done_.clear();
  size_t tag_head = 0;
  do {
    const uint32_t chunk = config ? 0 : NextChunk(a, left, mrrs);
    if (tag_done_.size() - tag_head >= config_.max_outstanding_reads) {
      t = std::max(t, tag_done_[tag_head++]);  // 2.2.6.2: wait for a free tag
    }
    const Sent q = SendTlp(d, t, req_payload, hdr, kNonPosted, credits);
    if (q.lost || (q.start_ps < fault_until_ps_ && CompletionLostAt(q.start_ps))) {
      TimeOut(d, trans, delay, now, q.start_ps);
      return;
    }
    t = q.end_ps;
    const uint64_t arrival = q.end_ps + TimingAt(q.start_ps).HopPs();
    if (first) {
      sc_core::sc_time fwd = Ps(arrival - now);
      Forward(d, trans, fwd);
      const uint64_t back = ToPs(fwd) + now;
      latency = back > arrival ? back - arrival : 0;
      ok = trans.is_response_ok();
      first = false;
    }
    uint64_t ready = arrival + latency;
    uint64_t cpl_left = config ? (trans.is_read() ? 4 : 0) : (ok ? chunk : 0);
    uint64_t ca = a, cpl_end = ready;
    do {
      const uint32_t piece =
          config ? static_cast<uint32_t>(cpl_left) : NextCompletion(ca, cpl_left, mps, rcb);
      const Sent c = SendTlp(r, ready, piece, kCompletionHeaderDw, kCompletion, credits);
      if (c.lost) {
        TimeOut(d, trans, delay, now, q.start_ps);
        return;
      }
      ready = c.end_ps;
      cpl_end = c.end_ps + TimingAt(c.start_ps).HopPs();
      ca += piece;
      cpl_left -= piece;
    } while (cpl_left > 0);
    tag_done_.push_back(cpl_end);
    done = std::max(done, cpl_end);
    a += chunk;
    left -= chunk;
  } while (left > 0);
  delay = Ps(done - now);
}

}  // namespace nvmesim::pcie
