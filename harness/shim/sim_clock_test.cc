#include "harness/shim/sim_clock.h"

#include <vector>

#include "tests/support/sim_test.h"

namespace nvmesim::harness {
namespace {

NVMESIM_SIM_TEST(SimClockTest, TimersFireAtTheirSimulatedTimeAndCancelWorks) {
  HostCpu cpu("cpu");
  SimClock clock(cpu);
  std::vector<uint64_t> fired_at;
  cpu.Post(sc_core::SC_ZERO_TIME, [&] {
    EXPECT_EQ(clock.NowNs(), 0u);
    const auto a = clock.StartTimer(1500, [&] { fired_at.push_back(clock.NowNs()); });
    const auto b = clock.StartTimer(700, [&] { fired_at.push_back(clock.NowNs()); });
    const auto c = clock.StartTimer(1000, [&] { fired_at.push_back(99); });
    EXPECT_NE(a, driver::hal::Clock::kNoTimer);
    EXPECT_NE(a, b);
    clock.CancelTimer(c);
    clock.CancelTimer(c);  // twice: no effect
    clock.StartTimer(2000, [&] { cpu.Halt(); });
  });
  sc_core::sc_start();
  EXPECT_EQ(fired_at, (std::vector<uint64_t>{700, 1500}));
}

}  // namespace
}  // namespace nvmesim::harness
