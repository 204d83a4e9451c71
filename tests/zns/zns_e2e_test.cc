// Zoned Namespaces end to end: the driver's zoned namespace manager on the
// device model's ZNS command set, through the PCIe model.
#include <map>
#include <set>
#include <vector>

#include "driver/commands.h"
#include "driver/zoned/zns_commands.h"
#include "spec/identify_controller.h"
#include "tests/support/sim_test.h"
#include "tests/zns/zns_rig.h"

namespace nvmesim::testing {
namespace {

using driver::DataSegment;
using spec::CommandSpecificStatus;
using spec::Status;

// Appends from 8 queues, 32 outstanding on each, fill 4 zones; every
// returned LBA is unique and inside its zone, every block reads back with
// the stamp of the append that returned its LBA.
NVMESIM_SIM_TEST(ZnsE2e, AppendsFrom8QueuesAtQd32FillZonesVerified) {
  ZnsRigOptions o;
  o.zones = 8;
  o.zone_lbas = 512;
  o.zone_cap = 512;
  ZnsRig rig(o);
  constexpr uint32_t kQueues = 8, kDepth = 32, kFill = 4, kReadChunk = 32;
  std::map<uint64_t, uint64_t> tag_at;  // LBA -> tag
  uint64_t next_tag = 1, dups = 0, wrong_zone = 0, failures = 0, verified = 0, mismatches = 0;
  uint32_t zone = 0, inflight = 0, peak = 0;
  driver::hal::DmaBuffer buf, rbuf;
  std::vector<DataSegment> segs(kQueues * kDepth);
  DataSegment rseg{};
  bool finished = false;

  std::function<void(uint32_t)> verify_zone = [&](uint32_t z) {
    if (z == kFill) {
      finished = true;
      return rig.Halt();
    }
    auto chunk = std::make_shared<std::function<void(uint32_t)>>();
    *chunk = [&, z, chunk](uint32_t at) {
      if (at == o.zone_cap) return verify_zone(z + 1);
      const uint64_t slba = z * o.zone_lbas + at;
      rig.manager().Read(1, slba, kReadChunk, &rseg, 1, static_cast<uint16_t>(at / kReadChunk),
                         [&, z, at, slba, chunk](Status st, uint64_t) {
                           ASSERT_TRUE(st.ok()) << st.ToString();
                           for (uint32_t b = 0; b < kReadChunk; ++b) {
                             auto it = tag_at.find(slba + b);
                             if (it != tag_at.end() && HasStamp(rbuf.cpu + 4096 * b, it->second)) {
                               ++verified;
                             } else {
                               ++mismatches;
                             }
                           }
                           (*chunk)(at + kReadChunk);
                         });
    };
    (*chunk)(0);
  };

  std::function<void(uint32_t)> issue = [&](uint32_t slot) {
    if (zone >= kFill) {
      if (--inflight == 0) verify_zone(0);
      return;
    }
    const uint64_t tag = next_tag++;
    Stamp(buf.cpu + 4096 * slot, tag);
    segs[slot] = {buf.bus + 4096 * slot, 4096};
    const uint32_t z = zone;
    rig.manager().Append(1, z, 1, &segs[slot], 1, static_cast<uint16_t>(slot / kDepth),
                         [&, slot, tag, z](Status st, uint64_t lba) {
                           if (st.ok()) {
                             if (!tag_at.emplace(lba, tag).second) ++dups;
                             if (lba / o.zone_lbas != z) ++wrong_zone;
                           } else if (st.Is(CommandSpecificStatus::kZoneIsFull)) {
                             if (zone == z) ++zone;  // this zone is done: move on
                           } else {
                             ++failures;
                           }
                           issue(slot);
                         });
  };

  rig.Run([&] {
    buf = rig.Alloc(4096 * kQueues * kDepth);
    rbuf = rig.Alloc(4096 * kReadChunk);
    rseg = {rbuf.bus, static_cast<uint32_t>(rbuf.size)};
    for (uint32_t s = 0; s < kQueues * kDepth; ++s) {
      ++inflight;
      issue(s);
    }
    peak = inflight;
  });
  ASSERT_TRUE(rig.boot_status().ok()) << rig.boot_status().ToString();
  ASSERT_TRUE(rig.discover_status().ok()) << rig.discover_status().ToString();
  ASSERT_TRUE(finished);
  EXPECT_EQ(peak, kQueues * kDepth);
  EXPECT_EQ(tag_at.size(), kFill * o.zone_cap);
  EXPECT_EQ(dups, 0u);
  EXPECT_EQ(wrong_zone, 0u);
  EXPECT_EQ(failures, 0u);
  EXPECT_EQ(verified, kFill * o.zone_cap);
  EXPECT_EQ(mismatches, 0u);
  for (uint32_t z = 0; z < kFill; ++z) {
    EXPECT_EQ(rig.zns().Model(1)->Zone(z).state, spec::ZoneState::kFull);
    EXPECT_EQ(rig.manager().Zone(1, z)->state, spec::ZoneState::kFull);
  }
  EXPECT_EQ(rig.zns().stats().appends, kFill * o.zone_cap);
}

// Six zones written at once with MOR 2: the manager closes idle zones and
// reopens them; the caller sees no error and every block reads back.
NVMESIM_SIM_TEST(ZnsE2e, WritesBeyondMorHandledByManager) {
  ZnsRigOptions o;
  o.zones = 8;
  o.zone_lbas = 256;
  o.zone_cap = 256;
  o.mor = 2;
  o.mar = 8;
  ZnsRig rig(o);
  constexpr uint32_t kZones = 6, kWrites = 8, kBlocks = 8;
  driver::hal::DmaBuffer buf, rbuf;
  std::vector<DataSegment> segs(kZones * kWrites);
  uint32_t ok = 0, errors = 0, verified = 0, pending = kZones * kWrites;
  uint32_t max_open = 0;
  DataSegment rseg{};
  bool finished = false;
  rig.Run([&] {
    buf = rig.Alloc(4096 * kBlocks * kZones * kWrites);
    rbuf = rig.Alloc(4096 * kBlocks * kWrites);
    rseg = {rbuf.bus, static_cast<uint32_t>(rbuf.size)};
    for (uint32_t i = 0; i < kWrites; ++i) {
      for (uint32_t z = 0; z < kZones; ++z) {
        const uint32_t slot = z * kWrites + i;
        for (uint32_t b = 0; b < kBlocks; ++b)
          Stamp(buf.cpu + 4096 * (slot * kBlocks + b), 1000 * z + 10 * i + b);
        segs[slot] = {buf.bus + 4096 * kBlocks * slot, 4096 * kBlocks};
        rig.manager().WriteAtPointer(1, z, kBlocks, &segs[slot], 1, [&](Status st, uint64_t) {
          st.ok() ? ++ok : ++errors;
          max_open = std::max(max_open, rig.zns().Model(1)->open_zones());
          if (--pending != 0) return;
          // Read each zone back (one 256 KiB read would pass MDTS: 8 reads of 8 blocks... per
          // zone).
          auto next = std::make_shared<std::function<void(uint32_t)>>();
          *next = [&, next](uint32_t k) {
            if (k == kZones * kWrites) {
              finished = true;
              return rig.Halt();
            }
            const uint32_t z = k / kWrites, w = k % kWrites;
            rig.manager().Read(1, z * o.zone_lbas + w * kBlocks, kBlocks, &rseg, 1, 0,
                               [&, z, w, k, next](Status rs, uint64_t) {
                                 EXPECT_TRUE(rs.ok()) << rs.ToString();
                                 for (uint32_t b = 0; b < kBlocks; ++b)
                                   verified +=
                                       HasStamp(rbuf.cpu + 4096 * b, 1000 * z + 10 * w + b) ? 1 : 0;
                                 (*next)(k + 1);
                               });
          };
          (*next)(0);
        });
      }
    }
  });
  ASSERT_TRUE(rig.discover_status().ok()) << rig.discover_status().ToString();
  ASSERT_TRUE(finished);
  EXPECT_EQ(ok, kZones * kWrites);
  EXPECT_EQ(errors, 0u);
  EXPECT_EQ(verified, kZones * kWrites * kBlocks);
  EXPECT_LE(max_open, 2u);
  EXPECT_GT(rig.manager().stats().resource_closes, 0u);
  for (uint32_t z = 0; z < kZones; ++z) {
    EXPECT_EQ(rig.zns().Model(1)->Zone(z).wp, z * o.zone_lbas + kWrites * kBlocks);
  }
}

// Zone 0 becomes Read Only and zone 1 Offline while writes stream into
// zones 0-2: the errors reach the caller, the manager re-reads the write
// pointers, the Zone Descriptor Changed notice arrives, zone 2 carries on.
NVMESIM_SIM_TEST(ZnsE2e, ReadOnlyAndOfflineZonesMidWrite) {
  ZnsRigOptions o;
  o.zones = 4;
  o.zone_lbas = 256;
  o.zone_cap = 256;
  ZnsRig rig(o);
  constexpr uint32_t kZones = 3, kWrites = 16, kBlocks = 4;
  driver::hal::DmaBuffer buf;
  DataSegment seg{};
  std::map<uint32_t, std::map<std::string, int>> outcome;
  uint32_t pending = kZones * kWrites, zone0_done = 0;
  bool injected = false;
  rig.Run([&] {
    buf = rig.Alloc(4096 * kBlocks);
    seg = {buf.bus, static_cast<uint32_t>(buf.size)};
    for (uint32_t i = 0; i < kWrites; ++i) {
      for (uint32_t z = 0; z < kZones; ++z) {
        rig.manager().WriteAtPointer(1, z, kBlocks, &seg, 1, [&, z](Status st, uint64_t) {
          ++outcome[z][st.ok() ? "ok" : spec::StatusName(st.type, st.code)];
          if (z == 0 && ++zone0_done == 4 && !injected) {
            injected = true;
            EXPECT_TRUE(rig.zns().InjectZoneFault(1, 0, device::zns::ZoneFault::kReadOnly).ok());
            EXPECT_TRUE(rig.zns().InjectZoneFault(1, 1, device::zns::ZoneFault::kOffline).ok());
          }
          // Give the async event time to arrive, then stop.
          if (--pending == 0) rig.system().clock().StartTimer(1'000'000, [&] { rig.Halt(); });
        });
      }
    }
  });
  ASSERT_TRUE(rig.discover_status().ok());
  ASSERT_TRUE(injected);
  EXPECT_EQ(outcome[0]["ok"], 4);
  EXPECT_EQ(outcome[0]["Zone Is Read Only"], kWrites - 4);
  EXPECT_GE(outcome[1]["Zone Is Offline"], 1);
  EXPECT_EQ(outcome[1]["ok"] + outcome[1]["Zone Is Offline"], static_cast<int>(kWrites));
  EXPECT_EQ(outcome[2]["ok"], static_cast<int>(kWrites));
  EXPECT_EQ(rig.manager().Zone(1, 0)->state, spec::ZoneState::kReadOnly);
  EXPECT_EQ(rig.manager().Zone(1, 0)->wp, rig.zns().Model(1)->Zone(0).wp);
  EXPECT_EQ(rig.manager().Zone(1, 0)->wp, 16u);
  EXPECT_EQ(rig.manager().Zone(1, 1)->state, spec::ZoneState::kOffline);
  EXPECT_EQ(rig.manager().Zone(1, 2)->wp, 2 * o.zone_lbas + kWrites * kBlocks);
  EXPECT_GT(rig.manager().stats().resyncs, 0u);
  EXPECT_GE(rig.manager().stats().zone_events, 1u);
}

// Power loss in the middle of a zone with the volatile write cache on: after
// the restart the write pointer is where the durable data ends.
NVMESIM_SIM_TEST(ZnsE2e, PowerLossMidZoneWritePointerMatchesDurableData) {
  ZnsRigOptions o;
  o.zones = 4;
  o.zone_lbas = 256;
  o.zone_cap = 256;
  o.volatile_cache = true;
  ZnsRig rig(o);
  driver::hal::DmaBuffer buf, rbuf;
  DataSegment seg{}, rseg{}, keep{};
  bool finished = false;
  uint64_t wp_after = 0, rewritten_at = 0;
  int verified = 0, zero_after = 0;
  rig.Run([&] {
    buf = rig.Alloc(4096 * 16);
    rbuf = rig.Alloc(4096 * 17);
    seg = {buf.bus, 4096 * 16};
    keep = {buf.bus, 4096 * 8};
    rseg = {rbuf.bus, 4096 * 17};
    for (uint32_t b = 0; b < 16; ++b) Stamp(buf.cpu + 4096 * b, 77 + b);
    // Volatile Write Cache on (Set Features 06h, Base 2.0 5.27.1.4).
    rig.driver().SubmitAdmin(driver::commands::SetFeatures(0x06, 1), [&](const spec::Cqe& c) {
      ASSERT_TRUE(c.status_value().ok()) << c.status_value().ToString();
      rig.manager().WriteAtPointer(1, 0, 16, &seg, 1, [&](Status s1, uint64_t) {
        ASSERT_TRUE(s1.ok());
        rig.driver().SubmitIo(
            0, driver::commands::Flush(1), nullptr, 0, [&](const driver::BlockResult& f) {
              ASSERT_TRUE(f.status.ok());
              rig.manager().WriteAtPointer(1, 0, 8, &keep, 1, [&](Status s2, uint64_t) {
                ASSERT_TRUE(s2.ok());
                EXPECT_EQ(rig.manager().Zone(1, 0)->wp, 24u);  // 8 blocks only in the cache
                rig.system().device(0).InjectPowerLoss();
                rig.driver().Reset([&](Status r) {
                  ASSERT_TRUE(r.ok()) << r.ToString();
                  rig.manager().Report(1, [&](Status rep) {
                    ASSERT_TRUE(rep.ok());
                    wp_after = rig.manager().Zone(1, 0)->wp;
                    rig.manager().Read(1, 0, 17, &rseg, 1, 0, [&](Status rs, uint64_t) {
                      ASSERT_TRUE(rs.ok()) << rs.ToString();
                      for (uint32_t b = 0; b < 16; ++b)
                        verified += HasStamp(rbuf.cpu + 4096 * b, 77 + b);
                      zero_after = HasStamp(rbuf.cpu + 4096 * 16, 0);
                      rig.manager().WriteAtPointer(1, 0, 8, &keep, 1, [&](Status s3, uint64_t lba) {
                        EXPECT_TRUE(s3.ok()) << s3.ToString();
                        rewritten_at = lba;
                        finished = true;
                        rig.Halt();
                      });
                    });
                  });
                });
              });
            });
      });
    });
  });
  ASSERT_TRUE(rig.discover_status().ok());
  ASSERT_TRUE(finished);
  EXPECT_EQ(wp_after, 16u);
  EXPECT_EQ(rig.zns().Model(1)->Zone(0).wp, 24u);
  EXPECT_EQ(verified, 16);
  EXPECT_EQ(zero_after, 1);
  EXPECT_EQ(rewritten_at, 16u);
  EXPECT_EQ(rig.manager().Zone(1, 0)->state, spec::ZoneState::kExplicitlyOpened);
  EXPECT_EQ(rig.zns().stats().power_loss_rollbacks, 1u);
}

// The spec's status for a write not at the write pointer (Zone Invalid
// Write, BCh) and one crossing the zone boundary (Zone Boundary Error, B8h),
// both with DNR (ZNS 1.1 Figure 33), as the caller sees them.
NVMESIM_SIM_TEST(ZnsE2e, ZoneErrorCodesEndToEnd) {
  ZnsRigOptions o;
  o.zones = 4;
  o.zone_lbas = 16;
  o.zone_cap = 16;
  ZnsRig rig(o);
  driver::hal::DmaBuffer buf;
  DataSegment seg{}, seg8{};
  Status not_at_wp, crossing, ok_write;
  bool finished = false;
  rig.Run([&] {
    buf = rig.Alloc(4096 * 16);
    seg = {buf.bus, 4096 * 16};
    seg8 = {buf.bus, 4096 * 8};
    rig.manager().Write(1, 0, 8, &seg8, 1, [&](Status s0, uint64_t) {
      ok_write = s0;
      rig.manager().Write(1, 12, 4, &seg8, 1, [&](Status s1, uint64_t) {
        not_at_wp = s1;
        rig.manager().Write(1, 8, 16, &seg, 1, [&](Status s2, uint64_t) {
          crossing = s2;
          finished = true;
          rig.Halt();
        });
      });
    });
  });
  ASSERT_TRUE(finished);
  EXPECT_TRUE(ok_write.ok());
  EXPECT_TRUE(not_at_wp.Is(CommandSpecificStatus::kZoneInvalidWrite)) << not_at_wp.ToString();
  EXPECT_TRUE(not_at_wp.dnr);
  EXPECT_EQ(not_at_wp.ToString(), "Zone Invalid Write (1/0xbc, DNR)");
  EXPECT_TRUE(crossing.Is(CommandSpecificStatus::kZoneBoundaryError)) << crossing.ToString();
  EXPECT_TRUE(crossing.dnr);
  EXPECT_EQ(rig.manager().Zone(1, 0)->wp, 8u);
  EXPECT_EQ(rig.manager().stats().resyncs, 2u);
}

// nvme-zns-create / nvme-zns-info / nvme-zns-delete through Namespace
// Management with CSI 02h.
NVMESIM_SIM_TEST(ZnsE2e, ZonedControllerAdvertisesZoneDescriptorChangedNotices) {
  ZnsRig rig(ZnsRigOptions{});
  uint32_t oaes = 0;
  bool finished = false;
  rig.Run([&] {
    oaes = rig.driver().info().oaes;
    finished = true;
    rig.Halt();
  });
  ASSERT_TRUE(finished);
  EXPECT_NE(oaes & spec::kOaesZoneDescriptorChangedNotices, 0u);  // ZNS 1.1 OAES bit 27
  EXPECT_NE(oaes & spec::kOaesNamespaceAttributeNotices, 0u);
}

NVMESIM_SIM_TEST(ZnsE2e, ZnsCreateInfoDelete) {
  ZnsRigOptions o;
  o.zones = 4;
  ZnsRig rig(o);
  std::string create_text, info_text, delete_text, info_error;
  uint32_t created = 0;
  std::vector<uint32_t> zoned_after_create, zoned_after_delete;
  bool finished = false;
  rig.Run([&] {
    driver::zoned::ZnsCreateParams p;
    p.blocks = 8 * 1024;
    p.flbas = 1;  // 4 KiB format
    p.attach_to = {rig.driver().info().cntlid};
    driver::zoned::ZnsCreate(
        rig.driver().namespaces(), p, [&](Status st, uint32_t nsid, const std::string& text) {
          create_text = text;
          created = nsid;
          ASSERT_TRUE(st.ok()) << text;
          rig.manager().Discover([&](Status d) {
            ASSERT_TRUE(d.ok());
            zoned_after_create = rig.manager().namespaces();
            info_text = driver::zoned::ZnsInfoText(rig.manager(), created, {}, &info_error);
            driver::zoned::ZnsDelete(rig.driver().namespaces(), created,
                                     {rig.driver().info().cntlid},
                                     [&](Status ds, const std::string& t) {
                                       delete_text = t;
                                       EXPECT_TRUE(ds.ok()) << t;
                                       rig.manager().Discover([&](Status d2) {
                                         EXPECT_TRUE(d2.ok());
                                         zoned_after_delete = rig.manager().namespaces();
                                         finished = true;
                                         rig.Halt();
                                       });
                                     });
          });
        });
  });
  ASSERT_TRUE(finished);
  EXPECT_EQ(created, 2u);
  EXPECT_EQ(create_text, "create-ns: Success, created nsid:2\nattach-ns: Success, nsid:2");
  EXPECT_EQ(zoned_after_create, (std::vector<uint32_t>{1, 2}));
  EXPECT_NE(info_text.find("nr_zones: 8\n"), std::string::npos) << info_text;
  EXPECT_NE(info_text.find("EMPTY=8"), std::string::npos) << info_text;
  EXPECT_EQ(delete_text, "detach-ns: Success, nsid:2\ndelete-ns: Success, deleted nsid:2");
  EXPECT_EQ(rig.zns().Model(2), nullptr);
  EXPECT_EQ(zoned_after_delete, std::vector<uint32_t>{1});
  // A namespace the controller does not show as zoned is refused before any command.
  std::string refused;
  Status refused_status;
  driver::zoned::ZnsDelete(rig.driver().namespaces(), 99, {rig.driver().info().cntlid},
                           [&](Status ds, const std::string& t) {
                             refused_status = ds;
                             refused = t;
                           });
  EXPECT_EQ(refused,
            "nvme-zns-delete: no namespace 99 on this controller; zoned namespaces here: 1");
  EXPECT_FALSE(refused_status.ok());
}

}  // namespace
}  // namespace nvmesim::testing
