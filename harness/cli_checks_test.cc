#include "harness/cli_checks.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
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
  EXPECT_FALSE(Parse("18446744073709551616", seed));  // 2^64: strtoull would give 2^64 - 1
  EXPECT_FALSE(Parse("0x10000000000000000", seed));
  EXPECT_FALSE(Parse("0x0x1", seed));
  EXPECT_NE(CheckWholeNumber("99999999999999999999").find("below 2^64"), std::string::npos);
  EXPECT_EQ(seed, 7u);
  uint8_t opcode = 0;
  EXPECT_FALSE(Parse("0x100", opcode));  // passes the check, then does not fit: CLI11 refuses
  EXPECT_NE(CheckWholeNumber("-3").find("got \"-3\""), std::string::npos);
}

TEST(WritableFile, NewFileInAnExistingDirectoryOrAWritableFile) {
  const std::string dir = ::testing::TempDir();
  EXPECT_EQ(CheckWritableFile(dir + "/new_results.json"), "");
  EXPECT_EQ(CheckWritableFile("relative_name.json"), "");  // the working directory
  const std::string missing = dir + "/no_such_dir/r.json";
  EXPECT_NE(CheckWritableFile(missing).find("does not exist"), std::string::npos)
      << CheckWritableFile(missing);
  EXPECT_NE(CheckWritableFile(dir).find("is a directory"), std::string::npos);
  std::string out = dir + "/out.json";
  {
    std::FILE* f = std::fopen(out.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  EXPECT_EQ(CheckWritableFile(out), "");
  // Through CLI11: the option names itself.
  CLI::App app;
  std::string json;
  app.add_option("--json", json)->check(WritableFile());
  try {
    app.parse(std::vector<std::string>{missing, "--json"});
    ADD_FAILURE() << "accepted " << missing;
  } catch (const CLI::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("--json"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nvmesim::harness
