#include "harness/bench_command.h"

#include <gtest/gtest.h>

#include "harness/scenario/diagnostic.h"

namespace nvmesim::harness {
namespace {

TEST(BenchCommandTest, BuildsAValidScenarioFromAJobFileAndProfile) {
  BenchRequest r;
  r.job_file = "harness/testdata/randread.fio";
  r.profile = "scenarios/profiles/target.toml";
  r.namespace_bytes = uint64_t{1} << 30;
  ScenarioSpec s = BenchScenario(r);
  EXPECT_TRUE(Validate(s).empty());
  ASSERT_EQ(s.jobs.size(), 2u);
  EXPECT_EQ(s.jobs[0].name, "randread");
  EXPECT_EQ(s.jobs[0].numjobs, 2u);
  EXPECT_EQ(s.jobs[1].bs, 128u * 1024);
  ASSERT_EQ(s.controllers.size(), 1u);
  EXPECT_EQ(s.controllers[0].profile_resolved, "scenarios/profiles/target.toml");
  EXPECT_EQ(s.namespaces[0].size_bytes, uint64_t{1} << 30);
  ASSERT_EQ(s.expectations.size(), 1u);
  EXPECT_EQ(s.expectations[0].kind, ExpectKind::kAllCompleted);
}

TEST(BenchCommandTest, AMissingProfileIsAnErrorNamingIt) {
  BenchRequest r;
  r.job_file = "harness/testdata/randread.fio";
  r.profile = "scenarios/profiles/no_such_profile.toml";
  try {
    BenchScenario(r);
    FAIL() << "expected an error";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.diagnostic().file, r.profile);
  }
}

}  // namespace
}  // namespace nvmesim::harness
