#include "driver/optimizer/tuner.h"

#include <algorithm>

namespace nvmesim::driver::optimizer {

CoalescingTuner::CoalescingTuner(TunerGoal goal, TunerLimits limits, TunerKnobs initial)
    : goal_(goal), limits_(limits), knobs_(initial) {
  knobs_.queue_depth = std::clamp(knobs_.queue_depth, limits_.min_depth, limits_.max_depth);
  base_ = knobs_;
}

std::string DescribeKnobs(const TunerKnobs& k) {
  return "depth " + std::to_string(k.queue_depth) + ", coalescing " +
         std::to_string(k.coalescing_threshold + 1) + " completions / " +
         std::to_string(k.coalescing_time_100us * 100) + " us";
}

void CoalescingTuner::Record(const TunerKnobs& before, const char* reason) {
  if (before == knobs_) return;
  changes_.push_back(TunerChange{epoch_, before, knobs_, reason});
}

TunerKnobs CoalescingTuner::Decide(const EpochMetrics& m) {
  ++epoch_;
  const TunerKnobs before = knobs_;
  const char* why = "";
  knobs_ =
      goal_.kind == TunerGoalKind::kLatency ? DecideLatency(m, &why) : DecideThroughput(m, &why);
  Record(before, why);
  return knobs_;
}

TunerKnobs CoalescingTuner::DecideLatency(const EpochMetrics& m, const char** why) {
  TunerKnobs k = knobs_;
  if (cut_on_trial_) {
    cut_on_trial_ = false;
    if (m.p99_us > 0.95 * p99_before_cut_) {
      // The shallower queue did not shorten the tail: the requests only
      // waited in the driver instead of the device. Undo it; cut no more.
      k.queue_depth = depth_before_cut_;
      depth_cuts_off_ = true;
      *why = "shallower queue did not lower p99: depth restored";
      return k;
    }
  }
  // An aggregation threshold above the commands a queue holds is never
  // reached: each interrupt then waits for the aggregation time (Interrupt
  // Coalescing, FID 08h: whichever comes first). 0 when not measured.
  const uint32_t in_flight =
      m.queue_depth > 0 ? std::max<uint32_t>(1, static_cast<uint32_t>(m.queue_depth)) : 0;
  const bool threshold_unreachable = in_flight != 0 && k.coalescing_threshold + 1u > in_flight;
  if (m.p99_us > goal_.p99_target_us) {
    if (threshold_unreachable && k.coalescing_time_100us > 0) {
      k.coalescing_threshold = static_cast<uint8_t>(in_flight - 1);
      *why = "p99 over goal: threshold above the commands in flight, lowered to them";
    } else if (k.coalescing_time_100us > 0) {
      k.coalescing_time_100us = static_cast<uint8_t>(k.coalescing_time_100us / 2);
      *why = "p99 over goal: shorter coalescing time";
    } else if (k.coalescing_threshold > 0) {
      k.coalescing_threshold = static_cast<uint8_t>(k.coalescing_threshold / 2);
      *why = "p99 over goal: lower coalescing threshold";
    } else if (!depth_cuts_off_ && k.queue_depth > limits_.min_depth) {
      cut_on_trial_ = true;
      p99_before_cut_ = m.p99_us;
      depth_before_cut_ = k.queue_depth;
      k.queue_depth =
          std::max(limits_.min_depth, k.queue_depth - std::max<uint32_t>(1, k.queue_depth / 4));
      *why = "p99 over goal: shallower queue";
    }
  } else if (m.p99_us < 0.8 * goal_.p99_target_us) {
    if (k.queue_depth < limits_.max_depth && !depth_cuts_off_) {
      k.queue_depth =
          std::min(limits_.max_depth, k.queue_depth + std::max<uint32_t>(1, k.queue_depth / 8));
      *why = "p99 well under goal: deeper queue";
    } else if (k.coalescing_threshold < limits_.max_threshold &&
               (in_flight == 0 || k.coalescing_threshold + 1u < in_flight)) {
      // Only while the queue holds more commands than the threshold counts.
      k.coalescing_threshold = static_cast<uint8_t>(k.coalescing_threshold + 1);
      if (k.coalescing_time_100us == 0 && limits_.max_time_100us > 0) k.coalescing_time_100us = 1;
      *why = "p99 well under goal: coalesce more completions";
    }
  }
  return k;
}

TunerKnobs CoalescingTuner::Propose(int trial) const {
  TunerKnobs k = base_;
  const bool deeper = trial == 0 || trial == 2;
  const bool coalesce = trial == 1 || trial == 2;
  if (deeper) k.queue_depth = std::min(limits_.max_depth, k.queue_depth * 2);
  if (coalesce && k.coalescing_threshold < limits_.max_threshold) {
    k.coalescing_threshold = static_cast<uint8_t>(k.coalescing_threshold + 1);
    if (k.coalescing_time_100us == 0 && limits_.max_time_100us > 0) k.coalescing_time_100us = 1;
  }
  return k;
}

TunerKnobs CoalescingTuner::DecideThroughput(const EpochMetrics& m, const char** why) {
  // Pattern search from the current base: try a deeper queue, one more
  // coalesced completion, and both (one epoch each); move the base to the
  // best trial when it gains at least 1 % IOPS, otherwise settle on the base.
  if (settled_) return knobs_;
  if (epoch_ == 1) {
    base_ = knobs_;
    base_iops_ = m.iops;
    trial_ = 0;
    *why = "throughput: trial deeper queue";
    return Propose(0);
  }
  trial_iops_[trial_] = m.iops;
  trial_knobs_[trial_] = knobs_;
  if (++trial_ < 3) {
    *why = trial_ == 1 ? "throughput: trial more coalescing" : "throughput: trial both";
    return Propose(trial_);
  }
  int best = 0;
  for (int i = 1; i < 3; ++i) {
    if (trial_iops_[i] > trial_iops_[best]) best = i;
  }
  trial_ = 0;
  if (trial_iops_[best] > base_iops_ * 1.01) {
    base_ = trial_knobs_[best];
    base_iops_ = trial_iops_[best];
    *why = "throughput: trial gained, trial from there";
    return Propose(0);
  }
  settled_ = true;
  *why = "throughput: no trial gained 1 %, settled";
  return base_;
}

}  // namespace nvmesim::driver::optimizer
