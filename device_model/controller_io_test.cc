// NVM command set through the register-level test host.
#include <gtest/gtest.h>

#include <cstring>

#include "device_model/controller.h"
#include "device_model/test_host.h"
#include "spec/opcodes.h"
#include "tests/support/sim_test.h"

namespace nvmesim::device {
namespace {

using spec::GenericStatus;
using spec::Status;
using testing::MakeSqe;
using testing::TestHost;

struct Bench {
  explicit Bench(ControllerConfig cfg = {}, SubsystemConfig scfg = {})
      : sub(scfg), ctrl("ctrl", cfg, sub), host("host", ctrl) {
    host.ConfigurePcie();
    EXPECT_TRUE(host.Enable());
    EXPECT_TRUE(host.CreateIoQueues(1, 64, 1).ok());
  }
  Subsystem sub;
  NvmeController ctrl;
  TestHost host;
};

std::vector<uint8_t> Pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 7 + (i >> 9));
  return v;
}

NVMESIM_SIM_TEST(ControllerIo, WriteReadRoundTripWithPrpList) {
  Bench b;
  const auto data = Pattern(64 * 1024, 3);  // 16 pages: PRP list
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 100, data, 4096).ok());
  std::vector<uint8_t> back;
  ASSERT_TRUE(b.host.ReadLbas(1, 1, 100, 16, 4096, &back).ok());
  EXPECT_EQ(back, data);
  // Unwritten blocks read as zero, never the host's poison.
  ASSERT_TRUE(b.host.ReadLbas(1, 1, 5000, 2, 4096, &back).ok());
  EXPECT_EQ(back, std::vector<uint8_t>(8192, 0));
  EXPECT_GT(b.host.MsiCount(1), 0u);
}

NVMESIM_SIM_TEST(ControllerIo, UnalignedPrp1AcrossPages) {
  Bench b;
  const auto data = Pattern(8192, 9);
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 7, data, 4096).ok());
  const uint64_t buf = b.host.Alloc(3 * 4096) + 0x200;  // offset into the first page
  spec::Sqe s = MakeSqe(0x02, 1);
  s.cdw10 = 7;
  s.cdw12 = 1;
  b.host.SetPrps(s, buf, 8192);  // PRP1 + PRP list of 2
  ASSERT_TRUE(b.host.Io(1, s).status_value().ok());
  EXPECT_EQ(0, std::memcmp(b.host.Mem(buf), data.data(), 8192));
  EXPECT_EQ(b.host.Mem(buf)[8192], testing::kPoison);  // nothing past the buffer
}

NVMESIM_SIM_TEST(ControllerIo, LbaOutOfRangeAndInvalidNamespace) {
  SubsystemConfig sc;
  sc.namespaces[0].size_lbas = 1000;
  Bench b({}, sc);
  std::vector<uint8_t> out;
  EXPECT_TRUE(b.host.ReadLbas(1, 1, 999, 2, 4096, &out).Is(GenericStatus::kLbaOutOfRange));
  EXPECT_TRUE(b.host.ReadLbas(1, 1, ~uint64_t{0} - 1, 4, 4096, &out).Is(GenericStatus::kLbaOutOfRange));
  EXPECT_TRUE(b.host.ReadLbas(1, 7, 0, 1, 4096, &out).Is(GenericStatus::kInvalidNamespaceOrFormat));
  EXPECT_TRUE(b.host.ReadLbas(1, 0, 0, 1, 4096, &out).Is(GenericStatus::kInvalidNamespaceOrFormat));
  spec::Sqe bad = MakeSqe(0x7E, 1);
  EXPECT_TRUE(b.host.Io(1, bad).status_value().Is(GenericStatus::kInvalidOpcode));
}

NVMESIM_SIM_TEST(ControllerIo, PrpPointingOutsideHostMemoryIsDataTransferError) {
  Bench b;
  spec::Sqe s = MakeSqe(0x02, 1);
  s.prp1 = 0x10;  // below host memory
  EXPECT_TRUE(b.host.Io(1, s).status_value().Is(GenericStatus::kDataTransferError));
  s.prp1 = testing::kBar0Base + 0x1000;  // the controller's own doorbells
  EXPECT_TRUE(b.host.Io(1, s).status_value().Is(GenericStatus::kDataTransferError));
  s.prp1 = testing::kBar0Base + b.ctrl.msix_table_offset();  // MSI-X table
  EXPECT_TRUE(b.host.Io(1, s).status_value().Is(GenericStatus::kDataTransferError));
  // Write whose PRP list lives in the BAR.
  spec::Sqe w = MakeSqe(0x01, 1);
  w.cdw12 = 3;  // 4 blocks
  w.prp1 = b.host.Alloc(4096);
  w.prp2 = testing::kBar0Base;
  EXPECT_TRUE(b.host.Io(1, w).status_value().Is(GenericStatus::kDataTransferError));
  // Misaligned PRP2 data pointer.
  w.cdw12 = 1;
  w.prp2 = b.host.Alloc(8192) + 8;
  EXPECT_TRUE(b.host.Io(1, w).status_value().Is(GenericStatus::kPrpOffsetInvalid));
  // The controller still works.
  std::vector<uint8_t> out;
  EXPECT_TRUE(b.host.ReadLbas(1, 1, 0, 1, 4096, &out).ok());
}

NVMESIM_SIM_TEST(ControllerIo, MdtsEnforced) {
  ControllerConfig cfg;
  cfg.mdts = 2;  // 16 KiB
  Bench b(cfg);
  std::vector<uint8_t> out;
  EXPECT_TRUE(b.host.ReadLbas(1, 1, 0, 4, 4096, &out).ok());
  EXPECT_TRUE(b.host.ReadLbas(1, 1, 0, 5, 4096, &out).Is(GenericStatus::kInvalidField));
}

NVMESIM_SIM_TEST(ControllerIo, FlushAndFua) {
  Bench b;
  spec::Sqe f = MakeSqe(0x00, 1);
  EXPECT_TRUE(b.host.Io(1, f).status_value().ok());
  f.nsid = 0xFFFFFFFF;
  EXPECT_TRUE(b.host.Io(1, f).status_value().ok());
  EXPECT_TRUE(b.host.WriteLbas(1, 1, 1, Pattern(4096, 1), 4096, true).ok());
}

}  // namespace
}  // namespace nvmesim::device
