// Admin command set through the register-level test host.
#include <gtest/gtest.h>

#include <cstring>

#include "device_model/controller.h"
#include "device_model/test_host.h"
#include "spec/identify.h"
#include "spec/registers.h"
#include "tests/support/sim_test.h"

namespace nvmesim::device {
namespace {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;
using testing::MakeSqe;
using testing::TestHost;

struct Bench {
  explicit Bench(ControllerConfig cfg = {}, SubsystemConfig scfg = {})
      : sub(scfg), ctrl("ctrl", cfg, sub), host("host", ctrl) {
    host.ConfigurePcie();
    EXPECT_TRUE(host.Enable());
  }
  Subsystem sub;
  NvmeController ctrl;
  TestHost host;
};

// Identify into a fresh poisoned buffer; returns status and the buffer.
Status Identify(TestHost& h, uint8_t cns, uint32_t nsid, uint64_t* buf, uint32_t cdw11 = 0,
                uint16_t cntid = 0) {
  *buf = h.Alloc(4096);
  spec::Sqe s = MakeSqe(0x06, nsid);
  s.prp1 = *buf;
  s.cdw10 = cns | (uint32_t{cntid} << 16);
  s.cdw11 = cdw11;
  return h.AdminStatus(s);
}

Status GetLog(TestHost& h, uint8_t lid, uint64_t offset, uint32_t bytes, uint64_t* buf,
              bool rae = false, uint32_t nsid = 0, uint8_t lsp = 0) {
  *buf = h.Alloc(std::max<uint32_t>(bytes, 4096) + 4096);
  spec::Sqe s = MakeSqe(0x02, nsid);
  const uint32_t numd = bytes / 4 - 1;
  s.cdw10 = lid | (uint32_t{lsp} << 8) | (rae ? 1u << 15 : 0) | ((numd & 0xFFFF) << 16);
  s.cdw11 = numd >> 16;
  s.cdw12 = static_cast<uint32_t>(offset);
  s.cdw13 = static_cast<uint32_t>(offset >> 32);
  h.SetPrps(s, *buf, bytes);
  return h.AdminStatus(s);
}

bool HasPoison(const uint8_t* p, size_t n) {
  for (size_t i = 0; i + 4 <= n; i += 4) {
    if (p[i] == testing::kPoison && p[i + 1] == testing::kPoison && p[i + 2] == testing::kPoison &&
        p[i + 3] == testing::kPoison)
      return true;
  }
  return false;
}

NVMESIM_SIM_TEST(ControllerAdmin, IdentifyController) {
  ControllerConfig cfg;
  cfg.serial = "SN123";
  cfg.cntlid = 7;
  Bench b(cfg);
  uint64_t buf;
  ASSERT_TRUE(Identify(b.host, 0x01, 0, &buf).ok());
  spec::IdentifyController id;
  std::memcpy(static_cast<void*>(&id), b.host.Mem(buf), 4096);
  EXPECT_EQ(std::string(id.sn, 5), "SN123");
  EXPECT_EQ(id.sn[5], ' ');
  EXPECT_EQ(id.cntlid, 7);
  EXPECT_EQ(id.ver, 0x00020000u);
  EXPECT_EQ(id.mdts, cfg.mdts);
  EXPECT_EQ(id.sqes, 0x66);
  EXPECT_EQ(id.cqes, 0x44);
  EXPECT_EQ(id.nn, 32u);
  EXPECT_EQ(std::string(id.subnqn), b.sub.nqn());
  EXPECT_NE(id.cmic & spec::kCmicAnaReporting, 0);
  EXPECT_NE(id.sgls & 0x3u, 0u);
  EXPECT_FALSE(HasPoison(b.host.Mem(buf), 4096));
  // Unsupported CNS and a PSDT other than PRP.
  EXPECT_TRUE(Identify(b.host, 0x55, 0, &buf).Is(GenericStatus::kInvalidField));
  spec::Sqe s = MakeSqe(0x06);
  s.cdw10 = 1;
  s.set_psdt(spec::DataPointerType::kSglMptrContiguous);
  EXPECT_TRUE(b.host.AdminStatus(s).Is(GenericStatus::kInvalidField));
}

NVMESIM_SIM_TEST(ControllerAdmin, IdentifyNamespacesAndLists) {
  SubsystemConfig sc;
  sc.namespaces = {NamespaceConfig{}, NamespaceConfig{}, NamespaceConfig{}};
  sc.namespaces[0].nsid = 1;
  sc.namespaces[0].size_lbas = 1000;
  sc.namespaces[0].lba_bytes = 512;
  sc.namespaces[1].nsid = 3;
  sc.namespaces[2].nsid = 5;
  sc.namespaces[2].attached = {9};  // another controller's private namespace
  Bench b({}, sc);
  uint64_t buf;
  ASSERT_TRUE(Identify(b.host, 0x00, 1, &buf).ok());
  spec::IdentifyNamespace ns;
  std::memcpy(static_cast<void*>(&ns), b.host.Mem(buf), 4096);
  EXPECT_EQ(ns.nsze, 1000u);
  EXPECT_EQ(ns.ncap, 1000u);
  EXPECT_EQ(ns.LbaDataSizeBytes(), 512u);
  EXPECT_EQ(ns.nlbaf, 1);
  EXPECT_EQ(ns.lbaf[1].lbads, 12);
  EXPECT_EQ(ns.anagrpid, 1u);
  EXPECT_EQ(ns.dlfeat & 7u, 1u);
  // Inactive NSID: zeroes; NSID 0: invalid.
  ASSERT_TRUE(Identify(b.host, 0x00, 5, &buf).ok());
  for (int i = 0; i < 4096; ++i) ASSERT_EQ(b.host.Mem(buf)[i], 0) << i;
  EXPECT_TRUE(Identify(b.host, 0x00, 0, &buf).Is(GenericStatus::kInvalidNamespaceOrFormat));
  // Active list: 1, 3 (5 is attached elsewhere).
  ASSERT_TRUE(Identify(b.host, 0x02, 0, &buf).ok());
  const uint32_t* l = reinterpret_cast<const uint32_t*>(b.host.Mem(buf));
  EXPECT_EQ(l[0], 1u);
  EXPECT_EQ(l[1], 3u);
  EXPECT_EQ(l[2], 0u);
  ASSERT_TRUE(Identify(b.host, 0x02, 1, &buf).ok());
  EXPECT_EQ(l = reinterpret_cast<const uint32_t*>(b.host.Mem(buf)), l);
  EXPECT_EQ(reinterpret_cast<const uint32_t*>(b.host.Mem(buf))[0], 3u);
  EXPECT_TRUE(
      Identify(b.host, 0x02, 0xFFFFFFFE, &buf).Is(GenericStatus::kInvalidNamespaceOrFormat));
  // Allocated list includes 5.
  ASSERT_TRUE(Identify(b.host, 0x10, 0, &buf).ok());
  EXPECT_EQ(reinterpret_cast<const uint32_t*>(b.host.Mem(buf))[2], 5u);
  // Namespace identification descriptors: EUI64, NGUID, CSI.
  ASSERT_TRUE(Identify(b.host, 0x03, 3, &buf).ok());
  const uint8_t* d = b.host.Mem(buf);
  EXPECT_EQ(d[0], 1);
  EXPECT_EQ(d[1], 8);
  EXPECT_EQ(d[12], 2);
  EXPECT_EQ(d[13], 16);
  EXPECT_EQ(d[32], 4);
  EXPECT_EQ(d[33], 1);
  EXPECT_EQ(d[36], 0);  // CSI NVM
  EXPECT_EQ(d[37], 0);  // terminator
  // Controller lists.
  ASSERT_TRUE(Identify(b.host, 0x13, 0, &buf).ok());
  EXPECT_EQ(reinterpret_cast<const uint16_t*>(b.host.Mem(buf))[0], 1u);
  ASSERT_TRUE(Identify(b.host, 0x12, 1, &buf).ok());
  EXPECT_EQ(reinterpret_cast<const uint16_t*>(b.host.Mem(buf))[0], 1u);
  // I/O command set structures.
  ASSERT_TRUE(Identify(b.host, 0x06, 0, &buf).ok());
  ASSERT_TRUE(Identify(b.host, 0x08, 1, &buf).ok());
  EXPECT_EQ(b.host.Mem(buf)[14], 1);  // nstat ready
  ASSERT_TRUE(Identify(b.host, 0x1C, 0, &buf).ok());
  EXPECT_EQ(b.host.Mem(buf)[0], 1);
  ASSERT_TRUE(Identify(b.host, 0x07, 0, &buf, 0).ok());
  EXPECT_EQ(reinterpret_cast<const uint32_t*>(b.host.Mem(buf))[1], 3u);
}

NVMESIM_SIM_TEST(ControllerAdmin, GetLogPageOffsetsAndLengths) {
  Bench b;
  uint64_t buf;
  // SMART log is 512 bytes: offset 508 ok, 512 (at) and beyond invalid.
  EXPECT_TRUE(GetLog(b.host, 0x02, 0, 512, &buf).ok());
  EXPECT_FALSE(HasPoison(b.host.Mem(buf), 512));
  EXPECT_TRUE(GetLog(b.host, 0x02, 508, 4, &buf).ok());
  EXPECT_TRUE(GetLog(b.host, 0x02, 512, 4, &buf).Is(GenericStatus::kInvalidField));
  EXPECT_TRUE(GetLog(b.host, 0x02, 516, 4, &buf).Is(GenericStatus::kInvalidField));
  EXPECT_TRUE(GetLog(b.host, 0x02, uint64_t{1} << 40, 4, &buf).Is(GenericStatus::kInvalidField));
  EXPECT_TRUE(
      GetLog(b.host, 0x02, 2, 4, &buf).Is(GenericStatus::kInvalidField));  // not dword aligned
  // Asking for more than the log: the tail is zero, never stale memory.
  ASSERT_TRUE(GetLog(b.host, 0x02, 256, 4096, &buf).ok());
  EXPECT_FALSE(HasPoison(b.host.Mem(buf), 4096));
  EXPECT_EQ(b.host.Mem(buf)[4096], testing::kPoison);  // nothing past the request
  // Maximum NUMD (16 GiB) exceeds MDTS.
  spec::Sqe s = MakeSqe(0x02);
  s.prp1 = b.host.Alloc(4096);
  s.cdw10 = 0x02 | (0xFFFFu << 16);
  s.cdw11 = 0xFFFF;
  EXPECT_TRUE(b.host.AdminStatus(s).Is(GenericStatus::kInvalidField));
  // Unsupported log.
  EXPECT_TRUE(GetLog(b.host, 0x77, 0, 512, &buf).Is(CommandSpecificStatus::kInvalidLogPage));
  // Every supported log at offset 0 and at its size.
  const std::pair<uint8_t, uint32_t> logs[] = {
      {0x01, 4096}, {0x03, 512}, {0x04, 4096}, {0x05, 4096}};
  for (const auto& [lid, size] : logs) {
    EXPECT_TRUE(GetLog(b.host, lid, 0, 512, &buf).ok()) << int(lid);
    EXPECT_TRUE(GetLog(b.host, lid, size, 4, &buf).Is(GenericStatus::kInvalidField)) << int(lid);
  }
  EXPECT_TRUE(GetLog(b.host, 0x02, 0, 512, &buf, false, 1).Is(GenericStatus::kInvalidField));
  // ANA log: header 16 + 4 groups x 32 + 1 NSID = 148 bytes.
  ASSERT_TRUE(GetLog(b.host, 0x0C, 144, 4, &buf).ok());
  uint32_t nsid = 0;
  std::memcpy(&nsid, b.host.Mem(buf), 4);
  EXPECT_EQ(nsid, 0u);  // group 4 descriptor's tail (no NSIDs)
  EXPECT_TRUE(GetLog(b.host, 0x0C, 148, 4, &buf).Is(GenericStatus::kInvalidField));
  EXPECT_TRUE(GetLog(b.host, 0x0C, 152, 4, &buf).Is(GenericStatus::kInvalidField));
  // Commands Supported and Effects: Read supported, Write changes LBA content.
  ASSERT_TRUE(GetLog(b.host, 0x05, 0, 4096, &buf).ok());
  uint32_t effects = 0;
  std::memcpy(&effects, b.host.Mem(buf) + 1024 + 4 * 0x01, 4);
  EXPECT_EQ(effects, 0x3u);
}

NVMESIM_SIM_TEST(ControllerAdmin, SmartAndErrorLogCount) {
  Bench b;
  ASSERT_TRUE(b.host.CreateIoQueues(1, 16, 1).ok());
  std::vector<uint8_t> data(8192, 0x11);
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 0, data, 4096).ok());
  std::vector<uint8_t> out;
  ASSERT_TRUE(b.host.ReadLbas(1, 1, 0, 2, 4096, &out).ok());
  b.ctrl.InjectMediaError(1, 10, 5);
  EXPECT_TRUE(
      b.host.ReadLbas(1, 1, 12, 1, 4096, &out).Is(spec::MediaStatus::kUnrecoveredReadError));
  uint64_t buf;
  ASSERT_TRUE(GetLog(b.host, 0x02, 0, 512, &buf).ok());
  const uint8_t* smart = b.host.Mem(buf);
  uint64_t v;
  std::memcpy(&v, smart + 64, 8);
  EXPECT_EQ(v, 1u);  // host read commands (the failed one is not counted)
  std::memcpy(&v, smart + 80, 8);
  EXPECT_EQ(v, 1u);  // host write commands
  std::memcpy(&v, smart + 48, 8);
  EXPECT_EQ(v, 1u);  // data units written (rounded up)
  std::memcpy(&v, smart + 160, 8);
  EXPECT_EQ(v, 1u);  // media errors
  uint16_t temp;
  std::memcpy(&temp, smart + 1, 2);
  EXPECT_EQ(temp, 308);
  ASSERT_TRUE(GetLog(b.host, 0x01, 0, 64, &buf).ok());
  uint64_t count;
  uint16_t cid, status;
  std::memcpy(&count, b.host.Mem(buf), 8);
  std::memcpy(&cid, b.host.Mem(buf) + 10, 2);
  std::memcpy(&status, b.host.Mem(buf) + 12, 2);
  EXPECT_GE(count, 1u);
  EXPECT_TRUE(Status::FromCqeField(status).Is(spec::MediaStatus::kUnrecoveredReadError));
}

NVMESIM_SIM_TEST(ControllerAdmin, FeaturesRoundTrip) {
  Bench b;
  auto set = [&](uint8_t fid, uint32_t v) {
    spec::Sqe s = MakeSqe(0x09);
    s.cdw10 = fid;
    s.cdw11 = v;
    return b.host.AdminStatus(s);
  };
  auto get = [&](uint8_t fid, uint8_t sel = 0, uint32_t cdw11 = 0) {
    spec::Sqe s = MakeSqe(0x0A);
    s.cdw10 = fid | (uint32_t{sel} << 8);
    s.cdw11 = cdw11;
    return b.host.Admin(s);
  };
  EXPECT_TRUE(set(0x01, 0x03020107).ok());
  EXPECT_EQ(get(0x01).dw0, 0x03020107u);
  EXPECT_EQ(get(0x01, 1).dw0, 0u);       // default
  EXPECT_EQ(get(0x01, 3).dw0 & 4u, 4u);  // changeable
  EXPECT_TRUE(set(0x02, 0).ok());
  EXPECT_TRUE(set(0x02, 3).Is(GenericStatus::kInvalidField));  // only PS0
  EXPECT_TRUE(set(0x04, 350).ok());
  EXPECT_EQ(get(0x04).dw0 & 0xFFFF, 350u);
  EXPECT_TRUE(set(0x04, (1u << 20) | 270).ok());  // under threshold
  EXPECT_EQ(get(0x04, 0, 1u << 20).dw0 & 0xFFFF, 270u);
  EXPECT_TRUE(set(0x05, 42).ok());
  EXPECT_EQ(get(0x05).dw0, 42u);
  EXPECT_TRUE(set(0x06, 1).Is(GenericStatus::kInvalidField));  // no VWC in this namespace
  EXPECT_TRUE(set(0x08, 0x0A05).ok());
  EXPECT_EQ(get(0x08).dw0, 0x0A05u);
  EXPECT_TRUE(set(0x09, (1u << 16) | 2).ok());
  EXPECT_EQ(get(0x09, 0, 2).dw0, (1u << 16) | 2u);
  EXPECT_TRUE(set(0x09, 9999).Is(GenericStatus::kInvalidField));
  EXPECT_TRUE(set(0x0B, 0x900).ok());
  EXPECT_EQ(get(0x0B).dw0, 0x900u);
  EXPECT_TRUE(set(0x0F, 150).ok());
  EXPECT_EQ(get(0x0F).dw0, 200u);  // rounded up to KAS (100 ms)
  EXPECT_TRUE(set(0x0F, 0).ok());
  EXPECT_TRUE(set(0x19, 0).ok());
  EXPECT_TRUE(set(0x19, 5).Is(CommandSpecificStatus::kIoCommandSetCombinationRejected));
  EXPECT_TRUE(set(0x7F, 0).Is(GenericStatus::kInvalidField));
  spec::Sqe save = MakeSqe(0x09);
  save.cdw10 = 0x01 | (1u << 31);
  EXPECT_TRUE(b.host.AdminStatus(save).Is(CommandSpecificStatus::kFeatureIdNotSaveable));
  // Timestamp: set 1000 ms, read back >= 1000.
  spec::Sqe ts = MakeSqe(0x09);
  ts.cdw10 = 0x0E;
  ts.prp1 = b.host.Alloc(4096);
  const uint64_t t = 1000;
  std::memcpy(b.host.Mem(ts.prp1), &t, 8);
  ASSERT_TRUE(b.host.AdminStatus(ts).ok());
  spec::Sqe gts = MakeSqe(0x0A);
  gts.cdw10 = 0x0E;
  gts.prp1 = b.host.Alloc(4096);
  ASSERT_TRUE(b.host.AdminStatus(gts).ok());
  uint64_t back = 0;
  std::memcpy(&back, b.host.Mem(gts.prp1), 6);
  EXPECT_GE(back, 1000u);
  // Host behaviour support and APST carry data buffers.
  spec::Sqe hb = MakeSqe(0x09);
  hb.cdw10 = 0x16;
  hb.prp1 = b.host.Alloc(4096);
  EXPECT_TRUE(b.host.AdminStatus(hb).ok());
  spec::Sqe ap = MakeSqe(0x0A);
  ap.cdw10 = 0x0C;
  ap.prp1 = b.host.Alloc(4096);
  EXPECT_TRUE(b.host.AdminStatus(ap).ok());
  EXPECT_FALSE(HasPoison(b.host.Mem(ap.prp1), 256));
}

NVMESIM_SIM_TEST(ControllerAdmin, KeepAliveTimeout) {
  Bench b;
  spec::Sqe s = MakeSqe(0x09);
  s.cdw10 = 0x0F;
  s.cdw11 = 100;  // 100 ms
  ASSERT_TRUE(b.host.AdminStatus(s).ok());
  for (int i = 0; i < 5; ++i) {
    b.host.Run(60'000'000);  // 60 ms
    ASSERT_TRUE(b.host.AdminStatus(MakeSqe(0x18)).ok());
  }
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & 2u, 0u);
  b.host.Run(150'000'000);
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & 2u, 2u);  // timer expired
}

NVMESIM_SIM_TEST(ControllerAdmin, AsyncEventLimitAndConfigMasking) {
  ControllerConfig cfg;
  cfg.aerl = 1;  // two outstanding
  Bench b(cfg);
  b.host.Submit(0, MakeSqe(0x0C));
  b.host.Submit(0, MakeSqe(0x0C));
  spec::Cqe c = b.host.Admin(MakeSqe(0x0C));
  EXPECT_TRUE(c.status_value().Is(CommandSpecificStatus::kAsyncEventRequestLimitExceeded));
  // Temperature event disabled by default config: nothing.
  b.ctrl.SetTemperatureOverride(true, 360);
  b.host.Run(1000);
  EXPECT_FALSE(b.host.Poll(0).has_value());
  spec::Sqe cfgf = MakeSqe(0x09);
  cfgf.cdw10 = 0x0B;
  cfgf.cdw11 = 0x2;  // temperature warnings
  ASSERT_TRUE(b.host.AdminStatus(cfgf).ok());
  b.ctrl.SetTemperatureOverride(true, 361);
  auto e = b.host.Wait(0);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->dw0 & 7u, 1u);            // SMART / health
  EXPECT_EQ((e->dw0 >> 8) & 0xFF, 1u);   // temperature threshold
  EXPECT_EQ((e->dw0 >> 16) & 0xFF, 2u);  // SMART log
  uint64_t buf;
  ASSERT_TRUE(GetLog(b.host, 0x02, 0, 512, &buf).ok());
  EXPECT_EQ(b.host.Mem(buf)[0] & 2u, 2u);  // critical warning: temperature
}

NVMESIM_SIM_TEST(ControllerAdmin, NamespaceManagementAndAttachment) {
  SubsystemConfig sc;
  sc.capacity_bytes = uint64_t{8} << 30;
  sc.namespaces[0].size_lbas = 1 << 18;  // 1 GiB
  Bench b({}, sc);
  auto create = [&](uint64_t nsze, uint64_t ncap, uint8_t flbas, uint32_t* nsid) {
    spec::Sqe s = MakeSqe(0x0D);
    s.prp1 = b.host.Alloc(4096);
    std::memset(b.host.Mem(s.prp1), 0, 4096);
    std::memcpy(b.host.Mem(s.prp1), &nsze, 8);
    std::memcpy(b.host.Mem(s.prp1) + 8, &ncap, 8);
    b.host.Mem(s.prp1)[26] = flbas;
    b.host.Mem(s.prp1)[30] = 1;  // shared
    spec::Cqe c = b.host.Admin(s);
    *nsid = c.dw0;
    return c.status_value();
  };
  uint32_t nsid = 0;
  EXPECT_TRUE(create(1000, 500, 0, &nsid).Is(CommandSpecificStatus::kThinProvisioningNotSupported));
  EXPECT_TRUE(create(1000, 1000, 5, &nsid).Is(CommandSpecificStatus::kInvalidFormat));
  EXPECT_TRUE(create(uint64_t{1} << 40, uint64_t{1} << 40, 1, &nsid)
                  .Is(CommandSpecificStatus::kNamespaceInsufficientCapacity));
  ASSERT_TRUE(create(2048, 2048, 0, &nsid).ok());
  EXPECT_EQ(nsid, 2u);
  // Not attached yet: I/O fails, identify shows zeroes.
  ASSERT_TRUE(b.host.CreateIoQueues(1, 16, 1).ok());
  std::vector<uint8_t> out;
  EXPECT_TRUE(b.host.ReadLbas(1, 2, 0, 1, 512, &out).Is(GenericStatus::kInvalidNamespaceOrFormat));
  const uint16_t aer = b.host.Submit(0, MakeSqe(0x0C));
  spec::Sqe cfgf = MakeSqe(0x09);
  cfgf.cdw10 = 0x0B;
  cfgf.cdw11 = 1u << 8;  // namespace attribute notices
  ASSERT_TRUE(b.host.AdminStatus(cfgf).ok());
  spec::Sqe at = MakeSqe(0x15, 2);
  at.prp1 = b.host.Alloc(4096);
  std::memset(b.host.Mem(at.prp1), 0, 4096);
  const uint16_t list[2] = {1, 0};
  std::memcpy(b.host.Mem(at.prp1), list, 4);
  EXPECT_TRUE(b.host.AdminStatus(at).ok());
  // The attach raised a Namespace Attribute Changed notice.
  auto ev = b.host.Wait(0);
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(ev->cid, aer);
  EXPECT_EQ(ev->dw0, (0x04u << 16) | 2u);
  uint64_t buf;
  ASSERT_TRUE(GetLog(b.host, 0x04, 0, 4096, &buf).ok());
  EXPECT_EQ(reinterpret_cast<const uint32_t*>(b.host.Mem(buf))[0], 2u);
  EXPECT_TRUE(b.host.AdminStatus(at).Is(CommandSpecificStatus::kNamespaceAlreadyAttached));
  EXPECT_TRUE(b.host.ReadLbas(1, 2, 0, 1, 512, &out).ok());
  // Controller list naming an unknown controller.
  const uint16_t bad[2] = {1, 42};
  std::memcpy(b.host.Mem(at.prp1), bad, 4);
  at.cdw10 = 1;  // detach
  EXPECT_TRUE(b.host.AdminStatus(at).Is(CommandSpecificStatus::kControllerListInvalid));
  std::memcpy(b.host.Mem(at.prp1), list, 4);
  EXPECT_TRUE(b.host.AdminStatus(at).ok());
  EXPECT_TRUE(b.host.AdminStatus(at).Is(CommandSpecificStatus::kNamespaceNotAttached));
  // Delete.
  spec::Sqe del = MakeSqe(0x0D, 2);
  del.cdw10 = 1;
  EXPECT_TRUE(b.host.AdminStatus(del).ok());
  EXPECT_TRUE(b.host.AdminStatus(del).Is(GenericStatus::kInvalidNamespaceOrFormat));
}

NVMESIM_SIM_TEST(ControllerAdmin, FormatChangesLbaSizeAndErasesData) {
  Bench b;
  ASSERT_TRUE(b.host.CreateIoQueues(1, 16, 1).ok());
  ASSERT_TRUE(b.host.WriteLbas(1, 1, 0, std::vector<uint8_t>(4096, 0x77), 4096).ok());
  spec::Sqe f = MakeSqe(0x80, 1);
  f.cdw10 = 0;  // LBA format 0: 512 bytes
  ASSERT_TRUE(b.host.AdminStatus(f).ok());
  std::vector<uint8_t> out;
  ASSERT_TRUE(b.host.ReadLbas(1, 1, 0, 8, 512, &out).ok());
  EXPECT_EQ(out, std::vector<uint8_t>(4096, 0));
  EXPECT_EQ(b.sub.Find(1)->size_lbas(), (uint64_t{1} << 20) * 8);
  f.cdw10 = 3;
  EXPECT_TRUE(b.host.AdminStatus(f).Is(CommandSpecificStatus::kInvalidFormat));
  f.cdw10 = 1 | (1u << 5);  // protection information
  EXPECT_TRUE(b.host.AdminStatus(f).Is(CommandSpecificStatus::kInvalidFormat));
  f.nsid = 9;
  f.cdw10 = 1;
  EXPECT_TRUE(b.host.AdminStatus(f).Is(GenericStatus::kInvalidNamespaceOrFormat));
}

NVMESIM_SIM_TEST(ControllerAdmin, FirmwareDownloadCommitActivateOnReset) {
  Bench b;
  // A 16-byte image: the revision string the slot will report, a NUL, and filler bytes.
  const char image[16] = "2.0-NEW\0xxxxxxx";
  spec::Sqe dl = MakeSqe(0x11);
  dl.prp1 = b.host.Alloc(4096);
  std::memcpy(b.host.Mem(dl.prp1), image, 16);
  dl.cdw10 = 16 / 4 - 1;
  dl.cdw11 = 0;
  ASSERT_TRUE(b.host.AdminStatus(dl).ok());
  dl.cdw11 = 100;  // out of sequence
  EXPECT_TRUE(b.host.AdminStatus(dl).Is(GenericStatus::kInvalidField));
  spec::Sqe commit = MakeSqe(0x10);
  commit.cdw10 = 7 | (1u << 3);
  EXPECT_TRUE(b.host.AdminStatus(commit).Is(CommandSpecificStatus::kInvalidFirmwareSlot));
  commit.cdw10 = 2 | (3u << 3);  // replace in slot 2 and activate now
  EXPECT_TRUE(
      b.host.AdminStatus(commit).Is(CommandSpecificStatus::kFirmwareActivationRequiresReset));
  uint64_t buf;
  ASSERT_TRUE(GetLog(b.host, 0x03, 0, 512, &buf).ok());
  EXPECT_EQ(b.host.Mem(buf)[0], 0x21);  // active 1, next 2
  EXPECT_EQ(std::string(reinterpret_cast<char*>(b.host.Mem(buf)) + 16, 7), "2.0-NEW");
  commit.cdw10 = 3 | (1u << 3);  // no image left
  EXPECT_TRUE(b.host.AdminStatus(commit).Is(CommandSpecificStatus::kInvalidFirmwareImage));
  // Controller reset activates slot 2.
  spec::CcRegister cc{b.host.Read32(spec::kRegCc)};
  b.host.Write32(spec::kRegCc, cc.set_en(0).raw);
  ASSERT_TRUE(b.host.WaitReady(false));
  ASSERT_TRUE(b.host.Enable());
  ASSERT_TRUE(Identify(b.host, 0x01, 0, &buf).ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(b.host.Mem(buf)) + 64, 8), "2.0-NEW ");
}

NVMESIM_SIM_TEST(ControllerAdmin, AnaLogAndChangeEvent) {
  SubsystemConfig sc;
  sc.namespaces = {NamespaceConfig{}, NamespaceConfig{}};
  sc.namespaces[1].nsid = 2;
  sc.namespaces[1].ana_group = 2;
  Bench b({}, sc);
  spec::Sqe cfgf = MakeSqe(0x09);
  cfgf.cdw10 = 0x0B;
  cfgf.cdw11 = 1u << 11;  // ANA change notices
  ASSERT_TRUE(b.host.AdminStatus(cfgf).ok());
  b.host.Submit(0, MakeSqe(0x0C));
  b.ctrl.SetAnaState(2, AnaState::kInaccessible);
  auto ev = b.host.Wait(0);
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(ev->dw0, (0x0Cu << 16) | (0x03u << 8) | 2u);
  uint64_t buf;
  ASSERT_TRUE(GetLog(b.host, 0x0C, 0, 4096, &buf).ok());
  const uint8_t* l = b.host.Mem(buf);
  uint16_t ndesc;
  std::memcpy(&ndesc, l + 8, 2);
  EXPECT_EQ(ndesc, 4);  // groups 1..4
  // group 2 descriptor: after group 1 (32 + 4 bytes)
  const uint8_t* g2 = l + 16 + 36;
  uint32_t gid, nns, member;
  std::memcpy(&gid, g2, 4);
  std::memcpy(&nns, g2 + 4, 4);
  std::memcpy(&member, g2 + 32, 4);
  EXPECT_EQ(gid, 2u);
  EXPECT_EQ(nns, 1u);
  EXPECT_EQ(member, 2u);
  EXPECT_EQ(g2[16], 3);  // inaccessible
  // I/O to namespace 2 through this controller: path status.
  ASSERT_TRUE(b.host.CreateIoQueues(1, 16, 1).ok());
  std::vector<uint8_t> out;
  EXPECT_TRUE(
      b.host.ReadLbas(1, 2, 0, 1, 4096, &out).Is(spec::PathStatus::kAsymmetricAccessInaccessible));
  EXPECT_TRUE(b.host.ReadLbas(1, 1, 0, 1, 4096, &out).ok());
  b.ctrl.SetAnaState(2, AnaState::kPersistentLoss);
  EXPECT_TRUE(b.host.ReadLbas(1, 2, 0, 1, 4096, &out)
                  .Is(spec::PathStatus::kAsymmetricAccessPersistentLoss));
  b.ctrl.SetAnaState(2, AnaState::kChange);
  EXPECT_TRUE(
      b.host.ReadLbas(1, 2, 0, 1, 4096, &out).Is(spec::PathStatus::kAsymmetricAccessTransition));
}

}  // namespace
}  // namespace nvmesim::device
