// DRAM write buffer occupancy. Host data is admitted when it fits (FIFO) and
// leaves when the NAND program that carries it has finished.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <utility>
#include <vector>

namespace nvmesim::device::media {

class WriteBuffer {
 public:
  explicit WriteBuffer(uint64_t capacity_bytes) : capacity_(capacity_bytes) {}

  // Earliest time >= t (and >= the previous admission: FIFO) at which `bytes`
  // fit; they occupy the buffer from then on. nullopt when they cannot fit
  // until data not yet scheduled for programming is programmed.
  std::optional<uint64_t> Admit(uint64_t bytes, uint64_t t) {
    t = std::max(t, last_admit_);
    ReleaseUntil(t);
    while (used_ + bytes > capacity_ && !releases_.empty()) {
      t = std::max(t, releases_.top().first);
      ReleaseUntil(t);
    }
    if (used_ + bytes > capacity_) return std::nullopt;
    used_ += bytes;
    last_admit_ = t;
    if (used_ > peak_) peak_ = used_;
    return t;
  }
  // `bytes` admitted earlier leave at `t`.
  void ScheduleRelease(uint64_t bytes, uint64_t t) {
    if (bytes) releases_.push({t, bytes});
  }
  void ReleaseUntil(uint64_t t) {
    while (!releases_.empty() && releases_.top().first <= t) {
      used_ -= releases_.top().second;
      releases_.pop();
    }
  }
  uint64_t used() const { return used_; }
  uint64_t peak() const { return peak_; }
  uint64_t capacity() const { return capacity_; }
  bool pending_releases() const { return !releases_.empty(); }

 private:
  using Entry = std::pair<uint64_t, uint64_t>;  // (time, bytes)
  uint64_t capacity_;
  uint64_t used_ = 0, peak_ = 0, last_admit_ = 0;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> releases_;
};

}  // namespace nvmesim::device::media
