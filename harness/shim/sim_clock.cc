#include "harness/shim/sim_clock.h"

#include <utility>

namespace nvmesim::harness {

uint64_t SimClock::NowNs() { return static_cast<uint64_t>(cpu_.Now().value() / 1000); }

SimClock::TimerId SimClock::StartTimer(uint64_t delay_ns, Callback callback) {
  const auto delay = sc_core::sc_time::from_value(delay_ns * 1000);  // 1 ps resolution
  return cpu_.Post(delay, std::move(callback));  // task ids start at 1: never kNoTimer
}

void SimClock::CancelTimer(TimerId id) {
  if (id != kNoTimer) cpu_.Cancel(id);
}

}  // namespace nvmesim::harness
