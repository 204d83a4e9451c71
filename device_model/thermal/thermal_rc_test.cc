#include "device_model/thermal/thermal_rc.h"

#include <cmath>

#include <gtest/gtest.h>

namespace nvmesim::device::thermal {
namespace {

TEST(ThermalRc, StepMatchesClosedForm) {
  const ThermalRc rc(300.0, 4.0, 10.0);  // tau = 40 s
  const double p = 5.0;                  // steady state 320 K
  for (double t : {0.5, 10.0, 40.0, 200.0}) {
    const double expect = 300.0 + p * 4.0 * (1 - std::exp(-t / 40.0));
    EXPECT_NEAR(rc.Step(300.0, p, t), expect, 1e-9) << t;
  }
  EXPECT_NEAR(rc.SteadyState(p), 320.0, 1e-12);
  // After one time constant the gap has shrunk to 1/e.
  EXPECT_NEAR(rc.Step(330.0, 0.0, 40.0) - 300.0, 30.0 / std::exp(1.0), 1e-9);
}

TEST(ThermalRc, ResultDoesNotDependOnStepSize) {
  const ThermalRc rc(308.0, 6.0, 5.0);
  double one = rc.Step(308.0, 6.5, 100.0);
  double many = 308.0;
  for (int i = 0; i < 100000; ++i) many = rc.Step(many, 6.5, 0.001);
  EXPECT_NEAR(one, many, 1e-8);
  double uneven = 308.0;
  for (double dt : {0.3, 7.0, 0.0001, 50.0, 42.6999}) uneven = rc.Step(uneven, 6.5, dt);
  EXPECT_NEAR(rc.Step(308.0, 6.5, 0.3 + 7.0 + 0.0001 + 50.0 + 42.6999), uneven, 1e-9);
}

TEST(ThermalRc, TimeToReachInvertsStep) {
  const ThermalRc rc(308.0, 6.0, 5.0);
  const double t = rc.TimeToReach(308.0, 7.0, 340.0);  // steady 350
  ASSERT_TRUE(std::isfinite(t));
  EXPECT_NEAR(rc.Step(308.0, 7.0, t), 340.0, 1e-9);
  EXPECT_EQ(rc.TimeToReach(308.0, 3.0, 340.0), ThermalRc::kNever);  // steady 326 < 340
  const double down = rc.TimeToReach(345.0, 1.0, 320.0);            // steady 314
  EXPECT_NEAR(rc.Step(345.0, 1.0, down), 320.0, 1e-9);
  EXPECT_EQ(rc.TimeToReach(345.0, 3.0, 320.0), ThermalRc::kNever);  // steady 326 > 320
}

TEST(ThermalRc, PowerToReach) {
  const ThermalRc rc(308.0, 6.0, 5.0);
  const double p = rc.PowerToReach(320.0, 335.0, 12.0);
  EXPECT_NEAR(rc.Step(320.0, p, 12.0), 335.0, 1e-9);
}

}  // namespace
}  // namespace nvmesim::device::thermal
