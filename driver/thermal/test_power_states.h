// A client-drive power state table for tests: PS0-PS2 operational (8.00,
// 6.00, 4.50 W), PS3 non-operational 0.07 W (ENLAT 210 us, EXLAT 1200 us),
// PS4 non-operational 0.005 W (ENLAT 2000 us, EXLAT 8000 us).
#pragma once

#include <array>

#include "spec/identify_controller.h"

namespace nvmesim::driver::thermal::testing {

inline std::array<spec::PowerStateDescriptor, 5> ClientPowerStates() {
  std::array<spec::PowerStateDescriptor, 5> t{};
  const uint16_t mp[3] = {800, 600, 450};
  for (int i = 0; i < 3; ++i) {
    t[i].mp = mp[i];
    t[i].idlp = 100;
    t[i].ips = 2u << 6;
  }
  t[3].mp = 700;
  t[3].flags = spec::kPsdFlagMxps | spec::kPsdFlagNops;
  t[3].enlat = 210;
  t[3].exlat = 1200;
  t[3].idlp = 700;
  t[3].ips = 1u << 6;
  t[4].mp = 50;
  t[4].flags = spec::kPsdFlagMxps | spec::kPsdFlagNops;
  t[4].enlat = 2000;
  t[4].exlat = 8000;
  t[4].idlp = 50;
  t[4].ips = 1u << 6;
  return t;
}

}  // namespace nvmesim::driver::thermal::testing
