// The ZNS command set handler against a fake IoServices: data moves, zone
// rules reach the completion, Zone Append's LBA lands in DW0/DW1, reset
// erases data and costs media time, power loss rolls write pointers back to
// the durable data, faults raise the Changed Zone List.
#include "device_model/zns/zns_command_set.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "spec/log_pages.h"
#include "spec/opcodes.h"

namespace nvmesim::device::zns {
namespace {

class FakeIo : public IoServices {
 public:
  std::vector<uint8_t> host;  // the command's data buffer
  std::vector<MediaOp> ops;
  uint64_t extra_ps = 0;
  bool cache = false;
  spec::Status ToHost(const spec::Sqe&, const void* data, uint64_t len) override {
    host.assign(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + len);
    return spec::Status::Ok();
  }
  spec::Status FromHost(const spec::Sqe&, void* data, uint64_t len) override {
    if (host.size() < len) host.resize(len);
    std::memcpy(data, host.data(), len);
    return spec::Status::Ok();
  }
  spec::Status CheckMdts(uint64_t bytes) const override {
    return bytes <= (1u << 20) ? spec::Status::Ok()
                               : spec::Status(spec::GenericStatus::kInvalidField, true);
  }
  void AddMediaTime(const MediaOp& op) override { ops.push_back(op); }
  uint64_t NowPs() const override { return 0; }
  void AddLatencyPs(uint64_t ps) override { extra_ps += ps; }
  bool WriteCacheEnabled() const override { return cache; }
};

struct Rig {
  Subsystem sub;
  ZnsCommandSet zns;
  FakeIo io;
  static SubsystemConfig Sub() {
    SubsystemConfig sc;
    NamespaceConfig n;
    n.nsid = 1;
    n.csi = 2;
    n.size_lbas = 8 * 64;
    n.lba_bytes = 512;
    n.volatile_write_cache = true;
    sc.namespaces = {n};
    return sc;
  }
  static ZnsCommandSetConfig Cfg() {
    ZnsCommandSetConfig c;
    c.defaults.zone_size_lbas = 64;
    c.defaults.zone_capacity_lbas = 48;
    c.defaults.max_open_zones = 2;
    c.defaults.max_active_zones = 3;
    c.media.reset = [](uint32_t, uint64_t, uint64_t) { return uint64_t{3'000'000'000}; };
    return c;
  }
  Rig() : sub(Sub()), zns(sub, Cfg()) {}

  spec::Status Run(const spec::Sqe& sqe, uint32_t* dw0 = nullptr, uint32_t* dw1 = nullptr) {
    IoCommand cmd{sqe, *sub.Find(1), 1};
    spec::Status s = zns.Execute(cmd, io);
    if (dw0) *dw0 = cmd.dw0;
    if (dw1) *dw1 = cmd.dw1;
    return s;
  }
  static spec::Sqe Io(uint8_t opcode, uint64_t slba, uint32_t nlb, bool fua = false) {
    spec::Sqe s{};
    s.opcode = opcode;
    s.nsid = 1;
    s.cdw10 = static_cast<uint32_t>(slba);
    s.cdw11 = static_cast<uint32_t>(slba >> 32);
    s.cdw12 = (nlb - 1) | (fua ? 1u << 30 : 0u);
    return s;
  }
  static spec::Sqe Send(spec::ZoneSendAction a, uint64_t slba, bool all = false) {
    spec::Sqe s{};
    s.opcode = static_cast<uint8_t>(spec::ZnsOpcode::kZoneManagementSend);
    s.nsid = 1;
    s.cdw10 = static_cast<uint32_t>(slba);
    s.cdw13 = static_cast<uint8_t>(a) | (all ? 1u << 8 : 0u);
    return s;
  }
  spec::Status Write(uint64_t slba, uint32_t nlb, uint8_t fill, bool fua = false) {
    io.host.assign(nlb * 512u, fill);
    return Run(Io(static_cast<uint8_t>(spec::NvmOpcode::kWrite), slba, nlb, fua));
  }
};

constexpr uint8_t kWrite = static_cast<uint8_t>(spec::NvmOpcode::kWrite);
constexpr uint8_t kRead = static_cast<uint8_t>(spec::NvmOpcode::kRead);
constexpr uint8_t kAppend = static_cast<uint8_t>(spec::ZnsOpcode::kZoneAppend);

TEST(ZnsCommandSet, WriteReadAndZoneErrors) {
  Rig r;
  ASSERT_TRUE(r.Write(0, 8, 0x11).ok());
  // Not at the write pointer: Zone Invalid Write (ZNS 1.1 Figure 33, BCh).
  EXPECT_TRUE(r.Write(0, 8, 0x22).Is(spec::CommandSpecificStatus::kZoneInvalidWrite));
  // Crossing ZCAP (48): Zone Boundary Error (B8h).
  EXPECT_TRUE(r.Write(8, 48, 0x22).Is(spec::CommandSpecificStatus::kZoneBoundaryError));
  r.io.host.clear();
  ASSERT_TRUE(r.Run(Rig::Io(kRead, 0, 8)).ok());
  ASSERT_EQ(r.io.host.size(), 8u * 512);
  EXPECT_EQ(r.io.host[0], 0x11);
  EXPECT_EQ(r.io.host[8 * 512 - 1], 0x11);
  EXPECT_EQ(r.zns.Model(1)->Zone(0).wp, 8u);
  // Out of the namespace: LBA Out of Range.
  EXPECT_TRUE(r.Write(8 * 64, 1, 0).Is(spec::GenericStatus::kLbaOutOfRange));
}

TEST(ZnsCommandSet, AppendAssignsLbaInDw0Dw1) {
  Rig r;
  std::vector<uint64_t> lbas;
  for (int i = 0; i < 3; ++i) {
    r.io.host.assign(4 * 512, static_cast<uint8_t>(0x40 + i));
    uint32_t dw0 = 0xFFFF, dw1 = 0xFFFF;
    ASSERT_TRUE(r.Run(Rig::Io(kAppend, 64, 4), &dw0, &dw1).ok());
    EXPECT_EQ(dw1, 0u);
    lbas.push_back(dw0);
  }
  EXPECT_EQ(lbas, (std::vector<uint64_t>{64, 68, 72}));
  ASSERT_TRUE(r.Run(Rig::Io(kRead, 68, 1)).ok());
  EXPECT_EQ(r.io.host[0], 0x41);
  // Append not at a zone start: Invalid Field.
  EXPECT_TRUE(r.Run(Rig::Io(kAppend, 65, 1)).Is(spec::GenericStatus::kInvalidField));
}

TEST(ZnsCommandSet, ResetErasesDataAndCostsMedia) {
  Rig r;
  ASSERT_TRUE(r.Write(0, 4, 0x77).ok());
  r.io.ops.clear();
  ASSERT_TRUE(r.Run(Rig::Send(spec::ZoneSendAction::kReset, 0)).ok());
  EXPECT_EQ(r.io.extra_ps, 3'000'000'000u);  // the erase from the media hook
  EXPECT_TRUE(r.io.ops.empty());
  ASSERT_TRUE(r.Run(Rig::Io(kRead, 0, 4)).ok());
  EXPECT_EQ(r.io.host[0], 0);  // reset zone reads zeroes
  EXPECT_EQ(r.zns.stats().resets, 1u);
}

TEST(ZnsCommandSet, ResetWithoutZoneMediaIsADeallocate) {
  Subsystem sub(Rig::Sub());
  ZnsCommandSetConfig c = Rig::Cfg();
  c.media.reset = nullptr;
  ZnsCommandSet zns(sub, c);
  FakeIo io;
  io.host.assign(512, 1);
  spec::Sqe w = Rig::Io(kWrite, 64, 1);
  IoCommand wc{w, *sub.Find(1), 1};
  ASSERT_TRUE(zns.Execute(wc, io).ok());
  io.ops.clear();
  spec::Sqe s = Rig::Send(spec::ZoneSendAction::kReset, 64);
  IoCommand cmd{s, *sub.Find(1), 1};
  ASSERT_TRUE(zns.Execute(cmd, io).ok());
  EXPECT_EQ(io.extra_ps, 0u);
  ASSERT_EQ(io.ops.size(), 1u);
  EXPECT_EQ(io.ops[0].kind, MediaOp::Kind::kDeallocate);
  EXPECT_EQ(io.ops[0].slba, 64u);
  EXPECT_EQ(io.ops[0].nlb, 64u);
}

TEST(ZnsCommandSet, ReportZonesThroughReceive) {
  Rig r;
  ASSERT_TRUE(r.Write(64, 5, 1).ok());
  spec::Sqe s{};
  s.opcode = static_cast<uint8_t>(spec::ZnsOpcode::kZoneManagementReceive);
  s.nsid = 1;
  s.cdw12 = (64 + 8 * 64) / 4 - 1;  // NUMD, 0's based dwords
  ASSERT_TRUE(r.Run(s).ok());
  ASSERT_EQ(r.io.host.size(), 64u + 8 * 64);
  spec::ReportZonesHeader h;
  std::memcpy(&h, r.io.host.data(), sizeof h);
  EXPECT_EQ(h.nr_zones, 8u);
  spec::ZoneDescriptor d;
  std::memcpy(&d, r.io.host.data() + 64 + 64, sizeof d);
  EXPECT_EQ(d.zslba, 64u);
  EXPECT_EQ(d.wp, 69u);
  EXPECT_EQ(d.state(), spec::ZoneState::kImplicitlyOpened);
  // Reserved reporting option: Invalid Field.
  s.cdw13 = 0x08u << 8;
  EXPECT_TRUE(r.Run(s).Is(spec::GenericStatus::kInvalidField));
}

TEST(ZnsCommandSet, PowerLossRollsBackToDurableData) {
  Rig r;
  r.io.cache = true;
  ASSERT_TRUE(r.Write(0, 8, 0xA1).ok());
  ASSERT_TRUE(r.Run(Rig::Io(static_cast<uint8_t>(spec::NvmOpcode::kFlush), 0, 1)).ok());
  ASSERT_TRUE(r.Write(8, 8, 0xA2).ok());                 // cached: lost
  ASSERT_TRUE(r.Write(64, 4, 0xB1, /*fua=*/true).ok());  // durable
  EXPECT_EQ(r.zns.DurableWritePointer(1, 0), 8u);
  EXPECT_EQ(r.zns.DurableWritePointer(1, 1), 68u);
  r.sub.Find(1)->store().PowerLoss();
  r.zns.OnPowerLoss();
  auto z0 = r.zns.Model(1)->Zone(0);
  EXPECT_EQ(z0.wp, 8u);
  EXPECT_EQ(z0.state, spec::ZoneState::kClosed);
  EXPECT_EQ(r.zns.Model(1)->Zone(1).wp, 68u);
  EXPECT_EQ(r.zns.stats().power_loss_rollbacks, 1u);
  ASSERT_TRUE(r.Run(Rig::Io(kRead, 0, 9)).ok());
  EXPECT_EQ(r.io.host[7 * 512], 0xA1);
  EXPECT_EQ(r.io.host[8 * 512], 0);
  // The next write goes at the rolled-back pointer.
  EXPECT_TRUE(r.Write(8, 1, 0xC1).ok());
}

TEST(ZnsCommandSet, FaultsFillChangedZoneList) {
  Rig r;
  ASSERT_TRUE(r.Write(0, 4, 1).ok());
  ASSERT_TRUE(r.zns.InjectZoneFault(1, 0, ZoneFault::kReadOnly).ok());
  ASSERT_TRUE(r.zns.InjectZoneFault(1, 2, ZoneFault::kOffline).ok());
  EXPECT_EQ(r.zns.stats().zone_events, 1u);  // raised once while the list was non-empty
  EXPECT_TRUE(r.Write(4, 1, 0).Is(spec::CommandSpecificStatus::kZoneIsReadOnly));
  EXPECT_TRUE(r.Run(Rig::Io(kRead, 128, 1)).Is(spec::CommandSpecificStatus::kZoneIsOffline));
  std::vector<uint8_t> log;
  spec::Status st;
  uint8_t type = 0xFF;
  ASSERT_TRUE(r.zns.GetLogPage(0xBF, 1, false, &log, &st, &type));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(type, kAsyncEventTypeNotice);
  spec::ChangedZoneList l;
  std::memcpy(&l, log.data(), sizeof l);
  EXPECT_EQ(l.nrzid, 2u);
  EXPECT_EQ(l.zid[0], 0u);
  EXPECT_EQ(l.zid[1], 128u);
  EXPECT_FALSE(r.zns.GetLogPage(0x02, 1, false, &log, &st, &type));  // not a ZNS log
  EXPECT_FALSE(r.zns.InjectZoneFault(1, 99, ZoneFault::kOffline).ok());
}

TEST(ZnsCommandSet, IdentifyReportsGeometry) {
  Rig r;
  std::vector<uint8_t> page(4096, 0xCC);
  ASSERT_TRUE(r.zns.IdentifyNamespace(*r.sub.Find(1), page.data()).ok());
  spec::ZnsIdentifyNamespace id;
  std::memcpy(&id, page.data(), sizeof id);
  EXPECT_EQ(id.mor, 1u);  // 0's based (ZNS 1.1 Identify Namespace MOR)
  EXPECT_EQ(id.mar, 2u);
  EXPECT_EQ(id.lbafe[0].zsze, 64u);  // 512-byte format is index 0
}

TEST(ZnsCommandSet, RejectsBadGeometry) {
  Subsystem sub(Rig::Sub());
  ZnsCommandSetConfig c = Rig::Cfg();
  c.defaults.zone_capacity_lbas = 65;  // above ZSZE
  EXPECT_THROW(ZnsCommandSet(sub, c), std::invalid_argument);
}

}  // namespace
}  // namespace nvmesim::device::zns
