// Submission queue arbitration: round robin and weighted round robin with an
// urgent priority class (NVMe Base 2.0 section 3.4.4, Figures 138-139).
// Plain C++: the controller engine asks it which SQ to serve next and how many
// commands it may take from it (the arbitration burst).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nvmesim::device {

// Queue priority class of an I/O SQ (Create I/O SQ CDW11.QPRIO, Base 2.0 Figure 474).
enum class QueuePriority : uint8_t { kUrgent = 0, kHigh = 1, kMedium = 2, kLow = 3 };

struct ArbitrationSettings {
  // CC.AMS (Base 2.0 Figure 312): 0 round robin, 1 weighted round robin + urgent.
  uint8_t mechanism = 0;
  // Arbitration feature (Base 2.0 section 5.27.1.1, Figure 320): AB is log2 of
  // the burst, 7 means no limit; weights are 0's based.
  uint8_t burst_log2 = 0;
  uint8_t low_weight = 0, medium_weight = 0, high_weight = 0;
};

class Arbiter {
 public:
  static constexpr uint32_t kUnlimitedBurst = 0xFFFFFFFFu;

  explicit Arbiter(uint16_t max_qid);

  void Configure(const ArbitrationSettings& s);
  const ArbitrationSettings& settings() const { return settings_; }

  // Adds an SQ (qid 0 is the admin queue and always sits in its own class).
  void AddQueue(uint16_t qid, QueuePriority prio);
  void RemoveQueue(uint16_t qid);
  void Clear();

  struct Grant {
    int qid = -1;  // -1: nothing to serve
    uint32_t max_commands = 0;
  };
  // avail[qid] is the number of commands ready in that SQ (0 = idle or
  // blocked). The caller reports how many it actually took with Consumed().
  Grant Select(const std::vector<uint32_t>& avail);
  void Consumed(uint16_t qid, uint32_t n);

 private:
  uint32_t Burst() const {
    return settings_.burst_log2 >= 7 ? kUnlimitedBurst : (1u << settings_.burst_log2);
  }
  Grant SelectCompeting(const std::vector<uint32_t>& avail);
  int PickRoundRobin(std::vector<uint16_t>& list, size_t& cursor,
                     const std::vector<uint32_t>& avail);

  ArbitrationSettings settings_;
  std::vector<int8_t> class_of_;                // -1 absent, 0..3 QueuePriority, 4 admin
  std::array<std::vector<uint16_t>, 4> lists_;  // by QueuePriority (RR uses lists_[0] for all)
  std::array<size_t, 4> cursor_{};
  std::array<uint32_t, 4> credit_{};  // WRR credits for high/medium/low
  int last_class_ = -1;
};

}  // namespace nvmesim::device
