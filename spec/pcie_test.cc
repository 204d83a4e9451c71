#include "spec/pcie.h"

#include <gtest/gtest.h>

namespace nvmesim::spec {
namespace {

TEST(PcieSpecTest, Layouts) {
  EXPECT_EQ(sizeof(ConfigHeaderType0), 64u);
  EXPECT_EQ(sizeof(PciExpressCapability), 60u);
  EXPECT_EQ(sizeof(MsixCapability), 12u);
  EXPECT_EQ(sizeof(MsixTableEntry), 16u);
  EXPECT_EQ(sizeof(PowerManagementCapability), 8u);
  EXPECT_EQ(kNvmeClassCode, 0x010802u);
  EXPECT_EQ(kPciExpress, 0x10);
  EXPECT_EQ(kMsix, 0x11);
}

TEST(PcieSpecTest, PayloadEncodings) {
  EXPECT_EQ(PayloadBytesToEncoding(128), 0);
  EXPECT_EQ(PayloadBytesToEncoding(4096), 5);
  EXPECT_EQ(PayloadBytesToEncoding(8192), -1);
  EXPECT_EQ(PayloadBytesToEncoding(0), -1);
  EXPECT_EQ(PayloadEncodingToBytes(1), 256u);
}

}  // namespace
}  // namespace nvmesim::spec
