#include "driver/multipath/selector.h"

#include <bit>

namespace nvmesim::driver::multipath {

const char* PolicyName(Policy p) {
  switch (p) {
    case Policy::kNuma:
      return "numa";
    case Policy::kRoundRobin:
      return "round-robin";
    case Policy::kQueueDepth:
      return "queue-depth";
    case Policy::kLatency:
      return "latency";
  }
  return "?";
}

std::optional<Policy> ParsePolicy(std::string_view name) {
  std::string n(name);
  for (char& c : n) {
    if (c == '_') c = '-';
  }
  if (n == "numa" || n == "preferred" || n == "none") return Policy::kNuma;
  if (n == "round-robin") return Policy::kRoundRobin;
  if (n == "queue-depth") return Policy::kQueueDepth;
  if (n == "latency" || n == "service-time") return Policy::kLatency;
  return std::nullopt;
}

void PathSelector::Refresh() {
  tier_mask_[0] = tier_mask_[1] = 0;
  for (int i = 0; i < count_; ++i) {
    const uint8_t t = slots_[static_cast<size_t>(i)].tier;
    if (t < 2) tier_mask_[t] |= 1u << i;
  }
}

int PathSelector::Select(uint32_t exclude) {
  uint32_t m = tier_mask_[0] & ~exclude;
  if (m == 0) m = tier_mask_[1] & ~exclude;
  if (m == 0) return -1;
  ++seq_;
  if ((m & (m - 1)) == 0) return std::countr_zero(m);  // one candidate
  switch (policy_) {
    case Policy::kNuma:
      return SelectNuma(m);
    case Policy::kRoundRobin:
      return SelectRoundRobin(m);
    case Policy::kQueueDepth:
      return SelectQueueDepth(m);
    case Policy::kLatency:
      return SelectLatency(m);
  }
  return std::countr_zero(m);
}

int PathSelector::SelectNuma(uint32_t m) const {
  const int pref = params_.preferred_path;
  if (pref >= 0 && pref < kMaxPaths && (m & (1u << pref))) return pref;
  for (uint32_t b = m; b != 0; b &= b - 1) {
    const int i = std::countr_zero(b);
    if (slots_[static_cast<size_t>(i)].numa_node == params_.numa_node) return i;
  }
  return std::countr_zero(m);
}

int PathSelector::SelectRoundRobin(uint32_t m) {
  // The first candidate strictly after the cursor, wrapping.
  const uint32_t after = m & ~((2u << cursor_) - 1);  // bits above cursor_
  const int i = std::countr_zero(after != 0 ? after : m);
  cursor_ = static_cast<uint32_t>(i);
  return i;
}

int PathSelector::SelectQueueDepth(uint32_t m) {
  // Fewest in flight; ties go round-robin so equal paths share the load.
  int best = -1;
  uint32_t best_q = UINT32_MAX;
  const uint32_t hi = m & ~((2u << cursor_) - 1), lo = m & ~hi;
  for (uint32_t part : {hi, lo}) {
    for (uint32_t b = part; b != 0; b &= b - 1) {
      const int i = std::countr_zero(b);
      const uint32_t q = slots_[static_cast<size_t>(i)].inflight;
      if (q < best_q) best_q = q, best = i;
    }
  }
  cursor_ = static_cast<uint32_t>(best);
  return best;
}

int PathSelector::SelectLatency(uint32_t m) {
  if (params_.probe_interval != 0 && seq_ % params_.probe_interval == 0) {
    // Probe: the candidate whose estimate is oldest.
    int oldest = -1;
    uint64_t oldest_seq = UINT64_MAX;
    for (uint32_t b = m; b != 0; b &= b - 1) {
      const int i = std::countr_zero(b);
      const uint64_t s = slots_[static_cast<size_t>(i)].last_sample_seq;
      if (s < oldest_seq) oldest_seq = s, oldest = i;
    }
    ++probes_;
    return oldest;
  }
  int best = -1;
  uint64_t best_score = UINT64_MAX;
  uint32_t best_q = UINT32_MAX;
  const uint32_t hi = m & ~((2u << cursor_) - 1), lo = m & ~hi;
  for (uint32_t part : {hi, lo}) {
    for (uint32_t b = part; b != 0; b &= b - 1) {
      const int i = std::countr_zero(b);
      const PathSlot& s = slots_[static_cast<size_t>(i)];
      // Unlearnt paths score 0: every path gets sampled before estimates count.
      const uint64_t score = s.samples == 0 ? 0 : s.service_x16 * (uint64_t{s.inflight} + 1);
      if (score < best_score || (score == best_score && s.inflight < best_q)) {
        best_score = score, best_q = s.inflight, best = i;
      }
    }
  }
  cursor_ = static_cast<uint32_t>(best);
  return best;
}

void PathSelector::OnComplete(int path, uint64_t latency_ns, uint32_t inflight_before) {
  PathSlot& s = slots_[static_cast<size_t>(path)];
  if (s.inflight > 0) --s.inflight;
  // Per-slot service time: the latency spread over the commands it queued behind.
  const uint64_t sample_x16 = latency_ns * 16 / (uint64_t{inflight_before} + 1);
  if (s.samples == 0) {
    s.service_x16 = sample_x16;
  } else {
    const int64_t diff = static_cast<int64_t>(sample_x16) - static_cast<int64_t>(s.service_x16);
    s.service_x16 = static_cast<uint64_t>(static_cast<int64_t>(s.service_x16) +
                                          diff / (int64_t{1} << params_.ewma_shift));
  }
  ++s.samples;
  s.last_sample_seq = seq_;
}

void PathSelector::ResetLearning(int path) {
  PathSlot& s = slots_[static_cast<size_t>(path)];
  s.service_x16 = 0;
  s.samples = 0;
  s.last_sample_seq = 0;
}

}  // namespace nvmesim::driver::multipath
