// Zone Management Receive (Report Zones / Extended Report Zones, ZNS 1.1
// Zone Management Receive command: Report Zones Data Structure, Zone
// Descriptor Data Structure, Partial Report) and the ZNS Identify data.
#include <cstring>

#include "zns_model/zoned_namespace.h"

namespace nvmesim::zns {

using spec::GenericStatus;
using spec::Status;
using spec::ZoneState;

std::optional<ReportFilter> ParseReportingOption(uint8_t zrasf) {
  if (zrasf > spec::kMaxZoneReportingOption) return std::nullopt;
  return static_cast<ReportFilter>(zrasf);
}

bool ZonedNamespace::Matches(uint32_t z, ReportFilter filter) const {
  const ZoneState s = StateOf(z);
  switch (filter) {
    case ReportFilter::kAll:
      return true;
    case ReportFilter::kEmpty:
      return s == ZoneState::kEmpty;
    case ReportFilter::kImplicitlyOpened:
      return s == ZoneState::kImplicitlyOpened;
    case ReportFilter::kExplicitlyOpened:
      return s == ZoneState::kExplicitlyOpened;
    case ReportFilter::kClosed:
      return s == ZoneState::kClosed;
    case ReportFilter::kFull:
      return s == ZoneState::kFull;
    case ReportFilter::kReadOnly:
      return s == ZoneState::kReadOnly;
    case ReportFilter::kOffline:
      return s == ZoneState::kOffline;
    case ReportFilter::kResetRecommended:
      return zones_[z].za & spec::kZoneAttrResetZoneRecommended;
    case ReportFilter::kFinishRecommended:
      return zones_[z].za & spec::kZoneAttrFinishZoneRecommended;
    case ReportFilter::kNonWritePointer:
      return s == ZoneState::kFull || s == ZoneState::kReadOnly || s == ZoneState::kOffline;
  }
  return false;
}

Status ZonedNamespace::Report(const ReportRequest& req, std::span<uint8_t> buffer,
                              ReportResult* result) const {
  if (req.slba >= capacity_lbas_) return Status(GenericStatus::kLbaOutOfRange, true);
  // The buffer must hold at least the 64-byte header.
  if (buffer.size() < sizeof(spec::ReportZonesHeader)) {
    return Status(GenericStatus::kInvalidField, true);
  }
  const uint32_t ext = config_.descriptor_extension_bytes;
  // Extended Report Zones needs a zone descriptor extension (ZDES > 0).
  if (req.extended && ext == 0) return Status(GenericStatus::kInvalidField, true);
  switch (req.filter) {
    case ReportFilter::kAll:
    case ReportFilter::kEmpty:
    case ReportFilter::kImplicitlyOpened:
    case ReportFilter::kExplicitlyOpened:
    case ReportFilter::kClosed:
    case ReportFilter::kFull:
    case ReportFilter::kReadOnly:
    case ReportFilter::kOffline:
    case ReportFilter::kResetRecommended:
    case ReportFilter::kFinishRecommended:
    case ReportFilter::kNonWritePointer:
      break;
    default:
      return Status(GenericStatus::kInvalidField, true);
  }

  std::memset(buffer.data(), 0, buffer.size());
  const size_t entry = sizeof(spec::ZoneDescriptor) + (req.extended ? ext : 0);
  const uint64_t room = (buffer.size() - sizeof(spec::ReportZonesHeader)) / entry;
  uint8_t* out = buffer.data() + sizeof(spec::ReportZonesHeader);
  uint64_t written = 0;
  uint64_t matched = 0;
  const uint32_t first = ZoneIndex(req.slba);
  for (uint32_t z = first; z < config_.zone_count; ++z) {
    if (!Matches(z, req.filter)) continue;
    if (written == room) {
      if (req.partial) break;
      if (req.filter == ReportFilter::kAll) {  // every remaining zone matches
        matched = uint64_t{config_.zone_count} - first;
        break;
      }
      ++matched;
      continue;
    }
    ++matched;
    spec::ZoneDescriptor d{};
    d.set_type(spec::ZoneType::kSequentialWriteRequired);
    d.set_state(StateOf(z));
    d.za = zones_[z].za;
    d.zcap = config_.zone_capacity_lbas;
    d.zslba = ZoneStart(z);
    d.wp = zones_[z].wp;
    std::memcpy(out, &d, sizeof d);
    if (req.extended && (d.za & spec::kZoneAttrZoneDescriptorExtensionValid)) {
      std::memcpy(out + sizeof d, extensions_.data() + size_t{z} * ext, ext);
    }
    out += entry;
    ++written;
  }
  spec::ReportZonesHeader header{};
  // Partial Report set: NRZ is the number of descriptors returned; clear: the
  // number of zones that match from SLBA to the end of the namespace.
  header.nr_zones = req.partial ? written : matched;
  std::memcpy(buffer.data(), &header, sizeof header);
  if (result) {
    result->nr_zones = header.nr_zones;
    result->descriptors = written;
    result->bytes_used = sizeof(spec::ReportZonesHeader) + written * entry;
  }
  return Status::Ok();
}

void ZonedNamespace::FillIdentifyNamespace(spec::ZnsIdentifyNamespace* id,
                                           unsigned lba_format_index) const {
  std::memset(id, 0, sizeof *id);
  if (config_.zone_active_excursions) id->zoc |= spec::kZocZoneActiveExcursions;
  if (config_.read_across_zone_boundaries) id->ozcs |= spec::kOzcsReadAcrossZoneBoundaries;
  // MAR / MOR are 0's based with FFFFFFFFh meaning no limit.
  id->mar = config_.max_active_zones ? config_.max_active_zones - 1 : spec::kZnsNoLimit;
  id->mor = config_.max_open_zones ? config_.max_open_zones - 1 : spec::kZnsNoLimit;
  id->rrl = config_.reset_recommended_limit_s;
  id->frl = config_.finish_recommended_limit_s;
  if (config_.zrwa_zones != 0) {
    id->ozcs |= spec::kOzcsZrwaSupported;
    id->numzrwa = config_.zrwa_zones - 1;
    id->zrwafg = static_cast<uint16_t>(config_.zrwa_flush_granularity_lbas);
    id->zrwasz = static_cast<uint16_t>(config_.zrwa_size_lbas);
    if (config_.zrwa_explicit_flush) id->zrwacap |= spec::kZrwacapExplicitFlushSupported;
  }
  if (lba_format_index < 64) {
    id->lbafe[lba_format_index].zsze = config_.zone_size_lbas;
    id->lbafe[lba_format_index].zdes = static_cast<uint8_t>(config_.descriptor_extension_bytes /
                                                            spec::kZoneDescriptorExtensionUnit);
  }
}

void ZonedNamespace::FillIdentifyController(spec::ZnsIdentifyController* id) const {
  std::memset(id, 0, sizeof *id);
  id->zasl = config_.zasl;
}

// --- invariants ---------------------------------------------------------------

std::string ZonedNamespace::CheckInvariants() const {
  auto fail = [](uint32_t z, const char* what) {
    return "zone " + std::to_string(z) + ": " + what;
  };
  uint32_t count[16] = {};
  uint32_t zrwa = 0;
  for (uint32_t z = 0; z < config_.zone_count; ++z) {
    const ZoneRecord& r = zones_[z];
    const ZoneState s = static_cast<ZoneState>(r.state);
    switch (s) {
      case ZoneState::kEmpty:
      case ZoneState::kImplicitlyOpened:
      case ZoneState::kExplicitlyOpened:
      case ZoneState::kClosed:
      case ZoneState::kReadOnly:
      case ZoneState::kFull:
      case ZoneState::kOffline:
        break;
      default:
        return fail(z, "reserved zone state");
    }
    ++count[r.state & 0xF];
    if (r.wp < ZoneStart(z) || r.wp > WriteEnd(z))
      return fail(z, "write pointer outside ZSLBA..ZSLBA+ZCAP");
    const bool active = s == ZoneState::kImplicitlyOpened || s == ZoneState::kExplicitlyOpened ||
                        s == ZoneState::kClosed;
    if (active && r.wp == WriteEnd(z)) return fail(z, "active zone with write pointer at ZCAP");
    if (s == ZoneState::kEmpty && (r.wp != ZoneStart(z) || r.za != 0)) {
      return fail(z, "Empty zone with a write pointer past ZSLBA or attributes set");
    }
    if (s == ZoneState::kFull && r.wp != WriteEnd(z)) return fail(z, "Full zone below ZCAP");
    if (r.za & spec::kZoneAttrZrwaValid) {
      ++zrwa;
      if (!active) return fail(z, "ZRWA valid outside an active state");
      if ((r.wp - ZoneStart(z)) % config_.zrwa_flush_granularity_lbas != 0) {
        return fail(z, "ZRWA write pointer off a flush-granularity boundary");
      }
    }
    if (s != ZoneState::kImplicitlyOpened && (r.io_prev != kNil || r.io_next != kNil)) {
      return fail(z, "on the implicitly-opened list but not Implicitly Opened");
    }
  }
  for (int i = 0; i < 16; ++i) {
    if (count[i] != state_count_[i]) {
      return "state " + std::to_string(i) + " counted " + std::to_string(state_count_[i]) +
             ", recount " + std::to_string(count[i]);
    }
  }
  if (zrwa != zrwa_in_use_) return "ZRWA in use counted " + std::to_string(zrwa_in_use_);
  const uint32_t open = count[0x2] + count[0x3];
  const uint32_t active = open + count[0x4];
  if (config_.max_open_zones && open > config_.max_open_zones) return "open zones exceed MOR";
  if (config_.max_active_zones && active > config_.max_active_zones) {
    return "active zones exceed MAR";
  }
  if (zrwa > config_.zrwa_zones) return "ZRWAs in use exceed NUMZRWA";
  uint32_t walked = 0;
  uint32_t prev = kNil;
  for (uint32_t z = io_head_; z != kNil; z = zones_[z].io_next) {
    if (++walked > config_.zone_count) return "implicitly-opened list has a cycle";
    if (StateOf(z) != ZoneState::kImplicitlyOpened) return fail(z, "on the IO list, not IO");
    if (zones_[z].io_prev != prev) return fail(z, "IO list back link broken");
    prev = z;
  }
  if (prev != io_tail_) return "IO list tail mismatch";
  if (walked != count[0x2]) return "IO list length differs from Implicitly Opened count";
  return "";
}

}  // namespace nvmesim::zns
