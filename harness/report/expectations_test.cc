#include "harness/report/expectations.h"

#include <gtest/gtest.h>

#include "harness/report/request_trace.h"
#include "harness/scenario/units.h"

namespace nvmesim::harness {
namespace {

ScenarioSpec Scenario(const std::string& expectations) {
  return ParseScenario(R"([[controller]]
name = "ctrl0"
[[namespace]]
name = "ns1"
size = "64MiB"
[[job]]
name = "mix"
rw = "randrw"
verify = "crc32c"
[[fault]]
name = "drop"
kind = "drop_completion"
after_commands = 10
)" + expectations, "e.toml");
}

struct Fixture {
  CompletionLedger ledger;
  RunFacts facts;
  Fixture() {
    facts.job_names = {"mix"};
    facts.ledger = &ledger;
    facts.end_ps = 50 * kPsPerMs;
  }
  uint64_t Io(uint64_t lba, uint64_t submit_us, std::optional<uint64_t> complete_us, spec::Status s = {}) {
    uint64_t id = ledger.Submit(0, IoOp::kRead, lba, 8, submit_us * kPsPerUs);
    if (complete_us) ledger.Complete(id, s, *complete_us * kPsPerUs);
    return id;
  }
};

ExpectationResult Only(const ScenarioSpec& s, const RunFacts& f) {
  std::vector<ExpectationResult> r = EvaluateExpectations(s, f);
  EXPECT_EQ(r.size(), 1u);
  return r.empty() ? ExpectationResult{} : r[0];
}

TEST(Expectations, AllCompletedExactlyOnce) {
  ScenarioSpec s = Scenario("[[expect]]\nname = \"once\"\nkind = \"all_completed\"\nallowed_statuses = [\"Command Abort Requested\"]\n");
  Fixture ok;
  ok.Io(0, 1, 5);
  ok.Io(8, 2, 6, spec::GenericStatus::kAbortedByRequest);  // allowed
  EXPECT_EQ(Only(s, ok.facts).outcome, ExpectationOutcome::kPassed);

  Fixture lost;
  lost.Io(0, 1, 5);
  lost.Io(16, 2, std::nullopt);
  lost.facts.stop_reason = "time_limit";
  ExpectationResult r = Only(s, lost.facts);
  EXPECT_EQ(r.outcome, ExpectationOutcome::kFailed);
  EXPECT_EQ(r.name, "once");
  EXPECT_NE(r.reason.find("1 of 2 requests never completed"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("run stopped: time_limit"), std::string::npos);
  EXPECT_NE(r.details.find("LBA 16+8"), std::string::npos) << r.details;

  Fixture twice;
  uint64_t id = twice.Io(0, 1, 5);
  twice.ledger.Complete(id, spec::Status(), 9 * kPsPerUs);
  r = Only(s, twice.facts);
  EXPECT_EQ(r.outcome, ExpectationOutcome::kFailed);
  EXPECT_NE(r.reason.find("1 completed more than once"), std::string::npos) << r.reason;

  Fixture bad;
  bad.Io(0, 1, 5, spec::GenericStatus::kLbaOutOfRange);
  r = Only(s, bad.facts);
  EXPECT_EQ(r.outcome, ExpectationOutcome::kFailed);
  EXPECT_NE(r.reason.find("LBA Out of Range (0/0x80) x1"), std::string::npos) << r.reason;
}

TEST(Expectations, NoCorruptionNamesTheFirstBadBlock) {
  ScenarioSpec s = Scenario("[[expect]]\nkind = \"no_corruption\"\n");
  Fixture f;
  f.facts.verified_blocks = 100;
  EXPECT_EQ(Only(s, f.facts).outcome, ExpectationOutcome::kPassed);
  StampMismatch m;
  m.lba = 4096;
  m.expected = {4096, 7, 1};
  m.found = {4096, 3, 1};
  m.reason = MismatchReason::kStale;
  f.facts.mismatches.push_back({0, m});
  ExpectationResult r = Only(s, f.facts);
  EXPECT_EQ(r.outcome, ExpectationOutcome::kFailed);
  EXPECT_NE(r.reason.find("LBA 4096: stale data (older write): expected lba=4096 gen=7"), std::string::npos) << r.reason;
}

TEST(Expectations, RecoveryWithinABound) {
  ScenarioSpec s = Scenario("[[expect]]\nkind = \"recovery\"\nfault = \"drop\"\nwithin = \"1ms\"\n");
  Fixture f;
  f.Io(0, 100, 200);
  f.Io(8, 900, 1800);   // in flight when the fault hits at 1 ms; done 0.8 ms later
  f.Io(16, 1100, 1200);
  f.facts.faults["drop"].start_ps = 1000 * kPsPerUs;
  EXPECT_EQ(Only(s, f.facts).outcome, ExpectationOutcome::kPassed) << Only(s, f.facts).reason;

  Fixture slow;
  slow.Io(8, 900, 2500);  // 1.5 ms after the fault
  slow.Io(16, 1100, 1200);
  slow.facts.faults["drop"].start_ps = 1000 * kPsPerUs;
  ExpectationResult r = Only(s, slow.facts);
  EXPECT_EQ(r.outcome, ExpectationOutcome::kFailed);
  EXPECT_EQ(r.reason, "recovery took 1.5 ms, bound 1 ms");

  Fixture never;
  ExpectationResult n = Only(s, never.facts);
  EXPECT_EQ(n.outcome, ExpectationOutcome::kFailed);
  EXPECT_NE(n.reason.find("never fired"), std::string::npos);
}

TEST(Expectations, CountersStatesAndStatuses) {
  ScenarioSpec s = Scenario(R"([[expect]]
kind = "counter"
check = "ctrl0.driver.timeouts >= 1"
[[expect]]
kind = "state"
object = "ctrl0"
state = "ready"
[[expect]]
kind = "status_seen"
status = "unrecovered_read_error"
lba = 100
lba_count = 10
only_in_range = true
[[expect]]
kind = "status_not_seen"
status = "LBA Out of Range"
)");
  Fixture f;
  f.facts.counters["ctrl0.driver.timeouts"] = 2;
  f.facts.states["ctrl0"] = "ready";
  f.Io(96, 1, 2, spec::MediaStatus::kUnrecoveredReadError);  // 96..103 touches 100..109
  std::vector<ExpectationResult> r = EvaluateExpectations(s, f.facts);
  ASSERT_EQ(r.size(), 4u);
  for (const ExpectationResult& e : r) EXPECT_EQ(e.outcome, ExpectationOutcome::kPassed) << e.name << ": " << e.reason;
  EXPECT_TRUE(AllPassed(r));

  f.facts.counters["ctrl0.driver.timeouts"] = 0;
  f.facts.states["ctrl0"] = "failed";
  f.Io(200, 3, 4, spec::MediaStatus::kUnrecoveredReadError);  // outside the range
  f.Io(0, 5, 6, spec::GenericStatus::kLbaOutOfRange);
  r = EvaluateExpectations(s, f.facts);
  EXPECT_EQ(r[0].reason, "ctrl0.driver.timeouts = 0, expected >= 1");
  EXPECT_EQ(r[1].reason, "ctrl0 is failed, expected ready");
  EXPECT_NE(r[2].reason.find("also seen 1 time(s) outside LBAs 100+10"), std::string::npos) << r[2].reason;
  EXPECT_NE(r[3].reason.find("LBA Out of Range (0/0x80) seen 1 time(s); first: request 2"), std::string::npos) << r[3].reason;
  EXPECT_FALSE(AllPassed(r));

  f.facts.counters.clear();
  r = EvaluateExpectations(s, f.facts);
  EXPECT_NE(r[0].reason.find("unknown counter 'ctrl0.driver.timeouts'"), std::string::npos);
}

TEST(Expectations, AWrongExpectationFailsAndTheReportSaysWhichAndWhy) {
  ScenarioSpec s = Scenario("[[expect]]\nname = \"at least 5 timeouts\"\nkind = \"counter\"\ncheck = \"ctrl0.driver.timeouts >= 5\"\n");
  Fixture f;
  f.facts.counters["ctrl0.driver.timeouts"] = 1;
  std::vector<ExpectationResult> r = EvaluateExpectations(s, f.facts);
  std::string xml = FormatJUnit("e", r);
  EXPECT_NE(xml.find("failures=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("expectation &apos;at least 5 timeouts&apos; (counter) failed: ctrl0.driver.timeouts = 1, expected &gt;= 5"),
            std::string::npos) << xml;
  EXPECT_EQ(FormatExpectationSummary(r),
            "FAIL  at least 5 timeouts [counter]: ctrl0.driver.timeouts = 1, expected >= 5\n");
}

TEST(RequestTrace, OneSlicePerRequestOnItsJobTrack) {
  Fixture f;
  f.Io(0, 1, 5);
  f.Io(8, 2, std::nullopt);
  ChromeTraceWriter w;
  AddRequestSlices(w, f.ledger, f.facts.job_names, 10 * kPsPerUs);
  nlohmann::json j = w.ToJson();
  std::vector<nlohmann::json> slices;
  for (const auto& e : j["traceEvents"]) {
    if (e["ph"] == "X") slices.push_back(e);
  }
  ASSERT_EQ(slices.size(), 2u);
  EXPECT_EQ(slices[0]["name"], "read");
  EXPECT_DOUBLE_EQ(slices[0]["ts"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(slices[0]["dur"].get<double>(), 4.0);
  EXPECT_EQ(slices[0]["args"]["status"], "Successful Completion (0/0x00)");
  EXPECT_EQ(slices[1]["name"], "lost read");
  EXPECT_DOUBLE_EQ(slices[1]["dur"].get<double>(), 8.0);
}

}  // namespace
}  // namespace nvmesim::harness
