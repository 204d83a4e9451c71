#include <gtest/gtest.h>

#include "harness/scenario/scenario_spec.h"

namespace nvmesim::harness {
namespace {

constexpr const char* kBase = R"([[controller]]
name = "ctrl0"

[[controller]]
name = "ctrl1"

[[namespace]]
name = "ns1"
size = "64MiB"
)";

std::vector<Diagnostic> Problems(const std::string& extra) {
  return Validate(ParseScenario(std::string(kBase) + extra, "v.toml"));
}

void ExpectProblem(const std::string& extra, int line, const std::string& key,
                   const std::string& part) {
  std::vector<Diagnostic> p = Problems(extra);
  ASSERT_FALSE(p.empty()) << extra;
  bool found = false;
  for (const Diagnostic& d : p) {
    if (d.line == line && d.key == key && d.message.find(part) != std::string::npos) found = true;
  }
  std::string all;
  for (const Diagnostic& d : p) all += d.ToString() + "\n";
  EXPECT_TRUE(found) << "wanted line " << line << " key " << key << " '" << part << "', got:\n"
                     << all;
}

TEST(Validate, ShippedScenariosAreValid) {
  for (const char* path : {"scenarios/default.toml", "scenarios/examples/zoned_append.toml",
                           "scenarios/examples/multipath_ana.toml"}) {
    std::vector<Diagnostic> p;
    EXPECT_NO_THROW(p = Validate(LoadScenario(path))) << path;
    EXPECT_TRUE(p.empty()) << path << ": " << (p.empty() ? "" : p[0].ToString());
  }
  EXPECT_TRUE(Problems("").empty());
}

TEST(Validate, CrossReferences) {
  ExpectProblem("[[namespace]]\nname = \"ns2\"\nsize = \"4MiB\"\ncontrollers = [\"ctrl9\"]\n", 10,
                "namespace[1].controllers", "no controller named \"ctrl9\"");
  ExpectProblem("[[job]]\nnamespace = \"ns7\"\nrw = \"read\"\n", 10, "job \"job0\".namespace",
                "no namespace named \"ns7\"");
  ExpectProblem("[[job]]\nbs = \"2k\"\n", 10, "job \"job0\"",
                "not a multiple of the LBA size 4096");
  ExpectProblem("[[job]]\nzonemode = \"zbd\"\n", 10, "job \"job0\"", "zoned");
  ExpectProblem("[[fault]]\nkind = \"controller_fatal\"\nat = \"1ms\"\n", 10, "fault[0].target",
                "the scenario has 2 controllers");
  ExpectProblem("[[fault]]\nkind = \"controller_fatal\"\ntarget = \"ns1\"\nat = \"1ms\"\n", 10,
                "fault[0].target", "no controller named \"ns1\"");
  ExpectProblem("[[fault]]\nkind = \"media_error\"\nat = \"1ms\"\nlba = 16380\nlba_count = 8\n", 10,
                "fault[0].lba", "beyond namespace \"ns1\" (16384 LBAs)");
  ExpectProblem("[[fault]]\nkind = \"zone_offline\"\nat = \"1ms\"\nzone = 1\n", 10,
                "fault[0].target", "not zoned");
  ExpectProblem(
      "[[fault]]\nkind = \"ana_state_change\"\ntarget = \"ctrl0\"\nat = \"1ms\"\ngroup = 2\nstate "
      "= \"inaccessible\"\n",
      10, "fault[0].group", "no ANA group 2");
  ExpectProblem("[[fault]]\nkind = \"power_loss\"\nat = \"11s\"\n", 10, "fault[0].at",
                "time_limit");
  ExpectProblem("[[expect]]\nkind = \"recovery\"\nfault = \"nope\"\nwithin = \"1ms\"\n", 10,
                "expect[0].fault", "no fault named \"nope\"");
  ExpectProblem("[[expect]]\nkind = \"all_completed\"\njob = \"ghost\"\n", 10, "expect[0].job",
                "no job named \"ghost\"");
  ExpectProblem("[[job]]\nrw = \"read\"\n[[expect]]\nkind = \"no_corruption\"\n", 12,
                "expect[0].kind", "verify");
  ExpectProblem("[[namespace]]\nname = \"ns1\"\nsize = \"4MiB\"\nnsid = 1\n", 10,
                "namespace[1].name", "used twice");
  ExpectProblem("[[namespace]]\nname = \"ns2\"\nsize = \"4MiB\"\nnsid = 1\n", 10,
                "namespace[1].nsid", "NSID 1 is used twice");
  ExpectProblem("[[controller]]\nname = \"ctrl2\"\ncntlid = 1\n", 10, "controller[2].cntlid",
                "used twice");
  ExpectProblem("[[namespace]]\nname = \"ns2\"\nsize = \"4MiB\"\nana_group = 3\n", 10,
                "namespace[1].ana_group", "no ANA group 3");
}

TEST(Validate, JobFileProblemsPointAtTheJobTable) {
  // mixed.fio's jobs span 256 MiB (hot-reads) and 256m+256m (writer): beyond a 64 MiB namespace.
  std::vector<Diagnostic> p = Problems("\n[[job]]\nfile = \"scenarios/jobs/mixed.fio\"\n");
  ASSERT_EQ(p.size(), 2u);
  for (const Diagnostic& d : p) {
    EXPECT_EQ(d.file, "v.toml");
    EXPECT_EQ(d.line, 11);  // the [[job]] table, not the line in the job file
    EXPECT_NE(d.message.find("beyond the namespace"), std::string::npos) << d.message;
  }
  EXPECT_EQ(p[0].key, "job \"hot-reads\"");
  EXPECT_EQ(p[1].key, "job \"writer\"");
  EXPECT_NE(p[1].message.find("offset=268435456 is beyond"), std::string::npos) << p[1].message;
  ScenarioSpec s = ParseScenario(
      std::string(kBase) + "[[job]]\nfile = \"scenarios/jobs/mixed.fio\"\n", "v.toml");
  ASSERT_EQ(s.jobs.size(), 2u);
  EXPECT_EQ(s.jobs[0].name, "hot-reads");
  EXPECT_EQ(s.jobs[1].fsync, 64u);
  EXPECT_EQ(s.jobs[1].iodepth, 32u);  // from [global]
  TargetGeometry g = GeometryOf(s.namespaces[0]);
  EXPECT_EQ(g.lba_count, 16384u);
  EXPECT_EQ(g.zone_size_lbas, 0u);
}

TEST(Validate, SummaryForCheck) {
  std::string t = FormatScenarioSummary(LoadScenario("scenarios/default.toml"));
  EXPECT_NE(
      t.find("controller ctrl0 (cntlid 1, subsys0, host host0): PCIe Gen5 x4, MPS 256, MRRS 512"),
      std::string::npos)
      << t;
  EXPECT_NE(t.find("namespace ns1 (nsid 1, subsys0): 1 GiB, 4096 B LBAs, attached to ctrl0"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("job randrw on ns1: bs=4096 iodepth=32 number_ios=20000 rw=randrw rwmixread=50 "
                   "verify=crc32c"),
            std::string::npos)
      << t;
  EXPECT_NE(
      t.find("fault drop_completion 'lost-completion' on ctrl0 after 10000 commands (count=1)"),
      std::string::npos)
      << t;
  EXPECT_NE(t.find("expect recovered from the lost completion [recovery]"), std::string::npos) << t;
}

TEST(Validate, ReportsEveryProblemInLineOrder) {
  std::vector<Diagnostic> p = Problems(
      "[[job]]\nnamespace = \"nsX\"\n[[fault]]\nkind = \"link_down\"\ntarget = \"c9\"\nat = "
      "\"1ms\"\n");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_LT(p[0].line, p[1].line);
  EXPECT_NE(p[0].ToString().find("v.toml:10: job \"job0\".namespace: no namespace"),
            std::string::npos)
      << p[0].ToString();
}

}  // namespace
}  // namespace nvmesim::harness
