#include "driver/mgmt/mgmt.h"

#include <gtest/gtest.h>

namespace nvmesim::driver::mgmt {
namespace {

TEST(MgmtTest, HexDumpMatchesNvmeCliLayout) {
  const uint8_t data[18] = {'N', 'V', 'M', 'e', 0,   1,   2,   0xff, 'a',
                            'b', 'c', 'd', 'e', 'f', 'g', 'h', 0x7f, 'z'};
  const std::string d = HexDump(data, sizeof data);
  EXPECT_EQ(d,
            "       0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n"
            "0000: 4e 56 4d 65 00 01 02 ff 61 62 63 64 65 66 67 68 \"NVMe....abcdefgh\"\n"
            "0010: 7f 7a                                           \".z\"\n");
}

TEST(MgmtTest, PassthruChecksDirectionAndSize) {
  Passthru p;
  EXPECT_EQ(CheckPassthru(p), "");
  p.data_len = 4096;
  EXPECT_NE(CheckPassthru(p).find("needs --read or --write"), std::string::npos);
  p.read = true;
  EXPECT_EQ(CheckPassthru(p), "");
  p.write = true;
  EXPECT_NE(CheckPassthru(p).find("exclusive"), std::string::npos);
  p.write = false;
  p.data_len = 16384;
  EXPECT_NE(CheckPassthru(p).find("8192"), std::string::npos);
  p.admin = false;
  EXPECT_EQ(CheckPassthru(p), "");
  p.data_len = 4096 * 513;  // PRP1 + a full PRP list page
  EXPECT_EQ(CheckPassthru(p), "");
  p.data_len = 4096 * 513 + 1;
  EXPECT_NE(CheckPassthru(p).find("at most 2101248 bytes"), std::string::npos) << CheckPassthru(p);
  p.data_len = 16384;
  p.read = false;
  p.write = true;
  p.data_len = 4;
  p.input = {1, 2, 3, 4, 5};
  EXPECT_NE(CheckPassthru(p).find("longer"), std::string::npos);
  p.write = false;
  p.read = true;
  p.data_len = 8;
  EXPECT_EQ(CheckPassthru(p), "--input-file needs --write");
}

}  // namespace
}  // namespace nvmesim::driver::mgmt
