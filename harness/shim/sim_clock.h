// hal::Clock over simulated time: timers are tasks on the host CPU, so a
// timer callback runs from the CPU's loop, never from inside a HAL call.
#pragma once

#include "driver/hal/hal.h"
#include "harness/shim/host_cpu.h"

namespace nvmesim::harness {

class SimClock final : public driver::hal::Clock {
 public:
  explicit SimClock(HostCpu& cpu) : cpu_(cpu) {}
  uint64_t NowNs() override;
  TimerId StartTimer(uint64_t delay_ns, Callback callback) override;
  void CancelTimer(TimerId id) override;

 private:
  HostCpu& cpu_;
};

}  // namespace nvmesim::harness
