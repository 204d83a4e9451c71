// A command-line check for whole-number options.
//
// CLI11 converts unsigned options with strtoull(…, 0): "-3" wraps to 2^64 - 3
// and "010" is octal 8. Options that take a count, an id or a command dword
// use this check instead, which accepts decimal or 0x-prefixed hexadecimal
// only and names what it expected.
#pragma once

#include <CLI/CLI.hpp>
#include <cctype>
#include <string>

namespace nvmesim::harness {

inline std::string CheckWholeNumber(const std::string& s) {
  const auto digits = [&](size_t from, bool hex) {
    if (from >= s.size()) return false;
    for (size_t i = from; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (!(hex ? std::isxdigit(c) : std::isdigit(c))) return false;
    }
    return true;
  };
  const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  const bool ok = hex ? digits(2, true) : digits(0, false) && (s.size() == 1 || s[0] != '0');
  if (ok) return "";
  return "expected a whole number (decimal such as 42, or hexadecimal such as 0x2a), got \"" + s +
         "\"";
}

// Decimal or 0x hex; no sign, no leading zero (octal), no blanks.
inline CLI::Validator WholeNumber() { return CLI::Validator(CheckWholeNumber, "UINT"); }

}  // namespace nvmesim::harness
