#include "driver/optimizer/steering.h"

#include <gtest/gtest.h>

namespace nvmesim::driver::optimizer {
namespace {

TEST(IoSteering, PrefersTheEarliestExpectedCompletion) {
  IoSteering s(3, 100);
  Candidate c[3];
  c[0].outstanding = 8;
  c[1].outstanding = 2;
  c[2].outstanding = 2;
  EXPECT_EQ(s.Choose(c, 3), 1u);                   // tie between 1 and 2: lowest index
  for (int i = 0; i < 50; ++i) s.Observe(1, 300);  // queue 1 turns slow
  EXPECT_EQ(s.Choose(c, 3), 2u);
  c[2].usable = false;
  EXPECT_EQ(s.Choose(c, 3), 0u);  // 9 x 100 < 3 x 300
  c[0].usable = c[1].usable = false;
  EXPECT_EQ(s.Choose(c, 3), IoSteering::kNone);
}

TEST(IoSteering, NonOptimizedPathOnlyWhenTheOptimizedOneIsBusy) {
  IoSteering s(2, 50);
  Candidate paths[2];
  paths[0].parallelism = paths[1].parallelism = 16;
  paths[1].penalty_us = 200;  // ANA non-optimized
  paths[0].outstanding = 10;
  EXPECT_EQ(s.Choose(paths, 2), 0u);
  paths[0].outstanding = 100;  // 101 x 50 / 16 = 315 > 50/16 + 200
  EXPECT_EQ(s.Choose(paths, 2), 1u);
}

}  // namespace
}  // namespace nvmesim::driver::optimizer
