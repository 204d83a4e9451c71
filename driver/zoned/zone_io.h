// ZoneIo over the driver's controller manager.
#pragma once

#include "driver/controller.h"
#include "driver/zoned/zone_manager.h"

namespace nvmesim::driver::zoned {

class ControllerZoneIo final : public ZoneIo {
 public:
  ControllerZoneIo(Controller& controller, hal::Clock* clock)
      : controller_(controller), clock_(clock) {}
  spec::Status SubmitIo(uint16_t queue, const spec::Sqe& sqe, const DataSegment* segments,
                        uint32_t segment_count, BlockCallback done) override {
    return controller_.SubmitIo(queue, sqe, segments, segment_count, std::move(done));
  }
  AdminChannel& admin() override { return controller_; }
  uint32_t io_queue_count() const override { return controller_.io_queue_count(); }
  hal::Clock* clock() override { return clock_; }

 private:
  Controller& controller_;
  hal::Clock* clock_;
};

}  // namespace nvmesim::driver::zoned
