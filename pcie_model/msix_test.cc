#include "pcie_model/msix.h"

#include <gtest/gtest.h>

namespace nvmesim::pcie {
namespace {

using namespace spec;

struct Fixture {
  ConfigSpace cs;
  MsixTable table{cs};
  void Control(bool enable, bool mask) {
    cs.Write(ConfigSpace::kMsixCapOffset + kMsixMessageControl, 2,
             (enable ? kMsixEnable : 0) | (mask ? kMsixFunctionMask : 0));
  }
  void Program(uint16_t v, uint64_t addr, uint32_t data, bool masked) {
    const uint64_t base = cs.config().msix_table_offset + 16ull * v;
    table.Write(base + 0, 4, addr & 0xFFFFFFFF);
    table.Write(base + 4, 4, addr >> 32);
    table.Write(base + 8, 4, data);
    table.Write(base + 12, 4, masked ? 1 : 0);
  }
};

TEST(MsixTableTest, CapabilityAdvertisesTable) {
  Fixture f;
  const uint32_t ctl = f.cs.Read(ConfigSpace::kMsixCapOffset + kMsixMessageControl, 2);
  EXPECT_EQ((ctl & kMsixTableSizeMask) + 1u, 65u);
  EXPECT_EQ(f.cs.Read(ConfigSpace::kMsixCapOffset + kMsixTableOffset, 4), 0x2000u);  // BIR 0
  EXPECT_EQ(f.cs.Read(ConfigSpace::kMsixCapOffset + kMsixPbaOffset, 4), 0x3000u);
  EXPECT_EQ(f.table.vectors(), 65);
}

TEST(MsixTableTest, ResetStateIsMaskedAndReadable) {
  Fixture f;
  uint64_t v = 0;
  ASSERT_TRUE(f.table.Read(0x2000 + 12, 4, &v));
  EXPECT_EQ(v, 1u);
  EXPECT_FALSE(f.table.Read(0x1000, 4, &v));
  EXPECT_FALSE(f.table.Read(0x2002, 4, &v));  // misaligned
}

TEST(MsixTableTest, SendPendAndRelease) {
  Fixture f;
  f.Program(3, 0xFEE01000, 0x41, false);
  EXPECT_EQ(f.table.Signal(3).outcome, MsixOutcome::kDisabled);
  f.Control(true, false);
  MsixSignal s = f.table.Signal(3);
  ASSERT_EQ(s.outcome, MsixOutcome::kSend);
  EXPECT_EQ(s.message.address, 0xFEE01000u);
  EXPECT_EQ(s.message.data, 0x41u);
  EXPECT_EQ(f.table.Signal(65).outcome, MsixOutcome::kInvalidVector);

  // Per-vector mask: pending bit visible in the PBA, released on unmask.
  f.table.Write(0x2000 + 16 * 3 + 12, 4, 1);
  EXPECT_EQ(f.table.Signal(3).outcome, MsixOutcome::kPending);
  EXPECT_TRUE(f.table.Pending(3));
  uint64_t pba = 0;
  ASSERT_TRUE(f.table.Read(0x3000, 8, &pba));
  EXPECT_EQ(pba, 1u << 3);
  EXPECT_TRUE(f.table.CollectReleased().empty());
  f.table.Write(0x2000 + 16 * 3 + 12, 4, 0);
  auto released = f.table.CollectReleased();
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].vector, 3);
  EXPECT_FALSE(f.table.Pending(3));
  EXPECT_TRUE(f.table.CollectReleased().empty());

  // Function mask holds every vector.
  f.Program(64, 0x1FEE02000ull, 7, false);
  f.Control(true, true);
  EXPECT_EQ(f.table.Signal(64).outcome, MsixOutcome::kPending);
  ASSERT_TRUE(f.table.Read(0x3008, 4, &pba));
  EXPECT_EQ(pba, 1u);
  EXPECT_TRUE(f.table.CollectReleased().empty());
  f.Control(true, false);
  released = f.table.CollectReleased();
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].address, 0x1FEE02000ull);
}

TEST(MsixTableTest, ReservedBitsStayZeroAndPbaIsReadOnly) {
  Fixture f;
  f.table.Write(0x2000, 4, 0xFEE00003);
  f.table.Write(0x2000 + 12, 4, 0xFFFFFFFE);
  uint64_t v = 0;
  f.table.Read(0x2000, 4, &v);
  EXPECT_EQ(v, 0xFEE00000u);
  f.table.Read(0x2000 + 12, 4, &v);
  EXPECT_EQ(v, 0u);
  f.table.Write(0x3000, 8, ~0ull);
  f.table.Read(0x3000, 8, &v);
  EXPECT_EQ(v, 0u);
  // 64-bit access to address lo/hi.
  f.table.Write(0x2010, 8, 0x00000001FEE00040ull);
  f.table.Read(0x2010, 8, &v);
  EXPECT_EQ(v, 0x00000001FEE00040ull);
}

}  // namespace
}  // namespace nvmesim::pcie
