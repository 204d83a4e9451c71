// (c) Steering I/O between queues and between paths. Each candidate (an I/O
// queue, or a path = controller) keeps an EWMA of its service time; a request
// goes where its expected completion is earliest:
//
//     (outstanding + 1) x service_ewma / parallelism + penalty
//
// where the penalty expresses a non-optimized ANA path (Base 2.0 §8.1: ANA
// Non-Optimized may be slower). Unusable candidates (inaccessible path, queue
// being reset) are skipped. Ties go to the lowest index: deterministic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "driver/optimizer/stats.h"

namespace nvmesim::driver::optimizer {

struct Candidate {
  uint32_t outstanding = 0;
  double parallelism = 1;  // commands it serves at once
  double penalty_us = 0;
  bool usable = true;
};

class IoSteering {
 public:
  static constexpr size_t kNone = static_cast<size_t>(-1);
  explicit IoSteering(size_t candidates, double initial_service_us = 100, double alpha = 0.1);

  // kNone when no candidate is usable.
  size_t Choose(const Candidate* candidates, size_t count) const;
  void Observe(size_t index, double service_us);
  double service_us(size_t index) const { return service_[index].mean(); }
  double ExpectedUs(size_t index, const Candidate& c) const;

 private:
  std::vector<Ewma> service_;
  double initial_;
};

}  // namespace nvmesim::driver::optimizer
