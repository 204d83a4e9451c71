#include "harness/report/trace_hasher.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

std::vector<spec::TraceEvent> Sample() {
  return {{1000, "driver.q1", "submit", 1, 7, 0},
          {2500, "link0.down", "tlp_mwr", 64, 0, 0},
          {9000, "ctrl0", "cqe_post", 1, 7, 0}};
}

class Collect : public spec::TraceSink {
 public:
  void Emit(const spec::TraceEvent& e) override { names.push_back(e.name); }
  std::vector<std::string> names;
};

TEST(TraceHasher, StableValueForAFixedLog) {
  TraceHasher h;
  EXPECT_EQ(TraceHasher::HashString(""), 0xCBF29CE484222325ULL);   // FNV-1a offset basis
  EXPECT_EQ(TraceHasher::HashString("a"), 0xAF63DC4C8601EC8CULL);  // FNV-1a 64 test vector
  uint64_t empty = h.Hash();
  for (const auto& e : Sample()) h.Emit(e);
  EXPECT_EQ(h.event_count(), 3u);
  EXPECT_NE(h.Hash(), empty);
  // The documented algorithm, pinned: a change here changes every recorded trace hash.
  EXPECT_EQ(h.HexHash(), "4589655ef42861a7");
}

TEST(TraceHasher, OrderAndEveryFieldMatter) {
  std::vector<spec::TraceEvent> base = Sample();
  TraceHasher ref;
  for (const auto& e : base) ref.Emit(e);
  auto hash_of = [](const std::vector<spec::TraceEvent>& events) {
    TraceHasher h;
    for (const auto& e : events) h.Emit(e);
    return h.Hash();
  };
  std::vector<spec::TraceEvent> swapped = base;
  std::swap(swapped[0], swapped[1]);
  EXPECT_NE(hash_of(swapped), ref.Hash());
  for (int field = 0; field < 6; ++field) {
    std::vector<spec::TraceEvent> m = base;
    switch (field) {
      case 0:
        m[1].time_ps += 1;
        break;
      case 1:
        m[1].source = "link0.up";
        break;
      case 2:
        m[1].name = "tlp_mrd";
        break;
      case 3:
        m[1].a += 1;
        break;
      case 4:
        m[1].b += 1;
        break;
      case 5:
        m[1].c += 1;
        break;
    }
    EXPECT_NE(hash_of(m), ref.Hash()) << field;
  }
  std::vector<spec::TraceEvent> shorter(base.begin(), base.end() - 1);
  EXPECT_NE(hash_of(shorter), ref.Hash());
}

TEST(TraceHasher, HashesContentNotPointers) {
  std::string source = "ctrl0", name = "cqe_post";
  std::string source2 = source, name2 = name;  // other buffers, same text
  ASSERT_NE(source.c_str(), source2.c_str());
  TraceHasher a, b;
  a.Emit({5, source.c_str(), name.c_str(), 1, 2, 3});
  b.Emit({5, source2.c_str(), name2.c_str(), 1, 2, 3});
  EXPECT_EQ(a.Hash(), b.Hash());
}

TEST(TraceHasher, KeepsTheLogAndForwards) {
  Collect next;
  TraceHasher h(/*keep_log=*/true);
  h.set_forward(&next);
  std::string transient = "driver.q1";
  h.Emit({1, transient.c_str(), "submit", 1, 2, 3});
  transient = "overwritten";
  ASSERT_EQ(h.log().size(), 1u);
  EXPECT_EQ(h.log()[0].source, "driver.q1");  // copied, not pointed at
  EXPECT_EQ(h.log()[0].c, 3u);
  EXPECT_EQ(next.names, std::vector<std::string>{"submit"});
  h.Reset();
  EXPECT_EQ(h.event_count(), 0u);
  EXPECT_TRUE(h.log().empty());
  EXPECT_EQ(h.Hash(), TraceHasher().Hash());
}

}  // namespace
}  // namespace nvmesim::harness
