#include "device_model/media/profile_loader.h"

#include <gtest/gtest.h>

#include "device_model/media/media_model.h"

namespace nvmesim::device::media {
namespace {

const char* kShipped[] = {"target", "pcie4_990pro", "pcie5_t705", "unlimited"};

TEST(Profiles, ShippedProfilesLoadAndValidate) {
  for (const char* name : kShipped) {
    const ProfileLoad l = LoadProfile(std::string("scenarios/profiles/") + name + ".toml");
    ASSERT_TRUE(l.ok()) << l.error;
    EXPECT_EQ(l.profile.name, name);
    std::string e;
    EXPECT_NE(MakeMediaTiming(l.profile, &e), nullptr) << e;
  }
}

TEST(Profiles, TargetHasTheSpecifiedLinkAndAFastChannel) {
  const ProfileLoad l = LoadProfile("scenarios/profiles/target.toml");
  ASSERT_TRUE(l.ok()) << l.error;
  EXPECT_EQ(l.profile.link.generation, 5u);
  EXPECT_EQ(l.profile.link.width, 4u);
  EXPECT_FALSE(l.profile.unlimited);
  EXPECT_TRUE(LoadProfile("scenarios/profiles/unlimited.toml").profile.unlimited);
}

constexpr const char* kBase = R"(name = "t"
[nand]
channels = 4
channel_mts = 2400
)";

std::string ErrorOf(const std::string& text) { return ParseProfile(text, "p.toml").error; }

TEST(ProfileErrors, ValueBeyondItsLimitNamesFileLineKeyAndLimit) {
  const std::string e = ErrorOf(R"(name = "t"
[nand]
channels = 4
channel_mts = 4000
)");
  EXPECT_EQ(e, "p.toml:4: nand.channel_mts: 4000 is not 1..3600 (ONFI 5.1 NV-LPDDR4)");
}

TEST(ProfileErrors, UnknownKeysAndTablesAreRejected) {
  const std::string chanels = ErrorOf(std::string(kBase) + "chanels = 8\n");
  EXPECT_EQ(chanels.rfind("p.toml:5: nand.chanels: unknown key (known in [nand]: ", 0), 0u)
      << chanels;
  EXPECT_NE(chanels.find("channels"), std::string::npos) << chanels;  // the right spelling
  EXPECT_NE(ErrorOf("name = \"t\"\n[nandd]\nx = 1\n").find("p.toml:2: nandd: unknown key"),
            std::string::npos);
}

TEST(ProfileErrors, WrongTypesAreNamed) {
  EXPECT_EQ(ErrorOf("name = \"t\"\n[nand]\nchannels = \"8\"\n"),
            "p.toml:3: nand.channels: expects an integer");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[nand]\nmulti_plane = 1\n"),
            "p.toml:3: nand.multi_plane: expects true or false");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[nand]\nchannels = -2\n"),
            "p.toml:3: nand.channels: -2 is negative");
}

TEST(ProfileErrors, MissingNameAndSyntaxErrors) {
  EXPECT_EQ(ErrorOf("[nand]\nchannels = 8\n"),
            "p.toml: name: missing (every profile names itself)");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[nand\n").rfind("p.toml:2: ", 0), 0u);
}

TEST(ProfileErrors, CrossFieldLimits) {
  EXPECT_EQ(ErrorOf("name = \"t\"\n[link]\nmax_payload_size = 384\n"),
            "p.toml:3: link.max_payload_size: 384 is not a power of two in 128..4096 "
            "(PCIe 5.0 7.5.3.4)");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[link]\ngeneration = 6\n"),
            "p.toml:3: link.generation: 6 is not 1..5 (PCIe 5.0 Table 4-1)");
  // 16 KiB pages x 4 planes x 1 page = 64 KiB program units: the buffer needs two.
  EXPECT_EQ(ErrorOf("name = \"t\"\n[cache]\nbytes = 65536\n"),
            "p.toml:3: cache.bytes: 65536 is below two program units (131072)");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[ftl]\nover_provisioning = 0.001\n"),
            "p.toml:3: ftl.over_provisioning: 0.001000 leaves 1 spare superblocks, below "
            "ftl.gc_high_superblocks + 1 (9)");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[nand]\npages_per_block = 1000\npages_per_program = 3\n"),
            "p.toml:3: nand.pages_per_block: 1000 is not a multiple of nand.pages_per_program 3");
  EXPECT_EQ(ErrorOf("name = \"t\"\n[ftl]\ngc_high_superblocks = 4\n"),
            "p.toml:3: ftl.gc_high_superblocks: 4 is not above ftl.gc_low_superblocks 4");
}

TEST(ProfileErrors, UnreadableFile) {
  EXPECT_EQ(LoadProfile("no/such.toml").error, "no/such.toml: cannot open the profile file");
  EXPECT_EQ(LoadProfile("/").error, "/: cannot open the profile file");  // a directory
}

TEST(ProfileErrors, UnlimitedSkipsMediaChecksButNotTheLink) {
  EXPECT_EQ(ErrorOf("name = \"u\"\nunlimited = true\n[nand]\nchannels = 0\n"), "");
  EXPECT_NE(ErrorOf("name = \"u\"\nunlimited = true\n[link]\nwidth = 3\n"), "");
}

}  // namespace
}  // namespace nvmesim::device::media
