#include "driver/optimizer/steering.h"

#include <algorithm>

namespace nvmesim::driver::optimizer {

IoSteering::IoSteering(size_t candidates, double initial_service_us, double alpha)
    : service_(candidates, Ewma(alpha)), initial_(initial_service_us) {}

double IoSteering::ExpectedUs(size_t index, const Candidate& c) const {
  const double s = service_[index].count() ? service_[index].mean() : initial_;
  return (c.outstanding + 1.0) * s / std::max(1.0, c.parallelism) + c.penalty_us;
}

size_t IoSteering::Choose(const Candidate* candidates, size_t count) const {
  size_t best = kNone;
  double best_us = 0;
  for (size_t i = 0; i < count && i < service_.size(); ++i) {
    if (!candidates[i].usable) continue;
    const double e = ExpectedUs(i, candidates[i]);
    if (best == kNone || e < best_us) {
      best = i;
      best_us = e;
    }
  }
  return best;
}

void IoSteering::Observe(size_t index, double service_us) {
  if (index < service_.size()) service_[index].Add(service_us);
}

}  // namespace nvmesim::driver::optimizer
