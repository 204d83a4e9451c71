// Power states of the device, decoded from the Identify Controller power
// state descriptor table (NVMe Base 2.0 §5.17, Power State Descriptor), and
// the power a state draws for a given activity.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spec/identify_controller.h"

namespace nvmesim::device::thermal {

// One power state in SI units.
struct PowerState {
  double max_watts = 0;     // MP scaled by MXPS
  double idle_watts = 0;    // IDLP scaled by IPS; derived when not reported
  double active_watts = 0;  // ACTP scaled by APS; derived when not reported
  uint64_t entry_ps = 0;    // ENLAT (microseconds) in picoseconds
  uint64_t exit_ps = 0;     // EXLAT (microseconds) in picoseconds
  bool operational = true;  // NOPS clear
  double perf_factor = 1;   // throughput relative to power state 0 (operational states)
};

// Power model constants shared by all states.
struct PowerModel {
  // Energy per byte moved between host and media (J/B) on top of the state's
  // active power: 1e-9 J/B is 1 W per GB/s.
  double joules_per_byte = 1.0e-9;
  // Idle power used when a descriptor does not report IDLP: this fraction of MP.
  double default_idle_fraction = 0.125;
  // Active power used when a descriptor does not report ACTP: this fraction of MP.
  double default_active_fraction = 0.375;
};

// Watts of a power-scale field (IPS / APS, 2 bits): 1 -> 0.0001 W, 2 -> 0.01 W,
// 0 -> not reported (returns a negative value).
double ScaledWatts(uint16_t value, uint8_t scale_bits);

// Decodes psd[0..npss]. Returns "" or the first problem, naming the field.
// NPSS is 0's based (Figure 275), so at most 32 states; PS0 must be
// operational (power state 0 is the default state, §8.15).
std::string DecodePowerStates(const spec::PowerStateDescriptor* psd, uint8_t npss,
                              const PowerModel& model, std::vector<PowerState>* out);

// A five-state table shaped like a client drive: three operational states
// (8.00 / 6.00 / 4.50 W) and two non-operational ones (0.07 W, 210/1200 us;
// 0.005 W, 2000/8000 us). Used when the configuration gives none.
std::vector<spec::PowerStateDescriptor> DefaultPowerStateDescriptors();

// Power drawn in `state` with the device busy for `busy_fraction` (0..1) of the
// time and moving `bytes_per_second`; never above the state's maximum power.
// A non-operational state draws its idle power (it processes no I/O).
double PowerWatts(const PowerState& state, const PowerModel& model, double busy_fraction,
                  double bytes_per_second);

}  // namespace nvmesim::device::thermal
