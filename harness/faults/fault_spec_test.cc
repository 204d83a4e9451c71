#include "harness/faults/fault_spec.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "harness/scenario/diagnostic.h"
#include "harness/scenario/units.h"

namespace nvmesim::harness {
namespace {

FaultSpec Parse(const std::string& text) {
  toml::table t = toml::parse(std::string_view(text), std::string_view("f.toml"));
  return ParseFaultEntry(t, "f.toml", "fault[0]", 0);
}

Diagnostic ParseError(const std::string& text) {
  try {
    Parse(text);
  } catch (const ScenarioError& e) {
    return e.diagnostic();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

TEST(FaultCatalogue, ListsEveryKindOfTheIssueOnce) {
  const char* expected[] = {"link_down",
                            "link_up",
                            "link_retrain",
                            "lcrc_error_rate",
                            "controller_fatal",
                            "controller_hang",
                            "drop_completion",
                            "delay_completion",
                            "duplicate_completion",
                            "corrupt_completion",
                            "media_error",
                            "power_loss",
                            "surprise_removal",
                            "ana_state_change",
                            "namespace_hot_remove",
                            "namespace_attach",
                            "zone_read_only",
                            "zone_offline",
                            "temperature_excursion",
                            "wear_out"};
  std::set<std::string> names;
  for (const FaultKindInfo& k : FaultCatalogue()) {
    EXPECT_TRUE(names.insert(k.name).second) << k.name;
    EXPECT_EQ(&FaultKindInfoOf(k.kind), &k);
    EXPECT_FALSE(k.description.empty());
  }
  EXPECT_EQ(names.size(), std::size(expected));
  for (const char* n : expected) EXPECT_NE(FindFaultKind(n), nullptr) << n;
  EXPECT_EQ(FindFaultKind("no_such_fault"), nullptr);
  std::string text = FormatFaultCatalogue();
  EXPECT_NE(text.find("link_retrain (target: controller) [end]"), std::string::npos);
  EXPECT_NE(text.find("generation: integer 1..5"), std::string::npos);
  EXPECT_NE(text.find("controller_fatal (target: controller)\n"), std::string::npos);
}

TEST(FaultSpec, ParsesTriggerParamsDefaultsAndEnd) {
  FaultSpec f = Parse(R"(
kind = "delay_completion"
name = "slow"
target = "ctrl0"
at = "1.5ms"
delay = "200us"
queue = 3
)");
  EXPECT_EQ(f.kind, FaultKind::kDelayCompletion);
  EXPECT_EQ(f.name, "slow");
  EXPECT_EQ(f.target, "ctrl0");
  EXPECT_EQ(f.trigger.kind, TriggerKind::kAtTime);
  EXPECT_EQ(f.trigger.at_ps, 1500 * kPsPerUs);
  EXPECT_EQ(f.DurationPs("delay"), 200 * kPsPerUs);
  EXPECT_EQ(f.Int("count"), 1);  // default applied
  EXPECT_EQ(f.Int("queue"), 3);
  EXPECT_FALSE(f.duration_ps.has_value());

  FaultSpec m = Parse(R"(
kind = "media_error"
target = "ns1"
after_commands = 500
lba = 4096
lba_count = 64
duration = "2ms"
)");
  EXPECT_EQ(m.trigger.kind, TriggerKind::kAfterCommands);
  EXPECT_EQ(m.trigger.after_commands, 500u);
  EXPECT_EQ(m.Int("lba"), 4096);
  EXPECT_EQ(m.Int("lba_count"), 64);
  EXPECT_EQ(m.Text("status"), "unrecovered_read_error");
  EXPECT_EQ(m.Text("ops"), "read");
  EXPECT_EQ(m.name, "media_error#0");
  ASSERT_TRUE(m.duration_ps.has_value());
  EXPECT_EQ(*m.duration_ps, 2 * kPsPerMs);
  EXPECT_EQ(DescribeFault(m),
            "media_error 'media_error#0' on ns1 after 500 commands for 2 ms (lba=4096, "
            "lba_count=64, ops=read, status=unrecovered_read_error)");

  FaultSpec w = Parse(R"(
kind = "temperature_excursion"
when = "commands_completed >= 1e4"
temperature = 85
until = "ctrl0.throttle_events > 0"
)");
  EXPECT_EQ(w.trigger.kind, TriggerKind::kOnCondition);
  EXPECT_EQ(w.trigger.condition.counter, "commands_completed");
  EXPECT_EQ(w.trigger.condition.op, CompareOp::kGe);
  EXPECT_DOUBLE_EQ(w.trigger.condition.value, 10000);
  EXPECT_TRUE(w.trigger.condition.Holds(10000));
  EXPECT_FALSE(w.trigger.condition.Holds(9999));
  EXPECT_DOUBLE_EQ(w.Real("temperature"), 85.0);
  EXPECT_EQ(w.DurationPs("ramp", 7), 0u);
  ASSERT_TRUE(w.until.has_value());
  EXPECT_EQ(w.until->op, CompareOp::kGt);
}

TEST(FaultSpec, ErrorsNameLineKeyAndExpectation) {
  Diagnostic d = ParseError("kind = \"link_retrain\"\nat = \"1ms\"\ngeneration = 6\nwidth = 4\n");
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.key, "fault[0].generation");
  EXPECT_NE(d.message.find("1..5"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("got 6"), std::string::npos) << d.message;

  d = ParseError("kind = \"link_retrain\"\nat = \"1ms\"\ngeneration = 3\nwidth = 3\n");
  EXPECT_EQ(d.line, 4);
  EXPECT_EQ(d.key, "fault[0].width");
  EXPECT_NE(d.message.find("1, 2, 4, 8, 16"), std::string::npos) << d.message;

  d = ParseError("kind = \"link_flap\"\nat = \"1ms\"\n");
  EXPECT_EQ(d.line, 1);
  EXPECT_EQ(d.key, "fault[0].kind");
  EXPECT_NE(d.message.find("link_down"), std::string::npos);                  // lists the kinds
  EXPECT_EQ(d.message.find("did you mean"), std::string::npos) << d.message;  // none is near
  d = ParseError("kind = \"link_dwn\"\nat = \"1ms\"\n");
  EXPECT_NE(d.message.find("unknown fault kind \"link_dwn\" (did you mean \"link_down\"?)"),
            std::string::npos)
      << d.message;

  d = ParseError("kind = \"controller_fatal\"\nat = \"1ms\"\nduration = \"1ms\"\n");
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.key, "fault[0].duration");
  EXPECT_NE(d.message.find("has no end"), std::string::npos);

  d = ParseError("kind = \"controller_fatal\"\n");
  EXPECT_NE(d.message.find("needs a trigger"), std::string::npos);

  d = ParseError("kind = \"controller_fatal\"\nat = \"1ms\"\nafter_commands = 3\n");
  EXPECT_NE(d.message.find("one trigger"), std::string::npos);

  d = ParseError("kind = \"drop_completion\"\nat = \"1ms\"\ncuont = 3\n");
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.key, "fault[0].cuont");
  EXPECT_NE(d.message.find("unknown key (did you mean \"count\"?)"), std::string::npos)
      << d.message;

  d = ParseError("kind = \"drop_completion\"\nat = 5\n");
  EXPECT_EQ(d.key, "fault[0].at");
  EXPECT_NE(d.message.find("duration"), std::string::npos);

  d = ParseError("kind = \"delay_completion\"\nat = \"1ms\"\n");
  EXPECT_NE(d.message.find("needs key \"delay\""), std::string::npos) << d.message;

  d = ParseError("kind = \"lcrc_error_rate\"\nat = \"1ms\"\nrate = 1.5\n");
  EXPECT_EQ(d.key, "fault[0].rate");
  d = ParseError("kind = \"ana_state_change\"\nat = \"1ms\"\ngroup = 1\nstate = \"gone\"\n");
  EXPECT_EQ(d.key, "fault[0].state");
  EXPECT_NE(d.message.find("\"inaccessible\""), std::string::npos);
  d = ParseError("kind = \"ana_state_change\"\nat = \"1ms\"\ngroup = 1\nstate = \"optimised\"\n");
  EXPECT_NE(d.message.find("(did you mean \"optimized\"?)"), std::string::npos) << d.message;
  d = ParseError("kind = \"ana_state_change\"\nat = \"1ms\"\ngroup = 0\nstate = \"optimized\"\n");
  EXPECT_EQ(d.key, "fault[0].group");
  d = ParseError("kind = \"drop_completion\"\nwhen = \"count >> 3\"\n");
  EXPECT_EQ(d.key, "fault[0].when");
}

TEST(Condition, ParsesEveryOperator) {
  struct Case {
    const char* text;
    CompareOp op;
    double value;
  } cases[] = {{"a == 1", CompareOp::kEq, 1},  {"a!=2", CompareOp::kNe, 2},
               {"a < -3", CompareOp::kLt, -3}, {"a <= 4.5", CompareOp::kLe, 4.5},
               {"a > 5", CompareOp::kGt, 5},   {"ctrl0.temp_c >= 6", CompareOp::kGe, 6}};
  for (const Case& c : cases) {
    std::string error;
    std::optional<Condition> cond = ParseCondition(c.text, &error);
    ASSERT_TRUE(cond.has_value()) << c.text << ": " << error;
    EXPECT_EQ(cond->op, c.op) << c.text;
    EXPECT_DOUBLE_EQ(cond->value, c.value) << c.text;
  }
  std::string error;
  EXPECT_FALSE(ParseCondition("a >= ", &error).has_value());
  EXPECT_FALSE(ParseCondition(">= 3", &error).has_value());
  EXPECT_FALSE(ParseCondition("a >= 3x", &error).has_value());
  EXPECT_FALSE(ParseCondition("a => 3", &error).has_value());
}

}  // namespace
}  // namespace nvmesim::harness
