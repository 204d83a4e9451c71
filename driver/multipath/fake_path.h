// A path for unit tests: holds what is sent down it until the test completes
// it (or completes it by itself after a fixed latency on a FakeClock).
#pragma once

#include <cstdint>
#include <deque>
#include <utility>

#include "driver/multipath/path.h"
#include "driver/testing/fake_platform.h"

namespace nvmesim::driver::multipath::testing {

class FakePath final : public PathTarget {
 public:
  explicit FakePath(driver::testing::FakeClock* clock = nullptr) : clock_(clock) {}

  struct Sent {
    BlockRequest request;
    BlockCallback done;
  };
  spec::Status Submit(const BlockRequest& request, BlockCallback done) override {
    ++submitted;
    if (!refuse.ok()) return refuse;
    if (auto_latency_ns != 0 && clock_ != nullptr) {
      // Serial service: each command waits for the ones ahead of it.
      const uint64_t now = clock_->NowNs();
      busy_until_ = (busy_until_ > now ? busy_until_ : now) + auto_latency_ns;
      clock_->StartTimer(busy_until_ - now, [done = std::move(done), this] {
        ++completed;
        BlockResult r;
        r.status = auto_status;
        done(r);
      });
      return spec::Status::Ok();
    }
    pending.push_back({request, std::move(done)});
    return spec::Status::Ok();
  }
  bool Live() const override { return live; }

  // Completes the oldest pending request with `status`. False when none.
  bool CompleteNext(spec::Status status = spec::Status::Ok()) {
    if (pending.empty()) return false;
    Sent s = std::move(pending.front());
    pending.pop_front();
    ++completed;
    BlockResult r;
    r.status = status;
    r.commands = 1;
    s.done(r);
    return true;
  }
  // Completes every pending request (also those sent meanwhile are kept).
  size_t CompleteAll(spec::Status status = spec::Status::Ok()) {
    size_t n = pending.size();
    for (size_t i = 0; i < n; ++i) CompleteNext(status);
    return n;
  }

  bool live = true;
  spec::Status refuse = spec::Status::Ok();
  spec::Status auto_status = spec::Status::Ok();
  uint64_t auto_latency_ns = 0;
  uint64_t submitted = 0, completed = 0;
  std::deque<Sent> pending;

 private:
  driver::testing::FakeClock* clock_;
  uint64_t busy_until_ = 0;
};

}  // namespace nvmesim::driver::multipath::testing
