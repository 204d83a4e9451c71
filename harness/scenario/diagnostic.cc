#include "harness/scenario/diagnostic.h"

#include <utility>

namespace nvmesim::harness {

std::string Diagnostic::ToString() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  out += ": ";
  if (!key.empty()) out += key + ": ";
  out += message;
  return out;
}

ScenarioError::ScenarioError(Diagnostic d)
    : std::runtime_error(d.ToString()), diagnostic_(std::move(d)) {}

}  // namespace nvmesim::harness
