// Picoseconds to and from sc_time, without a library call on the hot path.
//
// sc_time::from_value and sc_time(double, unit) are out of line in SystemC
// 2.3; `sc_time * double` is inline and exact while the product is below
// 2^53 resolution units (about 2.5 simulated hours at 1 ps).
#pragma once

#include <systemc>

#include <cmath>
#include <cstdint>

namespace nvmesim::pcie {

class PsClock {
 public:
  // Call after the time resolution is fixed (e.g. in a module constructor).
  PsClock()
      : resolution_is_ps_(sc_core::sc_get_time_resolution() == sc_core::sc_time(1, sc_core::SC_PS)),
        one_ps_(1, sc_core::SC_PS),
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
    if (resolution_is_ps_ && ps < kExactLimit) return one_ps_ * static_cast<double>(ps);
    return resolution_is_ps_ ? sc_core::sc_time::from_value(ps)
                             : sc_core::sc_time(static_cast<double>(ps), sc_core::SC_PS);
  }

 private:
  static constexpr uint64_t kExactLimit = uint64_t{1} << 53;
  bool resolution_is_ps_;
  sc_core::sc_time one_ps_;
  const sc_core::sc_time* now_;
};

}  // namespace nvmesim::pcie
