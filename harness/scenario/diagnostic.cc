#include "harness/scenario/diagnostic.h"

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

ScenarioError::ScenarioError(Diagnostic d)
    : std::runtime_error(d.ToString()), diagnostic_(std::move(d)) {}

}  // namespace nvmesim::harness
