#include "device_model/zns/zns_command_set.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

#include "spec/log_pages.h"
#include "spec/opcodes.h"
#include "spec/zns.h"

namespace nvmesim::device::zns {

using nvmesim::zns::ReportFilter;
using nvmesim::zns::ReportRequest;
using nvmesim::zns::ReportResult;
using nvmesim::zns::ZonedNamespace;
using nvmesim::zns::ZonedNamespaceConfig;
using nvmesim::zns::ZoneSendRequest;
using spec::GenericStatus;
using spec::Status;

namespace {
// NVM 2.0 Figure 44 / ZNS 1.1 Zone Append: SLBA CDW10-11, NLB CDW12 15:0
// (0's based), FUA CDW12 bit 30.
uint64_t Slba(const spec::Sqe& s) { return (uint64_t{s.cdw11} << 32) | s.cdw10; }
uint32_t Nlb(const spec::Sqe& s) { return (s.cdw12 & 0xFFFFu) + 1; }
bool Fua(const spec::Sqe& s) { return (s.cdw12 >> 30) & 1u; }
Status InvalidField() { return Status(GenericStatus::kInvalidField, true); }
}  // namespace

ZnsCommandSet::ZnsCommandSet(Subsystem& subsystem, ZnsCommandSetConfig config)
    : subsystem_(subsystem), config_(std::move(config)) {
  ZonedNamespaceConfig probe = config_.defaults;
  if (probe.zone_count == 0) probe.zone_count = 1;
  std::string err = nvmesim::zns::ValidateConfig(probe);
  if (!err.empty()) throw std::invalid_argument("zns defaults: " + err);
  for (const auto& [nsid, c] : config_.per_namespace) {
    err = nvmesim::zns::ValidateConfig(c);
    if (!err.empty())
      throw std::invalid_argument("zns namespace " + std::to_string(nsid) + ": " + err);
  }
}

void ZnsCommandSet::Attach(NvmeController& controller) {
  controller.RegisterCommandSet(kCsiZoned, this);
  controllers_.push_back(&controller);
}

ZonedNamespaceConfig ZnsCommandSet::ConfigFor(const Namespace& ns) const {
  auto it = config_.per_namespace.find(ns.nsid());
  ZonedNamespaceConfig c = it != config_.per_namespace.end() ? it->second : config_.defaults;
  c.lba_bytes = ns.lba_bytes();
  if (it == config_.per_namespace.end() && c.zone_size_lbas != 0) {
    c.zone_count = static_cast<uint32_t>(ns.size_lbas() / c.zone_size_lbas);
  }
  return c;
}

ZnsCommandSet::NsState* ZnsCommandSet::State(Namespace& ns) {
  if (ns.csi() != kCsiZoned) return nullptr;
  auto it = ns_.find(ns.nsid());
  if (it != ns_.end()) return &it->second;
  const ZonedNamespaceConfig c = ConfigFor(ns);
  std::string err;
  if (uint64_t{c.zone_count} * c.zone_size_lbas > ns.size_lbas()) {
    err = "zones (" + std::to_string(c.zone_count) + " x " + std::to_string(c.zone_size_lbas) +
          " LBAs) exceed the namespace size " + std::to_string(ns.size_lbas());
  }
  std::unique_ptr<ZonedNamespace> model;
  if (err.empty()) model = ZonedNamespace::Create(c, &err);
  if (!model) {
    geometry_errors_[ns.nsid()] = err;
    return nullptr;
  }
  NsState& st = ns_[ns.nsid()];
  st.model = std::move(model);
  st.zones.resize(c.zone_count);
  for (uint32_t z = 0; z < c.zone_count; ++z) st.zones[z].durable_wp = st.model->ZoneStart(z);
  return &st;
}

ZonedNamespace* ZnsCommandSet::Model(uint32_t nsid) {
  Namespace* ns = subsystem_.Find(nsid);
  if (!ns) return nullptr;
  NsState* st = State(*ns);
  return st ? st->model.get() : nullptr;
}

uint64_t ZnsCommandSet::DurableWritePointer(uint32_t nsid, uint32_t zone) {
  Namespace* ns = subsystem_.Find(nsid);
  NsState* st = ns ? State(*ns) : nullptr;
  if (!st || zone >= st->zones.size()) return 0;
  return st->zones[zone].durable_wp;
}

std::string ZnsCommandSet::GeometryError(uint32_t nsid) const {
  auto it = geometry_errors_.find(nsid);
  return it == geometry_errors_.end() ? std::string() : it->second;
}

Status ZnsCommandSet::Execute(IoCommand& cmd, IoServices& io) {
  NsState* st = State(cmd.ns);
  if (!st) return Status(GenericStatus::kInternalError, true);  // unusable zone geometry
  st->model->SetTraceTime(io.NowPs());
  switch (cmd.sqe.opcode) {
    case static_cast<uint8_t>(spec::NvmOpcode::kFlush): {
      cmd.ns.store().Flush();
      for (uint32_t z = 0; z < st->zones.size(); ++z) {
        st->zones[z].durable_wp = st->model->Zone(z).wp;
      }
      MediaOp op;
      op.kind = MediaOp::Kind::kFlush;
      op.nsid = cmd.ns.nsid();
      io.AddMediaTime(op);
      return Status::Ok();
    }
    case static_cast<uint8_t>(spec::NvmOpcode::kWrite):
      return ReadWrite(cmd, io, *st, true);
    case static_cast<uint8_t>(spec::NvmOpcode::kRead):
      return ReadWrite(cmd, io, *st, false);
    case static_cast<uint8_t>(spec::ZnsOpcode::kZoneAppend):
      return Append(cmd, io, *st);
    case static_cast<uint8_t>(spec::ZnsOpcode::kZoneManagementSend):
      return Send(cmd, io, *st);
    case static_cast<uint8_t>(spec::ZnsOpcode::kZoneManagementReceive):
      return Receive(cmd, io, *st);
    default:
      return Status(GenericStatus::kInvalidOpcode, true);
  }
}

void ZnsCommandSet::NoteDataWritten(NsState& st, uint64_t slba, uint64_t nlb, bool cached) {
  if (cached) return;
  ZoneState& z = st.zones[st.model->ZoneIndex(slba)];
  // Durable prefix grows only when nothing volatile sits before this write.
  if (slba <= z.durable_wp) z.durable_wp = std::max(z.durable_wp, slba + nlb);
}

Status ZnsCommandSet::ReadWrite(IoCommand& cmd, IoServices& io, NsState& st, bool write) {
  const spec::Sqe& s = cmd.sqe;
  const uint64_t slba = Slba(s);
  const uint32_t nlb = Nlb(s);
  Namespace& ns = cmd.ns;
  if (nlb > ns.size_lbas() || slba > ns.size_lbas() - nlb)
    return Status(GenericStatus::kLbaOutOfRange, true);  // NVM 2.0 Figure 19
  const uint64_t bytes = uint64_t{nlb} * ns.lba_bytes();
  Status r = io.CheckMdts(bytes);
  if (!r.ok()) return r;
  if (buffer_.size() < bytes) buffer_.resize(bytes);
  MediaOp op;
  op.nsid = ns.nsid();
  op.slba = slba;
  op.nlb = nlb;
  op.bytes = bytes;
  op.fua = Fua(s);
  if (write) {
    // Data first: a failed transfer must not move the write pointer.
    r = io.FromHost(s, buffer_.data(), bytes);
    if (!r.ok()) return r;
    r = st.model->Write(slba, nlb);
    if (!r.ok()) return r;
    const bool cached = io.WriteCacheEnabled() && ns.volatile_write_cache() && !Fua(s);
    ns.store().Write(slba * ns.lba_bytes(), buffer_.data(), bytes, cached);
    NoteDataWritten(st, slba, nlb, cached);
    op.kind = MediaOp::Kind::kWrite;
    ++stats_.writes;
  } else {
    r = st.model->CheckRead(slba, nlb);
    if (!r.ok()) return r;
    if (ns.media_errors().Intersects(slba, nlb) || ns.uncorrectable().Intersects(slba, nlb))
      return Status(spec::MediaStatus::kUnrecoveredReadError);
    ns.store().Read(slba * ns.lba_bytes(), buffer_.data(), bytes);
    r = io.ToHost(s, buffer_.data(), bytes);
    if (!r.ok()) return r;
    op.kind = MediaOp::Kind::kRead;
    ++stats_.reads;
  }
  io.AddMediaTime(op);
  return Status::Ok();
}

Status ZnsCommandSet::Append(IoCommand& cmd, IoServices& io, NsState& st) {
  const spec::Sqe& s = cmd.sqe;
  const uint64_t zslba = Slba(s);
  const uint32_t nlb = Nlb(s);
  Namespace& ns = cmd.ns;
  if (nlb > ns.size_lbas() || zslba > ns.size_lbas() - nlb)
    return Status(GenericStatus::kLbaOutOfRange, true);
  const uint64_t bytes = uint64_t{nlb} * ns.lba_bytes();
  Status r = io.CheckMdts(bytes);
  if (!r.ok()) return r;
  if (buffer_.size() < bytes) buffer_.resize(bytes);
  r = io.FromHost(s, buffer_.data(), bytes);
  if (!r.ok()) return r;
  uint64_t assigned = 0;
  r = st.model->Append(zslba, nlb, &assigned);
  if (!r.ok()) return r;
  const bool cached = io.WriteCacheEnabled() && ns.volatile_write_cache() && !Fua(s);
  ns.store().Write(assigned * ns.lba_bytes(), buffer_.data(), bytes, cached);
  NoteDataWritten(st, assigned, nlb, cached);
  // ZNS 1.1 Zone Append completion: Dword 0 and 1 hold the assigned LBA.
  cmd.dw0 = static_cast<uint32_t>(assigned);
  cmd.dw1 = static_cast<uint32_t>(assigned >> 32);
  MediaOp op;
  op.kind = MediaOp::Kind::kWrite;
  op.nsid = ns.nsid();
  op.slba = assigned;
  op.nlb = nlb;
  op.bytes = bytes;
  op.fua = Fua(s);
  io.AddMediaTime(op);
  ++stats_.appends;
  return Status::Ok();
}

Status ZnsCommandSet::Send(IoCommand& cmd, IoServices& io, NsState& st) {
  const spec::Sqe& s = cmd.sqe;
  ZonedNamespace& m = *st.model;
  Namespace& ns = cmd.ns;
  ZoneSendRequest req;
  const uint8_t action = spec::ZoneSendActionField(s.cdw13);
  req.action = static_cast<spec::ZoneSendAction>(action);
  req.slba = Slba(s);
  req.select_all = spec::ZoneSendSelectAll(s.cdw13);
  req.zrwa_allocate = spec::ZoneSendZrwaAllocate(s.cdw13);
  std::vector<uint8_t> ext;
  if (req.action == spec::ZoneSendAction::kSetZoneDescriptorExtension) {
    const uint32_t n = m.config().descriptor_extension_bytes;
    if (n == 0) return InvalidField();  // ZDES 0: not supported (ZNS 1.1 LBA Format Extension)
    ext.resize(n);
    Status r = io.FromHost(s, ext.data(), n);
    if (!r.ok()) return r;
    req.extension = ext;
  }
  // Zones a reset or finish touches, to apply their media and data effects.
  std::vector<uint32_t> resets_before(m.zone_count()), finishes_before(m.zone_count());
  const bool tracks =
      req.action == spec::ZoneSendAction::kReset || req.action == spec::ZoneSendAction::kFinish;
  if (tracks) {
    for (uint32_t z = 0; z < m.zone_count(); ++z) {
      resets_before[z] = m.Stats(z).resets;
      finishes_before[z] = m.Stats(z).finishes;
    }
  }
  Status r = m.ZoneSend(req);
  if (!r.ok() || !tracks) return r;
  const uint64_t zsze = m.config().zone_size_lbas;
  for (uint32_t z = 0; z < m.zone_count(); ++z) {
    const uint64_t zslba = m.ZoneStart(z);
    if (m.Stats(z).resets != resets_before[z]) {
      // Reset: the zone's data is gone (reads return zeroes, DLFEAT) and the
      // media erases its blocks.
      ns.store().Zero(zslba * ns.lba_bytes(), zsze * ns.lba_bytes(), false);
      st.zones[z] = ZoneState{zslba, false};
      if (config_.media.reset) {
        // The zone-aware media erases the zone's blocks (and unmaps them).
        io.AddLatencyPs(config_.media.reset(ns.nsid(), zslba, io.NowPs()));
      } else {
        // Plain media timing: the zone's blocks are unmapped like a Deallocate.
        MediaOp op;
        op.kind = MediaOp::Kind::kDeallocate;
        op.nsid = ns.nsid();
        op.slba = zslba;
        op.nlb = zsze;
        op.bytes = zsze * ns.lba_bytes();
        io.AddMediaTime(op);
      }
      ++stats_.resets;
    } else if (m.Stats(z).finishes != finishes_before[z]) {
      st.zones[z].finished = true;
      if (config_.media.finish) io.AddLatencyPs(config_.media.finish(ns.nsid(), zslba, io.NowPs()));
      ++stats_.finishes;
    }
  }
  return r;
}

Status ZnsCommandSet::Receive(IoCommand& cmd, IoServices& io, NsState& st) {
  const spec::Sqe& s = cmd.sqe;
  const uint8_t zra = spec::ZoneReceiveActionField(s.cdw13);
  if (zra > static_cast<uint8_t>(spec::ZoneReceiveAction::kExtendedReportZones))
    return InvalidField();
  const auto filter = nvmesim::zns::ParseReportingOption(spec::ZoneReceiveReportingOption(s.cdw13));
  if (!filter) return InvalidField();
  const uint64_t bytes = spec::ZoneReceiveBufferBytes(s.cdw12);
  Status r = io.CheckMdts(bytes);
  if (!r.ok()) return r;
  if (buffer_.size() < bytes) buffer_.resize(bytes);
  ReportRequest req;
  req.slba = Slba(s);
  req.filter = *filter;
  req.partial = spec::ZoneReceivePartialReport(s.cdw13);
  req.extended = zra == static_cast<uint8_t>(spec::ZoneReceiveAction::kExtendedReportZones);
  ReportResult result;
  r = st.model->Report(req, std::span<uint8_t>(buffer_.data(), bytes), &result);
  if (!r.ok()) return r;
  ++stats_.reports;
  return io.ToHost(s, buffer_.data(), bytes);
}

Status ZnsCommandSet::IdentifyNamespace(Namespace& ns, uint8_t* page) {
  NsState* st = State(ns);
  if (!st) return Status(GenericStatus::kInvalidField, true);
  auto* id = new (page) spec::ZnsIdentifyNamespace();
  st->model->FillIdentifyNamespace(id, ns.format_index());
  return Status::Ok();
}

Status ZnsCommandSet::IdentifyController(uint8_t* page) {
  auto* id = new (page) spec::ZnsIdentifyController();
  // ZASL is a controller property; every namespace shares the defaults' value.
  id->zasl = config_.defaults.zasl;
  return Status::Ok();
}

bool ZnsCommandSet::GetLogPage(uint8_t lid, uint32_t nsid, bool rae, std::vector<uint8_t>* log,
                               Status* status, uint8_t* event_type) {
  if (lid != static_cast<uint8_t>(spec::LogPageId::kChangedZoneList)) return false;
  log->assign(sizeof(spec::ChangedZoneList), 0);
  auto* out = new (log->data()) spec::ChangedZoneList();
  *event_type = kAsyncEventTypeNotice;
  *status = Status::Ok();
  if (nsid == 0xFFFFFFFFu) {
    // Every zoned namespace at once: the identifiers would be ambiguous, so
    // the page says "more than fit" (NRZID FFFFh) and the host reports zones.
    bool any = false;
    for (auto& [id, st] : ns_) {
      if (st.model->changed_zones() == 0) continue;
      any = true;
      spec::ChangedZoneList scratch;
      st.model->ReadChangedZoneList(&scratch, rae);
    }
    out->nrzid = any ? spec::kChangedZoneListOverflow : 0;
    return true;
  }
  Namespace* ns = subsystem_.Find(nsid);
  NsState* st = ns ? State(*ns) : nullptr;
  if (!st) {
    *status = Status(GenericStatus::kInvalidNamespaceOrFormat, true);
    return true;
  }
  st->model->ReadChangedZoneList(out, rae);
  return true;
}

void ZnsCommandSet::OnNamespaceDeleted(uint32_t nsid) {
  ns_.erase(nsid);
  geometry_errors_.erase(nsid);
}

void ZnsCommandSet::RaiseZoneChanged() {
  ++stats_.zone_events;
  for (NvmeController* c : controllers_) {
    c->RaiseAsyncEvent(kAsyncEventTypeNotice, kAsyncNoticeZoneDescriptorChanged,
                       static_cast<uint8_t>(spec::LogPageId::kChangedZoneList));
  }
}

Status ZnsCommandSet::InjectZoneFault(uint32_t nsid, uint32_t zone, ZoneFault fault, bool on) {
  ZonedNamespace* m = Model(nsid);
  if (!m) return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
  if (zone >= m->zone_count()) return Status(GenericStatus::kLbaOutOfRange, true);
  const uint32_t before = m->changed_zones();
  Status r;
  switch (fault) {
    case ZoneFault::kReadOnly:
      r = m->FaultSetReadOnly(zone);
      break;
    case ZoneFault::kOffline:
      r = m->FaultSetOffline(zone);
      break;
    case ZoneFault::kFinishByController:
      r = m->FaultFinishByController(zone);
      break;
    case ZoneFault::kResetRecommended:
      r = m->FaultSetResetRecommended(zone, on);
      break;
    case ZoneFault::kFinishRecommended:
      r = m->FaultSetFinishRecommended(zone, on);
      break;
  }
  // One notice while the Changed Zone List is non-empty; reading the log
  // (which empties it) re-arms it (ZNS 1.1 Changed Zone List).
  if (r.ok() && before == 0 && m->changed_zones() != 0) RaiseZoneChanged();
  return r;
}

void ZnsCommandSet::Rebuild(uint32_t nsid, NsState& st) {
  // The zone state after power loss follows the durable data: each zone's
  // write pointer moves back to the end of what survived; zones that were
  // open come back Closed (ZNS 1.1 2.1.1: no zone stays open across a
  // controller reset); Full (by Finish), Read Only and Offline zones keep
  // their state.
  ZonedNamespace& old = *st.model;
  std::string err;
  auto fresh = ZonedNamespace::Create(old.config(), &err);
  if (!fresh) return;
  for (uint32_t z = 0; z < old.zone_count(); ++z) {
    const nvmesim::zns::ZoneInfo info = old.Zone(z);
    ZoneState& zs = st.zones[z];
    const uint64_t zslba = old.ZoneStart(z);
    if (info.state == spec::ZoneState::kOffline) {
      fresh->FaultSetOffline(z);
      continue;
    }
    if (info.state == spec::ZoneState::kFull && zs.finished) {
      fresh->ZoneSend({spec::ZoneSendAction::kFinish, zslba, false, false, {}});
      continue;
    }
    const uint64_t durable = std::min(zs.durable_wp, info.wp);
    if (durable != info.wp) ++stats_.power_loss_rollbacks;
    if (durable > zslba) {
      fresh->Write(zslba, static_cast<uint32_t>(durable - zslba));
      if (fresh->Zone(z).state != spec::ZoneState::kFull)
        fresh->ZoneSend({spec::ZoneSendAction::kClose, zslba, false, false, {}});
    }
    if (info.state == spec::ZoneState::kReadOnly) fresh->FaultSetReadOnly(z);
    zs.durable_wp = fresh->Zone(z).wp;
  }
  spec::ChangedZoneList scratch;
  fresh->ReadChangedZoneList(&scratch, false);  // rebuild steps are not host-visible changes
  st.model = std::move(fresh);
  (void)nsid;
}

void ZnsCommandSet::OnPowerLoss() {
  for (auto& [nsid, st] : ns_) Rebuild(nsid, st);
}

}  // namespace nvmesim::device::zns
