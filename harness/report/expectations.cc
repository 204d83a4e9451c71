#include "harness/report/expectations.h"

#include <cstdio>

#include "harness/scenario/units.h"

namespace nvmesim::harness {
namespace {

std::optional<uint32_t> JobIndex(const RunFacts& f, const std::string& name) {
  for (size_t i = 0; i < f.job_names.size(); ++i) {
    if (f.job_names[i] == name) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

std::string JobName(const RunFacts& f, uint32_t index) {
  return index < f.job_names.size() ? f.job_names[index] : "job#" + std::to_string(index);
}

std::string Describe(const RunFacts& f, const RequestRecord& r) {
  std::string out = "request " + std::to_string(r.id) + " (job " + JobName(f, r.job) + ", " + IoOpName(r.op) +
                    " LBA " + std::to_string(r.lba) + "+" + std::to_string(r.nlb) + ", submitted at " +
                    FormatDuration(r.submit_ps);
  if (r.completions > 0) out += ", completed at " + FormatDuration(r.complete_ps) + " with " + r.status.ToString();
  return out + ")";
}

std::string Number(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

void Fail(ExpectationResult& r, std::string reason, std::string details = "") {
  r.outcome = ExpectationOutcome::kFailed;
  r.reason = std::move(reason);
  r.details = std::move(details);
}

void AllCompleted(const ExpectSpec& x, const RunFacts& f, ExpectationResult& r) {
  std::optional<uint32_t> job = x.job.empty() ? std::nullopt : JobIndex(f, x.job);
  if (!x.job.empty() && !job) return Fail(r, "no job named '" + x.job + "' ran");
  uint64_t never = 0, twice = 0, bad = 0, total = 0;
  const RequestRecord *first_never = nullptr, *first_twice = nullptr, *first_bad = nullptr;
  std::map<std::string, uint64_t> bad_statuses;
  for (const RequestRecord& q : f.ledger->records()) {
    if (job && q.job != *job) continue;
    ++total;
    if (q.completions == 0) {
      if (never++ == 0) first_never = &q;
      continue;
    }
    if (q.completions > 1 && twice++ == 0) first_twice = &q;
    if (!q.status.ok()) {
      bool allowed = false;
      for (const spec::Status& s : x.allowed_statuses) allowed = allowed || q.status.Is(s);
      if (!allowed) {
        ++bad_statuses[q.status.WithDnr(false).ToString()];
        if (bad++ == 0) first_bad = &q;
      }
    }
  }
  std::vector<std::string> problems;
  std::string details;
  if (never) {
    problems.push_back(std::to_string(never) + " of " + std::to_string(total) + " requests never completed");
    details += "first never completed: " + Describe(f, *first_never) + "\n";
  }
  if (twice) {
    problems.push_back(std::to_string(twice) + " completed more than once");
    details += "first completed twice: " + Describe(f, *first_twice) + "\n";
  }
  if (job == std::nullopt && f.ledger->unknown_completions() > 0) {
    problems.push_back(std::to_string(f.ledger->unknown_completions()) + " completions for requests never submitted");
  }
  if (bad) {
    std::string list;
    for (const auto& [s, n] : bad_statuses) list += (list.empty() ? "" : ", ") + s + " x" + std::to_string(n);
    problems.push_back(std::to_string(bad) + " failed with a status not allowed (" + list + ")");
    details += "first failure: " + Describe(f, *first_bad) + "\n";
  }
  if (problems.empty()) return;
  std::string reason;
  for (const std::string& p : problems) reason += (reason.empty() ? "" : "; ") + p;
  if (!f.stop_reason.empty()) reason += " (run stopped: " + f.stop_reason + ")";
  Fail(r, reason, details);
}

void NoCorruption(const ExpectSpec& x, const RunFacts& f, ExpectationResult& r) {
  std::optional<uint32_t> job = x.job.empty() ? std::nullopt : JobIndex(f, x.job);
  uint64_t n = 0;
  const StampMismatch* first = nullptr;
  for (const auto& [j, m] : f.mismatches) {
    if (job && j != *job) continue;
    if (n++ == 0) first = &m;
  }
  if (n == 0) {
    if (f.verified_blocks == 0) r.details = "note: no block was verified";
    return;
  }
  Fail(r, std::to_string(n) + " block(s) failed verification; first: " + first->ToString(),
       "verified blocks: " + std::to_string(f.verified_blocks));
}

void Recovery(const ExpectSpec& x, const RunFacts& f, ExpectationResult& r) {
  auto it = f.faults.find(x.fault);
  if (it == f.faults.end() || !it->second.start_ps) {
    return Fail(r, "fault '" + x.fault + "' never fired, so there was nothing to recover from");
  }
  uint64_t start = *it->second.start_ps;
  uint64_t ref = it->second.end_ps.value_or(start);
  std::optional<uint64_t> drained = f.ledger->DrainedAfter(start, ref);
  std::string when = "fault at " + FormatDuration(start) +
                     (it->second.end_ps ? ", ended at " + FormatDuration(ref) : std::string());
  if (!drained) {
    return Fail(r, "requests in flight when the fault hit never completed (" + when + ", run ended at " +
                       FormatDuration(f.end_ps) + ")");
  }
  std::optional<uint64_t> success = f.ledger->FirstSuccessAfter(ref);
  if (!success) return Fail(r, "no request completed successfully after the fault (" + when + ")");
  uint64_t done = std::max(*drained, *success);
  uint64_t took = done - start;  // measured from the fault's start, as the runner does
  r.details = when + "; recovered at " + FormatDuration(done);
  if (took > x.within_ps) {
    Fail(r, "recovery took " + FormatDuration(took) + ", bound " + FormatDuration(x.within_ps), r.details);
  }
}

void Counter(const ExpectSpec& x, const RunFacts& f, ExpectationResult& r) {
  auto it = f.counters.find(x.check.counter);
  if (it == f.counters.end()) {
    std::string known;
    size_t shown = 0;
    for (const auto& [k, v] : f.counters) {
      if (shown++ == 12) {
        known += ", ...";
        break;
      }
      known += (known.empty() ? "" : ", ") + k;
    }
    return Fail(r, "unknown counter '" + x.check.counter + "' (known: " + (known.empty() ? "none" : known) + ")");
  }
  if (!x.check.Holds(it->second)) {
    Fail(r, x.check.counter + " = " + Number(it->second) + ", expected " + CompareOpText(x.check.op) + " " +
                Number(x.check.value));
  }
}

void State(const ExpectSpec& x, const RunFacts& f, ExpectationResult& r) {
  auto it = f.states.find(x.object);
  if (it == f.states.end()) return Fail(r, "no state known for '" + x.object + "'");
  if (it->second != x.state) Fail(r, x.object + " is " + it->second + ", expected " + x.state);
}

void StatusSeen(const ExpectSpec& x, const RunFacts& f, ExpectationResult& r) {
  std::optional<uint32_t> job = x.job.empty() ? std::nullopt : JobIndex(f, x.job);
  if (!x.job.empty() && !job) return Fail(r, "no job named '" + x.job + "' ran");
  std::optional<CompletionLedger::Range> range;
  if (x.lba) range = CompletionLedger::Range{*x.lba, x.lba_count};
  uint64_t n = f.ledger->CountStatus(x.status, job, range);
  std::string what = x.status.WithDnr(false).ToString();
  std::string where = range ? " for LBAs " + std::to_string(*x.lba) + "+" + std::to_string(x.lba_count) : "";
  if (x.kind == ExpectKind::kStatusNotSeen) {
    if (n > 0) {
      for (const RequestRecord& q : f.ledger->records()) {
        if (q.completions > 0 && q.status.Is(x.status) && (!job || q.job == *job)) {
          return Fail(r, what + " seen " + std::to_string(n) + " time(s); first: " + Describe(f, q));
        }
      }
    }
    return;
  }
  if (n < x.min_count) {
    return Fail(r, what + " seen " + std::to_string(n) + " time(s)" + where + ", expected at least " +
                       std::to_string(x.min_count));
  }
  if (x.only_in_range && range) {
    uint64_t outside = f.ledger->CountStatus(x.status, job, range, /*outside=*/true);
    if (outside > 0) {
      for (const RequestRecord& q : f.ledger->records()) {
        if (q.completions == 0 || !q.status.Is(x.status) || (job && q.job != *job)) continue;
        uint64_t end = q.lba + std::max<uint64_t>(q.nlb, 1);
        if (q.lba < range->lba + range->count && range->lba < end) continue;
        return Fail(r, what + " also seen " + std::to_string(outside) + " time(s) outside LBAs " +
                           std::to_string(*x.lba) + "+" + std::to_string(x.lba_count) + "; first: " + Describe(f, q));
      }
    }
  }
}

}  // namespace

ExpectationResult EvaluateExpectation(const ExpectSpec& x, const RunFacts& f) {
  ExpectationResult r;
  r.name = x.name;
  r.kind = ExpectKindName(x.kind);
  r.time_seconds = static_cast<double>(f.end_ps) / 1e12;
  bool needs_ledger = x.kind == ExpectKind::kAllCompleted || x.kind == ExpectKind::kRecovery ||
                      x.kind == ExpectKind::kStatusSeen || x.kind == ExpectKind::kStatusNotSeen;
  if (needs_ledger && f.ledger == nullptr) {
    r.outcome = ExpectationOutcome::kError;
    r.reason = "the run recorded no requests";
    return r;
  }
  switch (x.kind) {
    case ExpectKind::kAllCompleted:
      AllCompleted(x, f, r);
      break;
    case ExpectKind::kNoCorruption:
      NoCorruption(x, f, r);
      break;
    case ExpectKind::kRecovery:
      Recovery(x, f, r);
      break;
    case ExpectKind::kCounter:
      Counter(x, f, r);
      break;
    case ExpectKind::kState:
      State(x, f, r);
      break;
    case ExpectKind::kStatusSeen:
    case ExpectKind::kStatusNotSeen:
      StatusSeen(x, f, r);
      break;
  }
  return r;
}

std::vector<ExpectationResult> EvaluateExpectations(const ScenarioSpec& scenario, const RunFacts& facts) {
  std::vector<ExpectationResult> out;
  for (const ExpectSpec& x : scenario.expectations) out.push_back(EvaluateExpectation(x, facts));
  return out;
}

bool AllPassed(const std::vector<ExpectationResult>& results) {
  for (const ExpectationResult& r : results) {
    if (r.outcome != ExpectationOutcome::kPassed) return false;
  }
  return true;
}

std::string FormatExpectationSummary(const std::vector<ExpectationResult>& results) {
  std::string out;
  for (const ExpectationResult& r : results) {
    const char* tag = r.outcome == ExpectationOutcome::kPassed   ? "PASS"
                      : r.outcome == ExpectationOutcome::kFailed ? "FAIL"
                      : r.outcome == ExpectationOutcome::kSkipped ? "SKIP"
                                                                  : "ERROR";
    out += std::string(tag) + "  " + r.name + " [" + r.kind + "]";
    if (!r.reason.empty()) out += ": " + r.reason;
    out += "\n";
  }
  return out;
}

}  // namespace nvmesim::harness
