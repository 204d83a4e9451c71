// Retry rules for a failed command (base 2.0 4.2.3: DNR; 9.x error recovery;
// Command Retry Delay via CRD and Identify CRDT1-3, Identify Controller, base 5.17).
#pragma once

#include <cstdint>

#include "spec/status.h"

namespace nvmesim::driver {

enum class RetryDecision : uint8_t {
  kComplete,   // success, or a failure that is final
  kRetry,      // resubmit on this controller (after RetryDelayNs)
  kPathError,  // path-related status (SCT 3h): hand to the multipath layer
};
const char* RetryDecisionName(RetryDecision d);

// Success completes. DNR completes (the controller says the same command
// would fail again). A command already retried `max_retries` times completes.
// Path-related status goes to the multipath layer when one is attached.
// Anything else is retried.
RetryDecision DecideRetry(const spec::Status& status, uint32_t retries, uint32_t max_retries,
                          bool multipath_attached);

// CRD selects CRDT1..3 (units of 100 ms, Identify Controller, base 5.17); 0 = no delay.
uint64_t RetryDelayNs(const spec::Status& status, const uint16_t crdt[3]);

}  // namespace nvmesim::driver
