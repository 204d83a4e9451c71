// Typed, strict access to one TOML table: every getter records the key as known, values are
// checked against their limits, and RejectUnknown() turns any other key into an error. Every
// error is a ScenarioError naming file, line, column and the dotted key.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "harness/scenario/diagnostic.h"

namespace nvmesim::harness {

class TomlReader {
 public:
  // `context` is the dotted path of the table itself ("controller[1]", "fault[0]").
  TomlReader(const toml::table& table, std::string file, std::string context);

  const toml::table& table() const { return table_; }
  const std::string& file() const { return file_; }
  const std::string& context() const { return context_; }
  int line() const;  // line of the table itself

  bool Has(std::string_view key) const;
  // The raw node (marks the key as known); nullptr when absent.
  const toml::node* Raw(std::string_view key);

  std::optional<std::string> String(std::string_view key, bool required = false);
  // One of `allowed` (exact match); the error lists them.
  std::optional<std::string> Enum(std::string_view key,
                                  std::initializer_list<std::string_view> allowed,
                                  bool required = false);
  std::optional<int64_t> Int(std::string_view key, int64_t min, int64_t max, bool required = false,
                             std::string_view limit_reason = {});
  std::optional<double> Float(std::string_view key, double min, double max, bool required = false);
  std::optional<bool> Bool(std::string_view key, bool required = false);
  // A size: a string with a unit ("4k", "1GiB", "1GB") or an integer number of bytes.
  std::optional<uint64_t> Size(std::string_view key, bool required = false);
  // A duration: a string with a unit ("200us", "1.5ms"); picoseconds.
  std::optional<uint64_t> Duration(std::string_view key, bool required = false);
  // A string or an array of strings.
  std::optional<std::vector<std::string>> StringList(std::string_view key, bool required = false);
  // An array of tables or a single table; absent → empty.
  std::vector<const toml::table*> TableList(std::string_view key);
  const toml::table* Table(std::string_view key, bool required = false);

  // Raises the error at the key's value (or at the table when the key is absent).
  [[noreturn]] void Fail(std::string_view key, const std::string& message) const;
  // Every key present that no getter asked for is an error that names it and lists the known ones.
  void RejectUnknown() const;

  std::string KeyPath(std::string_view key) const;
  // Position of a node as (line, column).
  static std::pair<int, int> Position(const toml::node* node);

 private:
  const toml::table& table_;
  std::string file_;
  std::string context_;
  std::set<std::string, std::less<>> known_;
};

// Describes a TOML value for an error message: `"abc"`, `6`, `a table`.
std::string DescribeValue(const toml::node& node);

// Parses a TOML document; a syntax error is a ScenarioError naming `path`,
// line and column.
toml::table ParseTomlDocument(std::string_view text, const std::string& path);

}  // namespace nvmesim::harness
