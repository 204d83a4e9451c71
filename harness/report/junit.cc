#include "harness/report/junit.h"

#include <cstdio>

namespace nvmesim::harness {

std::string XmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += "?";  // not representable in XML 1.0
        } else {
          out += c;
        }
    }
  }
  return out;
}

namespace {
std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", s);
  return buf;
}
}  // namespace

std::string FormatJUnit(const std::string& scenario, const std::vector<ExpectationResult>& results,
                        const std::vector<std::pair<std::string, std::string>>& properties,
                        double total_seconds) {
  size_t failures = 0, errors = 0, skipped = 0;
  for (const ExpectationResult& r : results) {
    failures += r.outcome == ExpectationOutcome::kFailed;
    errors += r.outcome == ExpectationOutcome::kError;
    skipped += r.outcome == ExpectationOutcome::kSkipped;
  }
  std::string counts = " tests=\"" + std::to_string(results.size()) + "\" failures=\"" +
                       std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\"";
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"nvmesim\"" + counts + " time=\"" + Seconds(total_seconds) + "\">\n";
  out += "  <testsuite name=\"" + XmlEscape(scenario) + "\"" + counts + " skipped=\"" +
         std::to_string(skipped) + "\" time=\"" + Seconds(total_seconds) + "\">\n";
  if (!properties.empty()) {
    out += "    <properties>\n";
    for (const auto& [k, v] : properties) {
      out += "      <property name=\"" + XmlEscape(k) + "\" value=\"" + XmlEscape(v) + "\"/>\n";
    }
    out += "    </properties>\n";
  }
  for (const ExpectationResult& r : results) {
    out += "    <testcase name=\"" + XmlEscape(r.name) + "\" classname=\"" +
           XmlEscape(scenario + "." + r.kind) + "\" time=\"" + Seconds(r.time_seconds) + "\"";
    if (r.outcome == ExpectationOutcome::kPassed) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    const char* tag = r.outcome == ExpectationOutcome::kFailed  ? "failure"
                      : r.outcome == ExpectationOutcome::kError ? "error"
                                                                : "skipped";
    std::string message = "expectation '" + r.name + "' (" + r.kind + ") " +
                          (r.outcome == ExpectationOutcome::kSkipped ? "not checked" : "failed") +
                          (r.reason.empty() ? "" : ": " + r.reason);
    out += "      <" + std::string(tag) + " message=\"" + XmlEscape(message) + "\" type=\"" +
           XmlEscape(r.kind) + "\"";
    if (r.details.empty()) {
      out += "/>\n";
    } else {
      out += ">" + XmlEscape(r.details) + "</" + tag + ">\n";
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace nvmesim::harness
