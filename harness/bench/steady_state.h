// Steady-state detection after SNIA's Solid State Storage Performance Test
// Specification (PTS 2.0, "Steady State"): over a measurement window of the
// last N rounds (5) of a tracking variable (here random-write IOPS),
//  - the data excursion max - min is at most 20 % of the window's average, and
//  - the excursion of the least-squares line over the window, |slope| x (N - 1),
//    is at most 10 % of the average.
#pragma once

#include <cstddef>
#include <vector>

namespace nvmesim::harness {

struct SteadyStateCriteria {
  size_t window = 5;                 // rounds in the measurement window
  double max_range_fraction = 0.20;  // (max - min) / average
  double max_slope_fraction = 0.10;  // |slope| x (window - 1) / average
};

struct SteadyStateCheck {
  bool reached = false;
  size_t first_round = 0;  // first round of the window (index into the series)
  double average = 0;
  double range = 0;            // max - min within the window
  double slope = 0;            // of the best-fit line, per round
  double slope_excursion = 0;  // |slope| x (window - 1)
  double range_fraction = 0;   // range / average
  double slope_fraction = 0;   // slope_excursion / average
};

// Checks the window made of the last `criteria.window` values of `series`
// (reached = false when the series is shorter than the window or the average is 0).
SteadyStateCheck CheckSteadyState(const std::vector<double>& series,
                                  const SteadyStateCriteria& criteria = {});

}  // namespace nvmesim::harness
