// NVM command set through the register-level test host.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "device_model/controller.h"
#include "device_model/media_timing.h"
#include "device_model/test_host.h"
#include "spec/opcodes.h"
#include "spec/registers.h"
#include "spec/trace.h"
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

// Records what the controller asks of the media.
class RecordingMedia final : public MediaTiming {
 public:
  uint64_t LatencyPs(const MediaOp& op, uint64_t) override {
    ops.push_back(op);
    return op.kind == MediaOp::Kind::kDeallocate ? 1000 * (op.nlb + 1) : 0;
  }
  std::vector<MediaOp> ops;
};

NVMESIM_SIM_TEST(ControllerIo, DeallocateHandsEachRangeToTheMedia) {
  RecordingMedia media;
  ControllerConfig cfg;
  cfg.media = &media;
  Bench b(cfg);
  spec::Sqe dsm = MakeSqe(0x09, 1);
  dsm.prp1 = b.host.Alloc(4096);
  // Three ranges (NR = 2, 0's based): attributes, NLB, SLBA low, SLBA high.
  const uint32_t ranges[12] = {0, 8, 100, 0, 0, 1, 7, 0, 0, 64, 4096, 0};
  std::memcpy(b.host.Mem(dsm.prp1), ranges, sizeof ranges);
  dsm.cdw10 = 2;
  dsm.cdw11 = 1u << 2;  // AD: deallocate
  media.ops.clear();
  ASSERT_TRUE(b.host.Io(1, dsm).status_value().ok());
  ASSERT_EQ(media.ops.size(), 3u);
  EXPECT_EQ(media.ops[0].kind, MediaOp::Kind::kDeallocate);
  EXPECT_EQ(media.ops[0].slba, 100u);
  EXPECT_EQ(media.ops[0].nlb, 8u);
  EXPECT_EQ(media.ops[1].slba, 7u);
  EXPECT_EQ(media.ops[1].nlb, 1u);
  EXPECT_EQ(media.ops[2].slba, 4096u);
  EXPECT_EQ(media.ops[2].nlb, 64u);
  EXPECT_EQ(media.ops[2].bytes, 64u * 4096);
  // Attributes without AD: the media is told nothing about the ranges.
  dsm.cdw11 = 0;
  media.ops.clear();
  ASSERT_TRUE(b.host.Io(1, dsm).status_value().ok());
  ASSERT_EQ(media.ops.size(), 1u);
  EXPECT_EQ(media.ops[0].kind, MediaOp::Kind::kOther);
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
  EXPECT_TRUE(
      b.host.ReadLbas(1, 1, ~uint64_t{0} - 1, 4, 4096, &out).Is(GenericStatus::kLbaOutOfRange));
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

spec::Sqe Lba(uint8_t op, uint32_t nsid, uint64_t slba, uint32_t nlb) {
  spec::Sqe s = MakeSqe(op, nsid);
  s.cdw10 = static_cast<uint32_t>(slba);
  s.cdw11 = static_cast<uint32_t>(slba >> 32);
  s.cdw12 = nlb - 1;
  return s;
}

NVMESIM_SIM_TEST(ControllerIo, SglDataBlockSegmentAndBitBucket) {
  Bench b;
  const auto data = Pattern(8192, 5);
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 40, data, 4096).ok());
  // Read through a Segment holding two data blocks and a bit bucket.
  const uint64_t a = b.host.Alloc(4096), c = b.host.Alloc(4096), seg = b.host.Alloc(4096);
  spec::SglDescriptor d[3];
  d[0].address = a;
  d[0].length = 3000;
  d[0].set_type(spec::SglDescriptorType::kDataBlock);
  d[1].length = 1096;
  d[1].set_type(spec::SglDescriptorType::kBitBucket);
  d[2].address = c;
  d[2].length = 4096;
  d[2].set_type(spec::SglDescriptorType::kDataBlock);
  std::memcpy(b.host.Mem(seg), d, sizeof d);
  spec::Sqe r = Lba(0x02, 1, 40, 2);
  r.set_psdt(spec::DataPointerType::kSglMptrContiguous);
  spec::SglDescriptor s1;
  s1.address = seg;
  s1.length = sizeof d;
  s1.set_type(spec::SglDescriptorType::kLastSegment);
  r.set_sgl(s1);
  ASSERT_TRUE(b.host.Io(1, r).status_value().ok());
  EXPECT_EQ(0, std::memcmp(b.host.Mem(a), data.data(), 3000));
  EXPECT_EQ(b.host.Mem(a)[3000], testing::kPoison);
  EXPECT_EQ(0, std::memcmp(b.host.Mem(c), data.data() + 4096, 4096));
  // Write with a single data block SGL.
  spec::Sqe w = Lba(0x01, 1, 60, 1);
  w.set_psdt(spec::DataPointerType::kSglMptrContiguous);
  spec::SglDescriptor blk;
  blk.address = c;
  blk.length = 4096;
  blk.set_type(spec::SglDescriptorType::kDataBlock);
  w.set_sgl(blk);
  ASSERT_TRUE(b.host.Io(1, w).status_value().ok());
  std::vector<uint8_t> out;
  ASSERT_TRUE(b.host.ReadLbas(1, 1, 60, 1, 4096, &out).ok());
  EXPECT_EQ(0, std::memcmp(out.data(), data.data() + 4096, 4096));
  // Bit bucket in a write, SGL at the BAR, short SGL.
  w.set_sgl(s1);
  w.cdw12 = 1;
  EXPECT_TRUE(b.host.Io(1, w).status_value().Is(GenericStatus::kSglDescriptorTypeInvalid));
  blk.address = testing::kBar0Base;
  w.set_sgl(blk);
  w.cdw12 = 0;
  EXPECT_TRUE(b.host.Io(1, w).status_value().Is(GenericStatus::kDataTransferError));
  blk.address = c;
  blk.length = 100;
  w.set_sgl(blk);
  EXPECT_TRUE(b.host.Io(1, w).status_value().Is(GenericStatus::kDataSglLengthInvalid));
  // Segment descriptors of length zero / not a multiple of 16 / wrapping.
  spec::Sqe r2 = Lba(0x02, 1, 40, 1);
  r2.set_psdt(spec::DataPointerType::kSglMptrContiguous);
  spec::SglDescriptor sg;
  sg.address = seg;
  sg.set_type(spec::SglDescriptorType::kSegment);
  for (uint32_t len : {0u, 24u}) {
    sg.length = len;
    r2.set_sgl(sg);
    EXPECT_TRUE(b.host.Io(1, r2).status_value().Is(GenericStatus::kInvalidSglSegmentDescriptor))
        << len;
  }
  sg.address = ~uint64_t{0} - 15;
  sg.length = 32;
  r2.set_sgl(sg);
  EXPECT_TRUE(b.host.Io(1, r2).status_value().Is(GenericStatus::kInvalidSglSegmentDescriptor));
  sg.address = testing::kBar0Base + b.ctrl.msix_table_offset();  // segment list in the MSI-X table
  sg.length = 32;
  r2.set_sgl(sg);
  EXPECT_TRUE(b.host.Io(1, r2).status_value().Is(GenericStatus::kDataTransferError));
  spec::Sqe bad = Lba(0x02, 1, 0, 1);
  bad.flags = 0xC0;  // PSDT 11b reserved
  EXPECT_TRUE(b.host.Io(1, bad).status_value().Is(GenericStatus::kInvalidField));
  bad.flags = 0x01;  // fused first: not supported
  EXPECT_TRUE(b.host.Io(1, bad).status_value().Is(GenericStatus::kInvalidField));
}

NVMESIM_SIM_TEST(ControllerIo, SglRefusedWhenUnsupported) {
  ControllerConfig cfg;
  cfg.sgl_support = false;
  Bench b(cfg);
  spec::Sqe r = Lba(0x02, 1, 0, 1);
  r.set_psdt(spec::DataPointerType::kSglMptrContiguous);
  EXPECT_TRUE(b.host.Io(1, r).status_value().Is(GenericStatus::kInvalidField));
}

NVMESIM_SIM_TEST(ControllerIo, WriteZeroesDeallocateCompareUncorrectableVerifyCopy) {
  Bench b;
  const auto data = Pattern(4 * 4096, 11);
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 0, data, 4096).ok());
  std::vector<uint8_t> out;
  // Write Zeroes on block 1.
  ASSERT_TRUE(b.host.Io(1, Lba(0x08, 1, 1, 1)).status_value().ok());
  ASSERT_TRUE(b.host.ReadLbas(1, 1, 0, 2, 4096, &out).ok());
  EXPECT_EQ(0, std::memcmp(out.data(), data.data(), 4096));
  EXPECT_EQ(std::vector<uint8_t>(out.begin() + 4096, out.end()), std::vector<uint8_t>(4096, 0));
  EXPECT_TRUE(b.host.Io(1, Lba(0x08, 1, (1u << 20) - 1, 2))
                  .status_value()
                  .Is(GenericStatus::kLbaOutOfRange));
  // Dataset Management deallocate block 2.
  spec::Sqe dsm = MakeSqe(0x09, 1);
  dsm.prp1 = b.host.Alloc(4096);
  uint32_t range[4] = {0, 1, 2, 0};  // attributes, NLB, SLBA low, high
  std::memcpy(b.host.Mem(dsm.prp1), range, 16);
  dsm.cdw10 = 0;
  dsm.cdw11 = 1u << 2;
  ASSERT_TRUE(b.host.Io(1, dsm).status_value().ok());
  ASSERT_TRUE(b.host.ReadLbas(1, 1, 2, 1, 4096, &out).ok());
  EXPECT_EQ(out, std::vector<uint8_t>(4096, 0));
  range[2] = 0xFFFFFFF0;
  std::memcpy(b.host.Mem(dsm.prp1), range, 16);
  EXPECT_TRUE(b.host.Io(1, dsm).status_value().Is(GenericStatus::kLbaOutOfRange));
  // Compare block 0 (match) and block 3 (mismatch).
  spec::Sqe cmp = Lba(0x05, 1, 0, 1);
  cmp.prp1 = b.host.Alloc(4096);
  std::memcpy(b.host.Mem(cmp.prp1), data.data(), 4096);
  EXPECT_TRUE(b.host.Io(1, cmp).status_value().ok());
  cmp.cdw10 = 3;
  EXPECT_TRUE(b.host.Io(1, cmp).status_value().Is(spec::MediaStatus::kCompareFailure));
  // Write Uncorrectable on block 3: reads and verify fail, a write heals it.
  ASSERT_TRUE(b.host.Io(1, Lba(0x04, 1, 3, 1)).status_value().ok());
  EXPECT_TRUE(b.host.ReadLbas(1, 1, 3, 1, 4096, &out).Is(spec::MediaStatus::kUnrecoveredReadError));
  EXPECT_TRUE(
      b.host.Io(1, Lba(0x0C, 1, 2, 2)).status_value().Is(spec::MediaStatus::kUnrecoveredReadError));
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 3, Pattern(4096, 1), 4096).ok());
  EXPECT_TRUE(b.host.Io(1, Lba(0x0C, 1, 2, 2)).status_value().ok());
  // Copy blocks 0 and 3 to 100..101.
  spec::Sqe cp = MakeSqe(0x19, 1);
  cp.cdw10 = 100;
  cp.cdw12 = 1;  // 2 ranges
  cp.prp1 = b.host.Alloc(4096);
  uint8_t desc[64] = {};
  uint64_t slba = 0;
  std::memcpy(desc + 8, &slba, 8);
  slba = 3;
  std::memcpy(desc + 32 + 8, &slba, 8);
  std::memcpy(b.host.Mem(cp.prp1), desc, 64);
  ASSERT_TRUE(b.host.Io(1, cp).status_value().ok());
  ASSERT_TRUE(b.host.ReadLbas(1, 1, 100, 2, 4096, &out).ok());
  EXPECT_EQ(0, std::memcmp(out.data(), data.data(), 4096));
  EXPECT_EQ(0, std::memcmp(out.data() + 4096, Pattern(4096, 1).data(), 4096));
  cp.cdw10 = (1u << 20) - 1;  // destination past the end
  EXPECT_TRUE(b.host.Io(1, cp).status_value().Is(GenericStatus::kLbaOutOfRange));
  cp.cdw10 = 100;
  cp.cdw12 = 1 | (1u << 8);  // descriptor format 1 unsupported
  EXPECT_TRUE(b.host.Io(1, cp).status_value().Is(GenericStatus::kInvalidField));
}

NVMESIM_SIM_TEST(ControllerIo, VolatileWriteCacheAndPowerLoss) {
  SubsystemConfig sc;
  sc.namespaces[0].volatile_write_cache = true;
  Bench b({}, sc);
  spec::Sqe f = MakeSqe(0x09);
  f.cdw10 = 0x06;
  f.cdw11 = 1;
  ASSERT_TRUE(b.host.AdminStatus(f).ok());
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 0, Pattern(4096, 1), 4096).ok());        // cached
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 1, Pattern(4096, 2), 4096, true).ok());  // FUA
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 2, Pattern(4096, 3), 4096).ok());        // cached
  ASSERT_TRUE(b.host.Io(1, Lba(0x00, 1, 0, 1)).status_value().ok());          // flush
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 3, Pattern(4096, 4), 4096).ok());        // cached, lost
  b.ctrl.InjectPowerLoss();
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & 1u, 0u);
  ASSERT_TRUE(b.host.Enable());
  ASSERT_TRUE(b.host.CreateIoQueues(1, 16, 1).ok());
  std::vector<uint8_t> out;
  ASSERT_TRUE(b.host.ReadLbas(1, 1, 0, 4, 4096, &out).ok());
  EXPECT_EQ(0, std::memcmp(out.data(), Pattern(4096, 1).data(), 4096));
  EXPECT_EQ(0, std::memcmp(out.data() + 4096, Pattern(4096, 2).data(), 4096));
  EXPECT_EQ(0, std::memcmp(out.data() + 8192, Pattern(4096, 3).data(), 4096));
  EXPECT_EQ(std::vector<uint8_t>(out.begin() + 12288, out.end()), std::vector<uint8_t>(4096, 0));
  EXPECT_EQ(b.ctrl.health().unsafe_shutdowns, 1u);
}

NVMESIM_SIM_TEST(ControllerIo, Lba512Namespace) {
  SubsystemConfig sc;
  sc.namespaces[0].lba_bytes = 512;
  Bench b({}, sc);
  const auto data = Pattern(512 * 3, 9);
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 7, data, 512).ok());
  std::vector<uint8_t> out;
  ASSERT_TRUE(b.host.ReadLbas(1, 1, 6, 5, 512, &out).ok());
  EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.begin() + 512), std::vector<uint8_t>(512, 0));
  EXPECT_EQ(0, std::memcmp(out.data() + 512, data.data(), data.size()));
}

struct OrderSink : spec::TraceSink {
  std::vector<uint64_t> sqids;
  void Emit(const spec::TraceEvent& e) override {
    if (std::string(e.name) == "cmd" && e.a != 0) sqids.push_back(e.a);
  }
};

NVMESIM_SIM_TEST(ControllerIo, WeightedRoundRobinFavoursHighPriority) {
  OrderSink sink;
  ControllerConfig cfg;
  cfg.trace = &sink;
  Subsystem sub(SubsystemConfig{});
  NvmeController ctrl("ctrl", cfg, sub);
  TestHost host("host", ctrl);
  host.ConfigurePcie();
  ASSERT_TRUE(host.Enable(32, 1));  // CC.AMS = WRR + urgent
  spec::Sqe arb = MakeSqe(0x09);
  arb.cdw10 = 0x01;
  arb.cdw11 = (7u << 24) | (1u << 16) | (0u << 8) | 0;  // burst 1; high 8, medium 2, low 1
  ASSERT_TRUE(host.AdminStatus(arb).ok());
  ASSERT_TRUE(host.CreateIoQueues(1, 64, 1, 1).ok());  // high
  ASSERT_TRUE(host.CreateIoQueues(2, 64, 1, 3).ok());  // low
  ASSERT_TRUE(host.CreateIoQueues(3, 64, 1, 0).ok());  // urgent
  for (int i = 0; i < 20; ++i) {
    host.Submit(1, MakeSqe(0x00, 1), false);
    host.Submit(2, MakeSqe(0x00, 1), false);
  }
  for (int i = 0; i < 3; ++i) host.Submit(3, MakeSqe(0x00, 1), false);
  host.RingSq(1);
  host.RingSq(2);
  host.RingSq(3);
  host.Run(1000);
  ASSERT_EQ(sink.sqids.size(), 43u);
  // Urgent first, then 8 high for each low.
  const std::vector<uint64_t> expect = {3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1,
                                        2, 1, 1, 1, 1, 1, 1, 1, 1, 2};
  EXPECT_EQ(std::vector<uint64_t>(sink.sqids.begin(), sink.sqids.begin() + expect.size()), expect);
}

NVMESIM_SIM_TEST(ControllerIo, RoundRobinAlternatesQueues) {
  OrderSink sink;
  ControllerConfig cfg;
  cfg.trace = &sink;
  Subsystem sub(SubsystemConfig{});
  NvmeController ctrl("ctrl", cfg, sub);
  TestHost host("host", ctrl);
  host.ConfigurePcie();
  ASSERT_TRUE(host.Enable());
  spec::Sqe arb = MakeSqe(0x09);
  arb.cdw10 = 0x01;
  arb.cdw11 = 1;  // burst 2
  ASSERT_TRUE(host.AdminStatus(arb).ok());
  ASSERT_TRUE(host.CreateIoQueues(1, 64, 1).ok());
  ASSERT_TRUE(host.CreateIoQueues(2, 64, 1).ok());
  for (int i = 0; i < 4; ++i) {
    host.Submit(1, MakeSqe(0x00, 1), false);
    host.Submit(2, MakeSqe(0x00, 1), false);
  }
  host.RingSq(1);
  host.RingSq(2);
  host.Run(1000);
  EXPECT_EQ(sink.sqids, (std::vector<uint64_t>{1, 1, 2, 2, 1, 1, 2, 2}));
}

NVMESIM_SIM_TEST(ControllerIo, SharedNamespaceAcrossTwoControllers) {
  Subsystem sub(SubsystemConfig{});
  ControllerConfig c0, c1;
  c0.cntlid = 1;
  c1.cntlid = 2;
  c1.name = "ctrl1";
  NvmeController a("a", c0, sub), bctl("b", c1, sub);
  TestHost ha("ha", a), hb("hb", bctl);
  ha.ConfigurePcie();
  hb.ConfigurePcie();
  ASSERT_TRUE(ha.Enable());
  ASSERT_TRUE(hb.Enable());
  ASSERT_TRUE(ha.CreateIoQueues(1, 16, 1).ok());
  ASSERT_TRUE(hb.CreateIoQueues(1, 16, 1).ok());
  const auto data = Pattern(4096, 77);
  ASSERT_TRUE(ha.WriteLbas(1, 1, 9, data, 4096).ok());
  std::vector<uint8_t> out;
  ASSERT_TRUE(hb.ReadLbas(1, 1, 9, 1, 4096, &out).ok());
  EXPECT_EQ(out, data);
  // ANA state is per controller: inaccessible through b only.
  bctl.SetAnaState(1, AnaState::kInaccessible);
  EXPECT_TRUE(
      hb.ReadLbas(1, 1, 9, 1, 4096, &out).Is(spec::PathStatus::kAsymmetricAccessInaccessible));
  EXPECT_TRUE(ha.ReadLbas(1, 1, 9, 1, 4096, &out).ok());
}

}  // namespace
}  // namespace nvmesim::device

namespace nvmesim::device {
namespace {

// A stand-in command set for CSI 02h: records what it was given.
struct FakeZoned : IoCommandSetHandler {
  int calls = 0;
  spec::Status Execute(IoCommand& cmd, IoServices& io) override {
    ++calls;
    uint8_t data[512];
    std::memset(data, 0x5A, sizeof data);
    cmd.dw0 = 0xABCD;
    MediaOp op;
    op.kind = MediaOp::Kind::kRead;
    io.AddMediaTime(op);
    return io.ToHost(cmd.sqe, data, sizeof data);
  }
};

NVMESIM_SIM_TEST(ControllerIo, CommandSetSeamRoutesByCsi) {
  SubsystemConfig sc;
  sc.namespaces = {NamespaceConfig{}, NamespaceConfig{}};
  sc.namespaces[1].nsid = 2;
  sc.namespaces[1].csi = 2;
  Subsystem sub(sc);
  NvmeController ctrl("ctrl", ControllerConfig{}, sub);
  testing::TestHost host("host", ctrl);
  host.ConfigurePcie();
  ASSERT_TRUE(host.Enable());
  ASSERT_TRUE(host.CreateIoQueues(1, 16, 1).ok());
  spec::Sqe s = testing::MakeSqe(0x7A, 2);
  s.prp1 = host.Alloc(4096);
  EXPECT_TRUE(host.Io(1, s).status_value().Is(spec::GenericStatus::kInvalidOpcode));
  FakeZoned z;
  ctrl.RegisterCommandSet(2, &z);
  spec::Cqe c = host.Io(1, s);
  EXPECT_TRUE(c.status_value().ok());
  EXPECT_EQ(c.dw0, 0xABCDu);
  EXPECT_EQ(host.Mem(s.prp1)[511], 0x5A);
  EXPECT_EQ(z.calls, 1);
  // NVM namespace unaffected.
  std::vector<uint8_t> out;
  EXPECT_TRUE(host.ReadLbas(1, 1, 0, 1, 4096, &out).ok());
}

}  // namespace
}  // namespace nvmesim::device
