#include "harness/runner/expectations.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace nvmesim::harness {

namespace {

std::string Ms(uint64_t ps) {
  char b[64];
  std::snprintf(b, sizeof b, "%.3f ms", static_cast<double>(ps) / 1e9);
  return b;
}

bool JobSelected(const ExpectSpec& e, const JobRecord& j) {
  return e.job.empty() || e.job == j.name;
}

bool StatusMatches(const spec::Status& a, const spec::Status& b) { return a.Is(b); }

ExpectationResult Check(const ExpectSpec& e, const RunResult& run) {
  ExpectationResult r;
  r.name = e.name;
  r.kind = ExpectKindName(e.kind);
  r.time_seconds = static_cast<double>(run.simulated_ps) / 1e12;
  auto fail = [&](std::string reason, std::string details = "") {
    r.outcome = ExpectationOutcome::kFailed;
    r.reason = std::move(reason);
    r.details = std::move(details);
  };
  switch (e.kind) {
    case ExpectKind::kAllCompleted: {
      uint64_t submitted = 0, completed = 0, dups = 0;
      for (const JobRecord& j : run.jobs) {
        if (!JobSelected(e, j)) continue;
        submitted += j.submitted;
        completed += j.completed;
        dups += j.duplicate_callbacks;
        for (const auto& f : j.failures) {
          const bool allowed =
              std::any_of(e.allowed_statuses.begin(), e.allowed_statuses.end(),
                          [&](const spec::Status& s) { return StatusMatches(s, f.status); });
          if (!allowed) {
            fail("job " + j.name + ": a request failed with " + f.status.ToString() +
                     ", which the expectation does not allow",
                 "LBA " + std::to_string(f.lba) + " +" + std::to_string(f.nlb) + " at " +
                     Ms(f.time_ns * 1000));
            return r;
          }
        }
      }
      if (dups != 0) {
        fail(std::to_string(dups) + " request(s) completed more than once");
      } else if (completed != submitted) {
        fail(std::to_string(submitted - completed) + " of " + std::to_string(submitted) +
             " request(s) never completed");
      } else if (submitted == 0) {
        fail("no request was submitted");
      }
      return r;
    }
    case ExpectKind::kNoCorruption: {
      for (const JobRecord& j : run.jobs) {
        if (!JobSelected(e, j) || j.mismatch_count == 0) continue;
        std::string details;
        for (const auto& m : j.mismatches) details += m.ToString() + "\n";
        fail("job " + j.name + ": " + std::to_string(j.mismatch_count) +
                 " verified read(s) did not match: " +
                 (j.mismatches.empty() ? "" : j.mismatches.front().ToString()),
             details);
        return r;
      }
      return r;
    }
    case ExpectKind::kRecovery: {
      const FaultRecord* f = nullptr;
      for (const FaultRecord& fr : run.faults) {
        if (fr.name == e.fault) f = &fr;
      }
      if (f == nullptr) {
        fail("fault `" + e.fault + "` is not in the scenario");
      } else if (!f->applied) {
        fail("fault `" + e.fault + "` was never applied" +
             (f->error.empty() ? "" : ": " + f->error));
      } else if (!f->recovered) {
        fail("I/O never completed successfully again after fault `" + e.fault + "`");
      } else if (f->drained_ps - f->start_ps > e.within_ps) {
        fail("recovery from `" + e.fault + "` took " + Ms(f->drained_ps - f->start_ps) +
             ", bound " + Ms(e.within_ps));
      } else {
        r.details = "recovered in " + Ms(f->drained_ps - f->start_ps) + " (" +
                    std::to_string(f->caught_requests) + " request(s) caught by the fault)";
      }
      return r;
    }
    case ExpectKind::kCounter: {
      auto it = run.counters.find(e.check.counter);
      if (it == run.counters.end()) {
        fail("unknown counter `" + e.check.counter + "`");
      } else if (!e.check.Holds(it->second)) {
        char b[64];
        std::snprintf(b, sizeof b, "%.6g", it->second);
        fail("`" + e.check.text + "` does not hold: " + e.check.counter + " is " + b);
      }
      return r;
    }
    case ExpectKind::kState: {
      auto it = run.states.find(e.object);
      if (it == run.states.end()) {
        fail("unknown object `" + e.object + "`");
      } else if (it->second != e.state) {
        fail(e.object + " is " + it->second + ", expected " + e.state);
      }
      return r;
    }
    case ExpectKind::kStatusSeen:
    case ExpectKind::kStatusNotSeen: {
      uint64_t seen = 0, outside = 0;
      for (const JobRecord& j : run.jobs) {
        if (!JobSelected(e, j)) continue;
        for (const auto& f : j.failures) {
          if (!StatusMatches(f.status, e.status)) continue;
          const bool in_range = !e.lba || (f.lba < *e.lba + e.lba_count && *e.lba < f.lba + f.nlb);
          if (in_range)
            ++seen;
          else
            ++outside;
        }
      }
      if (e.kind == ExpectKind::kStatusNotSeen) {
        if (seen + outside != 0)
          fail(e.status.ToString() + " was returned " + std::to_string(seen + outside) +
               " time(s)");
      } else if (seen < e.min_count) {
        fail(e.status.ToString() + " was returned " + std::to_string(seen) +
             " time(s) in range, expected at least " + std::to_string(e.min_count));
      } else if (e.only_in_range && outside != 0) {
        fail(e.status.ToString() + " was also returned " + std::to_string(outside) +
             " time(s) for commands outside the range");
      }
      return r;
    }
  }
  fail("unknown expectation kind");
  return r;
}

}  // namespace

std::vector<ExpectationResult> EvaluateExpectations(const ScenarioSpec& scenario,
                                                    const RunResult& run) {
  std::vector<ExpectationResult> out;
  for (const ExpectSpec& e : scenario.expectations) out.push_back(Check(e, run));
  return out;
}

}  // namespace nvmesim::harness
