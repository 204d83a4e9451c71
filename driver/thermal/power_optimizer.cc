#include "driver/thermal/power_optimizer.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace nvmesim::driver::thermal {

double MaxWatts(const spec::PowerStateDescriptor& d) {
  return d.mp * ((d.flags & spec::kPsdFlagMxps) ? 0.0001 : 0.01);  // MP, MXPS
}

double IdleWatts(const spec::PowerStateDescriptor& d) {
  switch (d.ips >> 6) {  // IPS: 1 -> 0.0001 W, 2 -> 0.01 W, 0 -> not reported
    case 1: return d.idlp * 0.0001;
    case 2: return d.idlp * 0.01;
    default: return MaxWatts(d);
  }
}

void AdaptivePowerOptimizer::ObserveIdleGap(uint64_t gap_ns) {
  for (double& h : hist_) h *= decay_;
  const int b = gap_ns == 0 ? 0 : std::min(kBuckets - 1, static_cast<int>(std::bit_width(gap_ns)) - 1);
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
  double best = 0;
  for (unsigned s = 1; s <= npss; ++s) {
    const spec::PowerStateDescriptor& d = psd[s];
    if (!(d.flags & spec::kPsdFlagNops) || d.exlat > latency_budget_us) continue;
    const double itpt_ns = std::ceil((d.enlat + d.exlat) / 20.0) * 1e6;  // 50 x total latency
    const double delta_w = p0 - IdleWatts(d);
    double saved_j = 0, wakes = 0;
    for (int b = 0; b < kBuckets; ++b) {
      if (hist_[b] <= 0) continue;
      const double gap = std::ldexp(1.5, b);  // bucket midpoint: 1.5 x 2^b ns
      if (gap <= itpt_ns) continue;
      saved_j += hist_[b] * delta_w * (gap - itpt_ns) / 1e9;
      wakes += hist_[b];
    }
    if (seconds <= 0) continue;
    const double saving = saved_j / seconds;
    if (saving > best) {
      best = saving;
      r.apst_state = static_cast<int>(s);
      r.latency_tolerance_us = d.exlat;
      r.saving_watts = saving;
      r.wakes_per_second = wakes / seconds;
      r.added_latency_us_per_second = r.wakes_per_second * d.exlat;
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
