// Helpers for tests that drive a Controller over the TestRig.
#pragma once

#include <memory>
#include <vector>

#include "driver/controller.h"
#include "driver/testing/mock_hal.h"

namespace nvmesim::driver::testing {

// Options suited to fast tests: short timeouts and poll periods.
inline ControllerOptions FastOptions() {
  ControllerOptions o;
  o.io_timeout_ns = 1'000'000'000;       // 1 s
  o.admin_timeout_ns = 2'000'000'000;    // 2 s
  o.watchdog_interval_ns = 100'000'000;  // 100 ms
  o.register_poll_ns = 10'000;           // 10 us
  return o;
}

struct Booted {
  explicit Booted(FakeControllerConfig cfg = {}, ControllerOptions opt = FastOptions(),
                  uint32_t vectors = 32)
      : rig(std::move(cfg), vectors) {
    ctrl = std::make_unique<Controller>(rig.platform, opt);
    ctrl->Start([this](spec::Status s) {
      start_status = s;
      started = true;
    });
    rig.RunUntil([this] { return started; });
  }

  // Submits and runs until the callback ran; returns the result.
  BlockResult Do(const BlockRequest& req) {
    bool done = false;
    BlockResult out;
    const spec::Status s = ctrl->Submit(req, [&](const BlockResult& r) {
      out = r;
      done = true;
    });
    if (!s.ok()) {
      out.status = s;
      return out;
    }
    rig.RunUntil([&] { return done; });
    EXPECT_TRUE(done) << "request never completed";
    return out;
  }

  // A DMA buffer with `pages` pages; returns one segment of `len` bytes at `offset`.
  hal::DmaBuffer Buffer(uint32_t pages) {
    buffers.push_back(rig.dma.Allocate(size_t{pages} * 4096, 4096));
    return buffers.back();
  }

  TestRig rig;
  std::unique_ptr<Controller> ctrl;
  bool started = false;
  spec::Status start_status;
  std::vector<hal::DmaBuffer> buffers;
};

}  // namespace nvmesim::driver::testing
