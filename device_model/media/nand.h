// NAND array timing: channels shared by their dies, planes with busy-until
// times, multi-plane operations, program/erase suspend. Plain C++; times in
// ps of simulated time. Callers ask in non-decreasing order of `ready_ps`
// per operation stream; the channel keeps a calendar so a transfer can use a
// gap before a transfer booked later in time.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "device_model/media/profile.h"

namespace nvmesim::device::media {

// Non-overlapping busy intervals of one shared resource (a channel, DRAM).
class Calendar {
 public:
  // Books `len` ps in the first gap at or after `earliest`; returns its start.
  uint64_t Reserve(uint64_t earliest, uint64_t len);
  // Forgets intervals that end at or before `t` (no later booking starts before t).
  void Prune(uint64_t t);
  size_t intervals() const { return busy_.size(); }
  uint64_t busy_ps() const { return busy_ps_; }

 private:
  std::map<uint64_t, uint64_t> busy_;  // start -> end
  uint64_t busy_ps_ = 0;
};

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
  void Prune(uint64_t now_ps);

 private:
  struct LongOp {  // the last program/erase booked on a die
    uint64_t start = 0, end = 0;
    uint32_t suspends = 0;
  };
  uint64_t& PlaneBusy(uint32_t die, uint32_t plane) { return plane_busy_[die * planes_ + plane]; }
  void SetDieBusy(uint32_t die, uint64_t t);

  NandProfile n_;
  uint32_t channels_, planes_;
  uint64_t t_read_ps_, t_prog_ps_, t_erase_ps_, t_cmd_ps_, t_suspend_ps_, t_resume_ps_;
  double ps_per_byte_;  // channel, including the spare share
  std::vector<Calendar> channels_cal_;
  std::vector<uint64_t> plane_busy_;
  std::vector<LongOp> long_op_;
  NandStats stats_;
};

}  // namespace nvmesim::device::media
