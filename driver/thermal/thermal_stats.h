// Text for `nvme-thermal-stats`: temperature now / min / max / trend, SMART
// thermal counters, threshold events, the forecaster's state and limit, the
// APST plan and the power recommendation. Any pointer may be null (section
// left out).
#pragma once

#include <cstdint>
#include <string>

#include "driver/thermal/apst_planner.h"
#include "driver/thermal/power_optimizer.h"
#include "driver/thermal/thermal_forecaster.h"
#include "driver/thermal/thermal_monitor.h"

namespace nvmesim::driver::thermal {

struct ThermalStatsView {
  const char* device = "nvme0";
  uint16_t wctemp = 0, cctemp = 0, tmt1 = 0, tmt2 = 0;
  const ThermalMonitor* monitor = nullptr;
  const ThermalForecaster* forecaster = nullptr;
  const ApstPlan* apst = nullptr;
  uint8_t npss = 0;
  const PowerRecommendation* power = nullptr;
  bool history = false;  // append the temperature curve (time s, kelvin)
};

std::string FormatThermalStats(const ThermalStatsView& view);

}  // namespace nvmesim::driver::thermal
