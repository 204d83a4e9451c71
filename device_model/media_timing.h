// Media timing seam. The controller asks how long the media takes for each
// data command; the answer delays that command's completion in simulated
// time. The default costs nothing; a NAND/FTL model plugs in here.
#pragma once

#include <cstdint>

namespace nvmesim::device {

struct MediaOp {
  enum class Kind : uint8_t { kRead, kWrite, kFlush, kDeallocate, kVerify, kOther };
  Kind kind = Kind::kOther;
  uint32_t nsid = 0;
  uint64_t slba = 0;
  uint64_t nlb = 0;  // logical blocks (1's based)
  uint64_t bytes = 0;
  bool fua = false;
};

class MediaTiming {
 public:
  virtual ~MediaTiming() = default;
  // Latency in ps from `now_ps` until the operation is done. Called once per
  // command, in the order the controller executes them; a Dataset Management
  // deallocate calls it once per range (kind kDeallocate, that range's LBAs).
  virtual uint64_t LatencyPs(const MediaOp& op, uint64_t now_ps) = 0;
  // A hint that LatencyPs(op, ...) follows shortly: a model may start loading
  // the host memory it will read (its mapping tables) into the CPU caches.
  // Changes no state and no result.
  virtual void Prefetch(const MediaOp& op) { (void)op; }
};

class ZeroMediaTiming final : public MediaTiming {
 public:
  uint64_t LatencyPs(const MediaOp&, uint64_t) override { return 0; }
};

// Fixed latency per kind; used by tests to keep commands in flight.
class FixedMediaTiming final : public MediaTiming {
 public:
  FixedMediaTiming(uint64_t read_ps, uint64_t write_ps, uint64_t other_ps = 0)
      : read_ps_(read_ps), write_ps_(write_ps), other_ps_(other_ps) {}
  uint64_t LatencyPs(const MediaOp& op, uint64_t) override {
    switch (op.kind) {
      case MediaOp::Kind::kRead:
      case MediaOp::Kind::kVerify:
        return read_ps_;
      case MediaOp::Kind::kWrite:
        return write_ps_;
      default:
        return other_ps_;
    }
  }

 private:
  uint64_t read_ps_, write_ps_, other_ps_;
};

}  // namespace nvmesim::device
