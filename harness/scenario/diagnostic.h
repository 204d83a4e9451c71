// Errors in scenario and job files: each names the file, the line (and column), the key and
// what was expected. Thrown as ScenarioError by the parsers; returned as a list by Validate.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nvmesim::harness {

struct Diagnostic {
  std::string file;     // as given to the parser (path of the scenario or job file)
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string key;      // dotted path, e.g. "controller[1].link.generation"; may be empty
  std::string message;  // what was expected and what was found

  // "scenarios/a.toml:12:14: controller[1].link.generation: expected ... got 6"
  std::string ToString() const;
};

class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(Diagnostic d);
  const Diagnostic& diagnostic() const { return diagnostic_; }

 private:
  Diagnostic diagnostic_;
};

// The candidate nearest to `name` for a "did you mean" hint: at most two
// single-character edits away (case ignored) and fewer than half of its length;
// "" when none is that close. Ties go to the earliest candidate.
std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates);

// " (did you mean \"x\"?)" for the closest candidate, or "".
std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace nvmesim::harness
