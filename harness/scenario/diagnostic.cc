#include "harness/scenario/diagnostic.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace nvmesim::harness {
namespace {

// Bytes from outside (a key read from a binary file, say) are shown as \xNN:
// a NUL would end the printed message and a control byte could garble the terminal.
std::string Printable(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string Diagnostic::ToString() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  out += ": ";
  if (!key.empty()) out += Printable(key) + ": ";
  out += Printable(message);
  return out;
}

namespace {
// Levenshtein distance, case-insensitive (names are short: one row of DP).
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      const size_t next = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;  // two edits at most
  for (const std::string& c : candidates) {
    const size_t d = EditDistance(name, c);
    if (d < best_distance && 2 * d < name.size()) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string best = ClosestName(name, candidates);
  return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

ScenarioError::ScenarioError(Diagnostic d)
    : std::runtime_error(d.ToString()), diagnostic_(std::move(d)) {}

}  // namespace nvmesim::harness
