#include "driver/zoned/zone_manager.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "driver/commands.h"
#include "driver/zoned/zns_sqe.h"
#include "spec/identify.h"
#include "spec/opcodes.h"

namespace nvmesim::driver::zoned {

namespace {
constexpr uint8_t kCsiZoned = 0x02;                  // Base 2.0 Figure 286
constexpr uint8_t kAenTypeNotice = 0x2;              // Base 2.0 Figure 146
constexpr uint8_t kAenZoneDescriptorChanged = 0xEF;  // ZNS 1.1 Async Event Information - Notice
constexpr uint32_t kReportBytes = 16384;  // 64-byte header + 255 descriptors (ZNS 1.1 Report Zones)
constexpr uint32_t kDescriptorBytes = 64;  // ZNS 1.1 Zone Descriptor Data Structure
constexpr uint32_t kListEntries = 1024;    // Base 2.0: CNS 07h returns up to 1024 NSIDs

}  // namespace

struct ZoneManager::Op {
  enum class Kind : uint8_t { kWrite, kWriteAtPointer, kAppend } kind = Kind::kWrite;
  uint32_t nsid = 0, zone = 0;
  uint64_t slba = 0;
  uint32_t blocks = 0;
  const DataSegment* segments = nullptr;
  uint32_t segment_count = 0;
  uint16_t queue = 0;
  bool retried_open = false;
  ZoneIoCallback done;
};

struct ZoneManager::ZoneSlot {
  ZoneInfo info;
  std::deque<std::unique_ptr<Op>> writes;  // serialised writes, head goes next
  bool write_in_flight = false;
  bool resyncing = false;
  bool opening = false;
  bool closing = false;
  uint32_t in_flight = 0;  // writes + appends at the device
  uint64_t last_use = 0;
  std::vector<std::function<void(spec::Status)>> open_waiters;
};

struct ZoneManager::NsState {
  ZonedNamespaceInfo info;
  std::deque<ZoneSlot> zones;  // stable: slots are never moved
  std::deque<std::pair<uint32_t, std::function<void(spec::Status)>>>
      waiting;  // for an open resource
};

ZoneManager::ZoneManager(ZoneIo* io, ZoneManagerOptions options)
    : io_(io), options_(std::move(options)) {}

ZoneManager::~ZoneManager() {
  if (page_.valid()) io_->admin().dma()->Free(page_);
}

bool ZoneManager::IsOpen(spec::ZoneState s) {
  return s == spec::ZoneState::kImplicitlyOpened || s == spec::ZoneState::kExplicitlyOpened;
}
bool ZoneManager::IsActive(spec::ZoneState s) { return IsOpen(s) || s == spec::ZoneState::kClosed; }

void ZoneManager::Post(std::function<void()> fn) { io_->clock()->StartTimer(0, std::move(fn)); }

ZoneManager::NsState* ZoneManager::Ns(uint32_t nsid) {
  auto it = ns_.find(nsid);
  return it == ns_.end() ? nullptr : it->second.get();
}

ZoneManager::ZoneSlot* ZoneManager::Slot(uint32_t nsid, uint32_t zone) {
  NsState* ns = Ns(nsid);
  if (!ns || zone >= ns->zones.size()) return nullptr;
  return &ns->zones[zone];
}

std::vector<uint32_t> ZoneManager::namespaces() const {
  std::vector<uint32_t> out;
  for (const auto& [id, ns] : ns_) out.push_back(id);
  return out;
}

const ZonedNamespaceInfo* ZoneManager::Namespace(uint32_t nsid) const {
  auto it = ns_.find(nsid);
  return it == ns_.end() ? nullptr : &it->second->info;
}

const ZoneInfo* ZoneManager::Zone(uint32_t nsid, uint32_t zone) const {
  auto it = ns_.find(nsid);
  if (it == ns_.end() || zone >= it->second->zones.size()) return nullptr;
  return &it->second->zones[zone].info;
}

uint32_t ZoneManager::open_zones(uint32_t nsid) const {
  auto it = ns_.find(nsid);
  if (it == ns_.end()) return 0;
  uint32_t n = 0;
  for (const ZoneSlot& z : it->second->zones) n += IsOpen(z.info.state) ? 1 : 0;
  return n;
}

uint32_t ZoneManager::active_zones(uint32_t nsid) const {
  auto it = ns_.find(nsid);
  if (it == ns_.end()) return 0;
  uint32_t n = 0;
  for (const ZoneSlot& z : it->second->zones) n += IsActive(z.info.state) ? 1 : 0;
  return n;
}

std::vector<std::string> ZoneManager::ValidateAgainstDevice(const AdvancedNvmeConfig& c,
                                                            const ZonedNamespaceInfo& ns) {
  std::vector<std::string> out;
  const uint64_t device_bytes = ns.zone_size * ns.lba_bytes;
  if (c.zns_zone_size != device_bytes) {
    out.push_back("[advanced_nvme] zns_zone_size = " + std::to_string(c.zns_zone_size) +
                  " bytes, but namespace " + std::to_string(ns.nsid) + " reports ZSZE " +
                  std::to_string(ns.zone_size) + " LBAs x " + std::to_string(ns.lba_bytes) +
                  " bytes = " + std::to_string(device_bytes) + " bytes");
  }
  if (c.zns_max_zones == 0) {
    out.push_back("[advanced_nvme] zns_max_zones = 0: at least one zone is needed");
  }
  return out;
}

// ---- discovery -------------------------------------------------------------

void ZoneManager::Discover(Done done) {
  errors_.clear();
  if (!options_.config.zns_enabled) {
    return Post([done] { done(spec::Status::Ok()); });
  }
  if (!page_.valid()) page_ = io_->admin().dma()->Allocate(4096, 4096);
  if (!page_.valid()) return Post([done] { done(spec::GenericStatus::kInternalError); });
  // Identify CNS 06h CSI 02h: ZASL (ZNS 1.1 Identify Controller data structure).
  const spec::Status s = io_->admin().SubmitAdmin(
      commands::Identify(static_cast<uint8_t>(spec::Cns::kIoCommandSetController), 0, 0, kCsiZoned,
                         page_.bus),
      [this, done](const spec::Cqe& cqe) {
        if (!cqe.status_value().ok()) {
          errors_.push_back("controller does not support the Zoned Namespace Command Set: " +
                            cqe.status_value().ToString());
          return done(cqe.status_value());
        }
        zasl_ = page_.cpu[0];
        found_.clear();
        EnableZoneNotices(done);
      });
  if (!s.ok()) Post([done, s] { done(s); });
}

void ZoneManager::EnableZoneNotices(Done done) {
  // Asynchronous Event Configuration (Base 2.0 Figure 330): keep what the
  // controller manager set and add Zone Descriptor Changed Notices (bit 27,
  // ZNS 1.1). A refusal is not fatal: the cache is then refreshed only by
  // the manager's own reports.
  constexpr uint8_t kFidAsyncEventConfig = 0x0B;
  constexpr uint32_t kZoneDescriptorChangedNotices = 1u << 27;
  if (!options_.zone_notices_supported) return DiscoverList(0, done);
  const spec::Status s = io_->admin().SubmitAdmin(
      commands::GetFeatures(kFidAsyncEventConfig, 0), [this, done](const spec::Cqe& cqe) {
        if (!cqe.status_value().ok()) return DiscoverList(0, done);
        const spec::Status s2 = io_->admin().SubmitAdmin(
            commands::SetFeatures(kFidAsyncEventConfig, cqe.dw0 | kZoneDescriptorChangedNotices),
            [this, done](const spec::Cqe&) { DiscoverList(0, done); });
        if (!s2.ok()) DiscoverList(0, done);
      });
  if (!s.ok()) DiscoverList(0, done);
}

void ZoneManager::DiscoverList(uint32_t start, Done done) {
  // Identify CNS 07h CSI 02h: active zoned NSIDs above `start`.
  const spec::Status s = io_->admin().SubmitAdmin(
      commands::Identify(static_cast<uint8_t>(spec::Cns::kIoCommandSetActiveNamespaceList), start,
                         0, kCsiZoned, page_.bus),
      [this, done](const spec::Cqe& cqe) {
        if (!cqe.status_value().ok()) return done(cqe.status_value());
        uint32_t last = 0, n = 0;
        for (; n < kListEntries; ++n) {
          uint32_t id = 0;
          std::memcpy(&id, page_.cpu + 4 * n, 4);
          if (id == 0 || id <= last) break;
          found_.push_back(last = id);
        }
        if (n == kListEntries && last < 0xFFFFFFFEu) return DiscoverList(last, done);
        DiscoverNext(0, done);
      });
  if (!s.ok()) Post([done, s] { done(s); });
}

void ZoneManager::DiscoverNext(size_t index, Done done) {
  if (index >= found_.size()) {
    // Namespaces no longer listed (deleted, detached) leave the cache.
    for (auto it = ns_.begin(); it != ns_.end();) {
      if (std::find(found_.begin(), found_.end(), it->first) == found_.end()) {
        it = ns_.erase(it);
      } else {
        ++it;
      }
    }
    return done(errors_.empty() ? spec::Status::Ok()
                                : spec::Status(spec::GenericStatus::kInvalidField, true));
  }
  const uint32_t nsid = found_[index];
  // CNS 00h: size and LBA format; then CNS 05h CSI 02h: zone geometry.
  const spec::Status s = io_->admin().SubmitAdmin(
      commands::Identify(static_cast<uint8_t>(spec::Cns::kNamespace), nsid, 0, 0, page_.bus),
      [this, done, index, nsid](const spec::Cqe& cqe) {
        if (!cqe.status_value().ok()) return DiscoverNext(index + 1, done);
        spec::IdentifyNamespace id;
        std::memcpy(static_cast<void*>(&id), page_.cpu, sizeof id);
        auto info = std::make_shared<ZonedNamespaceInfo>();
        info->nsid = nsid;
        info->nsze = id.nsze;
        const uint8_t fmt = id.FormatIndex();
        const uint8_t lbads = id.lbaf[fmt < 64 ? fmt : 0].lbads;
        info->lba_bytes = lbads >= 9 && lbads < 32 ? 1u << lbads : 0;
        const spec::Status s2 = io_->admin().SubmitAdmin(
            commands::Identify(static_cast<uint8_t>(spec::Cns::kIoCommandSetNamespace), nsid, 0,
                               kCsiZoned, page_.bus),
            [this, done, index, info, fmt](const spec::Cqe& c2) {
              if (!c2.status_value().ok() || info->lba_bytes == 0)
                return DiscoverNext(index + 1, done);
              spec::ZnsIdentifyNamespace z;
              std::memcpy(static_cast<void*>(&z), page_.cpu, sizeof z);
              ZonedNamespaceInfo& n = *info;
              n.zoc = z.zoc;
              n.ozcs = z.ozcs;
              // MOR / MAR / NUMZRWA are 0's based, FFFFFFFFh = no limit (ZNS 1.1 Identify
              // Namespace).
              n.max_open = z.mor == spec::kZnsNoLimit ? 0 : z.mor + 1;
              n.max_active = z.mar == spec::kZnsNoLimit ? 0 : z.mar + 1;
              n.numzrwa = z.numzrwa == spec::kZnsNoLimit ? 0 : z.numzrwa + 1;
              n.zrwasz = z.zrwasz;
              n.zrwafg = z.zrwafg;
              n.rrl = z.rrl;
              n.frl = z.frl;
              n.zone_size = z.lbafe[fmt < 64 ? fmt : 0].zsze;
              n.zdes = z.lbafe[fmt < 64 ? fmt : 0].zdes;
              n.zasl = zasl_;
              // ZASL: 2^n units of the minimum memory page size (ZNS 1.1 Identify Controller).
              n.max_append_blocks =
                  zasl_ == 0 ? 0 : (uint64_t{options_.page_size} << zasl_) / n.lba_bytes;
              if (n.zone_size == 0) {
                errors_.push_back("namespace " + std::to_string(n.nsid) + " reports ZSZE 0");
                return DiscoverNext(index + 1, done);
              }
              n.device_zones = static_cast<uint32_t>(n.nsze / n.zone_size);
              n.zone_count = std::min(n.device_zones, options_.config.zns_max_zones);
              for (std::string& e : ValidateAgainstDevice(options_.config, n)) errors_.push_back(e);
              auto st = std::make_unique<NsState>();
              st->info = n;
              st->zones.resize(n.zone_count);
              for (uint32_t zi = 0; zi < n.zone_count; ++zi) {
                st->zones[zi].info.zslba = zi * n.zone_size;
                st->zones[zi].info.wp = zi * n.zone_size;
              }
              ns_[n.nsid] = std::move(st);
              Report(n.nsid, [this, done, index](spec::Status) { DiscoverNext(index + 1, done); });
            });
        if (!s2.ok()) done(s2);
      });
  if (!s.ok()) Post([done, s] { done(s); });
}

// ---- reports -----------------------------------------------------------------

void ZoneManager::Report(uint32_t nsid, Done done) {
  NsState* ns = Ns(nsid);
  if (!ns) return Post([done] { done(spec::GenericStatus::kInvalidNamespaceOrFormat); });
  ReportRange(nsid, 0, ns->info.zone_count, std::move(done));
}

void ZoneManager::ReportRange(uint32_t nsid, uint64_t slba, uint32_t max_zones, Done done) {
  const uint32_t per = std::min<uint32_t>(max_zones, (kReportBytes - 64) / kDescriptorBytes);
  const uint32_t bytes = 64 + per * kDescriptorBytes;
  hal::DmaBuffer buf = io_->admin().dma()->Allocate(bytes, 4096);
  if (!buf.valid()) return Post([done] { done(spec::GenericStatus::kInternalError); });
  auto seg = std::make_shared<DataSegment>(DataSegment{buf.bus, bytes});
  ++stats_.reports;
  const spec::Status s = io_->SubmitIo(
      0, ZoneReportSqe(nsid, slba, bytes), seg.get(), 1,
      [this, nsid, slba, max_zones, per, buf, seg, done](const BlockResult& r) {
        NsState* st = Ns(nsid);
        uint64_t returned = 0;
        if (r.status.ok() && st) {
          std::memcpy(&returned, buf.cpu, 8);  // NRZ (partial: descriptors returned)
          returned = std::min<uint64_t>(returned, per);
          for (uint64_t i = 0; i < returned; ++i) {
            spec::ZoneDescriptor d;
            std::memcpy(static_cast<void*>(&d), buf.cpu + 64 + i * kDescriptorBytes, sizeof d);
            const uint64_t z = d.zslba / st->info.zone_size;
            if (z >= st->zones.size()) continue;
            ZoneInfo& zi = st->zones[z].info;
            zi.zslba = d.zslba;
            zi.zcap = d.zcap;
            zi.wp = d.wp;
            zi.state = d.state();
            zi.za = d.za;
          }
        }
        io_->admin().dma()->Free(buf);
        if (!r.status.ok() || !st) return done(r.status);
        const uint64_t next = slba + returned * st->info.zone_size;
        if (returned == per && max_zones > per && returned != 0) {
          return ReportRange(nsid, next, max_zones - per, done);
        }
        done(spec::Status::Ok());
      });
  if (!s.ok()) {
    io_->admin().dma()->Free(buf);
    Post([done, s] { done(s); });
  }
}

void ZoneManager::Resync(uint32_t nsid, uint32_t zone, Done done) {
  ++stats_.resyncs;
  NsState* ns = Ns(nsid);
  ReportRange(nsid, uint64_t{zone} * ns->info.zone_size, 1, std::move(done));
}

void ZoneManager::OnAsyncEvent(uint32_t dw0) {
  const uint8_t type = dw0 & 0x7, info = static_cast<uint8_t>(dw0 >> 8);
  if (type != kAenTypeNotice || info != kAenZoneDescriptorChanged) return;
  ++stats_.zone_events;
  for (const auto& [nsid, ns] : ns_) Report(nsid, [](spec::Status) {});
}

// ---- zone management ---------------------------------------------------------

void ZoneManager::ApplyState(NsState& ns, uint32_t zone, spec::ZoneState state, uint64_t wp) {
  ZoneInfo& z = ns.zones[zone].info;
  z.state = state;
  z.wp = wp;
}

void ZoneManager::SendAction(uint32_t nsid, uint32_t zone, spec::ZoneSendAction action, Done done) {
  NsState* ns = Ns(nsid);
  if (!ns || zone >= ns->zones.size()) {
    return Post([done] { done(spec::Status(spec::GenericStatus::kLbaOutOfRange, true)); });
  }
  const uint64_t zslba = ns->zones[zone].info.zslba;
  const spec::Status s =
      io_->SubmitIo(0, ZoneSendSqe(nsid, zslba, action), nullptr, 0,
                    [this, nsid, zone, action, done](const BlockResult& r) {
                      NsState* st = Ns(nsid);
                      if (!st) return done(r.status);
                      ZoneInfo& z = st->zones[zone].info;
                      if (!r.status.ok()) {
                        ++stats_.errors;
                        return Resync(nsid, zone, [done, r](spec::Status) { done(r.status); });
                      }
                      switch (action) {
                        case spec::ZoneSendAction::kOpen:
                          ApplyState(*st, zone, spec::ZoneState::kExplicitlyOpened, z.wp);
                          break;
                        case spec::ZoneSendAction::kClose:
                          if (IsOpen(z.state))
                            ApplyState(*st, zone, spec::ZoneState::kClosed, z.wp);
                          break;
                        case spec::ZoneSendAction::kFinish:
                          ApplyState(*st, zone, spec::ZoneState::kFull, z.zslba + z.zcap);
                          break;
                        case spec::ZoneSendAction::kReset:
                          ApplyState(*st, zone, spec::ZoneState::kEmpty, z.zslba);
                          break;
                        default:
                          break;
                      }
                      done(spec::Status::Ok());
                      PumpWaiting(*st);
                    });
  if (!s.ok()) Post([done, s] { done(s); });
}

void ZoneManager::Open(uint32_t nsid, uint32_t zone, Done done) {
  ++stats_.opens;
  SendAction(nsid, zone, spec::ZoneSendAction::kOpen, std::move(done));
}
void ZoneManager::Close(uint32_t nsid, uint32_t zone, Done done) {
  SendAction(nsid, zone, spec::ZoneSendAction::kClose, std::move(done));
}
void ZoneManager::Finish(uint32_t nsid, uint32_t zone, Done done) {
  SendAction(nsid, zone, spec::ZoneSendAction::kFinish, std::move(done));
}
void ZoneManager::Reset(uint32_t nsid, uint32_t zone, Done done) {
  SendAction(nsid, zone, spec::ZoneSendAction::kReset, std::move(done));
}

// Opens `zone` (explicitly) if it is not open, closing an idle open zone
// first when MOR is reached. Returns true when the caller may go on now;
// else `then` runs once the zone is open or the open failed.
bool ZoneManager::EnsureOpen(NsState& ns, uint32_t zone, std::function<void(spec::Status)> then) {
  ZoneSlot& slot = ns.zones[zone];
  const spec::ZoneState s = slot.info.state;
  slot.last_use = ++tick_;
  if (!options_.explicit_open) return true;
  if (IsOpen(s) && !slot.closing) return true;
  if (s != spec::ZoneState::kEmpty && s != spec::ZoneState::kClosed) return true;  // device decides
  slot.open_waiters.push_back(std::move(then));
  if (slot.opening) return false;
  uint32_t open = 0, active = 0;
  for (const ZoneSlot& z : ns.zones) {
    open += (IsOpen(z.info.state) && !z.closing) || z.opening ? 1 : 0;
    active += IsActive(z.info.state) || z.opening ? 1 : 0;
  }
  auto fail_all = [this, &ns, zone](spec::Status st) {
    auto waiters = std::move(ns.zones[zone].open_waiters);
    ns.zones[zone].open_waiters.clear();
    Post([waiters, st] {
      for (const auto& w : waiters) w(st);
    });
  };
  if (ns.info.max_active != 0 && s == spec::ZoneState::kEmpty && active >= ns.info.max_active) {
    // Active resources are released only by Finish or Reset of a zone the
    // caller owns: reported, never done behind the caller's back.
    fail_all(spec::Status(spec::CommandSpecificStatus::kTooManyActiveZones, true));
    return false;
  }
  if (ns.info.max_open != 0 && open >= ns.info.max_open) {
    // Close the least recently used open zone with nothing in flight.
    int64_t victim = -1;
    for (uint32_t i = 0; i < ns.zones.size(); ++i) {
      const ZoneSlot& z = ns.zones[i];
      if (i == zone || !IsOpen(z.info.state) || z.closing || z.opening || z.in_flight != 0 ||
          z.write_in_flight || !z.writes.empty())
        continue;
      if (victim < 0 || z.last_use < ns.zones[victim].last_use) victim = i;
    }
    if (victim < 0) {
      ++stats_.waits_for_resource;
      ns.waiting.emplace_back(zone, nullptr);  // retried when a zone goes idle
      return false;
    }
    ++stats_.resource_closes;
    ns.zones[victim].closing = true;
    slot.opening = true;
    const uint32_t nsid = ns.info.nsid;
    Close(nsid, static_cast<uint32_t>(victim), [this, nsid, zone, victim](spec::Status) {
      NsState* st = Ns(nsid);
      if (!st) return;
      st->zones[victim].closing = false;
      st->zones[zone].opening = false;
      auto waiters = std::move(st->zones[zone].open_waiters);
      st->zones[zone].open_waiters.clear();
      for (auto& w : waiters) {
        if (EnsureOpen(*st, zone, w)) w(spec::Status::Ok());
      }
    });
    return false;
  }
  slot.opening = true;
  const uint32_t nsid = ns.info.nsid;
  Open(nsid, zone, [this, nsid, zone](spec::Status st) {
    NsState* n = Ns(nsid);
    if (!n) return;
    ZoneSlot& sl = n->zones[zone];
    sl.opening = false;
    auto waiters = std::move(sl.open_waiters);
    sl.open_waiters.clear();
    if (st.Is(spec::CommandSpecificStatus::kTooManyOpenZones)) {
      // The cache disagreed with the device: refresh everything and try again.
      return Report(nsid, [this, nsid, zone, waiters](spec::Status) {
        NsState* m = Ns(nsid);
        if (!m) return;
        for (auto& w : waiters) {
          if (EnsureOpen(*m, zone, w)) w(spec::Status::Ok());
        }
      });
    }
    for (auto& w : waiters) w(st);
  });
  return false;
}

void ZoneManager::PumpWaiting(NsState& ns) {
  if (ns.waiting.empty()) return;
  auto waiting = std::move(ns.waiting);
  ns.waiting.clear();
  for (auto& [zone, fn] : waiting) {
    ZoneSlot& slot = ns.zones[zone];
    auto waiters = std::move(slot.open_waiters);
    slot.open_waiters.clear();
    for (auto& w : waiters) {
      if (EnsureOpen(ns, zone, w)) w(spec::Status::Ok());
    }
  }
}

// ---- data commands -----------------------------------------------------------

void ZoneManager::Enqueue(std::unique_ptr<Op> op) {
  NsState* ns = Ns(op->nsid);
  if (!ns || op->zone >= ns->zones.size() || op->blocks == 0) {
    auto done = std::move(op->done);
    const uint64_t slba = op->slba;
    return Post(
        [done, slba] { done(spec::Status(spec::GenericStatus::kLbaOutOfRange, true), slba); });
  }
  const uint32_t zone = op->zone;
  if (op->kind == Op::Kind::kAppend) {
    Op* raw = op.release();
    auto go = [this, raw](spec::Status st) {
      std::unique_ptr<Op> o(raw);
      NsState* n = Ns(o->nsid);
      if (!st.ok() || !n) {
        auto done = std::move(o->done);
        return done(st, 0);
      }
      const uint32_t z = o->zone;
      Issue(*n, z, std::move(o));
    };
    if (EnsureOpen(*ns, zone, go)) go(spec::Status::Ok());
    return;
  }
  ns->zones[zone].writes.push_back(std::move(op));
  Pump(*ns, zone);
}

void ZoneManager::Pump(NsState& ns, uint32_t zone) {
  ZoneSlot& slot = ns.zones[zone];
  if (slot.write_in_flight || slot.resyncing || slot.writes.empty()) return;
  slot.write_in_flight = true;  // the zone write lock, held from open to completion
  const uint32_t nsid = ns.info.nsid;
  auto go = [this, nsid, zone](spec::Status st) {
    NsState* n = Ns(nsid);
    if (!n) return;
    ZoneSlot& sl = n->zones[zone];
    std::unique_ptr<Op> op = std::move(sl.writes.front());
    sl.writes.pop_front();
    if (!st.ok()) {
      sl.write_in_flight = false;
      auto done = std::move(op->done);
      done(st, op->slba);
      return Pump(*n, zone);
    }
    if (op->kind == Op::Kind::kWriteAtPointer) op->slba = sl.info.wp;
    Issue(*n, zone, std::move(op));
  };
  if (EnsureOpen(ns, zone, go)) go(spec::Status::Ok());
}

void ZoneManager::Issue(NsState& ns, uint32_t zone, std::unique_ptr<Op> op) {
  ZoneSlot& slot = ns.zones[zone];
  const bool append = op->kind == Op::Kind::kAppend;
  const spec::Sqe sqe =
      append ? ZoneAppendSqe(op->nsid, slot.info.zslba, op->blocks)
             : commands::ReadWrite(spec::NvmOpcode::kWrite, op->nsid, op->slba, op->blocks, false);
  ++slot.in_flight;
  slot.last_use = ++tick_;
  if (append) {
    ++stats_.appends;
  } else {
    ++stats_.writes;
  }
  Op* raw = op.release();
  const spec::Status s =
      io_->SubmitIo(raw->queue, sqe, raw->segments, raw->segment_count,
                    [this, raw](const BlockResult& r) { OnIoDone(raw->nsid, raw->zone, raw, r); });
  if (!s.ok()) {
    BlockResult r;
    r.status = s;
    Post([this, raw, r] { OnIoDone(raw->nsid, raw->zone, raw, r); });
  }
}

void ZoneManager::OnIoDone(uint32_t nsid, uint32_t zone, Op* raw, const BlockResult& r) {
  std::unique_ptr<Op> op(raw);
  NsState* ns = Ns(nsid);
  auto done = std::move(op->done);
  if (!ns) return done(r.status, op->slba);
  ZoneSlot& slot = ns->zones[zone];
  --slot.in_flight;
  const bool append = op->kind == Op::Kind::kAppend;
  if (!append) slot.write_in_flight = false;
  if (r.status.ok()) {
    const uint64_t lba = append ? (uint64_t{r.dw1} << 32 | r.dw0) : op->slba;
    ZoneInfo& z = slot.info;
    z.wp = std::max(z.wp, lba + op->blocks);
    if (z.zcap != 0 && z.wp >= z.zslba + z.zcap) {
      z.state = spec::ZoneState::kFull;  // ZNS 1.1 2.1.1: WP reaching ZCAP makes the zone Full
    } else if (z.state == spec::ZoneState::kEmpty || z.state == spec::ZoneState::kClosed) {
      z.state = spec::ZoneState::kImplicitlyOpened;
    }
    done(r.status, lba);
    if (!append) Pump(*ns, zone);
    if (slot.in_flight == 0) PumpWaiting(*ns);
    return;
  }
  ++stats_.errors;
  // Any error: the write pointer is re-read before anything else goes to the zone.
  slot.resyncing = true;
  const uint64_t slba = op->slba;
  Resync(nsid, zone, [this, nsid, zone, done, r, slba](spec::Status) {
    NsState* n = Ns(nsid);
    if (!n) return;
    n->zones[zone].resyncing = false;
    done(r.status, slba);
    Pump(*n, zone);
    if (n->zones[zone].in_flight == 0) PumpWaiting(*n);
  });
}

void ZoneManager::Write(uint32_t nsid, uint64_t slba, uint32_t blocks, const DataSegment* segments,
                        uint32_t segment_count, ZoneIoCallback done) {
  auto op = std::make_unique<Op>();
  op->kind = Op::Kind::kWrite;
  op->nsid = nsid;
  NsState* ns = Ns(nsid);
  op->zone = ns ? static_cast<uint32_t>(slba / ns->info.zone_size) : 0;
  op->slba = slba;
  op->blocks = blocks;
  op->segments = segments;
  op->segment_count = segment_count;
  op->queue = static_cast<uint16_t>(op->zone);  // one queue per zone keeps a zone's writes in order
  op->done = std::move(done);
  Enqueue(std::move(op));
}

void ZoneManager::WriteAtPointer(uint32_t nsid, uint32_t zone, uint32_t blocks,
                                 const DataSegment* segments, uint32_t segment_count,
                                 ZoneIoCallback done) {
  auto op = std::make_unique<Op>();
  op->kind = Op::Kind::kWriteAtPointer;
  op->nsid = nsid;
  op->zone = zone;
  op->blocks = blocks;
  op->segments = segments;
  op->segment_count = segment_count;
  op->queue = static_cast<uint16_t>(zone);
  op->done = std::move(done);
  Enqueue(std::move(op));
}

void ZoneManager::Append(uint32_t nsid, uint32_t zone, uint32_t blocks, const DataSegment* segments,
                         uint32_t segment_count, uint16_t queue, ZoneIoCallback done) {
  auto op = std::make_unique<Op>();
  op->kind = Op::Kind::kAppend;
  op->nsid = nsid;
  op->zone = zone;
  op->blocks = blocks;
  op->segments = segments;
  op->segment_count = segment_count;
  op->queue = queue;
  op->done = std::move(done);
  NsState* ns = Ns(nsid);
  if (ns && ns->info.max_append_blocks != 0 && blocks > ns->info.max_append_blocks) {
    // Above ZASL the device answers Invalid Field (ZNS 1.1 Zone Append); refused here.
    auto d = std::move(op->done);
    return Post([d] { d(spec::Status(spec::GenericStatus::kInvalidField, true), 0); });
  }
  Enqueue(std::move(op));
}

void ZoneManager::Read(uint32_t nsid, uint64_t slba, uint32_t blocks, const DataSegment* segments,
                       uint32_t segment_count, uint16_t queue, ZoneIoCallback done) {
  ++stats_.reads;
  const spec::Status s = io_->SubmitIo(
      queue, commands::ReadWrite(spec::NvmOpcode::kRead, nsid, slba, blocks, false), segments,
      segment_count, [done, slba](const BlockResult& r) { done(r.status, slba); });
  if (!s.ok()) Post([done, s, slba] { done(s, slba); });
}

}  // namespace nvmesim::driver::zoned
