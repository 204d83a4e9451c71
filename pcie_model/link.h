// One PCIe link between a root port and a device function, both directions.
//
//   root complex port --> down_target  [Link]  down_initiator --> device pcie_target
//   root complex port <-- up_initiator [Link]  up_target      <-- device pcie_initiator
//
// Every request rides b_transport; the link adds the time its TLPs take to the
// annotated delay and never calls wait() (docs/pcie.md, "Timing model"):
//   - posted writes (MWr, MSI-X): delay += until the last TLP has left the
//     transmitter; the target is called with the arrival time of the last TLP.
//   - non-posted (MRd, CfgRd, CfgWr): delay += until the last completion has
//     arrived back at the requester.
// Each direction is one FIFO ("busy until" time), so no TLP passes another in
// the same direction: completions never pass posted writes (2.4.1).
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <boost/random/mersenne_twister.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pcie_model/fw_target.h"
#include "pcie_model/link_config.h"
#include "pcie_model/link_timing.h"
#include "pcie_model/sim_time.h"
#include "pcie_model/tlp.h"
#include "spec/trace.h"

namespace nvmesim::pcie {

enum class Direction : uint8_t { kDownstream = 0, kUpstream = 1 };
constexpr const char* DirectionName(Direction d) {
  return d == Direction::kDownstream ? "downstream" : "upstream";
}

struct DirectionCounters {
  uint64_t tlps = 0;                 // TLPs transmitted (a replay counts once more)
  uint64_t payload_bytes = 0;        // data bytes carried by those TLPs
  uint64_t overhead_bytes = 0;       // headers, framing, LCRC, ECRC, and DLLPs on this direction
  uint64_t dllps = 0;                // Ack / Nak / UpdateFC DLLPs sent on this direction
  uint64_t busy_ps = 0;              // time the direction spent transmitting
  uint64_t replays = 0;              // Naks that caused a replay of this direction's TLPs
  uint64_t replay_ps = 0;            // time lost to those replays
  uint64_t credit_stall_ps = 0;      // time TLPs waited for flow-control credits (cycle only)
  uint64_t dropped_tlps = 0;         // TLPs lost while the link was down
  uint64_t completion_timeouts = 0;  // non-posted requests from this side that timed out
};

struct LinkState {
  bool up = true;
  unsigned generation = 0;
  unsigned width = 0;
};

class Link : public sc_core::sc_module {
 public:
  // Throws std::invalid_argument with ValidateLinkConfig's message when invalid.
  Link(sc_core::sc_module_name name, const LinkConfig& config, spec::TraceSink* trace = nullptr);

  tlm::tlm_target_socket<> down_target;
  tlm_utils::simple_initiator_socket<Link> down_initiator;
  tlm::tlm_target_socket<> up_target;
  tlm_utils::simple_initiator_socket<Link> up_initiator;

  // --- Faults. "Now" is sc_time_stamp(); scheduled faults apply to TLPs whose
  // transmission starts in [start, end). Use sc_core::sc_max_time() for "never ends".
  void SetLinkDown(bool down);
  void ScheduleLinkDown(const sc_core::sc_time& start, const sc_core::sc_time& end);
  // Retrain to generation/width no higher than the configured ones; "" or an error.
  std::string Retrain(unsigned generation, unsigned width);
  std::string ScheduleRetrain(const sc_core::sc_time& at, unsigned generation, unsigned width);
  // Probability that a TLP fails its LCRC check (Nak and replay, 3.6.2.1). 0 <= p < 1.
  std::string SetLcrcErrorRate(double per_tlp_probability);
  std::string ScheduleLcrcErrorRate(const sc_core::sc_time& start, const sc_core::sc_time& end,
                                    double per_tlp_probability);
  // The completer never answers non-posted requests sent in [start, end): the
  // requester sees a completion timeout (2.8), the link stays up.
  void ScheduleCompletionLoss(const sc_core::sc_time& start, const sc_core::sc_time& end);
  void SetCompletionLoss(bool lose);  // from now until SetCompletionLoss(false)
  // Called (from a process of the link, at the simulated time) when the link
  // goes down or up or retrains.
  void SetStateListener(std::function<void(const LinkState&)> listener);

  LinkState StateAt(const sc_core::sc_time& at) const;
  LinkState State() const { return StateAt(sc_core::sc_time_stamp()); }
  const LinkConfig& config() const { return config_; }
  const LinkTiming& timing() const;  // at sc_time_stamp()

  const DirectionCounters& counters(Direction d) const { return dir_[Index(d)].counters; }
  // busy time / elapsed, 0..1.
  double Utilisation(Direction d, const sc_core::sc_time& elapsed) const;
  void ResetCounters();

 private:
  // A FIFO on one vector: no allocation once it has grown to the queue's
  // usual depth (it starts over whenever it runs empty).
  template <typename T>
  class Fifo {
   public:
    bool empty() const { return head_ == items_.size(); }
    T& front() { return items_[head_]; }
    T& back() { return items_.back(); }
    void pop_front() { ++head_; }
    void push_back(const T& item) {
      if (head_ == items_.size()) {
        items_.clear();
        head_ = 0;
      } else if (head_ >= 64 && 2 * head_ >= items_.size()) {
        items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
      }
      items_.push_back(item);
    }

   private:
    std::vector<T> items_;
    size_t head_ = 0;
  };
  struct CreditPool {
    uint32_t header_limit = 0, data_limit = 0;  // 0 = infinite
    uint32_t header_free = 0, data_free = 0;
    struct Return {
      uint64_t at_ps;
      uint32_t header, data;
    };
    Fifo<Return> returns;
  };
  enum CreditClass { kPosted = 0, kNonPosted = 1, kCompletion = 2 };
  struct PendingDllp {
    uint64_t at_ps, duration_ps;
  };
  struct DirState {
    uint64_t busy_until_ps = 0;
    Fifo<PendingDllp> dllps;  // generated, not yet placed on the wire (sorted by at_ps)
    CreditPool credits[3];    // advertised by the receiver at the far end
    DirectionCounters counters;
    uint32_t ack_phase = 0, fc_phase = 0;  // TLPs received since the last Ack / UpdateFC
  };
  struct Interval {
    uint64_t start_ps, end_ps;
    double rate;
  };
  struct Step {
    uint64_t at_ps;
    LinkTiming timing;
  };
  // One TLP's schedule on a direction.
  struct Sent {
    uint64_t start_ps, end_ps;
    bool lost;
  };

  static constexpr int Index(Direction d) { return static_cast<int>(d); }
  static constexpr Direction Reverse(Direction d) {
    return d == Direction::kDownstream ? Direction::kUpstream : Direction::kDownstream;
  }

  void TransportDown(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void TransportUp(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  // TLM-2.0 DMI for the device's DMA into host memory: passed through only
  // at functional fidelity with no fault window open now or ahead (a DMI
  // access bypasses the link, so it must not matter); revoked when one opens.
  bool DmiGrantable() const;
  bool GetDmiUp(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  void InvalidateDmiUp(sc_dt::uint64 start, sc_dt::uint64 end);
  void Transport(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void Forward(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  void Functional(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                  bool posted, bool config);
  void PostedWrite(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                   uint64_t now_ps, uint64_t t0_ps);
  void NonPosted(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                 uint64_t now_ps, uint64_t t0_ps, bool config);
  void TimeOut(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
               uint64_t now_ps, uint64_t sent_ps);

  // Transmits one TLP no earlier than t_ps; per-TLP (cycle, or any fault active).
  Sent SendTlp(Direction d, uint64_t t_ps, uint32_t payload, unsigned header_dw, CreditClass cls,
               bool use_credits);
  // The same once StartAfter placed the TLP at start_ps: flow-control credits
  // are limited or a fault window is open.
  Sent SendTlpSlow(Direction d, uint64_t start_ps, uint32_t payload, unsigned header_dw,
                   CreditClass cls, bool use_credits);
  // One block of arithmetic for n posted TLPs (approximate fidelity, no fault window).
  void PostedBlock(Direction d, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                   uint64_t now_ps, uint64_t t0_ps);
  // Earliest start of a TLP ready at t_ps on d, after placing the DLLPs that
  // became ready before it (DLLPs go first: 3.5, Ack/UpdateFC scheduling).
  uint64_t StartAfter(DirState& s, uint64_t t_ps) {
    return s.dllps.empty() ? std::max(s.busy_until_ps, t_ps) : PlaceDllps(s, t_ps);
  }
  uint64_t PlaceDllps(DirState& s, uint64_t t_ps);
  // Charges `count` DLLPs generated at `at_ps` to direction d.
  void ChargeDllps(Direction d, uint64_t at_ps, uint32_t count);
  // DLLPs the receiver of direction d owes after receiving `tlps` more TLPs.
  uint32_t DllpsOwed(Direction d, uint64_t tlps);
  // ... and charges them to the other direction at `at_ps`.
  void ReceiverDllps(Direction d, uint64_t at_ps, uint64_t tlps);
  uint64_t AcquireCredits(DirState& s, CreditClass cls, uint64_t t_ps, uint32_t header,
                          uint32_t data, uint64_t* stall_ps);

  void UpdateFaultHorizon();
  bool DownAt(uint64_t t_ps) const;
  bool CompletionLostAt(uint64_t t_ps) const;
  double LcrcRateAt(uint64_t t_ps) const;
  bool DrawLcrcError(double p);
  const LinkTiming& TimingAt(uint64_t t_ps) const {
    return steps_.size() == 1 ? steps_[0].timing : StepAt(t_ps);
  }
  const LinkTiming& StepAt(uint64_t t_ps) const;
  void NotifyChangeAt(uint64_t at_ps);
  void ChangeProcess();
  void Trace(const char* name, Direction d, uint64_t at_ps, uint64_t a, uint64_t b) const {
    if (trace_) Emit(name, d, at_ps, a, b);
  }
  void Emit(const char* name, Direction d, uint64_t at_ps, uint64_t a, uint64_t b) const;

  uint64_t NowPs() const { return ps_clock_.NowPs(); }
  sc_core::sc_time Ps(uint64_t ps) const { return ps_clock_.Time(ps); }
  uint64_t ToPs(const sc_core::sc_time& t) const { return ps_clock_.ToPs(t); }

  LinkConfig config_;
  spec::TraceSink* trace_;
  PsClock ps_clock_;
  DirState dir_[2];
  std::vector<Step> steps_;  // sorted by time; steps_[0] at 0 with the configured speed
  std::vector<Interval> down_, lcrc_, cpl_loss_;
  uint64_t fault_until_ps_ = 0;  // no fault window is open at or after this time
  bool dmi_granted_ = false;     // a DMI grant passed to the device may be live
  boost::random::mt19937 rng_;
  std::function<void(const LinkState&)> listener_;
  std::vector<uint64_t> change_times_;  // future state changes, for the listener
  sc_core::sc_event change_event_;
  LinkState last_reported_;
  std::string source_names_[2];
  std::vector<uint64_t> tag_done_;  // scratch: completion times of outstanding reads
  FwTarget<Link, &Link::TransportDown> down_fw_{*this};
  FwTarget<Link, &Link::TransportUp, &Link::GetDmiUp> up_fw_{*this};
};

}  // namespace nvmesim::pcie
