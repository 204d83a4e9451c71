// NAND array timing: channels shared by their dies, planes with busy-until
// times, multi-plane operations, program/erase suspend. Plain C++; times in
// ps of simulated time. Callers ask in non-decreasing order of `ready_ps`
// per operation stream; the channel keeps a calendar so a transfer can use a
// gap before a transfer booked later in time.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "device_model/media/profile.h"

namespace nvmesim::device::media {

// Non-overlapping busy intervals of one shared resource (a channel, DRAM),
// sorted by start in a flat vector; pruned intervals are skipped by a head
// index and dropped in batches, so a booking allocates nothing in the steady
// state.
class Calendar {
 public:
  // Books `len` ps in the first gap at or after `earliest`; returns its start.
  [[gnu::always_inline]] uint64_t Reserve(uint64_t earliest, uint64_t len);
  // Forgets intervals that end at or before `t` (no later booking starts before t).
  void Prune(uint64_t t) {
    // Ends are sorted like starts (the intervals do not overlap).
    const size_t n = busy_.size();
    size_t h = head_;  // a local: the loop does not store head_ on every step
    while (h < n && busy_[h].end <= t) ++h;
    head_ = h;
    if (head_ == n) {
      busy_.clear();
      head_ = 0;
    } else if (head_ >= kCompactAt) {
      busy_.erase(busy_.begin(), busy_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  size_t intervals() const { return busy_.size() - head_; }
  uint64_t busy_ps() const { return busy_ps_; }

 private:
  static constexpr size_t kCompactAt = 64;
  struct Interval {
    uint64_t start, end;
  };
  void InsertAt(size_t i, uint64_t start, uint64_t end);
  void EraseAt(size_t i);

  std::vector<Interval> busy_;  // [head_, size): live, by start
  size_t head_ = 0;
  uint64_t busy_ps_ = 0;
};

inline uint64_t Calendar::Reserve(uint64_t earliest, uint64_t len) {
  busy_ps_ += len;
  Interval* const b = busy_.data();
  const size_t n = busy_.size();
  // i: the first interval starting after `earliest`; bookings in arrival
  // order (DRAM) land after the last one.
  size_t i = head_;
  if (n > head_ && b[n - 1].start <= earliest) i = n;
  // Branch-free binary search (conditional moves): the probes' outcomes are
  // unpredictable, so a branch per probe would mispredict about half the time.
  for (size_t count = n - i; count > 0;) {
    const size_t half = count / 2;
    const bool right = b[i + half].start <= earliest;
    i = right ? i + half + 1 : i;
    count = right ? count - half - 1 : half;
  }
  uint64_t t = earliest;
  if (i > head_ && b[i - 1].end > t) t = b[i - 1].end;
  while (i < n && b[i].start < t + len) {
    t = std::max(t, b[i].end);
    ++i;
  }
  if (len == 0) return t;
  // Every interval before i now starts at or before t and every one from i on
  // starts at or after t + len. Merge with a neighbour that touches, to keep
  // the calendar short.
  const uint64_t end = t + len;
  const bool next = i < n && b[i].start == end;
  if (i > head_ && b[i - 1].end == t) {
    if (next) {
      b[i - 1].end = b[i].end;
      EraseAt(i);
    } else {
      b[i - 1].end = end;
    }
  } else if (next) {
    b[i].start = t;
  } else {
    InsertAt(i, t, end);
  }
  return t;
}

struct NandStats {
  uint64_t reads = 0;  // array reads (one per tR)
  uint64_t multi_plane_reads = 0;
  uint64_t programs = 0;
  uint64_t erases = 0;  // per die
  uint64_t suspends = 0;
  uint64_t read_bytes = 0;     // user bytes moved out of the dies
  uint64_t program_bytes = 0;  // user bytes programmed
};

class NandArray {
 public:
  explicit NandArray(const MediaProfile& profile);

  uint32_t ChannelOf(uint32_t die) const { return die % channels_; }
  // Reads `bytes` of user data (+ their share of spare) from the planes in
  // `plane_mask` of `die` (one tR for all: multi-plane when several). Returns
  // the time the data has crossed the channel into the controller.
  uint64_t Read(uint32_t die, uint32_t plane_mask, uint64_t bytes, uint64_t ready_ps,
                bool may_suspend = true);
  // Moves `bytes` (+ spare) over the channel into the die's page registers,
  // then programs planes of the die (tPROG). Returns the time the program ends.
  uint64_t Program(uint32_t die, uint64_t bytes, uint64_t ready_ps);
  // Erases one block on every plane of `die` (multi-plane erase, or one per plane).
  uint64_t Erase(uint32_t die, uint64_t ready_ps);

  // Channel time of `bytes` of user data plus their share of spare.
  uint64_t TransferPs(uint64_t bytes) const;
  uint64_t DieFreePs(uint32_t die) const;
  const NandStats& stats() const { return stats_; }
  uint64_t channel_busy_ps(uint32_t ch) const { return channels_cal_[ch].busy_ps(); }
  // Forgets channel bookings that end at or before `now_ps`. Calls in
  // non-decreasing order are recorded and applied to a channel when it is next
  // booked (the same bookings as pruning every channel at once).
  void Prune(uint64_t now_ps) {
    if (now_ps >= prune_ps_) {
      prune_ps_ = now_ps;
      ++prune_gen_;
    } else {
      PruneAll(now_ps);
    }
  }

 private:
  struct LongOp {  // the last program/erase booked on a die
    uint64_t start = 0, end = 0;
    uint32_t suspends = 0;
  };
  uint64_t& PlaneBusy(uint32_t die, uint32_t plane) { return plane_busy_[die * planes_ + plane]; }
  void SetDieBusy(uint32_t die, uint64_t t);
  // The channel of `die`, with the prunes recorded since it was last booked.
  Calendar& Channel(uint32_t die) {
    const uint32_t ch = ChannelOf(die);
    if (pruned_gen_[ch] != prune_gen_) {
      pruned_gen_[ch] = prune_gen_;
      channels_cal_[ch].Prune(prune_ps_);
    }
    return channels_cal_[ch];
  }
  void PruneAll(uint64_t now_ps);

  NandProfile n_;
  uint32_t channels_, planes_;
  uint64_t t_read_ps_, t_prog_ps_, t_erase_ps_, t_cmd_ps_, t_suspend_ps_, t_resume_ps_;
  double ps_per_byte_;  // channel, including the spare share
  std::vector<Calendar> channels_cal_;
  std::vector<uint64_t> pruned_gen_;  // per channel: prune_gen_ when last applied
  uint32_t all_planes_;               // mask of the die's planes
  uint64_t prune_ps_ = 0, prune_gen_ = 0;
  std::vector<uint64_t> plane_busy_;
  std::vector<uint64_t> die_free_;  // per die: the latest of its planes' busy-until
  std::vector<LongOp> long_op_;
  NandStats stats_;
};

}  // namespace nvmesim::device::media
