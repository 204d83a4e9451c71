#include "driver/retry.h"

namespace nvmesim::driver {

const char* RetryDecisionName(RetryDecision d) {
  switch (d) {
    case RetryDecision::kComplete:
      return "complete";
    case RetryDecision::kRetry:
      return "retry";
    case RetryDecision::kPathError:
      return "path_error";
  }
  return "?";
}

RetryDecision DecideRetry(const spec::Status& status, uint32_t retries, uint32_t max_retries,
                          bool multipath_attached) {
  if (status.ok()) return RetryDecision::kComplete;
  if (status.dnr) return RetryDecision::kComplete;
  if (status.type == spec::StatusCodeType::kPathRelated && multipath_attached) {
    return RetryDecision::kPathError;
  }
  if (retries >= max_retries) return RetryDecision::kComplete;
  return RetryDecision::kRetry;
}

uint64_t RetryDelayNs(const spec::Status& status, const uint16_t crdt[3]) {
  if (status.crd == 0 || status.crd > 3) return 0;
  constexpr uint64_t kCrdtUnitNs = 100'000'000;  // 100 ms, Identify Controller, base 5.17 CRDT1
  return uint64_t{crdt[status.crd - 1]} * kCrdtUnitNs;
}

}  // namespace nvmesim::driver
