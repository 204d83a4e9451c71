#include "harness/scenario/units.h"

#include <gtest/gtest.h>

#include "harness/scenario/status_names.h"

namespace nvmesim::harness {
namespace {

uint64_t Size(const char* s, SizeStyle style = SizeStyle::kScenario) {
  std::string error;
  std::optional<uint64_t> v = ParseSize(s, style, &error);
  EXPECT_TRUE(v.has_value()) << s << ": " << error;
  return v.value_or(0);
}

uint64_t Time(const char* s, uint64_t bare = 0) {
  std::string error;
  std::optional<uint64_t> v = ParseDuration(s, bare, &error);
  EXPECT_TRUE(v.has_value()) << s << ": " << error;
  return v.value_or(0);
}

TEST(Units, SizesWithUnits) {
  EXPECT_EQ(Size("512"), 512u);
  EXPECT_EQ(Size("4k"), 4096u);
  EXPECT_EQ(Size("4K"), 4096u);
  EXPECT_EQ(Size("256MiB"), 256ull << 20);
  EXPECT_EQ(Size("1GB"), 1ull << 30);
  EXPECT_EQ(Size("3MB"), 3ull << 20);
  EXPECT_EQ(Size("1GB", SizeStyle::kFio), 1ull << 30);
  EXPECT_EQ(Size("4KiB", SizeStyle::kFio), 4096u);
  EXPECT_EQ(Size("1.5g"), 3ull << 29);
  EXPECT_EQ(Size("2TiB"), 2ull << 40);
  EXPECT_EQ(Size(" 8 k "), 8192u);
  std::string error;
  EXPECT_FALSE(ParseSize("4x", SizeStyle::kScenario, &error).has_value());
  EXPECT_NE(error.find("unknown unit \"x\""), std::string::npos);
  EXPECT_FALSE(ParseSize("k", SizeStyle::kScenario, &error).has_value());
  EXPECT_FALSE(ParseSize("0.3", SizeStyle::kScenario, &error).has_value());  // not whole bytes
  EXPECT_FALSE(ParseSize("100000PiB", SizeStyle::kScenario, &error).has_value());  // overflow
  EXPECT_FALSE(ParseSize("-4k", SizeStyle::kScenario, &error).has_value());
}

TEST(Units, DurationsWithUnits) {
  EXPECT_EQ(Time("200us"), 200 * kPsPerUs);
  EXPECT_EQ(Time("1.5ms"), 1500 * kPsPerUs);
  EXPECT_EQ(Time("2s"), 2 * kPsPerSecond);
  EXPECT_EQ(Time("10ns"), 10 * kPsPerNs);
  EXPECT_EQ(Time("7ps"), 7u);
  EXPECT_EQ(Time("1m"), 60 * kPsPerSecond);
  EXPECT_EQ(Time("30", kPsPerSecond), 30 * kPsPerSecond);  // fio runtime=30
  std::string error;
  EXPECT_FALSE(ParseDuration("30", 0, &error).has_value());
  EXPECT_NE(error.find("no unit"), std::string::npos);
  EXPECT_FALSE(ParseDuration("1.5ps", 0, &error).has_value());
  EXPECT_FALSE(ParseDuration("3 weeks", 0, &error).has_value());
}

TEST(Units, FormatRoundTrips) {
  EXPECT_EQ(FormatSize(4096), "4 KiB");
  EXPECT_EQ(FormatSize(1ull << 30), "1 GiB");
  EXPECT_EQ(FormatSize(1000), "1000 B");
  EXPECT_EQ(FormatDuration(1500 * kPsPerUs), "1.5 ms");
  EXPECT_EQ(FormatDuration(200 * kPsPerUs), "200 us");
  EXPECT_EQ(FormatDuration(2 * kPsPerSecond), "2 s");
  EXPECT_EQ(FormatDuration(1234), "1.234 ns");
  EXPECT_EQ(FormatDuration(0), "0 ps");
}

TEST(StatusNames, ByNameEnumStyleAndNumbers) {
  auto s = ParseStatusName("LBA Out of Range");
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->Is(spec::GenericStatus::kLbaOutOfRange));
  s = ParseStatusName("unrecovered_read_error");
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->Is(spec::MediaStatus::kUnrecoveredReadError));
  s = ParseStatusName("kZoneIsReadOnly");
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->Is(spec::CommandSpecificStatus::kZoneIsReadOnly));
  s = ParseStatusName("command aborted by host");
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->Is(spec::PathStatus::kCommandAbortedByHost));
  s = ParseStatusName("2/0x81");
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->Is(spec::MediaStatus::kUnrecoveredReadError));
  EXPECT_FALSE(ParseStatusName("Totally Fine").has_value());
  EXPECT_FALSE(ParseStatusName("8/0x01").has_value());
  EXPECT_FALSE(ParseStatusName("0/0x100").has_value());
}

}  // namespace
}  // namespace nvmesim::harness
