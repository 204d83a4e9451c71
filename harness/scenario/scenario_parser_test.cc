#include <gtest/gtest.h>

#include "harness/scenario/scenario_spec.h"
#include "harness/scenario/units.h"

namespace nvmesim::harness {
namespace {

// A valid minimal scenario that the error tests change one line of.
constexpr const char* kMinimal = R"([scenario]
name = "t"

[[controller]]
name = "ctrl0"

[controller.link]
generation = 5
width = 4

[[namespace]]
name = "ns1"
size = "64MiB"
)";

Diagnostic ScenarioErrorOf(const std::string& text) {
  try {
    ParseScenario(text, "dir/s.toml");
  } catch (const ScenarioError& e) {
    return e.diagnostic();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

TEST(ParseScenario, DefaultScenarioAsTheReadmeDescribesIt) {
  ScenarioSpec s = LoadScenario("scenarios/default.toml");
  EXPECT_EQ(s.info.name, "default");
  EXPECT_EQ(s.info.seed, 1u);
  EXPECT_EQ(s.info.fidelity, ScenarioFidelity::kApproximate);
  EXPECT_EQ(s.info.time_limit_ps, 30 * kPsPerSecond);
  EXPECT_EQ(s.info.wall_time_limit_ms, 300000u);
  ASSERT_EQ(s.controllers.size(), 1u);
  const ControllerSpec& c = s.controllers[0];
  EXPECT_EQ(c.link.generation, 5u);
  EXPECT_EQ(c.link.width, 4u);
  EXPECT_EQ(c.link.max_payload_size, 256u);
  EXPECT_EQ(c.link.max_read_request_size, 512u);
  EXPECT_EQ(c.subsystem, "subsys0");
  EXPECT_EQ(c.cntlid, 1u);
  ASSERT_EQ(s.namespaces.size(), 1u);
  EXPECT_EQ(s.namespaces[0].size_bytes, 1ull << 30);
  EXPECT_EQ(s.namespaces[0].lba_size, 4096u);
  EXPECT_EQ(s.namespaces[0].controllers, std::vector<std::string>{"ctrl0"});
  ASSERT_TRUE(s.advanced_nvme.has_value());
  EXPECT_EQ((*s.advanced_nvme)["queue_count"].value<int64_t>(), 4);
  EXPECT_EQ(s.driver.io_timeout_ps, 10 * kPsPerMs);
  ASSERT_EQ(s.jobs.size(), 1u);
  const JobSpec& j = s.jobs[0];
  EXPECT_EQ(j.rw, RwMode::kRandRw);
  EXPECT_EQ(j.bs, 4096u);
  EXPECT_EQ(j.iodepth, 32u);
  EXPECT_EQ(j.number_ios, 20000u);
  EXPECT_EQ(j.verify, VerifyMode::kCrc32c);
  EXPECT_EQ(j.target_namespace, "ns1");
  EXPECT_EQ(j.host, "host0");
  ASSERT_EQ(s.faults.size(), 1u);
  EXPECT_EQ(s.faults[0].kind, FaultKind::kDropCompletion);
  EXPECT_EQ(s.faults[0].trigger.kind, TriggerKind::kAfterCommands);
  EXPECT_EQ(s.faults[0].trigger.after_commands, 10000u);
  ASSERT_EQ(s.expectations.size(), 4u);
  EXPECT_EQ(s.expectations[0].kind, ExpectKind::kAllCompleted);
  EXPECT_EQ(s.expectations[0].name, "every request completed exactly once");
  EXPECT_EQ(s.expectations[2].kind, ExpectKind::kRecovery);
  EXPECT_EQ(s.expectations[2].within_ps, 100 * kPsPerMs);
  EXPECT_EQ(s.expectations[3].check.counter, "ctrl0.driver.timeouts");
}

TEST(ParseScenario, ExamplesLoadWithJobFilesAndAnaGroups) {
  ScenarioSpec z = LoadScenario("scenarios/examples/zoned_append.toml");
  ASSERT_EQ(z.jobs.size(), 1u);
  EXPECT_EQ(z.jobs[0].name, "append");
  EXPECT_EQ(z.jobs[0].file, "scenarios/examples/../jobs/zoned_append.fio");
  EXPECT_TRUE(z.jobs[0].zone_append);
  EXPECT_EQ(z.jobs[0].target_namespace, "zns1");
  EXPECT_EQ(z.namespaces[0].kind, NamespaceKind::kZoned);
  EXPECT_EQ(z.namespaces[0].zone_count(), 64u);
  EXPECT_EQ(z.namespaces[0].zone_capacity_bytes, 48ull << 20);
  EXPECT_EQ(z.expectations[1].status.code, 0xBB);
  EXPECT_TRUE(z.expectations[1].only_in_range);
  EXPECT_EQ(z.expectations[0].allowed_statuses.size(), 1u);

  ScenarioSpec m = LoadScenario("scenarios/examples/multipath_ana.toml");
  ASSERT_EQ(m.subsystems.size(), 1u);
  ASSERT_EQ(m.subsystems[0].ana_groups.size(), 1u);
  EXPECT_EQ(m.subsystems[0].ana_groups[0].controller_states.at("ctrl1"),
            AnaStateSpec::kNonOptimized);
  EXPECT_EQ(m.controllers[1].cntlid, 2u);
  EXPECT_EQ(m.controllers[1].subsystem, "subsysA");
  EXPECT_EQ(m.jobs[0].numjobs, 4u);
  EXPECT_EQ(m.faults[0].duration_ps, 5 * kPsPerMs);
  EXPECT_EQ(m.info.fidelity, ScenarioFidelity::kFunctional);
}

TEST(ParseScenario, DefaultsAndInlineJobOptionsInSourceOrder) {
  ScenarioSpec s = ParseScenario(std::string(kMinimal) + R"(
[[job]]
verify_pattern = "0xff"
verify = "crc32c"
rw = "randwrite"
)",
                                 "dir/s.toml");
  EXPECT_EQ(s.hosts.size(), 1u);
  EXPECT_EQ(s.hosts[0].name, "host0");
  EXPECT_EQ(s.subsystems[0].name, "subsys0");
  EXPECT_EQ(s.namespaces[0].nsid, 1u);
  EXPECT_EQ(s.controllers[0].max_queue_entries, 1024u);
  EXPECT_EQ(s.controllers[0].mdts, 5u);
  // verify_pattern first implies pattern; the later verify = "crc32c" wins.
  EXPECT_EQ(s.jobs[0].verify, VerifyMode::kCrc32c);
  EXPECT_EQ(s.jobs[0].name, "job0");
  EXPECT_EQ(s.directory, "dir");
}

TEST(ParseScenario, CountStandsForManyAlikeControllersAndNamespaces) {
  ScenarioSpec s = ParseScenario(R"([scenario]
name = "t"

[[controller]]
name = "path"
count = 16
io_queues = 128

[[controller]]
name = "extra"

[[namespace]]
name = "vol"
nsid = 10
count = 2048
size = "1MiB"

[[namespace]]
size = "1MiB"
)",
                                 "dir/s.toml");
  ASSERT_EQ(s.controllers.size(), 17u);
  EXPECT_EQ(s.controllers[0].name, "path0");
  EXPECT_EQ(s.controllers[15].name, "path15");
  EXPECT_EQ(s.controllers[15].cntlid, 16);
  EXPECT_EQ(s.controllers[15].io_queues, 128u);
  EXPECT_EQ(s.controllers[16].name, "extra");
  EXPECT_EQ(s.controllers[16].cntlid, 17);
  ASSERT_EQ(s.namespaces.size(), 2049u);
  EXPECT_EQ(s.namespaces[0].name, "vol0");
  EXPECT_EQ(s.namespaces[0].nsid, 10u);
  EXPECT_EQ(s.namespaces[2047].name, "vol2047");
  EXPECT_EQ(s.namespaces[2047].nsid, 2057u);
  EXPECT_EQ(s.namespaces[2047].controllers.size(), 17u);
  EXPECT_EQ(s.namespaces[2048].nsid, 2058u);  // the next free NSID after the run

  const Diagnostic past = ScenarioErrorOf(
      Replace(kMinimal, "size = \"64MiB\"", "size = \"64MiB\"\nnsid = 4294967290\ncount = 6"));
  EXPECT_EQ(past.key, "namespace[0].count");
  const Diagnostic zero = ScenarioErrorOf(Replace(kMinimal, "name = \"ctrl0\"", "count = 0"));
  EXPECT_EQ(zero.key, "controller[0].count");
}

struct BadCase {
  const char* from;
  const char* to;
  int line;
  const char* key;
  const char* message_part;
};

TEST(ParseScenario, ErrorsNameFileLineKeyAndExpectation) {
  const BadCase cases[] = {
      {"generation = 5", "generation = 6", 8, "controller[0].link.generation", "1..5"},
      {"width = 4", "width = 3", 9, "controller[0].link.width", "1, 2, 4, 8 or 16"},
      {"width = 4", "width = 4\nmax_payload_size = 96", 10, "controller[0].link.max_payload_size",
       "128, 256"},
      {"width = 4", "width = 4\nmax_read_request_size = \"8k\"", 10,
       "controller[0].link.max_read_request_size", "4096"},
      {"width = 4", "width = 4\nspeed = 3", 10, "controller[0].link.speed", "unknown key"},
      {"name = \"t\"", "name = \"t\"\nseeed = 3", 3, "scenario.seeed",
       "unknown key (did you mean \"seed\"?)"},
      {"name = \"t\"", "name = \"t\"\nfidelity = \"exact\"", 3, "scenario.fidelity", "\"cycle\""},
      {"name = \"t\"", "name = \"t\"\nfidelity = \"aproximate\"", 3, "scenario.fidelity",
       "got \"aproximate\" (did you mean \"approximate\"?)"},
      {"name = \"t\"", "name = \"t\"\ntime_limit = 10", 3, "scenario.time_limit", "duration"},
      {"size = \"64MiB\"", "size = \"64MiB\"\nlba_size = 1024", 14, "namespace[0].lba_size",
       "512 or 4096"},
      {"size = \"64MiB\"", "size = \"1000\"", 13, "namespace[0].size", "multiple of lba_size"},
      {"size = \"64MiB\"", "size = \"64 parsecs\"", 13, "namespace[0].size", "unknown unit"},
      {"size = \"64MiB\"", "size = \"64MiB\"\nnsid = 0", 14, "namespace[0].nsid",
       "not valid NSIDs"},
      {"size = \"64MiB\"", "size = \"64MiB\"\nzone_size = \"16MiB\"", 14, "namespace[0].zone_size",
       "set type"},
      {"size = \"64MiB\"", "size = \"64MiB\"\ntype = \"zoned\"\nzone_size = \"24MiB\"", 15,
       "namespace[0].zone_size", "divides size"},
      {"size = \"64MiB\"",
       "size = \"64MiB\"\ntype = \"zoned\"\nzone_size = \"16MiB\"\nzone_capacity = \"32MiB\"", 16,
       "namespace[0].zone_capacity", "at most zone_size"},
      {"size = \"64MiB\"",
       "size = \"64MiB\"\ntype = \"zoned\"\nzone_size = \"16MiB\"\nmax_open = 3\nmax_active = 2",
       16, "namespace[0].max_open", "max_active"},
      {"name = \"ctrl0\"", "name = \"ctrl0\"\nmax_queue_entries = 1", 6,
       "controller[0].max_queue_entries", "2..65536"},
      {"name = \"ctrl0\"", "name = \"ctrl0\"\nio_queues = 70000", 6, "controller[0].io_queues",
       "1..65535"},
      {"name = \"ctrl0\"", "name = \"ctrl0\"\ncntlid = 65520", 6, "controller[0].cntlid",
       "reserved"},
      {"name = \"ctrl0\"", "name = \"ctrl0\"\nvolatile_write_cache = \"yes\"", 6,
       "controller[0].volatile_write_cache", "true or false"},
      {"name = \"t\"", "name = \"t\"\n[[subsystem]]\nnqn = \"iqn.2001-04.com.example\"", 4,
       "subsystem[0].nqn", "223 bytes"},
      {"size = \"64MiB\"", "size = \"64MiB\"\n[[job]]\nrw = \"randrw\"\niodepht = 3", 16,
       "job[0].iodepht", "unknown or unsupported fio option"},
      {"size = \"64MiB\"", "size = \"64MiB\"\n[[job]]\nrw = \"randrw\"\nbs = \"4k,8k\"", 16,
       "job[0].bs", "read,write"},
      {"size = \"64MiB\"", "size = \"64MiB\"\n[[expect]]\nkind = \"vibes\"", 15, "expect[0].kind",
       "\"all_completed\""},
      {"size = \"64MiB\"",
       "size = \"64MiB\"\n[[expect]]\nkind = \"status_seen\"\nstatus = \"Mostly Fine\"", 16,
       "expect[0].status", "NVMe status name"},
      {"size = \"64MiB\"", "size = \"64MiB\"\n[[expect]]\nkind = \"recovery\"\nfault = \"x\"", 14,
       "expect[0].within", "missing required key"},
      {"size = \"64MiB\"",
       "size = \"64MiB\"\n[[fault]]\nkind = \"link_retrain\"\nat = \"1ms\"\ngeneration = 6\nwidth "
       "= 4",
       17, "fault[0].generation", "1..5"},
      {"size = \"64MiB\"", "size = \"64MiB\"\n[driver]\nio_timeout = \"0s\"", 15,
       "driver.io_timeout", "above zero"},
      {"size = \"64MiB\"", "size = \"64MiB\"\n[bogus]\nx = 1", 14, "bogus", "unknown key"},
      {"name = \"t\"", "name = \"t\"\n[[subsystem]]\nserial = \"123456789012345678901\"", 4,
       "subsystem[0].serial", "1..20 printable ASCII"},
      {"name = \"t\"", "name = \"t\"\n[[subsystem]]\nmodel = \"tab\there\"", 4,
       "subsystem[0].model", "Identify Controller MN"},
      {"name = \"t\"", "name = \"t\"\n[[subsystem]]\nvendor_id = 0xFFFF", 4,
       "subsystem[0].vendor_id", "1..65534"},
      {"name = \"ctrl0\"", "name = \"ctrl0\"\nfirmware = \"1.2.3.4.5\"", 6,
       "controller[0].firmware", "1..8 printable ASCII"},
  };
  for (const BadCase& c : cases) {
    Diagnostic d = ScenarioErrorOf(Replace(kMinimal, c.from, c.to));
    EXPECT_EQ(d.file, "dir/s.toml") << c.to;
    EXPECT_EQ(d.line, c.line) << c.to << " -> " << d.ToString();
    EXPECT_EQ(d.key, c.key) << c.to << " -> " << d.ToString();
    EXPECT_NE(d.message.find(c.message_part), std::string::npos) << c.to << " -> " << d.ToString();
  }
}

TEST(ParseScenario, SyntaxErrorsAndMissingSections) {
  Diagnostic d = ScenarioErrorOf("[scenario]\nname = \"t\"\nseed = = 3\n");
  EXPECT_EQ(d.line, 3);
  EXPECT_NE(d.message.find("TOML syntax"), std::string::npos);
  d = ScenarioErrorOf("[scenario]\nname = \"t\"\n");
  EXPECT_NE(d.message.find("at least one [[controller]]"), std::string::npos);
  d = ScenarioErrorOf(std::string(kMinimal) +
                      "[[subsystem]]\nname = \"a\"\n[[subsystem]]\nname = \"b\"\n");
  EXPECT_EQ(d.key, "controller[0]");
  EXPECT_NE(d.message.find("missing key \"subsystem\""), std::string::npos);
  EXPECT_EQ(d.line, 4);
  try {
    LoadScenario("scenarios/no_such_file.toml");
    ADD_FAILURE();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.diagnostic().file, "scenarios/no_such_file.toml");
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
  }
  // A job file that is not there is the scenario's error: its line and key, and where the
  // file was looked for.
  d = ScenarioErrorOf(std::string(kMinimal) + "[[job]]\nfile = \"missing.fio\"\n");
  EXPECT_EQ(d.file, "dir/s.toml");
  EXPECT_EQ(d.key, "job[0].file");
  EXPECT_EQ(d.message,
            "cannot open the fio job file dir/missing.fio (relative to the scenario's directory)");
  // A directory is not a file: refused by name, not read as an empty one.
  d = ScenarioErrorOf(std::string(kMinimal) + "[[job]]\nfile = \"/\"\n");
  EXPECT_EQ(d.message, "cannot open the fio job file /");
  d = ScenarioErrorOf(
      Replace(kMinimal, "name = \"ctrl0\"\n", "name = \"ctrl0\"\nprofile = \"/\"\n"));
  EXPECT_EQ(d.key, "controller[0].profile");
  EXPECT_EQ(d.message, "cannot open the profile file \"/\"");
}

}  // namespace
}  // namespace nvmesim::harness
