#include "harness/bench/steady_state.h"

#include <algorithm>
#include <cmath>

namespace nvmesim::harness {

SteadyStateCheck CheckSteadyState(const std::vector<double>& series, const SteadyStateCriteria& c) {
  SteadyStateCheck out;
  if (c.window < 2 || series.size() < c.window) return out;
  const size_t first = series.size() - c.window;
  out.first_round = first;
  const double n = static_cast<double>(c.window);
  double sum_x = 0, sum_y = 0, sum_xy = 0, sum_xx = 0;
  double lo = series[first], hi = series[first];
  for (size_t i = 0; i < c.window; ++i) {
    const double x = static_cast<double>(i);
    const double y = series[first + i];
    sum_x += x;
    sum_y += y;
    sum_xy += x * y;
    sum_xx += x * x;
    lo = std::min(lo, y);
    hi = std::max(hi, y);
  }
  out.average = sum_y / n;
  out.range = hi - lo;
  out.slope = (n * sum_xy - sum_x * sum_y) / (n * sum_xx - sum_x * sum_x);
  out.slope_excursion = std::fabs(out.slope) * (n - 1);
  if (out.average <= 0) return out;
  out.range_fraction = out.range / out.average;
  out.slope_fraction = out.slope_excursion / out.average;
  out.reached =
      out.range_fraction <= c.max_range_fraction && out.slope_fraction <= c.max_slope_fraction;
  return out;
}

}  // namespace nvmesim::harness
