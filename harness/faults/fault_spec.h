// One [[fault]] entry of a scenario, parsed and checked against the catalogue.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <toml++/toml.h>

#include "harness/faults/condition.h"
#include "harness/faults/fault_catalogue.h"

namespace nvmesim::harness {

enum class TriggerKind {
  kAtTime,         // at = "5ms": at this simulated time from the start of the run
  kAfterCommands,  // after_commands = N: once N I/O commands have been submitted (all jobs)
  kOnCondition,    // when = "<counter> <op> <value>": the first time the condition holds
};

struct FaultTrigger {
  TriggerKind kind = TriggerKind::kAtTime;
  uint64_t at_ps = 0;
  uint64_t after_commands = 0;
  Condition condition;  // kOnCondition
};

struct FaultParamValue {
  FaultParamType type = FaultParamType::kInteger;
  int64_t integer = 0;       // kInteger
  double real = 0;           // kFloat
  uint64_t duration_ps = 0;  // kDuration
  std::string text;          // kEnum, kString
};

struct FaultSpec {
  FaultKind kind = FaultKind::kLinkDown;
  std::string name;    // `name`, or "<kind>#<index>" (index among all [[fault]] entries)
  std::string target;  // as written; empty = "the only controller/namespace/subsystem"
  FaultTrigger trigger;
  // End, for kinds with FaultEnd::kOptional: at most one of these is set.
  std::optional<uint64_t> duration_ps;  // ends this long after it started
  std::optional<Condition> until;       // ends the first time the condition holds
  // Kind-specific parameters; every catalogued parameter with a default is present, optional
  // ones without a default (e.g. `queue`) only when given.
  std::map<std::string, FaultParamValue> params;
  int line = 0;  // line of the [[fault]] header

  bool Has(const std::string& param) const { return params.count(param) != 0; }
  int64_t Int(const std::string& param, int64_t fallback = 0) const;
  double Real(const std::string& param, double fallback = 0) const;
  uint64_t DurationPs(const std::string& param, uint64_t fallback = 0) const;
  std::string Text(const std::string& param, const std::string& fallback = "") const;
};

// Parses one [[fault]] table. `context` is its dotted path ("fault[2]"), `index` its position.
// Throws ScenarioError naming file, line and key on anything wrong: unknown kind (the error lists
// the kinds), missing or extra trigger, an end on a kind that has none, unknown keys, values out
// of range.
FaultSpec ParseFaultEntry(const toml::table& table, const std::string& file,
                          const std::string& context, int index);

// One line: "drop_completion 'drop' on ctrl0 at 5 ms (count=1)".
std::string DescribeFault(const FaultSpec& fault);

}  // namespace nvmesim::harness
