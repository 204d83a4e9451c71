// Command-line checks shared by the nvmesim subcommands.
//
// WholeNumber: CLI11 converts unsigned options with strtoull(…, 0): "-3" wraps
// to 2^64 - 3 and "010" is octal 8. Options that take a count, an id or a
// command dword use this check instead, which accepts decimal or 0x-prefixed
// hexadecimal below 2^64 only (strtoull would saturate larger values) and
// names what it expected.
//
// WritableFile: an output file (--json, --junit, --trace) is checked before a
// run that may take long, not when the run is over.
#pragma once

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

namespace nvmesim::harness {

inline std::string CheckWholeNumber(const std::string& s) {
  const std::string expected =
      "expected a whole number (decimal such as 42, or hexadecimal such as 0x2a)";
  const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  const char* first = s.data() + (hex ? 2 : 0);
  const char* last = s.data() + s.size();
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(first, last, value, hex ? 16 : 10);
  // strtoull would saturate at 2^64 - 1 without a word.
  if (ec == std::errc::result_out_of_range) return expected + " below 2^64, got \"" + s + "\"";
  const bool octal_looking = !hex && s.size() > 1 && s[0] == '0';
  if (ec != std::errc() || end != last || octal_looking) return expected + ", got \"" + s + "\"";
  return "";
}

// Decimal or 0x hex below 2^64; no sign, no leading zero (octal), no blanks.
inline CLI::Validator WholeNumber() { return CLI::Validator(CheckWholeNumber, "UINT"); }

// "" when `path` can be written: an existing file we may write, or a new name
// in an existing directory we may write.
inline std::string CheckWritableFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_directory(p, ec)) return "\"" + path + "\" is a directory, expected a file name";
  if (fs::exists(p, ec)) {
    if (::access(path.c_str(), W_OK) != 0) return "cannot write \"" + path + "\"";
    return "";
  }
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) {
    return "directory \"" + dir.string() + "\" of \"" + path + "\" does not exist";
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return "cannot create files in \"" + dir.string() + "\"";
  }
  return "";
}

inline CLI::Validator WritableFile() { return CLI::Validator(CheckWritableFile, "FILE"); }

}  // namespace nvmesim::harness
