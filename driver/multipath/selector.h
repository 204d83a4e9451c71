// Path selection: the hot part of multipath I/O, kept free of allocation and
// of anything but a few bitmasks and per-path counters so one choice among 16
// paths costs tens of nanoseconds.
//
// Tiers follow ANA (NVMe Base 2.0 8.1.3): paths in the Optimized state are
// used while any is available; Non-Optimized paths only when no Optimized
// one is (8.1.3.2: "may exhibit lower performance"); Inaccessible, Persistent
// Loss and Change paths, dead controllers and paths taken out by hand carry
// no I/O. Inside the best tier the policy picks:
//   numa        the preferred path when set and usable, else the lowest-numbered
//               path on the submitting CPU's node, else the lowest-numbered path
//   round-robin the next path after the last one chosen
//   queue-depth the path with the fewest commands in flight
//   latency     the path with the lowest predicted latency, i.e. its learnt
//               per-slot service time times (in-flight + 1); every
//               `probe_interval`-th choice instead goes to the path sampled
//               longest ago, so a slower path's estimate stays fresh.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nvmesim::driver::multipath {

inline constexpr int kMaxPaths = 16;  // [advanced_nvme] multipath_max_paths limit of this layer

enum class Policy : uint8_t { kNuma = 0, kRoundRobin = 1, kQueueDepth = 2, kLatency = 3 };
const char* PolicyName(Policy p);                          // "numa", "round-robin", ...
std::optional<Policy> ParsePolicy(std::string_view name);  // accepts '-' or '_'

struct SelectorParams {
  uint32_t numa_node = 0;         // node of the submitting CPU (numa policy)
  int preferred_path = -1;        // numa policy: this path first while usable; -1 none
  uint32_t probe_interval = 256;  // latency policy: 1 in N choices probes; 0 never
  uint32_t ewma_shift = 3;        // latency policy: each sample weighs 1/2^shift (1..8)
};

// Hot per-path data. `tier` 0 = optimized, 1 = non-optimized, 2 = unusable.
struct PathSlot {
  uint8_t tier = 2;
  uint32_t numa_node = 0;
  uint32_t inflight = 0;
  uint64_t service_x16 = 0;  // learnt per-slot service time, ns * 16
  uint64_t samples = 0;
  uint64_t last_sample_seq = 0;  // selection sequence number of the last sample
};

class PathSelector {
 public:
  void SetPolicy(Policy p) { policy_ = p; }
  Policy policy() const { return policy_; }
  void SetParams(const SelectorParams& p) { params_ = p; }
  const SelectorParams& params() const { return params_; }

  void SetPathCount(int n) {
    count_ = n;
    Refresh();
  }
  int path_count() const { return count_; }
  PathSlot& slot(int i) { return slots_[static_cast<size_t>(i)]; }
  const PathSlot& slot(int i) const { return slots_[static_cast<size_t>(i)]; }
  // Recomputes the tier masks after any slot's tier changed.
  void Refresh();
  uint32_t usable_mask() const { return tier_mask_[0] | tier_mask_[1]; }
  uint32_t optimized_mask() const { return tier_mask_[0]; }

  // The path for the next command, never one whose bit is set in `exclude`;
  // -1 when no usable path is left.
  int Select(uint32_t exclude = 0);

  // Bookkeeping the policies learn from.
  void OnSubmit(int path) { ++slots_[static_cast<size_t>(path)].inflight; }
  // `inflight_before` = commands already in flight on the path when this one was sent.
  void OnComplete(int path, uint64_t latency_ns, uint32_t inflight_before);
  // Forgets a path's learnt service time (it came back from an outage).
  void ResetLearning(int path);
  uint64_t service_ns(int path) const { return slots_[static_cast<size_t>(path)].service_x16 / 16; }
  uint64_t probes() const { return probes_; }

 private:
  int SelectNuma(uint32_t m) const;
  int SelectRoundRobin(uint32_t m);
  int SelectQueueDepth(uint32_t m);
  int SelectLatency(uint32_t m);

  Policy policy_ = Policy::kRoundRobin;
  SelectorParams params_;
  int count_ = 0;
  std::array<PathSlot, kMaxPaths> slots_{};
  uint32_t tier_mask_[2] = {0, 0};
  uint32_t cursor_ = 0;  // rotation point for round-robin and tie breaks
  uint64_t seq_ = 0;     // selections made
  uint64_t probes_ = 0;
};

}  // namespace nvmesim::driver::multipath
