#include "harness/scenario/units.h"

#include <array>
#include <cctype>
#include <limits>

namespace nvmesim::harness {
namespace {

struct Unit {
  std::string_view suffix;
  uint64_t scale;
};

// Splits "1.5ms" into the number "1.5" and the suffix "ms" (surrounding blanks ignored).
bool SplitNumber(std::string_view text, std::string_view* number, std::string_view* suffix) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  size_t i = 0;
  bool digits = false, dot = false;
  while (i < text.size()) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
    ++i;
  }
  if (!digits) return false;
  *number = text.substr(0, i);
  std::string_view rest = text.substr(i);
  while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front())))
    rest.remove_prefix(1);
  *suffix = rest;
  return true;
}

// number * scale exactly, where number is a decimal with an optional fraction.
std::optional<uint64_t> ScaleDecimal(std::string_view number, uint64_t scale) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  size_t dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string_view frac =
      dot == std::string_view::npos ? std::string_view() : number.substr(dot + 1);
  unsigned __int128 value = 0;
  for (char c : whole) {
    value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > kMax) return std::nullopt;
  }
  value *= scale;
  if (value > kMax) return std::nullopt;
  unsigned __int128 frac_num = 0, frac_den = 1;
  for (char c : frac) {
    if (frac_den > (static_cast<unsigned __int128>(1) << 100)) return std::nullopt;
    frac_num = frac_num * 10 + static_cast<unsigned>(c - '0');
    frac_den *= 10;
  }
  unsigned __int128 frac_scaled = frac_num * scale;
  if (frac_scaled % frac_den != 0) return std::nullopt;
  value += frac_scaled / frac_den;
  if (value > kMax) return std::nullopt;
  return static_cast<uint64_t>(value);
}

constexpr uint64_t kKi = 1024;
constexpr uint64_t kMi = kKi * 1024;
constexpr uint64_t kGi = kMi * 1024;
constexpr uint64_t kTi = kGi * 1024;
constexpr uint64_t kPi = kTi * 1024;

}  // namespace

std::optional<uint64_t> ParseSize(std::string_view text, SizeStyle style, std::string* error) {
  std::string_view number, suffix;
  const char* expected =
      "a size: a whole number of bytes or a number with a unit (4k, 256MiB, 1GB, 512)";
  if (!SplitNumber(text, &number, &suffix)) {
    if (error) *error = expected;
    return std::nullopt;
  }
  static constexpr std::array<Unit, 21> kBinary = {{
      {"", 1},    {"b", 1},     {"B", 1},     {"k", kKi}, {"K", kKi},   {"KiB", kKi}, {"kiB", kKi},
      {"m", kMi}, {"M", kMi},   {"MiB", kMi}, {"g", kGi}, {"G", kGi},   {"GiB", kGi}, {"t", kTi},
      {"T", kTi}, {"TiB", kTi}, {"p", kPi},   {"P", kPi}, {"PiB", kPi}, {"Ki", kKi},  {"Mi", kMi},
  }};
  static constexpr std::array<Unit, 10> kSi = {{
      {"kB", 1000ull},
      {"KB", 1000ull},
      {"MB", 1000000ull},
      {"GB", 1000000000ull},
      {"TB", 1000000000000ull},
      {"kb", 1000ull},
      {"mb", 1000000ull},
      {"gb", 1000000000ull},
      {"tb", 1000000000000ull},
      {"PB", 1000000000000000ull},
  }};
  std::optional<uint64_t> scale;
  for (const Unit& u : kBinary) {
    if (u.suffix == suffix) scale = u.scale;
  }
  if (!scale) {
    for (const Unit& u : kSi) {
      if (u.suffix == suffix) {
        // Two-letter SI forms are powers of 1024 too (see units.h).
        (void)style;
        uint64_t s = 1;
        for (uint64_t v = u.scale; v > 1; v /= 1000) s *= 1024;
        scale = s;
      }
    }
  }
  if (!scale) {
    if (error) *error = std::string(expected) + "; unknown unit \"" + std::string(suffix) + "\"";
    return std::nullopt;
  }
  std::optional<uint64_t> v = ScaleDecimal(number, *scale);
  if (!v && error)
    *error = std::string(expected) + "; \"" + std::string(text) +
             "\" is not a whole number of bytes or does not fit in 64 bits";
  return v;
}

std::optional<uint64_t> ParseDuration(std::string_view text, uint64_t bare_unit_ps,
                                      std::string* error) {
  std::string_view number, suffix;
  const char* expected = "a duration with a unit (500ps, 10ns, 200us, 1.5ms, 2s, 1m, 1h)";
  if (!SplitNumber(text, &number, &suffix)) {
    if (error) *error = expected;
    return std::nullopt;
  }
  static constexpr std::array<Unit, 9> kUnits = {{
      {"ps", 1},
      {"ns", kPsPerNs},
      {"us", kPsPerUs},
      {"\xC2\xB5s", kPsPerUs},
      {"ms", kPsPerMs},
      {"s", kPsPerSecond},
      {"sec", kPsPerSecond},
      {"m", 60 * kPsPerSecond},
      {"h", 3600 * kPsPerSecond},
  }};
  std::optional<uint64_t> scale;
  if (suffix.empty()) {
    if (bare_unit_ps == 0) {
      if (error) *error = std::string(expected) + "; \"" + std::string(text) + "\" has no unit";
      return std::nullopt;
    }
    scale = bare_unit_ps;
  }
  for (const Unit& u : kUnits) {
    if (u.suffix == suffix) scale = u.scale;
  }
  if (!scale) {
    if (error) *error = std::string(expected) + "; unknown unit \"" + std::string(suffix) + "\"";
    return std::nullopt;
  }
  std::optional<uint64_t> v = ScaleDecimal(number, *scale);
  if (!v && error)
    *error = std::string(expected) + "; \"" + std::string(text) +
             "\" is not a whole number of picoseconds or does not fit in 64 bits";
  return v;
}

std::string FormatSize(uint64_t bytes) {
  static constexpr std::array<Unit, 5> kUnits = {
      {{"PiB", kPi}, {"TiB", kTi}, {"GiB", kGi}, {"MiB", kMi}, {"KiB", kKi}}};
  if (bytes != 0) {
    for (const Unit& u : kUnits) {
      if (bytes % u.scale == 0)
        return std::to_string(bytes / u.scale) + " " + std::string(u.suffix);
    }
  }
  return std::to_string(bytes) + " B";
}

std::string FormatDuration(uint64_t ps) {
  static constexpr std::array<Unit, 5> kUnits = {
      {{"s", kPsPerSecond}, {"ms", kPsPerMs}, {"us", kPsPerUs}, {"ns", kPsPerNs}, {"ps", 1}}};
  for (const Unit& u : kUnits) {
    if (ps >= u.scale || u.scale == 1) {
      uint64_t whole = ps / u.scale, rest = ps % u.scale;
      std::string out = std::to_string(whole);
      if (rest != 0) {
        std::string frac = std::to_string(rest);
        std::string digits = std::to_string(u.scale - 1);  // width of the fraction
        frac.insert(0, digits.size() - frac.size(), '0');
        while (!frac.empty() && frac.back() == '0') frac.pop_back();
        out += "." + frac;
      }
      return out + " " + std::string(u.suffix);
    }
  }
  return "0 ps";
}

}  // namespace nvmesim::harness
