// GoogleMock HAL for driver tests. MockMmio delegates by default to a
// FakeNvmeController so tests can both run the protocol and set
// expectations on individual register accesses. TestRig bundles the fakes
// and the loop that runs device work, interrupts and timers in order.
#pragma once

#include <gmock/gmock.h>

#include <cstdint>
#include <functional>

#include "driver/hal/hal.h"
#include "driver/testing/fake_controller.h"
#include "driver/testing/fake_platform.h"

namespace nvmesim::driver::testing {

class MockMmio : public hal::Mmio {
 public:
  MOCK_METHOD(uint32_t, Read32, (uint64_t offset), (override));
  MOCK_METHOD(uint64_t, Read64, (uint64_t offset), (override));
  MOCK_METHOD(void, Write32, (uint64_t offset, uint32_t value), (override));
  MOCK_METHOD(void, Write64, (uint64_t offset, uint64_t value), (override));

  void DelegateTo(FakeNvmeController* dev) {
    using ::testing::_;
    ON_CALL(*this, Read32(_)).WillByDefault([dev](uint64_t o) { return dev->Read32(o); });
    ON_CALL(*this, Read64(_)).WillByDefault([dev](uint64_t o) { return dev->Read64(o); });
    ON_CALL(*this, Write32(_, _)).WillByDefault([dev](uint64_t o, uint32_t v) {
      dev->Write32(o, v);
    });
    ON_CALL(*this, Write64(_, _)).WillByDefault([dev](uint64_t o, uint64_t v) {
      dev->Write64(o, v);
    });
  }
};

struct TestRig {
  explicit TestRig(FakeControllerConfig cfg = {}, uint32_t vectors = 32)
      : irq(vectors), dev(dma, clock, irq, std::move(cfg)) {
    mmio.DelegateTo(&dev);
    platform = {&mmio, &dma, &irq, &clock, &log};
  }

  // Runs device work, interrupts and timers (in time order) until `done`
  // holds, nothing is left to do, or simulated time passes `limit_ns`.
  bool RunUntil(const std::function<bool()>& done, uint64_t limit_ns = 600'000'000'000ull) {
    while (!done()) {
      if (dev.Process()) continue;
      if (irq.DeliverOne()) continue;
      if (clock.has_timers() && clock.next_deadline() <= limit_ns) {
        clock.FireNext();
        continue;
      }
      break;
    }
    return done();
  }
  void RunFor(uint64_t ns) {
    const uint64_t end = clock.NowNs() + ns;
    RunUntil([] { return false; }, end);
  }

  FakeClock clock;
  FakeDma dma;
  FakeInterrupts irq;
  FakeLog log;
  FakeNvmeController dev;
  ::testing::NiceMock<MockMmio> mmio;
  hal::Platform platform;
};

}  // namespace nvmesim::driver::testing
