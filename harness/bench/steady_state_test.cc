#include "harness/bench/steady_state.h"

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

TEST(SteadyStateTest, AFlatWindowIsSteady) {
  const SteadyStateCheck c = CheckSteadyState({900, 500, 100, 100, 100, 100, 100});
  EXPECT_TRUE(c.reached);
  EXPECT_EQ(c.first_round, 2u);
  EXPECT_DOUBLE_EQ(c.average, 100);
  EXPECT_DOUBLE_EQ(c.range, 0);
  EXPECT_DOUBLE_EQ(c.slope, 0);
}

TEST(SteadyStateTest, TooFewRoundsIsNotSteady) {
  EXPECT_FALSE(CheckSteadyState({100, 100, 100, 100}).reached);
}

TEST(SteadyStateTest, ARangeAboveTwentyPercentIsNotSteady) {
  // Average 100, range 22 (> 20 %), no trend: 89 111 100 111 89 -> slope 0.
  const SteadyStateCheck c = CheckSteadyState({89, 111, 100, 111, 89});
  EXPECT_DOUBLE_EQ(c.slope, 0);
  EXPECT_NEAR(c.range_fraction, 0.22, 1e-12);
  EXPECT_FALSE(c.reached);
  // Range 18 %: steady.
  EXPECT_TRUE(CheckSteadyState({91, 109, 100, 109, 91}).reached);
}

TEST(SteadyStateTest, ASlopeExcursionAboveTenPercentIsNotSteady) {
  // 94 97 100 103 106: range 12 % (fine), slope 3 per round, excursion 12 % (> 10 %).
  const SteadyStateCheck c = CheckSteadyState({94, 97, 100, 103, 106});
  EXPECT_DOUBLE_EQ(c.slope, 3);
  EXPECT_DOUBLE_EQ(c.slope_excursion, 12);
  EXPECT_FALSE(c.reached);
  // Slope 2 per round: excursion 8 %, range 8 %: steady.
  EXPECT_TRUE(CheckSteadyState({96, 98, 100, 102, 104}).reached);
}

TEST(SteadyStateTest, TheWindowSizeIsHonoured) {
  SteadyStateCriteria three;
  three.window = 3;
  EXPECT_TRUE(CheckSteadyState({10, 50, 100, 100, 100}, three).reached);
  EXPECT_FALSE(CheckSteadyState({10, 50, 100, 100, 100}).reached);
}

}  // namespace
}  // namespace nvmesim::harness
