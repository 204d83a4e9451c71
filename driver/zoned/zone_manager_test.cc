// The zoned namespace manager against a mocked device: a ZoneIo whose zone
// rules come from zns_model and whose answers can be overridden, so every
// error path of the manager is driven and checked.
#include "driver/zoned/zone_manager.h"

#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "driver/zoned/zns_commands.h"
#include "spec/identify.h"
#include "spec/opcodes.h"
#include "zns_model/zoned_namespace.h"

namespace nvmesim::driver::zoned {
namespace {

class FakeClock : public hal::Clock {
 public:
  uint64_t NowNs() override { return now_; }
  TimerId StartTimer(uint64_t delay, Callback cb) override {
    q_.push_back({now_ + delay, ++id_, std::move(cb)});
    return id_;
  }
  void CancelTimer(TimerId) override {}
  // Runs every pending callback (and what they schedule) in order.
  void Drain() {
    while (!q_.empty()) {
      auto it = std::min_element(q_.begin(), q_.end(), [](const T& a, const T& b) {
        return a.at != b.at ? a.at < b.at : a.id < b.id;
      });
      T t = std::move(*it);
      q_.erase(it);
      now_ = std::max(now_, t.at);
      t.cb();
    }
  }

 private:
  struct T {
    uint64_t at;
    TimerId id;
    Callback cb;
  };
  std::vector<T> q_;
  uint64_t now_ = 0;
  TimerId id_ = 0;
};

class FakeDma : public hal::DmaMemory {
 public:
  hal::DmaBuffer Allocate(size_t size, size_t) override {
    auto mem = std::make_unique<uint8_t[]>(size);
    hal::DmaBuffer b{mem.get(), reinterpret_cast<uint64_t>(mem.get()), size};
    live_[b.bus] = std::move(mem);
    return b;
  }
  void Free(const hal::DmaBuffer& b) override { live_.erase(b.bus); }
  size_t live() const { return live_.size(); }

 private:
  std::map<uint64_t, std::unique_ptr<uint8_t[]>> live_;
};

class NullLog : public hal::Log {
 public:
  void Write(hal::LogLevel, std::string_view) override {}
  void Trace(const spec::TraceEvent&) override {}
};

// The mocked device: one zoned namespace (NSID 1) of 8 zones x 64 LBAs of 512
// bytes, ZCAP 48, MOR 2, MAR 3.
class MockDevice : public ZoneIo, public AdminChannel {
 public:
  MockDevice() {
    nvmesim::zns::ZonedNamespaceConfig c;
    c.zone_count = 8;
    c.zone_size_lbas = 64;
    c.zone_capacity_lbas = 48;
    c.max_open_zones = 2;
    c.max_active_zones = 3;
    c.lba_bytes = 512;
    std::string err;
    model = nvmesim::zns::ZonedNamespace::Create(c, &err);
    data.assign(8 * 64 * 512, 0);
  }

  // --- ZoneIo
  spec::Status SubmitIo(uint16_t queue, const spec::Sqe& sqe, const DataSegment* segs, uint32_t n,
                        BlockCallback done) override {
    if (refuse_next) {
      refuse_next = false;
      return spec::PathStatus::kHostPathingError;
    }
    queues_used.insert(queue);
    std::vector<DataSegment> copy(segs, segs + n);
    clk.StartTimer(1000, [this, sqe, copy, done] {
      BlockResult r;
      r.status = Execute(sqe, copy, &r.dw0, &r.dw1);
      done(r);
    });
    return spec::Status::Ok();
  }
  AdminChannel& admin() override { return *this; }
  uint32_t io_queue_count() const override { return 8; }
  hal::Clock* clock() override { return &clk; }

  // --- AdminChannel
  spec::Status SubmitAdmin(const spec::Sqe& sqe, std::function<void(const spec::Cqe&)> done,
                           uint64_t) override {
    clk.StartTimer(500, [this, sqe, done] {
      spec::Cqe cqe{};
      cqe.status = Identify(sqe).ToCqeField(false);
      done(cqe);
    });
    return spec::Status::Ok();
  }
  hal::DmaMemory* dma() override { return &dma_; }
  hal::Log* log() override { return &log_; }

  spec::Status Identify(const spec::Sqe& s) {
    ++admin_commands;
    if (s.opcode == 0x09) aec = s.cdw11;  // Set Features (Asynchronous Event Configuration)
    if (s.opcode != 0x06) return spec::Status::Ok();
    uint8_t* page = reinterpret_cast<uint8_t*>(s.prp1);
    std::memset(page, 0, 4096);
    const uint8_t cns = s.cdw10 & 0xFF, csi = static_cast<uint8_t>(s.cdw11 >> 24);
    if (cns == 0x06) {
      if (csi != 2 || no_zns) return spec::Status(spec::GenericStatus::kInvalidField, true);
      page[0] = 0;  // ZASL: MDTS applies
    } else if (cns == 0x07) {
      const uint32_t ids[] = {1};
      if (s.nsid < 1) std::memcpy(page, ids, 4);
    } else if (cns == 0x00) {
      spec::IdentifyNamespace id;
      id.nsze = id.ncap = 8 * 64;
      id.nlbaf = 0;
      id.lbaf[0].lbads = 9;
      std::memcpy(page, &id, sizeof id);
    } else if (cns == 0x05) {
      spec::ZnsIdentifyNamespace id;
      model->FillIdentifyNamespace(&id, 0);
      std::memcpy(page, &id, sizeof id);
    }
    return spec::Status::Ok();
  }

  spec::Status Execute(const spec::Sqe& s, const std::vector<DataSegment>& segs, uint32_t* dw0,
                       uint32_t* dw1) {
    ++io_commands;
    const uint64_t slba = (uint64_t{s.cdw11} << 32) | s.cdw10;
    const uint32_t nlb = (s.cdw12 & 0xFFFF) + 1;
    if (!forced.empty() && forced.front().first == s.opcode) {
      spec::Status f = forced.front().second;
      forced.pop_front();
      return f;
    }
    switch (s.opcode) {
      case 0x01: {
        spec::Status st = model->Write(slba, nlb);
        if (st.ok()) Copy(segs, slba, nlb, true);
        return st;
      }
      case 0x02: {
        spec::Status st = model->CheckRead(slba, nlb);
        if (st.ok()) Copy(segs, slba, nlb, false);
        return st;
      }
      case 0x7D: {
        uint64_t lba = 0;
        spec::Status st = model->Append(slba, nlb, &lba);
        if (!st.ok()) return st;
        Copy(segs, lba, nlb, true);
        *dw0 = static_cast<uint32_t>(lba);
        *dw1 = static_cast<uint32_t>(lba >> 32);
        return st;
      }
      case 0x79: {
        ++sends[s.cdw13 & 0xFF];
        return model->ZoneSend({static_cast<spec::ZoneSendAction>(s.cdw13 & 0xFF),
                                slba,
                                ((s.cdw13 >> 8) & 1u) != 0,
                                false,
                                {}});
      }
      case 0x7A: {
        nvmesim::zns::ReportResult res;
        auto filter = nvmesim::zns::ParseReportingOption((s.cdw13 >> 8) & 0xFF);
        return model->Report(
            {slba, *filter, ((s.cdw13 >> 16) & 1u) != 0, false},
            std::span<uint8_t>(reinterpret_cast<uint8_t*>(segs[0].bus), segs[0].length), &res);
      }
    }
    return spec::Status(spec::GenericStatus::kInvalidOpcode, true);
  }
  void Copy(const std::vector<DataSegment>& segs, uint64_t slba, uint32_t nlb, bool to_device) {
    if (segs.empty()) return;
    uint8_t* host = reinterpret_cast<uint8_t*>(segs[0].bus);
    if (to_device) {
      std::memcpy(&data[slba * 512], host, nlb * 512u);
    } else {
      std::memcpy(host, &data[slba * 512], nlb * 512u);
    }
  }

  FakeClock clk;
  std::unique_ptr<nvmesim::zns::ZonedNamespace> model;
  std::vector<uint8_t> data;
  std::deque<std::pair<uint8_t, spec::Status>> forced;  // (opcode, status) answered once
  std::map<uint8_t, int> sends;
  std::set<uint16_t> queues_used;
  bool refuse_next = false;
  bool no_zns = false;
  int admin_commands = 0, io_commands = 0;
  uint32_t aec = 0;

 private:
  FakeDma dma_;
  NullLog log_;
};

ZoneManagerOptions Options() {
  ZoneManagerOptions o;
  o.config.zns_enabled = true;
  o.config.zns_zone_size = 64 * 512;
  o.config.zns_max_zones = 4096;
  return o;
}

struct Rig {
  MockDevice dev;
  ZoneManager zm{&dev, Options()};
  hal::DmaBuffer buf;
  DataSegment seg{};
  Rig() {
    buf = dev.dma()->Allocate(64 * 512, 4096);
    seg = {buf.bus, static_cast<uint32_t>(buf.size)};
    spec::Status st(spec::GenericStatus::kInternalError);
    zm.Discover([&](spec::Status s) { st = s; });
    dev.clk.Drain();
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  ~Rig() { dev.dma()->Free(buf); }
  // Synchronous helpers (drain the mocked device).
  spec::Status Write(uint64_t slba, uint32_t n, uint64_t* where = nullptr) {
    spec::Status out(spec::GenericStatus::kInternalError);
    DataSegment s{buf.bus, n * 512u};
    zm.Write(1, slba, n, &s, 1, [&](spec::Status st, uint64_t lba) {
      out = st;
      if (where) *where = lba;
    });
    dev.clk.Drain();
    return out;
  }
  spec::Status Do(void (ZoneManager::*fn)(uint32_t, uint32_t, Done), uint32_t zone) {
    spec::Status out(spec::GenericStatus::kInternalError);
    (zm.*fn)(1, zone, [&](spec::Status st) { out = st; });
    dev.clk.Drain();
    return out;
  }
};

TEST(ZoneManager, DiscoversGeometryAndLimits) {
  Rig r;
  ASSERT_EQ(r.zm.namespaces(), std::vector<uint32_t>{1});
  const ZonedNamespaceInfo* ns = r.zm.Namespace(1);
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(ns->zone_size, 64u);
  EXPECT_EQ(ns->zone_count, 8u);
  EXPECT_EQ(ns->max_open, 2u);
  EXPECT_EQ(ns->max_active, 3u);
  EXPECT_EQ(ns->lba_bytes, 512u);
  EXPECT_EQ(r.zm.Zone(1, 3)->zslba, 192u);
  EXPECT_EQ(r.zm.Zone(1, 3)->zcap, 48u);  // from the report
  EXPECT_EQ(r.zm.Zone(1, 3)->state, spec::ZoneState::kEmpty);
  EXPECT_EQ(r.dev.aec, 1u << 27);  // Zone Descriptor Changed Notices enabled
}

TEST(ZoneManager, AsksForZoneNoticesOnlyWhenTheControllerSendsThem) {
  MockDevice dev;
  ZoneManagerOptions o = Options();
  o.zone_notices_supported = false;  // OAES bit 27 clear
  ZoneManager zm(&dev, o);
  spec::Status st(spec::GenericStatus::kInternalError);
  zm.Discover([&](spec::Status s) { st = s; });
  dev.clk.Drain();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(dev.aec, 0u);  // no Set Features 0Bh with bit 27
  EXPECT_EQ(zm.namespaces(), std::vector<uint32_t>{1});
}

TEST(ZoneManager, RejectsConfigThatContradictsDevice) {
  MockDevice dev;
  ZoneManagerOptions o = Options();
  o.config.zns_zone_size = 256ull << 20;
  ZoneManager zm(&dev, o);
  spec::Status st;
  zm.Discover([&](spec::Status s) { st = s; });
  dev.clk.Drain();
  EXPECT_FALSE(st.ok());
  ASSERT_EQ(zm.errors().size(), 1u);
  EXPECT_NE(zm.errors()[0].find("zns_zone_size"), std::string::npos);
  EXPECT_NE(zm.errors()[0].find("32768"), std::string::npos);
}

TEST(ZoneManager, MaxZonesLimitsManagedZones) {
  MockDevice dev;
  ZoneManagerOptions o = Options();
  o.config.zns_max_zones = 4;
  ZoneManager zm(&dev, o);
  spec::Status st(spec::GenericStatus::kInternalError);
  zm.Discover([&](spec::Status s) { st = s; });
  dev.clk.Drain();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(zm.Namespace(1)->zone_count, 4u);
  EXPECT_EQ(zm.Namespace(1)->device_zones, 8u);
  spec::Status w;
  DataSegment seg{0, 512};
  zm.Write(1, 5 * 64, 1, &seg, 1, [&](spec::Status s, uint64_t) { w = s; });
  dev.clk.Drain();
  EXPECT_TRUE(w.Is(spec::GenericStatus::kLbaOutOfRange));
}

TEST(ZoneManager, NoZonedCommandSet) {
  MockDevice dev;
  dev.no_zns = true;
  ZoneManager zm(&dev, Options());
  spec::Status st;
  zm.Discover([&](spec::Status s) { st = s; });
  dev.clk.Drain();
  EXPECT_TRUE(st.Is(spec::GenericStatus::kInvalidField));
  EXPECT_TRUE(zm.namespaces().empty());
}

TEST(ZoneManager, AppendsAtFullDepthGetUniqueLbas) {
  Rig r;
  std::vector<uint64_t> lbas;
  int errors = 0;
  DataSegment s{r.buf.bus, 512};
  for (int i = 0; i < 48; ++i) {
    r.zm.Append(1, 2, 1, &s, 1, static_cast<uint16_t>(i % 8), [&](spec::Status st, uint64_t lba) {
      if (!st.ok()) ++errors;
      lbas.push_back(lba);
    });
  }
  r.dev.clk.Drain();
  EXPECT_EQ(errors, 0);
  std::set<uint64_t> unique(lbas.begin(), lbas.end());
  EXPECT_EQ(unique.size(), 48u);
  EXPECT_EQ(*unique.begin(), 128u);
  EXPECT_EQ(*unique.rbegin(), 128u + 47);
  EXPECT_EQ(r.zm.Zone(1, 2)->state, spec::ZoneState::kFull);
  EXPECT_EQ(r.dev.queues_used.size(), 8u);
  // One more: the zone is full; reported, and the cache re-synchronised.
  spec::Status last;
  r.zm.Append(1, 2, 1, &s, 1, 0, [&](spec::Status st, uint64_t) { last = st; });
  r.dev.clk.Drain();
  EXPECT_TRUE(last.Is(spec::CommandSpecificStatus::kZoneIsFull));
  EXPECT_EQ(r.zm.stats().resyncs, 1u);
}

TEST(ZoneManager, WritesAreSerialisedPerZone) {
  Rig r;
  std::vector<uint64_t> order;
  int errors = 0;
  DataSegment s{r.buf.bus, 4 * 512};
  for (int i = 0; i < 6; ++i) {
    r.zm.WriteAtPointer(1, 0, 4, &s, 1, [&](spec::Status st, uint64_t lba) {
      if (!st.ok()) ++errors;
      order.push_back(lba);
    });
  }
  r.dev.clk.Drain();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(order, (std::vector<uint64_t>{0, 4, 8, 12, 16, 20}));
  EXPECT_EQ(r.zm.Zone(1, 0)->wp, 24u);
  EXPECT_EQ(r.dev.model->Zone(0).wp, 24u);
}

TEST(ZoneManager, WritesBeyondMorCloseIdleZones) {
  Rig r;
  // MOR 2, MAR 3: write to zones 0..2 round robin; the manager keeps at most
  // two open, closing the idle one, and the caller sees no error.
  for (int round = 0; round < 3; ++round) {
    for (uint32_t z = 0; z < 3; ++z) {
      ASSERT_TRUE(r.Write(z * 64 + round * 2, 2).ok()) << "zone " << z << " round " << round;
      EXPECT_LE(r.dev.model->open_zones(), 2u);
    }
  }
  EXPECT_GT(r.zm.stats().resource_closes, 0u);
  EXPECT_EQ(r.zm.stats().errors, 0u);
  EXPECT_EQ(r.dev.model->Zone(2).wp, 128u + 6);
}

TEST(ZoneManager, TooManyActiveZonesIsReported) {
  Rig r;
  for (uint32_t z = 0; z < 3; ++z) ASSERT_TRUE(r.Write(z * 64, 1).ok());
  const spec::Status st = r.Write(3 * 64, 1);
  EXPECT_TRUE(st.Is(spec::CommandSpecificStatus::kTooManyActiveZones)) << st.ToString();
  // Finishing a zone releases an active resource; the write then goes through.
  ASSERT_TRUE(r.Do(&ZoneManager::Finish, 0).ok());
  EXPECT_TRUE(r.Write(3 * 64, 1).ok());
}

TEST(ZoneManager, DeviceTooManyOpenZonesIsResyncedAndRetried) {
  Rig r;
  // Open two zones behind the manager's back: its cache says nothing is open.
  ASSERT_TRUE(r.dev.model->ZoneSend({spec::ZoneSendAction::kOpen, 5 * 64, false, false, {}}).ok());
  ASSERT_TRUE(r.dev.model->ZoneSend({spec::ZoneSendAction::kOpen, 6 * 64, false, false, {}}).ok());
  // MAR 3 leaves room for one more active zone; the Open fails with Too Many
  // Open Zones, the manager re-reads the zones, closes one and retries.
  const spec::Status st = r.Write(0, 1);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_GT(r.zm.stats().resource_closes, 0u);
  EXPECT_LE(r.dev.model->open_zones(), 2u);
}

TEST(ZoneManager, WriteNotAtPointerAndBoundaryErrorsResync) {
  Rig r;
  ASSERT_TRUE(r.Write(0, 4).ok());
  EXPECT_TRUE(r.Write(8, 1).Is(spec::CommandSpecificStatus::kZoneInvalidWrite));
  EXPECT_EQ(r.zm.Zone(1, 0)->wp, 4u);
  EXPECT_TRUE(r.Write(4, 48).Is(spec::CommandSpecificStatus::kZoneBoundaryError));
  EXPECT_EQ(r.zm.stats().resyncs, 2u);
  EXPECT_TRUE(r.Write(4, 4).ok());
}

TEST(ZoneManager, ReadOnlyAndOfflineZonesMidWrite) {
  Rig r;
  ASSERT_TRUE(r.Write(0, 4).ok());
  ASSERT_TRUE(r.Write(64, 4).ok());
  ASSERT_TRUE(r.dev.model->FaultSetReadOnly(0).ok());
  ASSERT_TRUE(r.dev.model->FaultSetOffline(1).ok());
  EXPECT_TRUE(r.Write(4, 4).Is(spec::CommandSpecificStatus::kZoneIsReadOnly));
  EXPECT_EQ(r.zm.Zone(1, 0)->state, spec::ZoneState::kReadOnly);
  EXPECT_TRUE(r.Write(68, 4).Is(spec::CommandSpecificStatus::kZoneIsOffline));
  EXPECT_EQ(r.zm.Zone(1, 1)->state, spec::ZoneState::kOffline);
  // Other zones are unaffected.
  EXPECT_TRUE(r.Write(128, 4).ok());
  EXPECT_EQ(r.zm.Zone(1, 2)->wp, 132u);
}

TEST(ZoneManager, TransportErrorResyncsWritePointer) {
  Rig r;
  r.dev.forced.push_back({0x01, spec::Status(spec::GenericStatus::kDataTransferError)});
  EXPECT_TRUE(r.Write(0, 4).Is(spec::GenericStatus::kDataTransferError));
  EXPECT_EQ(r.zm.stats().resyncs, 1u);
  EXPECT_EQ(r.zm.Zone(1, 0)->wp, 0u);
  EXPECT_TRUE(r.Write(0, 4).ok());
}

TEST(ZoneManager, RefusedSubmissionIsReported) {
  Rig r;
  ASSERT_TRUE(r.Do(&ZoneManager::Open, 0).ok());
  r.dev.refuse_next = true;
  EXPECT_TRUE(r.Write(0, 4).Is(spec::PathStatus::kHostPathingError));
  EXPECT_TRUE(r.Write(0, 4).ok());
}

TEST(ZoneManager, ZoneManagementAndFailures) {
  Rig r;
  ASSERT_TRUE(r.Write(0, 4).ok());
  ASSERT_TRUE(r.Do(&ZoneManager::Finish, 0).ok());
  EXPECT_EQ(r.zm.Zone(1, 0)->state, spec::ZoneState::kFull);
  EXPECT_TRUE(
      r.Do(&ZoneManager::Open, 0).Is(spec::CommandSpecificStatus::kInvalidZoneStateTransition));
  ASSERT_TRUE(r.Do(&ZoneManager::Reset, 0).ok());
  EXPECT_EQ(r.zm.Zone(1, 0)->wp, 0u);
  EXPECT_EQ(r.zm.Zone(1, 0)->state, spec::ZoneState::kEmpty);
  EXPECT_TRUE(r.Do(&ZoneManager::Close, 99).Is(spec::GenericStatus::kLbaOutOfRange));
}

TEST(ZoneManager, ZoneDescriptorChangedRefreshesCache) {
  Rig r;
  ASSERT_TRUE(r.dev.model->FaultSetOffline(4).ok());
  const int before = r.dev.io_commands;
  r.zm.OnAsyncEvent(0x2u | (0xEFu << 8) | (0xBFu << 16));
  r.zm.OnAsyncEvent(0x2u | (0x00u << 8) | (0x04u << 16));  // other notices ignored
  r.dev.clk.Drain();
  EXPECT_EQ(r.dev.io_commands, before + 1);
  EXPECT_EQ(r.zm.Zone(1, 4)->state, spec::ZoneState::kOffline);
  EXPECT_EQ(r.zm.stats().zone_events, 1u);
}

TEST(ZnsCommands, InfoTextLikeNvmeCli) {
  Rig r;
  ASSERT_TRUE(r.Write(0, 4).ok());
  ASSERT_TRUE(r.Do(&ZoneManager::Finish, 1).ok());
  std::string err;
  ZnsInfoOptions o;
  std::string text = ZnsInfoText(r.zm, 1, o, &err);
  EXPECT_NE(text.find("mor     : 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("mar     : 2\n"), std::string::npos);
  EXPECT_NE(text.find("EMPTY=6"), std::string::npos) << text;
  EXPECT_NE(text.find("nr_zones: 8"), std::string::npos);
  EXPECT_NE(text.find("SLBA: 0x40"), std::string::npos);
  o.state = ParseZoneStateName("full");
  ASSERT_TRUE(o.state.has_value());
  text = ZnsInfoText(r.zm, 1, o, &err);
  EXPECT_NE(text.find("nr_zones: 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("State: FULL"), std::string::npos);
  EXPECT_EQ(ZnsInfoText(r.zm, 7, o, &err), "");
  EXPECT_NE(err.find("namespace 7"), std::string::npos);
  EXPECT_FALSE(ParseZoneStateName("bogus").has_value());
}

}  // namespace
}  // namespace nvmesim::driver::zoned
