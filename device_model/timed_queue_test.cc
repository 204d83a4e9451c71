#include "device_model/timed_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <vector>

namespace nvmesim::device {
namespace {

struct Entry {
  uint64_t due_ps;
  uint64_t seq;
  int tag;
  bool operator>(const Entry& o) const {
    return due_ps != o.due_ps ? due_ps > o.due_ps : seq > o.seq;
  }
};

// The same pushes into a heap of whole entries, for reference.
struct Reference {
  std::vector<Entry> heap;
  void push(const Entry& e) {
    heap.push_back(e);
    std::push_heap(heap.begin(), heap.end(), std::greater<Entry>());
  }
  Entry pop() {
    std::pop_heap(heap.begin(), heap.end(), std::greater<Entry>());
    Entry e = heap.back();
    heap.pop_back();
    return e;
  }
};

std::vector<int> Tags(const TimedQueue<Entry>& q) {
  std::vector<int> out;
  q.for_each([&](const Entry& e) { out.push_back(e.tag); });
  return out;
}
std::vector<int> Tags(const Reference& r) {
  std::vector<int> out;
  for (const Entry& e : r.heap) out.push_back(e.tag);
  return out;
}

TEST(TimedQueueTest, PopsByDueTimeThenPostingOrderAndReusesSlots) {
  TimedQueue<Entry> q;
  Reference ref;
  uint64_t lcg = 7, seq = 0;
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < 40; ++i) {
      lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
      const Entry e{(lcg >> 33) % 64, seq++, static_cast<int>(seq)};  // many equal due times
      const bool front = q.push(e);
      ref.push(e);
      EXPECT_EQ(front, ref.heap.front().tag == e.tag);
    }
    ASSERT_EQ(Tags(q), Tags(ref));  // same heap layout
    uint64_t last_due = 0, last_seq = 0;
    for (int i = 0; i < 30; ++i) {
      const Entry a = q.pop(), b = ref.pop();
      ASSERT_EQ(a.tag, b.tag);
      EXPECT_TRUE(a.due_ps > last_due || (a.due_ps == last_due && a.seq > last_seq) || i == 0);
      last_due = a.due_ps;
      last_seq = a.seq;
    }
  }
  EXPECT_EQ(q.size(), ref.heap.size());
}

TEST(TimedQueueTest, ExtractAndMakeDueKeepTheHeap) {
  TimedQueue<Entry> q;
  for (int i = 0; i < 10; ++i) q.push({uint64_t(100 - i), uint64_t(i), i});
  std::vector<int> taken;
  q.extract_if([](const Entry& e) { return e.tag % 3 == 0; },
               [&](const Entry& e) { taken.push_back(e.tag); });
  std::sort(taken.begin(), taken.end());
  EXPECT_EQ(taken, (std::vector<int>{0, 3, 6, 9}));
  EXPECT_EQ(q.size(), 6u);
  EXPECT_TRUE(q.make_due([](Entry& e) { return e.tag == 1; }, 0));
  EXPECT_FALSE(q.make_due([](Entry& e) { return e.tag == 3; }, 0));  // extracted
  EXPECT_EQ(q.front().tag, 1);
  std::vector<int> order;
  while (!q.empty()) order.push_back(q.pop().tag);
  EXPECT_EQ(order, (std::vector<int>{1, 8, 7, 5, 4, 2}));
  q.push({5, 99, 42});  // slots freed above are reused
  EXPECT_EQ(q.front().tag, 42);
}

}  // namespace
}  // namespace nvmesim::device
