#include "device_model/thermal/thermal_rc.h"

#include <cmath>

namespace nvmesim::device::thermal {

double ThermalRc::Step(double t0, double watts, double seconds) const {
  if (seconds <= 0) return t0;
  const double tinf = SteadyState(watts);
  return tinf + (t0 - tinf) * std::exp(-seconds / tau_seconds());
}

double ThermalRc::TimeToReach(double t0, double watts, double target) const {
  const double tinf = SteadyState(watts);
  if (t0 == target) return 0;
  if (t0 < target) {  // rising: only if the steady state lies strictly above the target
    if (!(tinf > target)) return kNever;
    return tau_seconds() * std::log((tinf - t0) / (tinf - target));
  }
  if (!(tinf < target)) return kNever;  // falling
  return tau_seconds() * std::log((t0 - tinf) / (target - tinf));
}

double ThermalRc::PowerToReach(double t0, double target, double seconds) const {
  // target = Tinf + (t0 - Tinf) e  =>  Tinf = (target - t0 e) / (1 - e).
  const double e = std::exp(-seconds / tau_seconds());
  const double tinf = (target - t0 * e) / (1 - e);
  return (tinf - ambient_) / r_;
}

}  // namespace nvmesim::device::thermal
