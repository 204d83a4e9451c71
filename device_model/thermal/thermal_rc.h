// Lumped thermal RC model of the drive: one heat capacity C (J/K) coupled to
// the ambient through a thermal resistance R (K/W), heated by power P (W):
//
//     C dT/dt = P - (T - Ta) / R
//
// For P constant over an interval the exact solution is
//
//     T(t) = Tinf + (T0 - Tinf) exp(-t / tau),   Tinf = Ta + P R,  tau = R C,
//
// so stepping is analytic: one long step and many short steps with the same
// power give the same temperature (up to rounding), whatever the step size.
#pragma once

#include <cstdint>
#include <limits>

namespace nvmesim::device::thermal {

class ThermalRc {
 public:
  ThermalRc() = default;
  ThermalRc(double ambient_kelvin, double resistance_k_per_w, double capacitance_j_per_k)
      : ambient_(ambient_kelvin), r_(resistance_k_per_w), c_(capacitance_j_per_k) {}

  double ambient() const { return ambient_; }
  double resistance() const { return r_; }
  double capacitance() const { return c_; }
  double tau_seconds() const { return r_ * c_; }
  void set_ambient(double kelvin) { ambient_ = kelvin; }

  // Temperature the model settles at under constant power.
  double SteadyState(double watts) const { return ambient_ + watts * r_; }
  // Temperature after `seconds` at constant `watts`, starting from `t0`.
  double Step(double t0, double watts, double seconds) const;
  // Seconds until the temperature first reaches `target` under constant power
  // from `t0` (0 when already there in the direction of travel); +infinity when
  // it never does (the target lies beyond the steady state).
  double TimeToReach(double t0, double watts, double target) const;
  // Constant power that brings `t0` to `target` in exactly `seconds`.
  double PowerToReach(double t0, double target, double seconds) const;

  static constexpr double kNever = std::numeric_limits<double>::infinity();

 private:
  double ambient_ = 308.15;
  double r_ = 5.0;
  double c_ = 6.0;
};

}  // namespace nvmesim::device::thermal
