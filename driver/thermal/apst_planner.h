// advanced_power_management: the Autonomous Power State Transition table the
// driver programs with Set Features 0Ch (Base 2.0 §5.27.1, FID 0Ch; one
// 8-byte entry per power state: ITPS bits 7:3, ITPT bits 31:8 in ms), built
// from the Identify Controller power state descriptors and a latency
// tolerance, the way Linux's nvme_configure_apst does it:
//
//  * walk the states from the deepest (NPSS) to PS0; every state's entry
//    points at the deepest usable non-operational state below it found so
//    far (deeper states have larger numbers);
//  * a non-operational state is usable when its exit latency is within the
//    tolerance;
//  * the idle time before entering it is 50 x (ENLAT + EXLAT), in ms rounded
//    up, capped at the 24-bit ITPT field - or, in timeout mode, a primary
//    timeout for states whose total latency is within a primary tolerance and
//    a secondary timeout within a secondary tolerance (others unused);
//  * APST is enabled when at least one usable state exists and APSTA bit 0 is set.
#pragma once

#include <cstdint>
#include <string>

#include "spec/features.h"
#include "spec/identify_controller.h"

namespace nvmesim::driver::thermal {

struct ApstPolicy {
  uint64_t max_latency_us = 100000;  // tolerance for a state's exit latency
  bool use_timeouts = false;         // false: 50 x total latency
  uint32_t primary_timeout_ms = 100;
  uint32_t primary_latency_tolerance_us = 15000;
  uint32_t secondary_timeout_ms = 2000;
  uint32_t secondary_latency_tolerance_us = 100000;
};

struct ApstPlan {
  bool supported = false;  // APSTA bit 0
  bool enable = false;     // APSTE to program
  spec::ApstData table{};
  int deepest_state = -1;             // deepest state any entry targets, -1 when none
  uint64_t max_total_latency_us = 0;  // worst ENLAT + EXLAT among targets
  // Set Features 0Ch CDW11 (bit 0 APSTE).
  uint32_t cdw11() const { return enable ? spec::kApstEnable : 0u; }
};

// psd[0..npss]; `apsta` from Identify Controller byte 265.
ApstPlan BuildApstPlan(const spec::PowerStateDescriptor* psd, uint8_t npss, uint8_t apsta,
                       const ApstPolicy& policy);
// "PS0 -> PS3 after 71 ms" per line, or "APST off (...)".
std::string DescribeApstPlan(const ApstPlan& plan, uint8_t npss);

}  // namespace nvmesim::driver::thermal
