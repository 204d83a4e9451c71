// Picoseconds to and from sc_time, without a library call on the hot path.
//
// sc_time::from_value and sc_time(double, unit) are out of line in SystemC
// 2.3. At a 1 ps resolution an sc_time's value is the picosecond count, and
// sc_time is a standard-layout class whose one data member is that value, so
// the value is written in place (what from_value does, minus the call).
#pragma once

#include <systemc>

#include <cmath>
#include <cstdint>
#include <type_traits>

namespace nvmesim::pcie {

class PsClock {
 public:
  // Call after the time resolution is fixed (e.g. in a module constructor).
  PsClock()
      : resolution_is_ps_(sc_core::sc_get_time_resolution() == sc_core::sc_time(1, sc_core::SC_PS)),
        now_(&sc_core::sc_get_curr_simcontext()->time_stamp()) {}

  bool resolution_is_ps() const { return resolution_is_ps_; }

  uint64_t ToPs(const sc_core::sc_time& t) const {
    return resolution_is_ps_ ? t.value()
                             : static_cast<uint64_t>(std::llround(t.to_seconds() * 1e12));
  }

  // sc_time_stamp(), read in place: the kernel's current time lives in the
  // simulation context the module was built in (sc_time_stamp() is a library call).
  const sc_core::sc_time& Now() const { return *now_; }
  uint64_t NowPs() const { return ToPs(*now_); }

  sc_core::sc_time Time(uint64_t ps) const {
    if (resolution_is_ps_) {
      sc_core::sc_time t;
      // The object and its first (only) member are pointer-interconvertible.
      *reinterpret_cast<sc_core::sc_time::value_type*>(&t) = ps;
      return t;
    }
    return sc_core::sc_time(static_cast<double>(ps), sc_core::SC_PS);
  }

 private:
  static_assert(std::is_standard_layout_v<sc_core::sc_time> &&
                    sizeof(sc_core::sc_time) == sizeof(sc_core::sc_time::value_type),
                "sc_time holds exactly its value in resolution units");
  bool resolution_is_ps_;
  const sc_core::sc_time* now_;
};

}  // namespace nvmesim::pcie
