#include "tests/support/sim_test.h"

#include <systemc>

namespace {

struct Ticker : sc_core::sc_module {
  int ticks = 0;
  SC_HAS_PROCESS(Ticker);
  explicit Ticker(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(Run); }
  void Run() {
    for (int i = 0; i < 10; ++i) {
      wait(sc_core::sc_time(1, sc_core::SC_NS));
      ++ticks;
    }
  }
};

// Two tests that each elaborate a module of the same name: without one process
// per simulation the second would fail (elaboration after sc_start is an error).
NVMESIM_SIM_TEST(SimTest, FirstSimulationRuns) {
  Ticker t("ticker");
  sc_core::sc_start();
  EXPECT_EQ(t.ticks, 10);
  EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::sc_time(10, sc_core::SC_NS));
}

NVMESIM_SIM_TEST(SimTest, SecondSimulationGetsAFreshKernel) {
  Ticker t("ticker");
  sc_core::sc_start();
  EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::sc_time(10, sc_core::SC_NS));
}

}  // namespace
