// Zone state machine: ZNS 1.1 section 2.1.1 (Zone State Machine figure and
// the per-state transition text), the Zone Management Send command (Zone Send
// Action figure, Select All), the Zone Append command and the Zone Random
// Write Area section. Every check runs before any change, so an error leaves
// the namespace untouched.
#include "zns_model/zoned_namespace.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace nvmesim::zns {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;
using spec::ZoneSendAction;
using spec::ZoneState;

namespace {

// Errors carry DNR: repeating the same command against the same zone state
// cannot succeed.
constexpr Status Error(CommandSpecificStatus c) { return Status(c, true); }
constexpr Status Error(GenericStatus c) { return Status(c, true); }
constexpr Status Error(Status s) { return s.WithDnr(); }

constexpr bool IsOpen(ZoneState s) {
  return s == ZoneState::kImplicitlyOpened || s == ZoneState::kExplicitlyOpened;
}
constexpr bool IsActive(ZoneState s) { return IsOpen(s) || s == ZoneState::kClosed; }

}  // namespace

std::unique_ptr<ZonedNamespace> ZonedNamespace::Create(const ZonedNamespaceConfig& config,
                                                       std::string* error) {
  std::string why = ValidateConfig(config);
  if (!why.empty()) {
    if (error) *error = why;
    return nullptr;
  }
  return std::unique_ptr<ZonedNamespace>(new ZonedNamespace(config));
}

ZonedNamespace::ZonedNamespace(const ZonedNamespaceConfig& config)
    : config_(config),
      capacity_lbas_(uint64_t{config.zone_count} * config.zone_size_lbas),
      max_append_lbas_(MaxAppendLbas(config)),
      zone_shift_(std::has_single_bit(config.zone_size_lbas)
                      ? std::countr_zero(config.zone_size_lbas)
                      : -1),
      zones_(config.zone_count),
      stats_(config.zone_count),
      extensions_(size_t{config.zone_count} * config.descriptor_extension_bytes) {
  for (uint32_t z = 0; z < config.zone_count; ++z) {
    zones_[z] =
        ZoneRecord{ZoneStart(z), kNil, kNil, static_cast<uint8_t>(ZoneState::kEmpty), 0, 0, 0};
  }
  state_count_[static_cast<uint8_t>(ZoneState::kEmpty)] = config.zone_count;
}

uint32_t ZonedNamespace::open_zones() const {
  return CountInState(ZoneState::kImplicitlyOpened) + CountInState(ZoneState::kExplicitlyOpened);
}

uint32_t ZonedNamespace::active_zones() const {
  return open_zones() + CountInState(ZoneState::kClosed);
}

ZoneInfo ZonedNamespace::Zone(uint32_t z) const {
  ZoneInfo info;
  info.state = StateOf(z);
  info.attributes = zones_[z].za;
  info.zslba = ZoneStart(z);
  info.zcap = config_.zone_capacity_lbas;
  info.wp = zones_[z].wp;
  return info;
}

std::span<const uint8_t> ZonedNamespace::DescriptorExtension(uint32_t z) const {
  const size_t n = config_.descriptor_extension_bytes;
  return std::span<const uint8_t>(extensions_.data() + size_t{z} * n, n);
}

size_t ZonedNamespace::BytesPerZone() const {
  return sizeof(ZoneRecord) + sizeof(ZoneStats) + config_.descriptor_extension_bytes;
}

// --- state bookkeeping -------------------------------------------------------

void ZonedNamespace::SetState(uint32_t z, ZoneState to) {
  ZoneRecord& r = zones_[z];
  const ZoneState from = static_cast<ZoneState>(r.state);
  if (from == to) return;
  --state_count_[static_cast<uint8_t>(from)];
  ++state_count_[static_cast<uint8_t>(to)];
  if (from == ZoneState::kImplicitlyOpened) {  // unlink from the FIFO
    if (r.io_prev != kNil)
      zones_[r.io_prev].io_next = r.io_next;
    else
      io_head_ = r.io_next;
    if (r.io_next != kNil)
      zones_[r.io_next].io_prev = r.io_prev;
    else
      io_tail_ = r.io_prev;
    r.io_prev = r.io_next = kNil;
  }
  if (to == ZoneState::kImplicitlyOpened) {  // append: newest last
    r.io_prev = io_tail_;
    r.io_next = kNil;
    if (io_tail_ != kNil)
      zones_[io_tail_].io_next = z;
    else
      io_head_ = z;
    io_tail_ = z;
  }
  // A ZRWA belongs to an active zone (ZNS 1.1 Zone Random Write Area).
  if (!IsActive(to) && (r.za & spec::kZoneAttrZrwaValid)) {
    r.za &= static_cast<uint8_t>(~spec::kZoneAttrZrwaValid);
    --zrwa_in_use_;
  }
  r.state = static_cast<uint8_t>(to);
  if (trace_) {
    trace_->Emit(spec::TraceEvent{trace_time_ps_, trace_source_, "zone_state", z,
                                  static_cast<uint64_t>(from), static_cast<uint64_t>(to)});
  }
}

void ZonedNamespace::ToFull(uint32_t z) {
  ZoneRecord& r = zones_[z];
  r.wp = WriteEnd(z);
  r.za &= static_cast<uint8_t>(~spec::kZoneAttrFinishZoneRecommended);
  SetState(z, ZoneState::kFull);
}

void ZonedNamespace::ToEmpty(uint32_t z) {
  ZoneRecord& r = zones_[z];
  SetState(z, ZoneState::kEmpty);
  r.wp = ZoneStart(z);
  r.za = 0;  // ZFC, FZR, RZR, ZRWAV and ZDEV all clear on reset
  if (config_.descriptor_extension_bytes != 0) {
    std::memset(extensions_.data() + size_t{z} * config_.descriptor_extension_bytes, 0,
                config_.descriptor_extension_bytes);
  }
}

void ZonedNamespace::AdvanceWritePointer(uint32_t z, uint64_t new_wp) {
  zones_[z].wp = new_wp;
  // Writing the last LBA of the zone capacity makes the zone Full (2.1.1).
  if (new_wp == WriteEnd(z)) ToFull(z);
}

Status ZonedNamespace::CheckWriteState(uint32_t z) const {
  switch (StateOf(z)) {
    case ZoneState::kFull:
      return Error(CommandSpecificStatus::kZoneIsFull);
    case ZoneState::kReadOnly:
      return Error(CommandSpecificStatus::kZoneIsReadOnly);
    case ZoneState::kOffline:
      return Error(CommandSpecificStatus::kZoneIsOffline);
    default:
      return Status::Ok();
  }
}

// ZNS 1.1 2.1.1 (managing resources): opening an Empty zone needs an active
// and an open resource, a Closed zone an open resource. With MOR reached the
// controller may close an implicitly opened zone; with none, Too Many Open
// Zones. Checked in the order active, open, ZRWA.
Status ZonedNamespace::CheckOpen(uint32_t z, bool need_open, bool alloc_zrwa,
                                 uint32_t* victim) const {
  *victim = kNil;
  const ZoneState s = StateOf(z);
  if (s == ZoneState::kEmpty && config_.max_active_zones != 0 &&
      active_zones() + 1 > config_.max_active_zones) {
    return Error(CommandSpecificStatus::kTooManyActiveZones);
  }
  if (need_open && config_.max_open_zones != 0 && open_zones() + 1 > config_.max_open_zones) {
    uint32_t candidate = io_head_;
    if (candidate == z) candidate = zones_[z].io_next;
    if (candidate == kNil) return Error(CommandSpecificStatus::kTooManyOpenZones);
    *victim = candidate;
  }
  if (alloc_zrwa && zrwa_in_use_ + 1 > config_.zrwa_zones) {
    *victim = kNil;
    return Error(spec::ZrwaResourcesUnavailable());
  }
  return Status::Ok();
}

void ZonedNamespace::CommitOpen(uint32_t z, ZoneState to, uint32_t victim, bool alloc_zrwa) {
  if (victim != kNil) SetState(victim, ZoneState::kClosed);
  SetState(z, to);
  if (alloc_zrwa) {
    zones_[z].za |= spec::kZoneAttrZrwaValid;
    ++zrwa_in_use_;
  }
}

// --- I/O ---------------------------------------------------------------------

Status ZonedNamespace::Write(uint64_t slba, uint32_t nlb) {
  if (nlb == 0) return Error(GenericStatus::kInvalidField);
  if (slba >= capacity_lbas_ || nlb > capacity_lbas_ - slba) {
    return Error(GenericStatus::kLbaOutOfRange);
  }
  const uint32_t z = ZoneIndex(slba);
  ZoneRecord& r = zones_[z];
  if (Status s = CheckWriteState(z); !s.ok()) return s;
  const uint64_t end = slba + nlb;
  if (HasZrwa(z)) {
    // ZRWA window plus the implicit flush range: [WP, WP + 2 x ZRWASZ).
    if (slba < r.wp || end > r.wp + 2ull * config_.zrwa_size_lbas) {
      return Error(CommandSpecificStatus::kZoneInvalidWrite);
    }
  } else if (slba != r.wp) {
    return Error(CommandSpecificStatus::kZoneInvalidWrite);
  }
  if (end > WriteEnd(z)) return Error(CommandSpecificStatus::kZoneBoundaryError);

  const ZoneState s = StateOf(z);
  if (s == ZoneState::kEmpty || s == ZoneState::kClosed) {
    uint32_t victim;
    if (Status st = CheckOpen(z, true, false, &victim); !st.ok()) return st;
    CommitOpen(z, ZoneState::kImplicitlyOpened, victim, false);
  }
  stats_[z].lbas_written += nlb;
  if (HasZrwa(z)) {
    const uint64_t zrwa_end = r.wp + config_.zrwa_size_lbas;
    if (end > zrwa_end) {  // implicit flush, in ZRWAFG units
      const uint64_t fg = config_.zrwa_flush_granularity_lbas;
      AdvanceWritePointer(z, r.wp + (end - zrwa_end + fg - 1) / fg * fg);
    }
  } else {
    AdvanceWritePointer(z, end);
  }
  return Status::Ok();
}

Status ZonedNamespace::Append(uint64_t zslba, uint32_t nlb, uint64_t* assigned_lba) {
  if (nlb == 0) return Error(GenericStatus::kInvalidField);
  if (zslba >= capacity_lbas_) return Error(GenericStatus::kLbaOutOfRange);
  const uint32_t z = ZoneIndex(zslba);
  // ZSLBA must be the lowest LBA of a zone (Zone Append command).
  if (zslba != ZoneStart(z)) return Error(GenericStatus::kInvalidField);
  // Larger than the Zone Append Size Limit: Invalid Field in Command.
  if (max_append_lbas_ != 0 && nlb > max_append_lbas_) return Error(GenericStatus::kInvalidField);
  if (HasZrwa(z)) return Error(spec::InvalidZoneOperationRequest());
  if (Status s = CheckWriteState(z); !s.ok()) return s;
  ZoneRecord& r = zones_[z];
  if (nlb > WriteEnd(z) - r.wp) return Error(CommandSpecificStatus::kZoneBoundaryError);
  const ZoneState s = StateOf(z);
  if (s == ZoneState::kEmpty || s == ZoneState::kClosed) {
    uint32_t victim;
    if (Status st = CheckOpen(z, true, false, &victim); !st.ok()) return st;
    CommitOpen(z, ZoneState::kImplicitlyOpened, victim, false);
  }
  if (assigned_lba) *assigned_lba = r.wp;
  stats_[z].lbas_written += nlb;
  AdvanceWritePointer(z, r.wp + nlb);
  return Status::Ok();
}

Status ZonedNamespace::CheckRead(uint64_t slba, uint32_t nlb) const {
  if (nlb == 0) return Error(GenericStatus::kInvalidField);
  if (slba >= capacity_lbas_ || nlb > capacity_lbas_ - slba) {
    return Error(GenericStatus::kLbaOutOfRange);
  }
  const uint32_t first = ZoneIndex(slba);
  const uint32_t last = ZoneIndex(slba + nlb - 1);
  // Reads may cross a zone boundary only with OZCS.RAZB set.
  if (first != last && !config_.read_across_zone_boundaries) {
    return Error(CommandSpecificStatus::kZoneBoundaryError);
  }
  for (uint32_t z = first; z <= last; ++z) {
    if (StateOf(z) == ZoneState::kOffline) return Error(CommandSpecificStatus::kZoneIsOffline);
  }
  return Status::Ok();
}

// --- Zone Management Send -----------------------------------------------------

Status ZonedNamespace::ZoneSend(const ZoneSendRequest& req) {
  switch (req.action) {
    case ZoneSendAction::kClose:
    case ZoneSendAction::kFinish:
    case ZoneSendAction::kOpen:
    case ZoneSendAction::kReset:
    case ZoneSendAction::kOffline:
    case ZoneSendAction::kSetZoneDescriptorExtension:
    case ZoneSendAction::kFlushExplicitZrwa:
      break;
    default:
      return Error(GenericStatus::kInvalidField);  // reserved Zone Send Action
  }
  // ZRWAA is defined for Open Zone only; ZSASO is reserved for other actions.
  if (req.zrwa_allocate && req.action != ZoneSendAction::kOpen) {
    return Error(GenericStatus::kInvalidField);
  }
  if (req.select_all) {
    if (req.action == ZoneSendAction::kSetZoneDescriptorExtension ||
        req.action == ZoneSendAction::kFlushExplicitZrwa || req.zrwa_allocate) {
      return Error(GenericStatus::kInvalidField);
    }
    return SendAll(req.action);
  }
  return SendOne(req);
}

Status ZonedNamespace::SendOne(const ZoneSendRequest& req) {
  if (req.slba >= capacity_lbas_) return Error(GenericStatus::kLbaOutOfRange);
  if (req.action == ZoneSendAction::kFlushExplicitZrwa) return FlushZrwa(req.slba);
  const uint32_t z = ZoneIndex(req.slba);
  if (req.slba != ZoneStart(z)) return Error(GenericStatus::kInvalidField);
  const ZoneState s = StateOf(z);
  const Status invalid = Error(CommandSpecificStatus::kInvalidZoneStateTransition);
  switch (req.action) {
    case ZoneSendAction::kOpen:
      return OpenZone(z, req.zrwa_allocate);
    case ZoneSendAction::kClose:
      if (IsOpen(s))
        SetState(z, ZoneState::kClosed);
      else if (s != ZoneState::kClosed)
        return invalid;
      return Status::Ok();
    case ZoneSendAction::kFinish:
      if (s == ZoneState::kFull) return Status::Ok();
      if (!IsActive(s) && s != ZoneState::kEmpty) return invalid;
      ToFull(z);
      ++stats_[z].finishes;
      return Status::Ok();
    case ZoneSendAction::kReset:
      if (s == ZoneState::kEmpty) return Status::Ok();
      if (!IsActive(s) && s != ZoneState::kFull) return invalid;
      ToEmpty(z);
      ++stats_[z].resets;
      return Status::Ok();
    case ZoneSendAction::kOffline:
      if (s == ZoneState::kReadOnly)
        SetState(z, ZoneState::kOffline);
      else if (s != ZoneState::kOffline)
        return invalid;
      return Status::Ok();
    case ZoneSendAction::kSetZoneDescriptorExtension:
      return SetExtension(z, req.extension);
    case ZoneSendAction::kFlushExplicitZrwa:
      break;
  }
  return Error(GenericStatus::kInvalidField);
}

Status ZonedNamespace::OpenZone(uint32_t z, bool zrwa_allocate) {
  const ZoneState s = StateOf(z);
  if (!IsActive(s) && s != ZoneState::kEmpty) {
    return Error(CommandSpecificStatus::kInvalidZoneStateTransition);
  }
  bool alloc = false;
  if (zrwa_allocate) {
    if (config_.zrwa_zones == 0) return Error(spec::InvalidZoneOperationRequest());
    alloc = !HasZrwa(z);
    // The ZRWA starts at the write pointer, which must sit on a ZRWAFG boundary.
    if (alloc && (zones_[z].wp - ZoneStart(z)) % config_.zrwa_flush_granularity_lbas != 0) {
      return Error(spec::ZrwaResourcesUnavailable());
    }
  }
  uint32_t victim;
  if (Status st = CheckOpen(z, !IsOpen(s), alloc, &victim); !st.ok()) return st;
  CommitOpen(z, ZoneState::kExplicitlyOpened, victim, alloc);
  return Status::Ok();
}

// Flush Explicit ZRWA Range: SLBA names the last LBA to commit; the write
// pointer moves to SLBA + 1 (a multiple of ZRWAFG past the write pointer).
Status ZonedNamespace::FlushZrwa(uint64_t elba) {
  if (config_.zrwa_zones == 0 || !config_.zrwa_explicit_flush) {
    return Error(spec::InvalidZoneOperationRequest());
  }
  const uint32_t z = ZoneIndex(elba);
  if (!HasZrwa(z)) return Error(GenericStatus::kInvalidField);
  const ZoneRecord& r = zones_[z];
  if (elba < r.wp || elba >= r.wp + config_.zrwa_size_lbas || elba >= WriteEnd(z)) {
    return Error(CommandSpecificStatus::kZoneBoundaryError);
  }
  const uint64_t nlb = elba - r.wp + 1;
  if (nlb % config_.zrwa_flush_granularity_lbas != 0) return Error(GenericStatus::kInvalidField);
  if (StateOf(z) == ZoneState::kClosed) {  // committing data opens the zone implicitly
    uint32_t victim;
    if (Status st = CheckOpen(z, true, false, &victim); !st.ok()) return st;
    CommitOpen(z, ZoneState::kImplicitlyOpened, victim, false);
  }
  AdvanceWritePointer(z, elba + 1);
  return Status::Ok();
}

Status ZonedNamespace::SetExtension(uint32_t z, std::span<const uint8_t> data) {
  const uint32_t n = config_.descriptor_extension_bytes;
  if (n == 0 || data.size() != n) return Error(GenericStatus::kInvalidField);
  // Only an Empty zone takes an extension; it becomes Closed and active.
  if (StateOf(z) != ZoneState::kEmpty) {
    return Error(CommandSpecificStatus::kInvalidZoneStateTransition);
  }
  uint32_t victim;
  if (Status st = CheckOpen(z, false, false, &victim); !st.ok()) return st;
  std::memcpy(extensions_.data() + size_t{z} * n, data.data(), n);
  SetState(z, ZoneState::kClosed);
  zones_[z].za |= spec::kZoneAttrZoneDescriptorExtensionValid;
  return Status::Ok();
}

// Select All (Zone Send Action figure): each action applies to the zones in
// the states it names and skips the rest; SLBA is ignored.
Status ZonedNamespace::SendAll(ZoneSendAction action) {
  const uint32_t n = config_.zone_count;
  switch (action) {
    case ZoneSendAction::kOpen: {  // Closed -> Explicitly Opened, all or none
      const uint32_t closed = CountInState(ZoneState::kClosed);
      if (config_.max_open_zones != 0 && open_zones() + closed > config_.max_open_zones) {
        return Error(CommandSpecificStatus::kTooManyOpenZones);
      }
      for (uint32_t z = 0; z < n; ++z) {
        if (StateOf(z) == ZoneState::kClosed) SetState(z, ZoneState::kExplicitlyOpened);
      }
      break;
    }
    case ZoneSendAction::kClose:  // Implicitly / Explicitly Opened -> Closed
      for (uint32_t z = 0; z < n; ++z) {
        if (IsOpen(StateOf(z))) SetState(z, ZoneState::kClosed);
      }
      break;
    case ZoneSendAction::kFinish:  // Opened / Closed -> Full
      for (uint32_t z = 0; z < n; ++z) {
        if (IsActive(StateOf(z))) {
          ToFull(z);
          ++stats_[z].finishes;
        }
      }
      break;
    case ZoneSendAction::kReset:  // Opened / Closed / Full -> Empty
      for (uint32_t z = 0; z < n; ++z) {
        const ZoneState s = StateOf(z);
        if (IsActive(s) || s == ZoneState::kFull) {
          ToEmpty(z);
          ++stats_[z].resets;
        }
      }
      break;
    case ZoneSendAction::kOffline:  // Read Only -> Offline
      for (uint32_t z = 0; z < n; ++z) {
        if (StateOf(z) == ZoneState::kReadOnly) SetState(z, ZoneState::kOffline);
      }
      break;
    default:
      return Error(GenericStatus::kInvalidField);
  }
  return Status::Ok();
}

// --- Faults --------------------------------------------------------------------

Status ZonedNamespace::FaultSetReadOnly(uint32_t z) {
  if (z >= config_.zone_count) return Error(GenericStatus::kInvalidField);
  if (StateOf(z) == ZoneState::kOffline) {
    return Error(CommandSpecificStatus::kInvalidZoneStateTransition);
  }
  zones_[z].za &= static_cast<uint8_t>(
      ~(spec::kZoneAttrFinishZoneRecommended | spec::kZoneAttrResetZoneRecommended));
  SetState(z, ZoneState::kReadOnly);
  NoteChanged(z);
  return Status::Ok();
}

Status ZonedNamespace::FaultSetOffline(uint32_t z) {
  if (z >= config_.zone_count) return Error(GenericStatus::kInvalidField);
  zones_[z].za &= static_cast<uint8_t>(
      ~(spec::kZoneAttrFinishZoneRecommended | spec::kZoneAttrResetZoneRecommended));
  SetState(z, ZoneState::kOffline);
  NoteChanged(z);
  return Status::Ok();
}

// RZR applies to zones that hold data (Opened, Closed, Full); FZR to zones
// that can still be finished (Opened, Closed). ZNS 1.1 Reset / Finish Zone
// Recommended sections.
Status ZonedNamespace::FaultSetResetRecommended(uint32_t z, bool on) {
  if (z >= config_.zone_count) return Error(GenericStatus::kInvalidField);
  const ZoneState s = StateOf(z);
  if (!IsActive(s) && s != ZoneState::kFull) {
    return Error(CommandSpecificStatus::kInvalidZoneStateTransition);
  }
  if (on) {
    zones_[z].za |= spec::kZoneAttrResetZoneRecommended;
    NoteChanged(z);
  } else {
    zones_[z].za &= static_cast<uint8_t>(~spec::kZoneAttrResetZoneRecommended);
  }
  return Status::Ok();
}

Status ZonedNamespace::FaultSetFinishRecommended(uint32_t z, bool on) {
  if (z >= config_.zone_count) return Error(GenericStatus::kInvalidField);
  if (!IsActive(StateOf(z))) return Error(CommandSpecificStatus::kInvalidZoneStateTransition);
  if (on) {
    zones_[z].za |= spec::kZoneAttrFinishZoneRecommended;
    NoteChanged(z);
  } else {
    zones_[z].za &= static_cast<uint8_t>(~spec::kZoneAttrFinishZoneRecommended);
  }
  return Status::Ok();
}

Status ZonedNamespace::FaultFinishByController(uint32_t z) {
  if (z >= config_.zone_count || !config_.zone_active_excursions) {
    return Error(GenericStatus::kInvalidField);
  }
  if (!IsActive(StateOf(z))) return Error(CommandSpecificStatus::kInvalidZoneStateTransition);
  ToFull(z);
  zones_[z].za |= spec::kZoneAttrZoneFinishedByController;
  ++stats_[z].finishes;
  NoteChanged(z);
  return Status::Ok();
}

void ZonedNamespace::NoteChanged(uint32_t z) {
  if (zones_[z].changed) return;
  zones_[z].changed = 1;
  changed_.push_back(z);
}

void ZonedNamespace::ReadChangedZoneList(spec::ChangedZoneList* log, bool retain) {
  std::memset(log, 0, sizeof *log);
  constexpr size_t kMax = sizeof(log->zid) / sizeof(log->zid[0]);
  if (changed_.size() > kMax) {
    log->nrzid = spec::kChangedZoneListOverflow;
  } else {
    log->nrzid = static_cast<uint16_t>(changed_.size());
    for (size_t i = 0; i < changed_.size(); ++i) log->zid[i] = ZoneStart(changed_[i]);
  }
  if (retain) return;
  for (uint32_t z : changed_) zones_[z].changed = 0;
  changed_.clear();
}

}  // namespace nvmesim::zns
