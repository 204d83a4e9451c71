// The forward interface behind a plain TLM-2.0 target socket that calls its
// owner's member functions directly, fixed at compile time.
//
// Behaves as tlm_utils::simple_target_socket with b_transport (and optionally
// get_direct_mem_ptr and transport_dbg) registered: without a handler, debug
// transport moves 0 bytes and DMI is refused (read/write over the whole range). A call from the
// bound initiator is one virtual call straight into the owner; the convenience
// socket adds a virtual thunk, a check of the registered callback and a call
// through a member pointer on every transaction.
//
// Non-blocking transport is not offered: every user of the PCIe model calls
// b_transport (docs/pcie.md, "Timing model").
#pragma once

#include <systemc>
#include <tlm>

#include <cstddef>
#include <type_traits>

namespace nvmesim::pcie {

// kTransport: void (Owner::*)(tlm_generic_payload&, sc_time&); kDmi: nullptr
// (no DMI) or bool (Owner::*)(tlm_generic_payload&, tlm_dmi&); kDbg: nullptr
// (no debug access) or unsigned (Owner::*)(tlm_generic_payload&).
template <typename Owner, auto kTransport, auto kDmi = nullptr, auto kDbg = nullptr>
class FwTarget final : public tlm::tlm_fw_transport_if<> {
 public:
  explicit FwTarget(Owner& owner) : owner_(owner) {}

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) override {
    (owner_.*kTransport)(trans, delay);
  }

  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) override {
    if constexpr (!std::is_same_v<decltype(kDmi), std::nullptr_t>) {
      return (owner_.*kDmi)(trans, dmi);
    } else {
      (void)trans;
      dmi.allow_read_write();
      dmi.set_start_address(0x0);
      dmi.set_end_address(~sc_dt::uint64{0});
      return false;
    }
  }

  unsigned int transport_dbg(tlm::tlm_generic_payload& trans) override {
    if constexpr (!std::is_same_v<decltype(kDbg), std::nullptr_t>) {
      return (owner_.*kDbg)(trans);
    } else {
      (void)trans;
      return 0;
    }
  }

  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                     sc_core::sc_time&) override {
    SC_REPORT_ERROR("nvmesim/pcie", "non-blocking transport is not supported: use b_transport");
    return tlm::TLM_COMPLETED;
  }

 private:
  Owner& owner_;
};

}  // namespace nvmesim::pcie
