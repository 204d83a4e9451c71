// Checks a scenario's [[expect]] entries against what a run observed and says, for each, whether
// it held and - when not - why, in one line a person can act on. The runner collects the facts;
// this decides. Results feed FormatJUnit and the text summary.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/report/junit.h"
#include "harness/scenario/scenario_spec.h"
#include "harness/workload/completion_ledger.h"
#include "harness/workload/stamps.h"

namespace nvmesim::harness {

struct FaultOccurrence {
  std::optional<uint64_t> start_ps;  // unset: it never fired
  std::optional<uint64_t> end_ps;    // unset: no end, or it had not ended
};

struct RunFacts {
  // Job names by the index the runner used in CompletionLedger::Submit (usually the position in
  // ScenarioSpec::jobs).
  std::vector<std::string> job_names;
  const CompletionLedger* ledger = nullptr;
  // Verification failures, with the job index of the read that found them.
  std::vector<std::pair<uint32_t, StampMismatch>> mismatches;
  uint64_t verified_blocks = 0;
  std::map<std::string, double> counters;     // "ctrl0.driver.timeouts" -> 2
  std::map<std::string, std::string> states;  // "ctrl0" -> "ready"
  std::map<std::string, FaultOccurrence> faults;  // by fault name
  uint64_t end_ps = 0;       // simulated time the run stopped
  std::string stop_reason;   // "" when the workload finished; else "time_limit" ...
};

ExpectationResult EvaluateExpectation(const ExpectSpec& expect, const RunFacts& facts);
std::vector<ExpectationResult> EvaluateExpectations(const ScenarioSpec& scenario, const RunFacts& facts);
bool AllPassed(const std::vector<ExpectationResult>& results);

// One line per expectation: "PASS every request completed exactly once" /
// "FAIL recovered ... : recovery took 180 ms, bound 100 ms".
std::string FormatExpectationSummary(const std::vector<ExpectationResult>& results);

}  // namespace nvmesim::harness
