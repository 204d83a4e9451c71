// JUnit XML for CI: one <testcase> per scenario expectation; a failed one carries which
// expectation failed and why in its <failure> message.
#pragma once

#include <string>
#include <vector>

namespace nvmesim::harness {

enum class ExpectationOutcome { kPassed, kFailed, kSkipped, kError };

struct ExpectationResult {
  std::string name;  // the expectation's name ("every request completed exactly once")
  std::string kind;  // "all_completed", "recovery" ...
  ExpectationOutcome outcome = ExpectationOutcome::kPassed;
  std::string reason;       // one line: why it failed ("recovery took 180 ms, bound 100 ms")
  std::string details;      // more lines (first mismatching LBA, counters ...)
  double time_seconds = 0;  // simulated time it was decided at
};

// <testsuites><testsuite name=scenario ...><testcase .../>...</testsuite></testsuites>.
// `properties` (seed, fidelity, trace hash) are written as <property> elements.
std::string FormatJUnit(const std::string& scenario, const std::vector<ExpectationResult>& results,
                        const std::vector<std::pair<std::string, std::string>>& properties = {},
                        double total_seconds = 0);

// XML text/attribute escaping (& < > " ' and control characters).
std::string XmlEscape(const std::string& text);

}  // namespace nvmesim::harness
