#include "driver/optimizer/predictive_maintenance.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace nvmesim::driver::optimizer {
namespace {

// A healthy drive: 1 % wear per 30 days from `used0`, spare steady at 100,
// a media error now and then, temperatures 305-335 K.
HealthSample Healthy(double hours, double used0, boost::random::mt19937& gen, uint64_t* errors) {
  boost::random::uniform_int_distribution<int> err(0, 199), temp(305, 335);
  HealthSample s;
  s.hours = hours;
  s.percentage_used = static_cast<uint8_t>(std::floor(used0 + hours / 720.0));
  s.available_spare = 100;
  if (err(gen) == 0) ++*errors;
  s.media_errors = *errors;
  s.kelvin = static_cast<uint16_t>(temp(gen));
  return s;
}

TEST(PredictiveMaintenance, NeverWarnsOnHealthyTraces) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    boost::random::mt19937 gen(seed);
    uint64_t errors = 0;
    PredictiveMaintenance pm(MaintenanceConfig{.warn_margin_hours = 24});
    const double used0 = seed * 3.0;  // 3 % .. 60 % used
    for (int h = 0; h < 3000; ++h) pm.AddSample(Healthy(h, used0, gen, &errors));
    EXPECT_EQ(pm.warnings(), 0u) << "seed " << seed << ": " << pm.assessment().reason;
    EXPECT_LT(pm.assessment().failure_probability, 0.01) << "seed " << seed;
  }
}

TEST(PredictiveMaintenance, WarnsAMarginBeforeALinearSpareCollapse) {
  for (double margin : {12.0, 24.0, 48.0}) {
    boost::random::mt19937 gen(5);
    uint64_t errors = 0;
    PredictiveMaintenance pm(MaintenanceConfig{.warn_margin_hours = margin});
    // Healthy for 500 h, then spare falls from 100 to the threshold (10) by
    // hour 600: the injected wear-out.
    const double fail_at = 600;
    double failed_at = -1;
    for (int h = 0; h < 700; ++h) {
      HealthSample s = Healthy(h, 20, gen, &errors);
      if (h > 500)
        s.available_spare = static_cast<uint8_t>(std::max(10.0, std::ceil(100 - 0.9 * (h - 500))));
      if (s.available_spare <= s.spare_threshold) {
        s.critical_warning = 1;  // spare below threshold
        if (failed_at < 0) failed_at = h;
      }
      pm.AddSample(s);
      if (h < 500) {
        ASSERT_EQ(pm.warnings(), 0u) << "false warning at " << h;
      }
    }
    ASSERT_EQ(failed_at, fail_at);
    ASSERT_GE(pm.first_warning_hours(), 500.0);
    EXPECT_LE(pm.first_warning_hours(), fail_at - margin) << "margin " << margin;
    EXPECT_STREQ(pm.assessment().limiting, "critical warning");
  }
}

TEST(PredictiveMaintenance, WarnsBeforeAnAcceleratingWearOut) {
  PredictiveMaintenance pm(MaintenanceConfig{.warn_margin_hours = 24});
  // Percentage used climbs ever faster from 80 % at hour 1000 to 100 % at 1200.
  double warned = -1, failed = -1;
  for (int h = 0; h < 1300; ++h) {
    HealthSample s;
    s.hours = h;
    const double x = std::max(0.0, (h - 1000) / 200.0);
    s.percentage_used =
        static_cast<uint8_t>(std::min(255.0, std::floor(60 + h / 50.0 + 20 * x * x)));
    if (s.percentage_used >= 100 && failed < 0) failed = h;
    pm.AddSample(s);
    if (pm.assessment().warning && warned < 0) warned = h;
  }
  ASSERT_GT(failed, 0);
  ASSERT_GT(warned, 0);
  EXPECT_LE(warned, failed - 24);
  EXPECT_GE(warned, 1000);
}

TEST(PredictiveMaintenance, MediaErrorBurstAndTemperatureAcceleration) {
  PredictiveMaintenance pm(MaintenanceConfig{.warn_margin_hours = 24});
  uint64_t errors = 0;
  for (int h = 0; h < 100; ++h) {
    HealthSample s;
    s.hours = h;
    s.percentage_used = 10;
    if (h >= 60) errors += 20;  // 20 errors per hour: failing medium
    s.media_errors = errors;
    pm.AddSample(s);
  }
  EXPECT_TRUE(pm.assessment().warning);
  EXPECT_STREQ(pm.assessment().limiting, "media errors");
  // Same wear trend, hot vs cool: hot wears faster, so less life remains.
  auto life = [](uint16_t kelvin) {
    PredictiveMaintenance p;
    for (int h = 0; h < 48; ++h) {
      HealthSample s;
      s.hours = h;
      s.percentage_used = static_cast<uint8_t>(50 + h / 4);
      s.kelvin = kelvin;
      p.AddSample(s);
    }
    return p.assessment().remaining_life_hours;
  };
  EXPECT_NEAR(life(320) / life(350), 2.0, 0.01);
  const std::string text = FormatMaintenance(pm.assessment(), pm.config());
  EXPECT_NE(text.find("warning: YES"), std::string::npos) << text;
  EXPECT_NE(text.find("h (+/- "), std::string::npos) << text;
  EXPECT_NE(text.find("limited by media errors)"), std::string::npos) << text;
}

TEST(PredictiveMaintenance, ReportWithoutATrendSaysSoWithoutHours) {
  PredictiveMaintenance pm;
  HealthSample s;
  s.kelvin = 308;
  pm.AddSample(s);
  const std::string text = FormatMaintenance(pm.assessment(), pm.config());
  EXPECT_NE(text.find("remaining life: no end in sight (no trend towards a limit)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("sight h"), std::string::npos) << text;
  EXPECT_NE(text.find("warning: no"), std::string::npos) << text;
}

}  // namespace
}  // namespace nvmesim::driver::optimizer
