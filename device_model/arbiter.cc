#include "device_model/arbiter.h"

#include <algorithm>

namespace nvmesim::device {

namespace {
constexpr int8_t kAdminClass = 4;
}

Arbiter::Arbiter(uint16_t max_qid) : class_of_(size_t{max_qid} + 1, -1) {}

void Arbiter::Configure(const ArbitrationSettings& s) {
  settings_ = s;
  credit_ = {};
  // Round robin keeps every I/O SQ in one list; WRR splits by class. Rebuild.
  std::vector<std::pair<uint16_t, int8_t>> queues;
  for (size_t q = 0; q < class_of_.size(); ++q) {
    if (class_of_[q] >= 0) queues.emplace_back(static_cast<uint16_t>(q), class_of_[q]);
  }
  Clear();
  for (auto& [q, c] : queues) {
    if (c == kAdminClass) {
      class_of_[q] = kAdminClass;
    } else {
      AddQueue(q, static_cast<QueuePriority>(c));
    }
  }
}

void Arbiter::Clear() {
  std::fill(class_of_.begin(), class_of_.end(), int8_t{-1});
  for (auto& l : lists_) l.clear();
  cursor_ = {};
}

void Arbiter::AddQueue(uint16_t qid, QueuePriority prio) {
  if (qid >= class_of_.size()) return;
  if (class_of_[qid] >= 0) RemoveQueue(qid);
  if (qid == 0) {
    class_of_[0] = kAdminClass;
    return;
  }
  class_of_[qid] = static_cast<int8_t>(prio);
  // Round robin: a single class (the SQ priority is ignored, Base 2.0 3.4.4.1).
  auto& l = lists_[settings_.mechanism == 1 ? static_cast<size_t>(prio) : 0];
  l.insert(std::lower_bound(l.begin(), l.end(), qid), qid);
}

void Arbiter::RemoveQueue(uint16_t qid) {
  if (qid >= class_of_.size() || class_of_[qid] < 0) return;
  class_of_[qid] = -1;
  for (size_t c = 0; c < lists_.size(); ++c) {
    auto& l = lists_[c];
    auto it = std::find(l.begin(), l.end(), qid);
    if (it != l.end()) {
      size_t idx = static_cast<size_t>(it - l.begin());
      l.erase(it);
      if (cursor_[c] > idx) --cursor_[c];
      if (cursor_[c] >= l.size()) cursor_[c] = 0;
    }
  }
}

int Arbiter::PickRoundRobin(std::vector<uint16_t>& list, size_t& cursor,
                            const std::vector<uint32_t>& avail) {
  const size_t n = list.size();
  for (size_t i = 0; i < n; ++i) {
    size_t idx = (cursor + i) % n;
    uint16_t q = list[idx];
    if (q < avail.size() && avail[q] > 0) {
      cursor = (idx + 1) % n;
      return q;
    }
  }
  return -1;
}

Arbiter::Grant Arbiter::Select(const std::vector<uint32_t>& avail) {
  Grant g = SelectCompeting(avail);
  if (g.qid < 0) return g;
  // The burst limit only shares the controller between SQs: with no other
  // SQ waiting, the chosen one may take everything it has (one SQE fetch).
  // Scan the registered SQs only (a handful), not every possible qid.
  auto waiting = [&](uint16_t q) {
    return static_cast<int>(q) != g.qid && q < avail.size() && avail[q] > 0;
  };
  if (class_of_[0] == kAdminClass && waiting(0)) return g;
  for (const auto& list : lists_) {
    for (uint16_t q : list) {
      if (waiting(q)) return g;
    }
  }
  g.max_commands = kUnlimitedBurst;
  return g;
}

Arbiter::Grant Arbiter::SelectCompeting(const std::vector<uint32_t>& avail) {
  Grant g;
  const uint32_t burst = Burst();
  if (settings_.mechanism != 1) {
    // Round robin: the admin SQ takes its turn with the I/O SQs. It sits at
    // the front of the rotation; we serve it whenever it has work, then one
    // I/O SQ, which is a fair rotation for a single admin queue.
    if (class_of_[0] == kAdminClass && !avail.empty() && avail[0] > 0 &&
        last_class_ != kAdminClass) {
      last_class_ = kAdminClass;
      return {0, burst};
    }
    int q = PickRoundRobin(lists_[0], cursor_[0], avail);
    if (q < 0 && class_of_[0] == kAdminClass && !avail.empty() && avail[0] > 0) q = 0;
    last_class_ = q == 0 ? kAdminClass : 0;
    if (q >= 0) g = {q, burst};
    return g;
  }
  // Weighted round robin with urgent (Base 2.0 Figure 139): admin strictly
  // first, then urgent, then high/medium/low by weight.
  if (class_of_[0] == kAdminClass && !avail.empty() && avail[0] > 0) return {0, burst};
  int q = PickRoundRobin(lists_[0], cursor_[0], avail);
  if (q >= 0) return {q, burst};
  for (int round = 0; round < 2; ++round) {
    for (size_t c = 1; c <= 3; ++c) {
      if (credit_[c] == 0) continue;
      q = PickRoundRobin(lists_[c], cursor_[c], avail);
      if (q >= 0) {
        last_class_ = static_cast<int>(c);
        return {q, std::min(burst, credit_[c])};
      }
    }
    // Every class with work is out of credit: refill from the weights.
    credit_[1] = uint32_t{settings_.high_weight} + 1;
    credit_[2] = uint32_t{settings_.medium_weight} + 1;
    credit_[3] = uint32_t{settings_.low_weight} + 1;
  }
  return g;
}

void Arbiter::Consumed(uint16_t qid, uint32_t n) {
  if (settings_.mechanism != 1 || qid >= class_of_.size()) return;
  int8_t c = class_of_[qid];
  if (c >= 1 && c <= 3) credit_[c] = credit_[c] > n ? credit_[c] - n : 0;
}

}  // namespace nvmesim::device
