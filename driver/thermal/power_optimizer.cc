#include "driver/thermal/power_optimizer.h"

#include "driver/thermal/apst_planner.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace nvmesim::driver::thermal {

double MaxWatts(const spec::PowerStateDescriptor& d) {
  return d.mp * ((d.flags & spec::kPsdFlagMxps) ? 0.0001 : 0.01);  // MP, MXPS
}

double IdleWatts(const spec::PowerStateDescriptor& d) {
  switch (d.ips >> 6) {  // IPS: 1 -> 0.0001 W, 2 -> 0.01 W, 0 -> not reported
    case 1:
      return d.idlp * 0.0001;
    case 2:
      return d.idlp * 0.01;
    default:
      return MaxWatts(d);
  }
}

void AdaptivePowerOptimizer::ObserveIdleGap(uint64_t gap_ns) {
  for (double& h : hist_) h *= decay_;
  const int b =
      gap_ns == 0 ? 0 : std::min(kBuckets - 1, static_cast<int>(std::bit_width(gap_ns)) - 1);
  hist_[b] += 1.0;
  ++gaps_;
}

PowerRecommendation AdaptivePowerOptimizer::Recommend(const spec::PowerStateDescriptor* psd,
                                                      uint8_t npss, uint64_t latency_budget_us,
                                                      double headroom) const {
  PowerRecommendation r;
  npss = std::min<uint8_t>(npss, 31);
  const double seconds = elapsed_ns_ / 1e9;
  const double p0 = IdleWatts(psd[0]);
  // Candidate tolerances: the exit latency of each non-operational state
  // within the budget. Each gives the planner's table; a gap walks its chain
  // of transitions from PS0.
  double best = 0;
  for (unsigned s = 1; s <= npss && seconds > 0; ++s) {
    if (!(psd[s].flags & spec::kPsdFlagNops) || psd[s].exlat > latency_budget_us) continue;
    ApstPolicy policy;
    policy.max_latency_us = psd[s].exlat;
    const ApstPlan plan = BuildApstPlan(psd, npss, 1, policy);
    if (!plan.enable) continue;
    double saved_j = 0, wakes = 0, wake_us = 0;
    for (int b = 0; b < kBuckets; ++b) {
      if (hist_[b] <= 0) continue;
      const double gap = std::ldexp(1.5, b);  // bucket midpoint, ns
      double t = 0;
      unsigned state = 0;
      for (int hop = 0; hop < 32; ++hop) {
        const spec::ApstEntry& e = plan.table.entry[state];
        if (e.itpt() == 0) break;
        const double enter = t + e.itpt() * 1e6;
        if (enter >= gap) break;
        const unsigned next = e.itps();
        const double until = gap;  // in `next` from `enter` until the next hop or the gap end
        const spec::ApstEntry& ne = plan.table.entry[next];
        const double leave = ne.itpt() ? std::min(until, enter + ne.itpt() * 1e6) : until;
        saved_j += hist_[b] * (p0 - IdleWatts(psd[next])) * (leave - enter) / 1e9;
        t = enter;
        state = next;
      }
      if (state != 0) {
        wakes += hist_[b];
        wake_us += hist_[b] * psd[state].exlat;
      }
    }
    const double saving = saved_j / seconds;
    if (saving > best * 1.0001) {
      best = saving;
      r.apst_state = plan.deepest_state;
      r.latency_tolerance_us = psd[s].exlat;
      r.saving_watts = saving;
      r.wakes_per_second = wakes / seconds;
      r.added_latency_us_per_second = wake_us / seconds;
    }
  }
  // Operational state: the lowest-power one whose MP ratio covers demand.
  const double mp0 = MaxWatts(psd[0]);
  double best_mp = mp0;
  for (unsigned s = 0; s <= npss; ++s) {
    const spec::PowerStateDescriptor& d = psd[s];
    if (d.flags & spec::kPsdFlagNops) continue;
    const double mp = MaxWatts(d);
    if (mp0 > 0 && mp / mp0 >= std::min(1.0, demand_ * (1 + headroom)) && mp <= best_mp) {
      best_mp = mp;
      r.operational_state = s;
    }
  }
  return r;
}

}  // namespace nvmesim::driver::thermal
