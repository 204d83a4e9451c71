#include "driver/hal/hal.h"

#include <gtest/gtest.h>

namespace nvmesim::driver::hal {
namespace {

TEST(HalTest, PlatformIsCompleteOnlyWithAllFiveParts) {
  Platform p;
  EXPECT_FALSE(p.complete());
  int dummy = 0;
  // Pointers are only compared against null here.
  p.mmio = reinterpret_cast<Mmio*>(&dummy);
  p.dma = reinterpret_cast<DmaMemory*>(&dummy);
  p.interrupts = reinterpret_cast<Interrupts*>(&dummy);
  p.clock = reinterpret_cast<Clock*>(&dummy);
  EXPECT_FALSE(p.complete());
  p.log = reinterpret_cast<Log*>(&dummy);
  EXPECT_TRUE(p.complete());
}

TEST(HalTest, DmaBufferValidity) {
  DmaBuffer b;
  EXPECT_FALSE(b.valid());
  uint8_t byte = 0;
  b.cpu = &byte;
  EXPECT_TRUE(b.valid());
}

TEST(HalTest, LogLevelNames) {
  EXPECT_STREQ(LogLevelName(LogLevel::kWarning), "warning");
  EXPECT_STREQ(LogLevelName(LogLevel::kError), "error");
}

}  // namespace
}  // namespace nvmesim::driver::hal
