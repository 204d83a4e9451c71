#include "harness/scenario/toml_reader.h"

#include <cmath>
#include <sstream>
#include <utility>

#include "harness/scenario/units.h"

namespace nvmesim::harness {

TomlReader::TomlReader(const toml::table& table, std::string file, std::string context)
    : table_(table), file_(std::move(file)), context_(std::move(context)) {}

int TomlReader::line() const { return static_cast<int>(table_.source().begin.line); }

std::pair<int, int> TomlReader::Position(const toml::node* node) {
  if (node == nullptr) return {0, 0};
  return {static_cast<int>(node->source().begin.line),
          static_cast<int>(node->source().begin.column)};
}

std::string TomlReader::KeyPath(std::string_view key) const {
  if (context_.empty()) return std::string(key);
  if (key.empty()) return context_;
  return context_ + "." + std::string(key);
}

bool TomlReader::Has(std::string_view key) const { return table_.get(key) != nullptr; }

const toml::node* TomlReader::Raw(std::string_view key) {
  known_.insert(std::string(key));
  return table_.get(key);
}

void TomlReader::Fail(std::string_view key, const std::string& message) const {
  Diagnostic d;
  d.file = file_;
  const toml::node* node = key.empty() ? nullptr : table_.get(key);
  auto [line, column] = Position(node != nullptr ? node : &table_);
  d.line = line;
  d.column = column;
  d.key = KeyPath(key);
  d.message = message;
  throw ScenarioError(std::move(d));
}

std::string DescribeValue(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "\"" + std::string(*node.value<std::string_view>()) + "\"";
    case toml::node_type::integer:
      return std::to_string(*node.value<int64_t>());
    case toml::node_type::floating_point: {
      std::ostringstream os;
      os << *node.value<double>();
      return os.str();
    }
    case toml::node_type::boolean:
      return *node.value<bool>() ? "true" : "false";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date/time";
  }
}

std::optional<std::string> TomlReader::String(std::string_view key, bool required) {
  const toml::node* n = Raw(key);
  if (n == nullptr) {
    if (required) Fail(key, "missing required key (expected a string)");
    return std::nullopt;
  }
  if (!n->is_string()) Fail(key, "expected a string, got " + DescribeValue(*n));
  return std::string(*n->value<std::string_view>());
}

std::optional<std::string> TomlReader::Enum(std::string_view key,
                                            std::initializer_list<std::string_view> allowed,
                                            bool required) {
  std::string list;
  for (std::string_view a : allowed) {
    if (!list.empty()) list += ", ";
    list += "\"" + std::string(a) + "\"";
  }
  const toml::node* n = Raw(key);
  if (n == nullptr) {
    if (required) Fail(key, "missing required key (expected one of " + list + ")");
    return std::nullopt;
  }
  std::string hint;
  if (n->is_string()) {
    std::string_view v = *n->value<std::string_view>();
    for (std::string_view a : allowed) {
      if (a == v) return std::string(v);
    }
    hint = DidYouMean(v, std::vector<std::string>(allowed.begin(), allowed.end()));
  }
  Fail(key, "expected one of " + list + ", got " + DescribeValue(*n) + hint);
}

std::optional<int64_t> TomlReader::Int(std::string_view key, int64_t min, int64_t max,
                                       bool required, std::string_view limit_reason) {
  const toml::node* n = Raw(key);
  std::string range = "an integer " + std::to_string(min) + ".." + std::to_string(max);
  if (!limit_reason.empty()) range += " (" + std::string(limit_reason) + ")";
  if (n == nullptr) {
    if (required) Fail(key, "missing required key (expected " + range + ")");
    return std::nullopt;
  }
  if (!n->is_integer()) Fail(key, "expected " + range + ", got " + DescribeValue(*n));
  int64_t v = *n->value<int64_t>();
  if (v < min || v > max) Fail(key, "expected " + range + ", got " + std::to_string(v));
  return v;
}

std::optional<double> TomlReader::Float(std::string_view key, double min, double max,
                                        bool required) {
  const toml::node* n = Raw(key);
  std::ostringstream range;
  range << "a number " << min << ".." << max;
  if (n == nullptr) {
    if (required) Fail(key, "missing required key (expected " + range.str() + ")");
    return std::nullopt;
  }
  if (!n->is_number()) Fail(key, "expected " + range.str() + ", got " + DescribeValue(*n));
  double v = n->is_integer() ? static_cast<double>(*n->value<int64_t>()) : *n->value<double>();
  if (!(v >= min && v <= max)) Fail(key, "expected " + range.str() + ", got " + DescribeValue(*n));
  return v;
}

std::optional<bool> TomlReader::Bool(std::string_view key, bool required) {
  const toml::node* n = Raw(key);
  if (n == nullptr) {
    if (required) Fail(key, "missing required key (expected true or false)");
    return std::nullopt;
  }
  if (!n->is_boolean()) Fail(key, "expected true or false, got " + DescribeValue(*n));
  return *n->value<bool>();
}

std::optional<uint64_t> TomlReader::Size(std::string_view key, bool required) {
  const toml::node* n = Raw(key);
  if (n == nullptr) {
    if (required) Fail(key, "missing required key (expected a size such as \"4k\" or \"1GiB\")");
    return std::nullopt;
  }
  if (n->is_integer()) {
    int64_t v = *n->value<int64_t>();
    if (v < 0) Fail(key, "expected a size in bytes, got " + std::to_string(v));
    return static_cast<uint64_t>(v);
  }
  if (!n->is_string())
    Fail(key, "expected a size such as \"4k\" or \"1GiB\", got " + DescribeValue(*n));
  std::string error;
  std::optional<uint64_t> v =
      ParseSize(*n->value<std::string_view>(), SizeStyle::kScenario, &error);
  if (!v) Fail(key, "expected " + error + ", got " + DescribeValue(*n));
  return v;
}

std::optional<uint64_t> TomlReader::Duration(std::string_view key, bool required) {
  const toml::node* n = Raw(key);
  if (n == nullptr) {
    if (required) Fail(key, "missing required key (expected a duration such as \"200us\")");
    return std::nullopt;
  }
  if (!n->is_string()) {
    Fail(key, "expected a duration with a unit such as \"200us\" or \"1.5ms\", got " +
                  DescribeValue(*n));
  }
  std::string error;
  std::optional<uint64_t> v = ParseDuration(*n->value<std::string_view>(), 0, &error);
  if (!v) Fail(key, "expected " + error + ", got " + DescribeValue(*n));
  return v;
}

std::optional<std::vector<std::string>> TomlReader::StringList(std::string_view key,
                                                               bool required) {
  const toml::node* n = Raw(key);
  if (n == nullptr) {
    if (required) Fail(key, "missing required key (expected a string or an array of strings)");
    return std::nullopt;
  }
  std::vector<std::string> out;
  if (n->is_string()) {
    out.emplace_back(*n->value<std::string_view>());
    return out;
  }
  if (!n->is_array())
    Fail(key, "expected a string or an array of strings, got " + DescribeValue(*n));
  for (const toml::node& e : *n->as_array()) {
    if (!e.is_string())
      Fail(key, "expected an array of strings, found element " + DescribeValue(e));
    out.emplace_back(*e.value<std::string_view>());
  }
  return out;
}

std::vector<const toml::table*> TomlReader::TableList(std::string_view key) {
  const toml::node* n = Raw(key);
  std::vector<const toml::table*> out;
  if (n == nullptr) return out;
  if (n->is_table()) {
    out.push_back(n->as_table());
    return out;
  }
  if (!n->is_array_of_tables())
    Fail(key, "expected [[" + std::string(key) + "]] tables, got " + DescribeValue(*n));
  for (const toml::node& e : *n->as_array()) out.push_back(e.as_table());
  return out;
}

const toml::table* TomlReader::Table(std::string_view key, bool required) {
  const toml::node* n = Raw(key);
  if (n == nullptr) {
    if (required) Fail(key, "missing required table");
    return nullptr;
  }
  if (!n->is_table()) Fail(key, "expected a table, got " + DescribeValue(*n));
  return n->as_table();
}

void TomlReader::RejectUnknown() const {
  for (const auto& [k, v] : table_) {
    if (known_.count(k.str()) != 0) continue;
    std::string list;
    for (const std::string& s : known_) {
      if (!list.empty()) list += ", ";
      list += s;
    }
    Diagnostic d;
    d.file = file_;
    auto [line, column] = Position(&v);
    d.line = line;
    d.column = column;
    d.key = KeyPath(k.str());
    d.message = "unknown key" +
                DidYouMean(k.str(), std::vector<std::string>(known_.begin(), known_.end())) +
                " (known keys here: " + list + ")";
    throw ScenarioError(std::move(d));
  }
}

toml::table ParseTomlDocument(std::string_view text, const std::string& path) {
  try {
    return toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    Diagnostic d;
    d.file = path;
    d.line = static_cast<int>(e.source().begin.line);
    d.column = static_cast<int>(e.source().begin.column);
    d.message = "TOML syntax: " + std::string(e.description());
    throw ScenarioError(std::move(d));
  }
}

}  // namespace nvmesim::harness
