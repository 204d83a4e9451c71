// (b) Tuning of interrupt coalescing (Set Features 08h: aggregation threshold,
// 0's based, and aggregation time in 100 us units; Base 2.0 §5.27.1, FID
// 08h) and per-queue depth towards a goal, one decision per measurement epoch.
//
// Latency goal (p99 <= target): over target -> take away the largest added
// delay first (halve coalescing time, then threshold, then cut depth by a
// quarter - and put the depth back, for good, when the next epoch's p99 did
// not fall by 5 %: a closed-loop load only moves its wait from the device
// into the driver); comfortably under target (below 80 %) -> grow depth by an eighth
// for throughput, then coalesce more to save interrupts, while the goal holds.
// Throughput goal: pattern search - from the current setting try a doubled
// depth, one more coalesced completion, and both, one epoch each; move to the
// best trial if it gains at least 1 % IOPS, otherwise settle.
// Deterministic, O(1) per decision.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nvmesim::driver::optimizer {

struct TunerKnobs {
  uint8_t coalescing_threshold = 0;   // THR (0's based: completions - 1)
  uint8_t coalescing_time_100us = 0;  // TIME
  uint32_t queue_depth = 128;
  bool operator==(const TunerKnobs&) const = default;
};

struct TunerLimits {
  uint32_t min_depth = 1;
  uint32_t max_depth = 1024;
  uint8_t max_threshold = 255;
  uint8_t max_time_100us = 255;
};

enum class TunerGoalKind : uint8_t { kLatency, kThroughput };

struct TunerGoal {
  TunerGoalKind kind = TunerGoalKind::kLatency;
  double p99_target_us = 1000;
};

struct EpochMetrics {
  double iops = 0;
  double p99_us = 0;
  double mean_us = 0;
  double interrupts_per_s = 0;
  // Commands in flight on a completion queue, averaged over the commands of the
  // epoch as each was submitted (itself included); 0 when not measured.
  double queue_depth = 0;
};

struct TunerChange {
  uint64_t epoch = 0;
  TunerKnobs before, after;
  const char* reason = "";
};

class CoalescingTuner {
 public:
  CoalescingTuner(TunerGoal goal, TunerLimits limits, TunerKnobs initial);
  // One epoch's measurements under the current knobs; returns the knobs for
  // the next epoch.
  TunerKnobs Decide(const EpochMetrics& m);
  const TunerKnobs& knobs() const { return knobs_; }
  const std::vector<TunerChange>& changes() const { return changes_; }
  uint64_t epochs() const { return epoch_; }
  bool settled() const { return settled_; }

 private:
  void Record(const TunerKnobs& before, const char* reason);
  TunerKnobs DecideLatency(const EpochMetrics& m, const char** why);
  TunerKnobs DecideThroughput(const EpochMetrics& m, const char** why);
  TunerGoal goal_;
  TunerLimits limits_;
  TunerKnobs knobs_;
  uint64_t epoch_ = 0;
  TunerKnobs Propose(int trial) const;
  // throughput pattern search state
  TunerKnobs base_;
  double base_iops_ = 0;
  int trial_ = 0;
  double trial_iops_[3] = {0, 0, 0};
  TunerKnobs trial_knobs_[3];
  bool settled_ = false;
  // latency goal: a depth cut on trial (p99 before it, depth before it)
  bool cut_on_trial_ = false;
  bool depth_cuts_off_ = false;
  double p99_before_cut_ = 0;
  uint32_t depth_before_cut_ = 0;
  std::vector<TunerChange> changes_;
};

std::string DescribeKnobs(const TunerKnobs& k);

}  // namespace nvmesim::driver::optimizer
