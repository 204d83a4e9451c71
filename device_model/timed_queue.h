// Completions waiting for their due time: a binary min-heap on (due_ps, seq)
// of small keys over a slab of entries. A push or pop moves 24-byte keys
// instead of whole entries; the heap's layout, and so the order for_each
// visits, is the one a heap of the entries themselves would have (the same
// comparisons on the same keys).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace nvmesim::device {

// T has uint64_t due_ps and seq; seq is unique among queued entries.
template <typename T>
class TimedQueue {
 public:
  bool empty() const { return keys_.empty(); }
  size_t size() const { return keys_.size(); }
  const T& front() const { return slab_[keys_.front().slot]; }

  // True when `t` is now the earliest entry.
  bool push(const T& t) {
    uint32_t slot;
    if (free_.empty()) {
      slot = static_cast<uint32_t>(slab_.size());
      slab_.push_back(t);
    } else {
      slot = free_.back();
      free_.pop_back();
      slab_[slot] = t;
    }
    keys_.push_back(Key{t.due_ps, t.seq, slot});
    std::push_heap(keys_.begin(), keys_.end(), Later);
    return keys_.front().slot == slot;
  }

  T pop() {
    std::pop_heap(keys_.begin(), keys_.end(), Later);
    const uint32_t slot = keys_.back().slot;
    keys_.pop_back();
    free_.push_back(slot);
    return slab_[slot];
  }

  // Visits every entry in heap order.
  template <typename F>
  void for_each(F&& f) const {
    for (const Key& k : keys_) f(slab_[k.slot]);
  }

  // The first entry (heap order) for which pred holds, made due at `due_ps`;
  // false when there is none.
  template <typename Pred>
  bool make_due(Pred&& pred, uint64_t due_ps) {
    for (Key& k : keys_) {
      if (!pred(slab_[k.slot])) continue;
      k.due_ps = slab_[k.slot].due_ps = due_ps;
      std::make_heap(keys_.begin(), keys_.end(), Later);
      return true;
    }
    return false;
  }

  // Removes the entries for which pred holds and hands each to `take`, in
  // heap order; the rest keep their relative order and are heaped again.
  template <typename Pred, typename Take>
  void extract_if(Pred&& pred, Take&& take) {
    size_t kept = 0;
    for (size_t i = 0; i < keys_.size(); ++i) {
      const Key k = keys_[i];
      if (pred(slab_[k.slot])) {
        take(slab_[k.slot]);
        free_.push_back(k.slot);
      } else {
        keys_[kept++] = k;
      }
    }
    if (kept == keys_.size()) return;
    keys_.resize(kept);
    std::make_heap(keys_.begin(), keys_.end(), Later);
  }

  void clear() {
    keys_.clear();
    slab_.clear();
    free_.clear();
  }

  void reserve(size_t n) {
    keys_.reserve(n);
    slab_.reserve(n);
    free_.reserve(n);
  }

 private:
  struct Key {
    uint64_t due_ps;
    uint64_t seq;
    uint32_t slot;
  };
  // Heap order: the entry due last sorts first, so the front is due next. A
  // function object, so the heap algorithms inline the comparison.
  struct LaterT {
    bool operator()(const Key& a, const Key& b) const {
      return a.due_ps != b.due_ps ? a.due_ps > b.due_ps : a.seq > b.seq;
    }
  };
  static constexpr LaterT Later{};

  std::vector<Key> keys_;
  std::vector<T> slab_;
  std::vector<uint32_t> free_;
};

}  // namespace nvmesim::device
