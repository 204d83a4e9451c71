// adaptive_power_optimization: picks the APST latency tolerance and the
// operational power state from what the workload actually does.
//
//  * Idle gaps (time from the last completion to the next submission) are
//    counted in power-of-two buckets with exponential decay. For each
//    non-operational state s the planner's rule gives the idle time before
//    entry (ITPT_s = 50 x total latency) and the expected saving per second
//    is  sum over gaps g > ITPT_s of (P_idle0 - P_s) x (g - ITPT_s) x rate(g),
//    and the expected wake cost is EXLAT_s per such gap. The recommended
//    tolerance is the exit latency of the state with the largest saving whose
//    exit latency fits the latency budget (0: keep APST off).
//  * Throughput demand as a fraction of PS0's gives the shallowest-power
//    operational state whose relative performance (MP ratio) still covers the
//    demand with headroom.
#pragma once

#include <array>
#include <cstdint>

#include "spec/identify_controller.h"

namespace nvmesim::driver::thermal {

struct PowerRecommendation {
  uint64_t latency_tolerance_us = 0;  // for ApstPolicy::max_latency_us; 0: APST off
  int apst_state = -1;                // deepest state it will use
  double saving_watts = 0;            // expected average saving
  double wakes_per_second = 0;
  double added_latency_us_per_second = 0;  // wake latency paid per second of run time
  uint32_t operational_state = 0;          // Power Management (FID 02h) PS to select
};

class AdaptivePowerOptimizer {
 public:
  static constexpr int kBuckets = 40;  // 2^0 .. 2^39 ns (about 9 minutes)

  explicit AdaptivePowerOptimizer(double decay = 0.999) : decay_(decay) {}

  // One idle gap (ns) observed over `elapsed_ns` of run time since the last call.
  void ObserveIdleGap(uint64_t gap_ns);
  // Run time covered by the observations (for rates).
  void ObserveElapsed(uint64_t ns) { elapsed_ns_ = elapsed_ns_ * decay_ + static_cast<double>(ns); }
  // Host demand as a fraction (0..1] of power state 0's throughput.
  void ObserveDemand(double fraction) { demand_ = 0.9 * demand_ + 0.1 * fraction; }

  PowerRecommendation Recommend(const spec::PowerStateDescriptor* psd, uint8_t npss,
                                uint64_t latency_budget_us, double headroom = 0.2) const;

  double demand() const { return demand_; }
  uint64_t gaps() const { return gaps_; }

 private:
  double decay_;
  std::array<double, kBuckets> hist_{};
  double elapsed_ns_ = 0;
  double demand_ = 1.0;
  uint64_t gaps_ = 0;
};

// Watts of a descriptor's idle power (IDLP/IPS), or of MP when IDLP is not reported.
double IdleWatts(const spec::PowerStateDescriptor& d);
double MaxWatts(const spec::PowerStateDescriptor& d);

}  // namespace nvmesim::driver::thermal
