// Seeded random operations against small zoned namespaces. After every
// operation: the model's own recount (CheckInvariants), an independent recount
// through the public queries, open <= MOR, active <= MAR, ZSLBA <= WP <=
// ZSLBA + ZCAP, no write accepted by a Full zone, and — when the operation
// failed — a namespace identical to the one before it.
// Default: 2,000,000 operations (about 3 s; 13 s under ASan). ZNS_RANDOM_OPS=<n> and
// ZNS_RANDOM_SEED=<s> in the environment (bazel test --test_env=...) change the run.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cstdlib>
#include <cstring>

#include "zns_model/test_util.h"

namespace nvmesim::zns {
namespace {

using spec::CommandSpecificStatus;
using spec::Status;
using spec::ZoneSendAction;
using spec::ZoneState;

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

ZonedNamespaceConfig RandomConfig(int variant) {
  ZonedNamespaceConfig c;
  c.zone_count = 16;
  c.zone_size_lbas = 64;
  c.zone_capacity_lbas = variant == 0 ? 40 : 64;
  c.max_open_zones = variant == 2 ? 0 : 4;
  c.max_active_zones = variant == 2 ? 0 : 6;
  c.zrwa_zones = variant == 2 ? 0 : 3;
  c.zrwa_size_lbas = variant == 2 ? 0 : 8;
  c.zrwa_flush_granularity_lbas = variant == 2 ? 0 : 4;
  c.descriptor_extension_bytes = 64;
  c.zasl = variant == 1 ? 1 : 0;  // 8 KiB = 2 LBAs of 4 KiB
  c.zone_active_excursions = true;
  return c;
}

class Driver {
 public:
  Driver(uint64_t seed, int variant) : rng_(static_cast<uint32_t>(seed)), variant_(variant) {
    ns_ = testing::Make(RandomConfig(variant));
    ext_.assign(64, 0);
  }

  uint32_t Pick(uint32_t n) {
    return boost::random::uniform_int_distribution<uint32_t>(0, n - 1)(rng_);
  }

  // One random operation; returns its status.
  Status Step() {
    ZonedNamespace& ns = *ns_;
    const uint32_t z = Pick(ns.zone_count());
    const uint64_t zslba = ns.ZoneStart(z);
    const ZoneInfo info = ns.Zone(z);
    const uint32_t nlb = 1 + Pick(Pick(4) == 0 ? 24 : 6);
    const uint32_t kind = Pick(1000);
    ++ops_;
    if (kind < 350) return ns.Write(info.wp, nlb);                         // at the write pointer
    if (kind < 420) return ns.Write(zslba + Pick(64), nlb);                // anywhere in the zone
    if (kind < 440) return ns.Write(Pick(ns.zone_count() * 64 + 8), nlb);  // anywhere at all
    if (kind < 600) {
      uint64_t lba = 0;
      const Status s = ns.Append(Pick(8) == 0 ? zslba + Pick(64) : zslba, nlb, &lba);
      if (s.ok() && (lba < zslba || lba + nlb > zslba + info.zcap)) {
        ADD_FAILURE() << "append assigned " << lba << " outside zone " << z;
      }
      return s;
    }
    if (kind < 610) return ns.CheckRead(Pick(ns.zone_count() * 64), nlb);
    if (kind < 620) return CheckedReport();
    ZoneSendRequest r;
    r.slba = Pick(16) == 0 ? zslba + 1 + Pick(63) : zslba;
    if (kind < 680)
      r.action = ZoneSendAction::kOpen;
    else if (kind < 700) {
      r.action = ZoneSendAction::kOpen;
      r.zrwa_allocate = true;
    } else if (kind < 760)
      r.action = ZoneSendAction::kClose;
    else if (kind < 800)
      r.action = ZoneSendAction::kFinish;
    else if (kind < 880)
      r.action = ZoneSendAction::kReset;
    else if (kind < 900) {
      r.action = ZoneSendAction::kSetZoneDescriptorExtension;
      ext_[0] = static_cast<uint8_t>(ops_);
      r.extension = ext_;
    } else if (kind < 950) {
      r.action = ZoneSendAction::kFlushExplicitZrwa;
      r.slba = info.wp + Pick(12);
    } else if (kind < 960)
      r.action = ZoneSendAction::kOffline;
    else if (kind < 975) {
      r.select_all = true;
      const ZoneSendAction all[] = {ZoneSendAction::kOpen, ZoneSendAction::kClose,
                                    ZoneSendAction::kFinish, ZoneSendAction::kReset,
                                    ZoneSendAction::kOffline};
      r.action = all[Pick(5)];
    } else if (kind < 985) {
      r.action = static_cast<ZoneSendAction>(Pick(0x20));  // reserved values included
    } else {
      const uint32_t fault = Pick(1000);
      if (fault < 2) return ns.FaultSetOffline(z);
      if (fault < 5) return ns.FaultSetReadOnly(z);
      if (fault < 400) return ns.FaultSetResetRecommended(z, Pick(2));
      if (fault < 800) return ns.FaultSetFinishRecommended(z, Pick(2));
      return ns.FaultFinishByController(z);
    }
    return ns.ZoneSend(r);
  }

  // A random report, compared with a brute-force walk of the zones.
  Status CheckedReport() {
    ZonedNamespace& ns = *ns_;
    ReportRequest req;
    req.slba = Pick(ns.zone_count() * 64);
    const ReportFilter filters[] = {ReportFilter::kAll,
                                    ReportFilter::kEmpty,
                                    ReportFilter::kImplicitlyOpened,
                                    ReportFilter::kExplicitlyOpened,
                                    ReportFilter::kClosed,
                                    ReportFilter::kFull,
                                    ReportFilter::kReadOnly,
                                    ReportFilter::kOffline,
                                    ReportFilter::kResetRecommended,
                                    ReportFilter::kFinishRecommended,
                                    ReportFilter::kNonWritePointer};
    req.filter = filters[Pick(11)];
    req.partial = Pick(2);
    req.extended = Pick(2);
    const size_t entry = req.extended ? 128 : 64;
    report_.assign(64 + Pick(20) * entry + Pick(3), 0xAB);
    ReportResult res;
    const Status s = ns.Report(req, report_, &res);
    if (!s.ok()) return s;
    std::vector<uint32_t> want;
    for (uint32_t z = ns.ZoneIndex(req.slba); z < ns.zone_count(); ++z) {
      const ZoneInfo i = ns.Zone(z);
      const bool wp_invalid = i.state == ZoneState::kFull || i.state == ZoneState::kReadOnly ||
                              i.state == ZoneState::kOffline;
      bool match = false;
      switch (req.filter) {
        case ReportFilter::kAll:
          match = true;
          break;
        case ReportFilter::kResetRecommended:
          match = i.attributes & spec::kZoneAttrResetZoneRecommended;
          break;
        case ReportFilter::kFinishRecommended:
          match = i.attributes & spec::kZoneAttrFinishZoneRecommended;
          break;
        case ReportFilter::kNonWritePointer:
          match = wp_invalid;
          break;
        case ReportFilter::kEmpty:
          match = i.state == ZoneState::kEmpty;
          break;
        case ReportFilter::kImplicitlyOpened:
          match = i.state == ZoneState::kImplicitlyOpened;
          break;
        case ReportFilter::kExplicitlyOpened:
          match = i.state == ZoneState::kExplicitlyOpened;
          break;
        case ReportFilter::kClosed:
          match = i.state == ZoneState::kClosed;
          break;
        case ReportFilter::kFull:
          match = i.state == ZoneState::kFull;
          break;
        case ReportFilter::kReadOnly:
          match = i.state == ZoneState::kReadOnly;
          break;
        case ReportFilter::kOffline:
          match = i.state == ZoneState::kOffline;
          break;
      }
      if (match) want.push_back(z);
    }
    const uint64_t room = (report_.size() - 64) / entry;
    const uint64_t returned = std::min<uint64_t>(room, want.size());
    uint64_t nrz;
    std::memcpy(&nrz, report_.data(), 8);
    if (res.descriptors != returned || nrz != (req.partial ? returned : want.size())) {
      ADD_FAILURE() << "report counts: NRZ " << nrz << " descriptors " << res.descriptors
                    << ", want " << want.size() << " matching, room " << room;
    }
    for (uint64_t k = 0; k < returned; ++k) {
      spec::ZoneDescriptor d;
      std::memcpy(&d, report_.data() + 64 + k * entry, sizeof d);
      const ZoneInfo i = ns.Zone(want[k]);
      if (d.zslba != i.zslba || d.wp != i.wp || d.state() != i.state || d.za != i.attributes ||
          d.zcap != i.zcap) {
        ADD_FAILURE() << "descriptor " << k << " differs from zone " << want[k];
      }
      if (req.extended) {
        const bool valid = i.attributes & spec::kZoneAttrZoneDescriptorExtensionValid;
        const auto ext = ns.DescriptorExtension(want[k]);
        for (size_t b = 0; b < 64; ++b) {
          if (report_[64 + k * entry + 64 + b] != (valid ? ext[b] : 0)) {
            ADD_FAILURE() << "extension of zone " << want[k];
            break;
          }
        }
      }
    }
    for (size_t b = 64 + returned * entry; b < report_.size(); ++b) {
      if (report_[b] != 0) {
        ADD_FAILURE() << "byte " << b << " after the report is not zero";
        break;
      }
    }
    return s;
  }

  // Checks after each operation; returns false after the first failure.
  bool Check(const Status& s, const testing::Snapshot& before) {
    ZonedNamespace& ns = *ns_;
    const std::string why = ns.CheckInvariants();
    if (!why.empty()) return Fail("invariant: " + why);
    uint32_t open = 0, active = 0;
    for (uint32_t z = 0; z < ns.zone_count(); ++z) {
      const ZoneInfo i = ns.Zone(z);
      if (i.wp < i.zslba || i.wp > i.zslba + i.zcap) return Fail("write pointer out of zone");
      const bool is_open =
          i.state == ZoneState::kImplicitlyOpened || i.state == ZoneState::kExplicitlyOpened;
      open += is_open;
      active += is_open || i.state == ZoneState::kClosed;
    }
    if (open != ns.open_zones() || active != ns.active_zones()) return Fail("counts differ");
    const auto& c = ns.config();
    if (c.max_open_zones && open > c.max_open_zones) return Fail("open > MOR");
    if (c.max_active_zones && active > c.max_active_zones) return Fail("active > MAR");
    if (!s.ok()) {
      ++errors_;
      testing::TakeInto(ns, after_);
      if (!(after_ == before)) return Fail("error " + s.ToString() + " changed the namespace");
    }
    // Full => no write accepted (and the refusal changes nothing).
    const uint32_t z = Pick(ns.zone_count());
    if (ns.Zone(z).state == ZoneState::kFull) {
      testing::TakeInto(ns, after_);
      const Status w = ns.Write(ns.Zone(z).wp - 1, 1);
      uint64_t lba;
      const Status a = ns.Append(ns.ZoneStart(z), 1, &lba);
      if (w.ok() || a.ok()) return Fail("a Full zone accepted a write");
      if (!a.Is(CommandSpecificStatus::kZoneIsFull)) return Fail("append to Full: " + a.ToString());
      testing::TakeInto(ns, before_);
      if (!(after_ == before_)) return Fail("write to a Full zone changed the namespace");
    }
    return true;
  }

  bool Run(uint64_t ops, uint64_t epoch) {
    testing::Snapshot before;
    for (uint64_t i = 0; i < ops; ++i) {
      if (i % epoch == 0 && i != 0) ns_ = testing::Make(RandomConfig(variant_));  // fresh zones
      testing::TakeInto(*ns_, before);
      const Status s = Step();
      if (!Check(s, before)) return false;
    }
    return true;
  }

  uint64_t ops() const { return ops_; }
  uint64_t errors() const { return errors_; }
  const ZonedNamespace& ns() const { return *ns_; }

 private:
  bool Fail(const std::string& what) {
    ADD_FAILURE() << "after op " << ops_ << ": " << what;
    return false;
  }
  boost::random::mt19937 rng_;
  int variant_;
  std::unique_ptr<ZonedNamespace> ns_;
  std::vector<uint8_t> ext_;
  std::vector<uint8_t> report_;
  testing::Snapshot before_, after_;
  uint64_t ops_ = 0;
  uint64_t errors_ = 0;
};

TEST(RandomTest, InvariantsHoldAfterEveryOperation) {
  const uint64_t total = EnvOr("ZNS_RANDOM_OPS", 2'000'000);
  const uint64_t seed = EnvOr("ZNS_RANDOM_SEED", 20261124);
  for (int variant = 0; variant < 3; ++variant) {
    Driver d(seed + variant, variant);
    const bool ok = d.Run(total / 3, 50'000);
    EXPECT_TRUE(ok) << "seed " << seed + variant << " variant " << variant;
    // Both outcomes must be well represented for the run to mean anything.
    EXPECT_GT(d.errors(), d.ops() / 20);
    EXPECT_LT(d.errors(), d.ops() * 9 / 10);
    std::printf("variant %d: %llu ops, %llu errors (seed %llu)\n", variant,
                static_cast<unsigned long long>(d.ops()),
                static_cast<unsigned long long>(d.errors()),
                static_cast<unsigned long long>(seed + variant));
  }
}

TEST(RandomTest, SameSeedSameOutcome) {
  Driver a(7, 0), b(7, 0);
  ASSERT_TRUE(a.Run(20'000, 20'000));
  ASSERT_TRUE(b.Run(20'000, 20'000));
  EXPECT_TRUE(testing::Take(a.ns()) == testing::Take(b.ns()));
  Driver c(8, 0);
  ASSERT_TRUE(c.Run(20'000, 20'000));
  EXPECT_FALSE(testing::Take(a.ns()) == testing::Take(c.ns()));
}

}  // namespace
}  // namespace nvmesim::zns
