#include "device_model/thermal/power_states.h"

#include <algorithm>

namespace nvmesim::device::thermal {

double ScaledWatts(uint16_t value, uint8_t scale_bits) {
  switch (scale_bits & 0x3) {  // IPS/APS (Power State Descriptor bits 7:6)
    case 1:
      return value * 0.0001;
    case 2:
      return value * 0.01;
    default:
      return -1.0;  // 0: not reported, 3: reserved
  }
}

std::string DecodePowerStates(const spec::PowerStateDescriptor* psd, uint8_t npss,
                              const PowerModel& model, std::vector<PowerState>* out) {
  out->clear();
  if (npss > 31)
    return "npss " + std::to_string(npss) + " exceeds 31 (32 power states, Figure 275)";
  for (unsigned i = 0; i <= npss; ++i) {
    const spec::PowerStateDescriptor& d = psd[i];
    PowerState s;
    // MP: 0.01 W units, or 0.0001 W with MXPS (Power State Descriptor bit 24).
    s.max_watts = d.mp * ((d.flags & spec::kPsdFlagMxps) ? 0.0001 : 0.01);
    s.operational = (d.flags & spec::kPsdFlagNops) == 0;
    s.entry_ps = uint64_t{d.enlat} * 1'000'000;  // ENLAT in microseconds
    s.exit_ps = uint64_t{d.exlat} * 1'000'000;   // EXLAT in microseconds
    if (d.mp == 0) return "psd[" + std::to_string(i) + "].mp is 0 (maximum power must be reported)";
    const double idle = ScaledWatts(d.idlp, static_cast<uint8_t>(d.ips >> 6));
    const double active = ScaledWatts(d.actp, static_cast<uint8_t>(d.apws >> 6));
    s.idle_watts = idle >= 0
                       ? idle
                       : (s.operational ? s.max_watts * model.default_idle_fraction : s.max_watts);
    s.active_watts = active >= 0 ? active : s.max_watts * model.default_active_fraction;
    if (s.idle_watts > s.max_watts) {
      return "psd[" + std::to_string(i) + "] idle power exceeds maximum power";
    }
    if (s.active_watts < s.idle_watts) s.active_watts = s.idle_watts;
    out->push_back(s);
  }
  if (!(*out)[0].operational)
    return "psd[0] is non-operational (power state 0 must be operational)";
  const double p0 = (*out)[0].max_watts;
  for (PowerState& s : *out) s.perf_factor = s.operational ? std::min(1.0, s.max_watts / p0) : 0.0;
  return "";
}

std::vector<spec::PowerStateDescriptor> DefaultPowerStateDescriptors() {
  std::vector<spec::PowerStateDescriptor> t(5);
  auto op = [](spec::PowerStateDescriptor& d, uint16_t mp_cw, uint16_t idle_cw, uint16_t act_cw,
               uint8_t rel) {
    d.mp = mp_cw;  // 0.01 W units
    d.idlp = idle_cw;
    d.ips = 2u << 6;  // 0.01 W
    d.actp = act_cw;
    d.apws = 2u << 6;
    d.rrt = d.rrl = d.rwt = d.rwl = rel;
  };
  op(t[0], 800, 100, 300, 0);
  op(t[1], 600, 100, 250, 1);
  op(t[2], 450, 100, 200, 2);
  // Non-operational: MP in 0.0001 W units (MXPS), idle = MP.
  t[3].mp = 700;
  t[3].flags = spec::kPsdFlagMxps | spec::kPsdFlagNops;
  t[3].enlat = 210;
  t[3].exlat = 1200;
  t[3].rrt = t[3].rrl = t[3].rwt = t[3].rwl = 3;
  t[4].mp = 50;
  t[4].flags = spec::kPsdFlagMxps | spec::kPsdFlagNops;
  t[4].enlat = 2000;
  t[4].exlat = 8000;
  t[4].rrt = t[4].rrl = t[4].rwt = t[4].rwl = 4;
  return t;
}

double PowerWatts(const PowerState& state, const PowerModel& model, double busy_fraction,
                  double bytes_per_second) {
  if (!state.operational) return state.idle_watts;
  busy_fraction = std::clamp(busy_fraction, 0.0, 1.0);
  if (bytes_per_second < 0) bytes_per_second = 0;
  const double p = state.idle_watts + busy_fraction * (state.active_watts - state.idle_watts) +
                   bytes_per_second * model.joules_per_byte;
  return std::min(p, state.max_watts);
}

}  // namespace nvmesim::device::thermal
