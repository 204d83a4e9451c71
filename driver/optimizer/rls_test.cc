#include "driver/optimizer/rls.h"

#include <gtest/gtest.h>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "driver/optimizer/stats.h"

namespace nvmesim::driver::optimizer {
namespace {

TEST(Rls, ConvergesToAKnownLinearModel) {
  boost::random::mt19937 gen(42);
  boost::random::uniform_real_distribution<double> u(-5.0, 5.0);
  boost::random::normal_distribution<double> noise(0.0, 0.1);
  Rls<4> rls(1.0);  // no forgetting: ordinary least squares
  const Rls<4>::Vector truth = {3.0, -1.5, 0.25, 7.0};
  for (int i = 0; i < 2000; ++i) {
    const Rls<4>::Vector x = {1.0, u(gen), u(gen), u(gen)};
    double y = noise(gen);
    for (int k = 0; k < 4; ++k) y += truth[k] * x[k];
    rls.Update(x, y);
  }
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(rls.theta()[k], truth[k], 0.01) << k;
  EXPECT_EQ(rls.updates(), 2000u);
  EXPECT_NEAR(rls.Predict({1, 1, 1, 1}), 3.0 - 1.5 + 0.25 + 7.0, 0.02);
}

TEST(Rls, ForgettingTracksAChangedPlant) {
  boost::random::mt19937 gen(7);
  boost::random::uniform_real_distribution<double> u(0.0, 10.0);
  Rls<2> rls(0.98);
  for (int i = 0; i < 500; ++i) {
    const double x = u(gen);
    rls.Update({1.0, x}, 2.0 + 3.0 * x);
  }
  EXPECT_NEAR(rls.theta()[1], 3.0, 1e-6);
  for (int i = 0; i < 500; ++i) {  // the plant changes
    const double x = u(gen);
    rls.Update({1.0, x}, -1.0 + 0.5 * x);
  }
  EXPECT_NEAR(rls.theta()[0], -1.0, 1e-3);
  EXPECT_NEAR(rls.theta()[1], 0.5, 1e-3);
}

TEST(Rls, UnexcitedDirectionsStayBounded) {
  Rls<3> rls(0.9, 1e3, 1e6);
  for (int i = 0; i < 10000; ++i) rls.Update({1.0, 0.0, 0.0}, 5.0);  // only the intercept moves
  double trace = 0;
  for (size_t i = 0; i < 3; ++i) trace += rls.p(i, i);
  EXPECT_LE(trace, 1e6 * 1.0001);
  EXPECT_NEAR(rls.theta()[0], 5.0, 1e-9);
}

TEST(Stats, EwmaAndQuantile) {
  Ewma e(0.1);
  for (int i = 0; i < 1000; ++i) e.Add(i % 2 ? 12.0 : 8.0);
  EXPECT_NEAR(e.mean(), 10.0, 0.3);
  EXPECT_NEAR(e.stddev(), 2.0, 0.3);
  boost::random::mt19937 gen(1);
  boost::random::uniform_real_distribution<double> u(0.0, 100.0);
  StreamingQuantile q(0.99, 0.02);
  for (int i = 0; i < 200000; ++i) q.Add(u(gen));
  EXPECT_NEAR(q.value(), 99.0, 1.0);
}

}  // namespace
}  // namespace nvmesim::driver::optimizer
