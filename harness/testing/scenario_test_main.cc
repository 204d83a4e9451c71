// A test binary that runs scenarios: every (scenario, seed) pair in its own
// forked process (one SystemC simulation per process), optionally twice to
// check the trace hash is reproducible. Honours Bazel's test sharding
// (TEST_TOTAL_SHARDS, TEST_SHARD_INDEX, TEST_SHARD_STATUS_FILE) and writes
// JUnit XML to XML_OUTPUT_FILE, so a sweep spreads over many machines unchanged.
//
//   scenario_test [--seeds N] [--first-seed S] [--determinism] [--fidelity F]
//                 [--expect-fail] SCENARIO...
#include <sys/wait.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/junit.h"
#include "harness/report_text.h"
#include "harness/runner/runner.h"
#include "harness/scenario/diagnostic.h"
#include "harness/scenario/scenario_spec.h"

namespace nh = nvmesim::harness;

namespace {

struct Outcome {
  bool passed = false;
  uint64_t hash = 0;
  std::string reason;
};

// Runs one scenario in a forked child; the child reports through a pipe.
// `seed` empty: the scenario's own seed.
Outcome RunIsolated(const std::string& path, std::optional<uint64_t> seed,
                    const std::string& fidelity) {
  int fds[2];
  if (pipe(fds) != 0) return {false, 0, "pipe failed"};
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) return {false, 0, "fork failed"};
  if (pid == 0) {
    close(fds[0]);
    std::string message;
    int passed = 0;
    uint64_t hash = 0;
    try {
      nh::ScenarioSpec s = nh::LoadScenario(path);
      std::vector<nh::Diagnostic> problems = nh::Validate(s);
      if (!problems.empty()) {
        message = problems.front().ToString();
      } else {
        nh::RunOptions o;
        o.seed = seed;  // nullopt: the scenario's [scenario] seed
        if (fidelity == "functional") o.fidelity = nh::ScenarioFidelity::kFunctional;
        if (fidelity == "approximate") o.fidelity = nh::ScenarioFidelity::kApproximate;
        if (fidelity == "cycle") o.fidelity = nh::ScenarioFidelity::kCycle;
        nh::RunResult r = nh::RunScenario(s, o);
        std::printf("%s", nh::FormatRunReport(r).c_str());
        passed = r.passed ? 1 : 0;
        hash = r.trace_hash;
        if (!r.passed) {
          message = r.error;
          for (const auto& e : r.expectations) {
            if (e.outcome != nh::ExpectationOutcome::kPassed) {
              message += (message.empty() ? "" : "; ") + e.name + ": " + e.reason;
            }
          }
        }
      }
    } catch (const nh::ScenarioError& e) {
      message = e.diagnostic().ToString();
    } catch (const std::exception& e) {
      message = e.what();
    }
    std::fflush(stdout);
    std::string wire = std::to_string(passed) + " " + std::to_string(hash) + " " + message;
    (void)!write(fds[1], wire.data(), wire.size());
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string wire;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) wire.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status))
    return {false, 0, std::string("crashed: ") + strsignal(WTERMSIG(status))};
  Outcome o;
  unsigned long long hash = 0;
  int passed = 0, consumed = 0;
  if (std::sscanf(wire.c_str(), "%d %llu %n", &passed, &hash, &consumed) < 2) {
    return {false, 0, "the run reported nothing"};
  }
  o.passed = passed == 1;
  o.hash = hash;
  o.reason = wire.substr(static_cast<size_t>(consumed));
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> scenarios;
  uint64_t seeds = 1, first_seed = 0;
  bool determinism = false, expect_fail = false;
  std::string fidelity;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--seeds" && i + 1 < argc)
      seeds = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--first-seed" && i + 1 < argc)
      first_seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--determinism")
      determinism = true;
    else if (a == "--expect-fail")
      expect_fail = true;
    else if (a == "--fidelity" && i + 1 < argc)
      fidelity = argv[++i];
    else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "scenario_test: unknown option %s\n", a.c_str());
      return 2;
    } else
      scenarios.push_back(a);
  }
  if (scenarios.empty() || seeds == 0) {
    std::fprintf(stderr, "scenario_test: no scenario given (or --seeds 0)\n");
    return 2;
  }
  // Bazel sharding: this shard runs items i with i % total == index.
  uint64_t shards = 1, shard = 0;
  if (const char* t = std::getenv("TEST_TOTAL_SHARDS"))
    shards = std::max(1ull, std::strtoull(t, nullptr, 10));
  if (const char* s = std::getenv("TEST_SHARD_INDEX")) shard = std::strtoull(s, nullptr, 10);
  if (const char* f = std::getenv("TEST_SHARD_STATUS_FILE")) std::ofstream(f).flush();

  std::vector<nh::ExpectationResult> cases;
  int passed = 0, failed = 0;
  uint64_t item = 0;
  for (const std::string& path : scenarios) {
    for (uint64_t k = 0; k < seeds; ++k, ++item) {
      if (item % shards != shard) continue;
      const uint64_t seed = first_seed + k;
      nh::ExpectationResult c;
      c.name = path + (first_seed == 0 && seeds == 1 ? "" : " seed " + std::to_string(seed));
      c.kind = "scenario";
      // Seed 0 means "the scenario's own seed" only when no sweep was asked for.
      const std::optional<uint64_t> run_seed =
          first_seed == 0 && seeds == 1 ? std::nullopt : std::optional<uint64_t>(seed);
      if (run_seed) {
        std::printf("=== %s (seed %" PRIu64 ")\n", path.c_str(), *run_seed);
      } else {
        std::printf("=== %s (its own seed)\n", path.c_str());
      }
      Outcome first = RunIsolated(path, run_seed, fidelity);
      bool ok = first.passed != expect_fail;
      std::string why = first.reason;
      if (expect_fail && !first.passed) {
        std::printf("expected failure: %s\n", first.reason.c_str());
        if (first.reason.empty()) {
          ok = false;
          why = "failed without saying why";
        }
      }
      if (ok && determinism) {
        Outcome second = RunIsolated(path, run_seed, fidelity);
        if (second.hash != first.hash) {
          ok = false;
          char b[128];
          std::snprintf(b, sizeof b,
                        "trace hash differs between two runs: %016" PRIx64 " vs %016" PRIx64,
                        first.hash, second.hash);
          why = b;
        }
      }
      if (ok) {
        ++passed;
      } else {
        ++failed;
        c.outcome = nh::ExpectationOutcome::kFailed;
        c.reason = expect_fail ? "expected the scenario to fail, it passed" : why;
        std::printf("FAILED: %s: %s\n", c.name.c_str(), c.reason.c_str());
      }
      cases.push_back(c);
    }
  }
  if (const char* x = std::getenv("XML_OUTPUT_FILE")) {
    std::ofstream(x) << nh::FormatJUnit("scenarios", cases);
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
