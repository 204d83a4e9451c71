#include "harness/scenario/status_names.h"

#include <cctype>
#include <charconv>

namespace nvmesim::harness {
namespace {

std::string Normalize(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

std::optional<unsigned> ParseNumber(std::string_view s) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<spec::Status> ParseStatusName(std::string_view text) {
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    std::optional<unsigned> sct = ParseNumber(text.substr(0, slash));
    std::optional<unsigned> sc = ParseNumber(text.substr(slash + 1));
    // CQE status field: SCT is 3 bits, SC 8 bits (Base 2.0 Figure 99).
    if (!sct || !sc || *sct > 7 || *sc > 0xFF) return std::nullopt;
    return spec::Status(static_cast<spec::StatusCodeType>(*sct), static_cast<uint8_t>(*sc));
  }
  std::string want = Normalize(text);
  if (want.empty()) return std::nullopt;
  constexpr spec::StatusCodeType kTypes[] = {
      spec::StatusCodeType::kGeneric, spec::StatusCodeType::kCommandSpecific,
      spec::StatusCodeType::kMediaAndDataIntegrity, spec::StatusCodeType::kPathRelated};
  for (int pass = 0; pass < 2; ++pass) {
    std::string target = pass == 0 ? want : (want[0] == 'k' ? want.substr(1) : std::string());
    if (target.empty()) continue;
    for (spec::StatusCodeType t : kTypes) {
      for (unsigned code = 0; code <= 0xFF; ++code) {
        const char* name = spec::StatusName(t, static_cast<uint8_t>(code));
        if (name != nullptr && Normalize(name) == target) {
          return spec::Status(t, static_cast<uint8_t>(code));
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace nvmesim::harness
