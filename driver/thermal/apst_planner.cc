#include "driver/thermal/apst_planner.h"

#include <algorithm>

namespace nvmesim::driver::thermal {

ApstPlan BuildApstPlan(const spec::PowerStateDescriptor* psd, uint8_t npss, uint8_t apsta,
                       const ApstPolicy& policy) {
  ApstPlan plan;
  plan.supported = (apsta & 1u) != 0;  // APSTA bit 0 (Figure 275)
  if (!plan.supported) return plan;
  npss = std::min<uint8_t>(npss, 31);            // 32 entries at most
  constexpr uint64_t kMaxItpt = (1u << 24) - 1;  // ITPT is 24 bits
  spec::ApstEntry target{};                      // raw 0: no transition
  for (int state = npss; state >= 0; --state) {
    plan.table.entry[state] = target;  // deeper usable state found so far
    const spec::PowerStateDescriptor& d = psd[state];
    if (!(d.flags & spec::kPsdFlagNops)) continue;  // only non-operational targets
    if (d.exlat > policy.max_latency_us) continue;
    const uint64_t total_us = uint64_t{d.exlat} + d.enlat;
    uint64_t idle_ms;
    if (policy.use_timeouts) {
      if (total_us <= policy.primary_latency_tolerance_us)
        idle_ms = policy.primary_timeout_ms;
      else if (total_us <= policy.secondary_latency_tolerance_us)
        idle_ms = policy.secondary_timeout_ms;
      else
        continue;
    } else {
      idle_ms = std::min<uint64_t>((total_us + 19) / 20, kMaxItpt);  // 50 x total, in ms
    }
    target = spec::ApstEntry{};
    target.set_itps(static_cast<uint32_t>(state)).set_itpt(static_cast<uint32_t>(idle_ms));
    if (plan.deepest_state < 0) plan.deepest_state = state;
    plan.max_total_latency_us = std::max(plan.max_total_latency_us, total_us);
  }
  plan.enable = plan.deepest_state >= 0;
  return plan;
}

std::string DescribeApstPlan(const ApstPlan& plan, uint8_t npss) {
  if (!plan.supported) return "APST off (controller does not support it)\n";
  if (!plan.enable) return "APST off (no non-operational state within the latency tolerance)\n";
  std::string out;
  for (unsigned i = 0; i <= std::min<unsigned>(npss, 31); ++i) {
    const spec::ApstEntry& e = plan.table.entry[i];
    if (e.itpt() == 0) continue;
    out += "PS" + std::to_string(i) + " -> PS" + std::to_string(e.itps()) + " after " +
           std::to_string(e.itpt()) + " ms idle\n";
  }
  return out;
}

}  // namespace nvmesim::driver::thermal
