// Fault hooks the harness drives on a schedule. Completion-path faults are
// armed here and consulted by the engine at two points: when a command's
// completion is decided (delay) and when a CQE is about to be written
// (drop, duplicate, corrupt). Controller-wide faults (fatal status, power
// loss, temperature, ANA state, media errors, queue hang) are methods on
// NvmeController / Namespace; see docs/device-model.md.
#pragma once

#include <cstdint>
#include <vector>

namespace nvmesim::device {

class FaultHooks {
 public:
  static constexpr uint32_t kAnyQueue = 0xFFFFFFFFu;
  static constexpr uint32_t kAnyCid = 0xFFFFFFFFu;

  enum class Kind : uint8_t { kDrop, kDuplicate, kCorrupt, kDelay };

  // Arms a fault for the next `count` completions matching (sqid, cid).
  void Arm(Kind kind, uint32_t sqid = kAnyQueue, uint32_t cid = kAnyCid, uint32_t count = 1,
           uint64_t delay_ps = 0) {
    rules_.push_back({kind, sqid, cid, count, delay_ps});
  }
  void DropCompletion(uint32_t sqid = kAnyQueue, uint32_t cid = kAnyCid, uint32_t count = 1) {
    Arm(Kind::kDrop, sqid, cid, count);
  }
  void DuplicateCompletion(uint32_t sqid = kAnyQueue, uint32_t cid = kAnyCid, uint32_t count = 1) {
    Arm(Kind::kDuplicate, sqid, cid, count);
  }
  void CorruptCompletion(uint32_t sqid = kAnyQueue, uint32_t cid = kAnyCid, uint32_t count = 1) {
    Arm(Kind::kCorrupt, sqid, cid, count);
  }
  void DelayCompletion(uint64_t delay_ps, uint32_t sqid = kAnyQueue, uint32_t cid = kAnyCid,
                       uint32_t count = 1) {
    Arm(Kind::kDelay, sqid, cid, count, delay_ps);
  }
  void Clear() { rules_.clear(); }
  bool armed() const { return !rules_.empty(); }

  struct Action {
    bool drop = false, duplicate = false, corrupt = false;
    uint64_t delay_ps = 0;
  };
  // Decision time: only delay rules.
  Action OnCompletion(uint16_t sqid, uint16_t cid) { return Match(sqid, cid, true); }
  // CQE write time: drop / duplicate / corrupt rules.
  Action OnPost(uint16_t sqid, uint16_t cid) { return Match(sqid, cid, false); }

 private:
  struct Rule {
    Kind kind;
    uint32_t sqid, cid, count;
    uint64_t delay_ps;
  };
  Action Match(uint16_t sqid, uint16_t cid, bool delay_stage) {
    Action a;
    if (rules_.empty()) return a;
    for (size_t i = 0; i < rules_.size();) {
      Rule& r = rules_[i];
      const bool stage_ok = (r.kind == Kind::kDelay) == delay_stage;
      if (stage_ok && (r.sqid == kAnyQueue || r.sqid == sqid) &&
          (r.cid == kAnyCid || r.cid == cid)) {
        switch (r.kind) {
          case Kind::kDrop:
            a.drop = true;
            break;
          case Kind::kDuplicate:
            a.duplicate = true;
            break;
          case Kind::kCorrupt:
            a.corrupt = true;
            break;
          case Kind::kDelay:
            a.delay_ps += r.delay_ps;
            break;
        }
        if (--r.count == 0) {
          rules_.erase(rules_.begin() + static_cast<long>(i));
          continue;
        }
      }
      ++i;
    }
    return a;
  }
  std::vector<Rule> rules_;
};

}  // namespace nvmesim::device
