#include "device_model/media/nand.h"

#include <algorithm>
#include <bit>

namespace nvmesim::device::media {

void Calendar::InsertAt(size_t i, uint64_t start, uint64_t end) {
  busy_.insert(busy_.begin() + static_cast<std::ptrdiff_t>(i), Interval{start, end});
}

void Calendar::EraseAt(size_t i) { busy_.erase(busy_.begin() + static_cast<std::ptrdiff_t>(i)); }

NandArray::NandArray(const MediaProfile& p)
    : n_(p.nand),
      channels_(p.nand.channels),
      planes_(p.nand.planes_per_die),
      t_read_ps_(p.nand.t_read_ns * 1000),
      t_prog_ps_(p.nand.t_prog_ns * 1000),
      t_erase_ps_(p.nand.t_erase_ns * 1000),
      t_cmd_ps_(p.nand.t_cmd_ns * 1000),
      t_suspend_ps_(p.nand.t_suspend_ns * 1000),
      t_resume_ps_(p.nand.t_resume_ns * 1000),
      // One byte per transfer on the 8-bit bus: 1e6 / MT/s ps per byte; spare
      // (ECC parity) travels with the user data in proportion.
      ps_per_byte_(1e6 / p.nand.channel_mts *
                   (1.0 + static_cast<double>(p.nand.spare_bytes) / p.nand.page_bytes)),
      channels_cal_(p.nand.channels),
      pruned_gen_(p.nand.channels, 0),
      all_planes_(p.nand.planes_per_die >= 32 ? ~0u : (1u << p.nand.planes_per_die) - 1),
      plane_busy_(size_t{p.nand.channels} * p.nand.dies_per_channel * p.nand.planes_per_die, 0),
      die_free_(size_t{p.nand.channels} * p.nand.dies_per_channel, 0),
      long_op_(size_t{p.nand.channels} * p.nand.dies_per_channel) {}

uint64_t NandArray::TransferPs(uint64_t bytes) const {
  return static_cast<uint64_t>(static_cast<double>(bytes) * ps_per_byte_ + 0.5);
}

uint64_t NandArray::DieFreePs(uint32_t die) const { return die_free_[die]; }

void NandArray::SetDieBusy(uint32_t die, uint64_t t) {
  for (uint32_t p = 0; p < planes_; ++p) PlaneBusy(die, p) = t;
  die_free_[die] = t;
}

uint64_t NandArray::Read(uint32_t die, uint32_t plane_mask, uint64_t bytes, uint64_t ready_ps,
                         bool may_suspend) {
  Calendar& ch = Channel(die);
  const uint64_t cmd = ch.Reserve(ready_ps, t_cmd_ps_);
  const uint64_t cmd_end = cmd + t_cmd_ps_;
  const bool single = plane_mask && !(plane_mask & (plane_mask - 1));
  // Independent plane reads: a read holds only the planes it reads.
  const bool plane_level = n_.independent_plane_reads;
  // Without independent plane reads the die runs one array operation at a time.
  const uint32_t held = plane_level ? plane_mask & all_planes_ : all_planes_;
  uint64_t* const busy = &plane_busy_[size_t{die} * planes_];
  uint64_t free = 0;
  for (uint32_t m = held; m; m &= m - 1) free = std::max(free, busy[std::countr_zero(m)]);
  LongOp& lo = long_op_[die];
  uint64_t array_start = std::max(cmd_end, free);
  bool suspended = false;
  if (may_suspend && n_.suspend && array_start > cmd_end && lo.end == DieFreePs(die) &&
      lo.end > cmd_end && lo.suspends < n_.max_suspends) {
    // Suspend the program/erase that holds the die; the read goes first.
    array_start = cmd_end + (cmd_end >= lo.start ? t_suspend_ps_ : 0);
    suspended = true;
  }
  const uint64_t tr_end = array_start + t_read_ps_;
  const uint64_t xfer = TransferPs(bytes);
  const uint64_t out = ch.Reserve(tr_end, xfer);
  const uint64_t done = out + xfer;
  if (suspended) {
    const uint64_t shift = (done - array_start) + t_suspend_ps_ + t_resume_ps_;
    lo.end += shift;
    lo.start = std::max(lo.start, done);  // resumes after the read
    ++lo.suspends;
    SetDieBusy(die, lo.end);
    ++stats_.suspends;
  } else {
    // With cache read the array is free once the data starts moving out of
    // the cache register; without, the page register holds it until it is out.
    const uint64_t release = n_.cache_read ? out : done;
    for (uint32_t m = held; m; m &= m - 1) {
      uint64_t& b = busy[std::countr_zero(m)];
      b = std::max(b, release);
    }
    if (held) die_free_[die] = std::max(die_free_[die], release);
  }
  ++stats_.reads;
  if (!single) ++stats_.multi_plane_reads;
  stats_.read_bytes += bytes;
  return done;
}

uint64_t NandArray::Program(uint32_t die, uint64_t bytes, uint64_t ready_ps) {
  Calendar& ch = Channel(die);
  // Data goes into the die's cache register while the array may still be busy
  // (cache program); the array operation starts when the die is free.
  const uint64_t len = t_cmd_ps_ + TransferPs(bytes);
  const uint64_t in = ch.Reserve(ready_ps, len);
  const uint64_t start = std::max(in + len, DieFreePs(die));
  const uint64_t end = start + t_prog_ps_;
  SetDieBusy(die, end);
  long_op_[die] = {start, end, 0};
  ++stats_.programs;
  stats_.program_bytes += bytes;
  return end;
}

uint64_t NandArray::Erase(uint32_t die, uint64_t ready_ps) {
  Calendar& ch = Channel(die);
  const uint64_t cmd = ch.Reserve(ready_ps, t_cmd_ps_);
  const uint64_t start = std::max(cmd + t_cmd_ps_, DieFreePs(die));
  const uint64_t end = start + t_erase_ps_ * (n_.multi_plane ? 1 : planes_);
  SetDieBusy(die, end);
  long_op_[die] = {start, end, 0};
  ++stats_.erases;
  return end;
}

void NandArray::PruneAll(uint64_t now_ps) {
  for (uint32_t ch = 0; ch < channels_; ++ch) {
    Calendar& c = channels_cal_[ch];
    if (pruned_gen_[ch] != prune_gen_) {
      pruned_gen_[ch] = prune_gen_;
      c.Prune(prune_ps_);
    }
    c.Prune(now_ps);
  }
}

}  // namespace nvmesim::device::media
