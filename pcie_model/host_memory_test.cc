#include "pcie_model/host_memory.h"

#include <gtest/gtest.h>

namespace nvmesim::pcie {
namespace {

TEST(HostMemoryTest, MapTranslateUnmap) {
  HostMemory m;
  uint8_t* a = m.Map(0x10000, 0x1000);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(m.Translate(0x10000, 0x1000), a);
  EXPECT_EQ(m.Translate(0x10FFF, 1), a + 0xFFF);
  EXPECT_EQ(m.Translate(0x10FFF, 2), nullptr);  // runs past the region
  EXPECT_EQ(m.Translate(0xFFFF, 1), nullptr);
  uint8_t* b = m.Map(0x11000, 0x1000);  // adjacent: separate region
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(m.Translate(0x10F00, 0x200), nullptr);  // spans two regions
  EXPECT_EQ(m.Translate(0x11000, 4), b);
  EXPECT_EQ(m.regions(), 2u);
  EXPECT_EQ(m.mapped_bytes(), 0x2000u);
  EXPECT_TRUE(m.Unmap(0x10000));
  EXPECT_FALSE(m.Unmap(0x10000));
  EXPECT_EQ(m.Translate(0x10000, 1), nullptr);
  EXPECT_EQ(m.Translate(0x11000, 4), b);
}

TEST(HostMemoryTest, RejectsOverlapAndEmpty) {
  HostMemory m;
  ASSERT_NE(m.Map(0x10000, 0x1000), nullptr);
  std::string error;
  EXPECT_EQ(m.Map(0x10800, 0x1000, &error), nullptr);
  EXPECT_NE(error.find("overlaps"), std::string::npos);
  EXPECT_EQ(m.Map(0xF000, 0x1001, &error), nullptr);
  EXPECT_EQ(m.Map(0x20000, 0, &error), nullptr);
  EXPECT_EQ(m.Map(~0ull - 10, 100, &error), nullptr);
  uint8_t* z = m.Map(0x20000, 16);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(z[i], 0);
}

}  // namespace
}  // namespace nvmesim::pcie
