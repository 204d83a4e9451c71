#include "harness/report/junit.h"

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

TEST(JUnit, OneTestcasePerExpectationAndFailuresSayWhy) {
  std::vector<ExpectationResult> r = {
      {"every request completed exactly once", "all_completed", ExpectationOutcome::kPassed, "", "",
       0.5},
      {"recovered from <lost> completion", "recovery", ExpectationOutcome::kFailed,
       "recovery took 180 ms, bound 100 ms", "fault at 12 ms\nfirst completion at 192 ms", 0.2},
      {"temperature", "counter", ExpectationOutcome::kSkipped, "run stopped early", "", 0},
  };
  std::string x = FormatJUnit("default", r, {{"seed", "1"}, {"trace_hash", "ab\"cd"}}, 1.25);
  EXPECT_NE(
      x.find("<testsuite name=\"default\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""),
      std::string::npos)
      << x;
  EXPECT_NE(x.find("<testcase name=\"every request completed exactly once\" "
                   "classname=\"default.all_completed\" time=\"0.500000\"/>"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("<failure message=\"expectation &apos;recovered from &lt;lost&gt; "
                   "completion&apos; (recovery) failed: "
                   "recovery took 180 ms, bound 100 ms\" type=\"recovery\">fault at 12 ms\nfirst "
                   "completion at 192 ms</failure>"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("<skipped message=\"expectation &apos;temperature&apos; (counter) not checked: "
                   "run stopped early\""),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("<property name=\"trace_hash\" value=\"ab&quot;cd\"/>"), std::string::npos);
  EXPECT_EQ(x.rfind("</testsuites>\n"), x.size() - 14);
  EXPECT_EQ(XmlEscape("a&b<c>\x01"), "a&amp;b&lt;c&gt;?");
}

}  // namespace
}  // namespace nvmesim::harness
