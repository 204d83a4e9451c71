// "<counter> <op> <number>" conditions used by fault triggers (`when`, `until`) and by counter
// expectations, e.g. "io.completed >= 10000", "ctrl0.driver.resets >= 1". The counter names
// are the runner's (docs/scenario-reference.md lists them); this only parses the shape.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nvmesim::harness {

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct Condition {
  std::string counter;  // [A-Za-z0-9_.:\[\]-]+
  CompareOp op = CompareOp::kGe;
  double value = 0;
  std::string text;  // as written

  bool Holds(double counter_value) const;
};

const char* CompareOpText(CompareOp op);  // ">=", "==" ...
std::optional<CompareOp> ParseCompareOp(std::string_view text);

// nullopt with *error describing what was expected.
std::optional<Condition> ParseCondition(std::string_view text, std::string* error);

}  // namespace nvmesim::harness
