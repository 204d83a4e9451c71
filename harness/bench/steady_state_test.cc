#include "harness/bench/steady_state.h"

#include <gtest/gtest.h>

#include <vector>

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

// The SNIA PTS steady-state criterion over the last five rounds.
TEST(SteadyStateTest, RangeAndDriftOfTheLastRounds) {
  auto steady = [](std::vector<double> v, SteadyStateCriteria c = {}) {
    return CheckSteadyState(v, c).reached;
  };
  EXPECT_FALSE(steady({100, 100, 100, 100}));  // shorter than the window
  EXPECT_TRUE(steady({100, 100, 100, 100, 100}));
  EXPECT_FALSE(steady({0, 0, 0, 0, 0}));
  // Only the last five count: an early transient does not matter.
  EXPECT_TRUE(steady({300, 200, 100, 95, 105, 100, 98}));
  // Range: 21 % of the average fails, 19 % holds (no trend in either).
  EXPECT_FALSE(steady({100, 89.5, 110.5, 100, 100}));
  EXPECT_TRUE(steady({100, 90.5, 109.5, 100, 100}));
  // Drift: a line rising 2.6 % of the average per round stays within the
  // range limit (10.4 %) but its excursion over four rounds (10.4 %) fails;
  // 2.4 % per round holds.
  EXPECT_FALSE(steady({94.8, 97.4, 100, 102.6, 105.2}));
  EXPECT_TRUE(steady({95.2, 97.6, 100, 102.4, 104.8}));
  // Other criteria.
  EXPECT_TRUE(steady({94.8, 97.4, 100, 102.6, 105.2}, SteadyStateCriteria{5, 0.2, 0.15}));
  EXPECT_FALSE(steady({100, 100, 100, 130}, SteadyStateCriteria{3, 0.2, 0.1}));
  EXPECT_TRUE(steady({130, 100, 100, 100}, SteadyStateCriteria{3, 0.2, 0.1}));
}

}  // namespace
}  // namespace nvmesim::harness
