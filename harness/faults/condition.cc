#include "harness/faults/condition.h"

#include <cctype>
#include <cstdlib>

namespace nvmesim::harness {

bool Condition::Holds(double v) const {
  switch (op) {
    case CompareOp::kEq:
      return v == value;
    case CompareOp::kNe:
      return v != value;
    case CompareOp::kLt:
      return v < value;
    case CompareOp::kLe:
      return v <= value;
    case CompareOp::kGt:
      return v > value;
    case CompareOp::kGe:
      return v >= value;
  }
  return false;
}

const char* CompareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "==";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGe:
      return ">=";
  }
  return "?";
}

std::optional<CompareOp> ParseCompareOp(std::string_view t) {
  if (t == "==" || t == "=") return CompareOp::kEq;
  if (t == "!=") return CompareOp::kNe;
  if (t == "<") return CompareOp::kLt;
  if (t == "<=") return CompareOp::kLe;
  if (t == ">") return CompareOp::kGt;
  if (t == ">=") return CompareOp::kGe;
  return std::nullopt;
}

std::optional<Condition> ParseCondition(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<Condition> {
    if (error) {
      *error =
          "expected \"<counter> <op> <number>\" with op one of == != < <= > >= (e.g. "
          "\"io.completed >= 10000\"); " +
          why;
    }
    return std::nullopt;
  };
  size_t i = 0;
  auto skip = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  skip();
  size_t start = i;
  while (i < text.size()) {
    char c = text[i];
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' ||
        c == '[' || c == ']' || c == '-') {
      ++i;
    } else {
      break;
    }
  }
  Condition cond;
  cond.counter = std::string(text.substr(start, i - start));
  if (cond.counter.empty() || std::isdigit(static_cast<unsigned char>(cond.counter[0]))) {
    return fail("no counter name");
  }
  skip();
  size_t op_start = i;
  while (i < text.size() && (text[i] == '<' || text[i] == '>' || text[i] == '=' || text[i] == '!'))
    ++i;
  std::optional<CompareOp> op = ParseCompareOp(text.substr(op_start, i - op_start));
  if (!op) return fail("no comparison operator");
  cond.op = *op;
  skip();
  std::string number(text.substr(i));
  while (!number.empty() && std::isspace(static_cast<unsigned char>(number.back())))
    number.pop_back();
  if (number.empty()) return fail("no number");
  char* end = nullptr;
  cond.value = std::strtod(number.c_str(), &end);
  if (end == nullptr || *end != '\0') return fail("\"" + number + "\" is not a number");
  cond.text = std::string(text);
  return cond;
}

}  // namespace nvmesim::harness
