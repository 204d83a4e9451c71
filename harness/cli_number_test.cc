#include "harness/cli_number.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace nvmesim::harness {
namespace {

// Parses `--value TEXT` into T with the check; returns whether CLI11 accepted it.
template <typename T>
bool Parse(const std::string& text, T& out) {
  CLI::App app;
  app.add_option("--value", out)->check(WholeNumber());
  std::vector<std::string> args = {text, "--value"};  // CLI11 parses the vector back to front
  try {
    app.parse(args);
  } catch (const CLI::ParseError&) {
    return false;
  }
  return true;
}

TEST(WholeNumber, AcceptsDecimalAndHex) {
  uint64_t seed = 0;
  EXPECT_TRUE(Parse("18", seed));
  EXPECT_EQ(seed, 18u);
  EXPECT_TRUE(Parse("0", seed));
  EXPECT_EQ(seed, 0u);
  EXPECT_TRUE(Parse("0x10", seed));
  EXPECT_EQ(seed, 16u);
  EXPECT_TRUE(Parse("18446744073709551615", seed));
  EXPECT_EQ(seed, UINT64_MAX);
  uint8_t opcode = 0;
  EXPECT_TRUE(Parse("0x86", opcode));
  EXPECT_EQ(opcode, 0x86);
}

TEST(WholeNumber, RejectsWhatStrtoullWouldBend) {
  uint64_t seed = 7;
  EXPECT_FALSE(Parse("-3", seed));   // would wrap to 2^64 - 3
  EXPECT_FALSE(Parse("010", seed));  // would be octal 8
  EXPECT_FALSE(Parse("+5", seed));
  EXPECT_FALSE(Parse(" 12", seed));
  EXPECT_FALSE(Parse("0x", seed));
  EXPECT_FALSE(Parse("12k", seed));
  EXPECT_FALSE(Parse("", seed));
  EXPECT_EQ(seed, 7u);
  uint8_t opcode = 0;
  EXPECT_FALSE(Parse("0x100", opcode));  // passes the check, then does not fit: CLI11 refuses
  EXPECT_NE(CheckWholeNumber("-3").find("got \"-3\""), std::string::npos);
}

}  // namespace
}  // namespace nvmesim::harness
