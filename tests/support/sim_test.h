// One SystemC simulation per process.
//
// SystemC has a single simulation context per process and cannot elaborate
// again after sc_start(). Every test that elaborates modules therefore runs
// its body in a forked child: the parent never touches SystemC, the child
// gets a fresh kernel, and gtest failures recorded in the child (printed on
// its stdout as they happen) turn into its exit code.
//
//   NVMESIM_SIM_TEST(LinkTest, PostedWriteThroughput) {
//     Link link("link", cfg);
//     ...
//     sc_core::sc_start();
//     EXPECT_NEAR(...);
//   }
#pragma once

#include <gtest/gtest.h>

namespace nvmesim::testing {

// Runs body() in a forked child with a wall-clock guard of `timeout_s`
// seconds (a hung simulation is killed, reported, and fails the test).
void RunInChildProcess(void (*body)(), unsigned timeout_s = 300);

}  // namespace nvmesim::testing

#define NVMESIM_SIM_TEST(suite, name)                                                            \
  static void NvmesimSimBody_##suite##_##name();                                                 \
  TEST(suite, name) { ::nvmesim::testing::RunInChildProcess(&NvmesimSimBody_##suite##_##name); } \
  static void NvmesimSimBody_##suite##_##name()
