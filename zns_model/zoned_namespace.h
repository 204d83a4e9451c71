// The zone state machine and resource accounting of one zoned namespace
// (NVMe ZNS Command Set 1.1). Plain C++: no SystemC, no I/O, no clock.
// The device model calls it to decide every zoned operation and gets a
// spec::Status back; on any error the namespace is left exactly as it was.
//
// Rules (see docs/zns.md for the state diagram and spec sections):
//  - Write: at the write pointer (or inside the ZRWA window), not past ZCAP;
//    Empty/Closed zones are implicitly opened.
//  - Append: at a zone start, at most ZASL, assigns the LBA; never with a ZRWA.
//  - Zone Management Send: Open/Close/Finish/Reset/Offline/Set Zone Descriptor
//    Extension/Flush Explicit ZRWA Range with the spec's Select All semantics.
//  - When an open would exceed MOR, the oldest implicitly opened zone is
//    closed (ZNS 1.1 2.1.1); with none, Too Many Open Zones. Activation beyond
//    MAR gives Too Many Active Zones.
// Every operation is O(1) except Select All (O(zones)), reads spanning zones
// (O(zones spanned)) and reports (O(zones examined from the start LBA)).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "spec/status.h"
#include "spec/trace.h"
#include "spec/zns.h"
#include "zns_model/config.h"

namespace nvmesim::zns {

// One Zone Management Send command (ZNS 1.1 Zone Management Send).
struct ZoneSendRequest {
  spec::ZoneSendAction action = spec::ZoneSendAction::kOpen;
  uint64_t slba = 0;           // zone start LBA; for kFlushExplicitZrwa the last LBA to flush
  bool select_all = false;     // CDW13 bit 8: SLBA ignored, the action applies per state
  bool zrwa_allocate = false;  // CDW13 bit 9 (ZRWAA), only with kOpen
  std::span<const uint8_t> extension;  // kSetZoneDescriptorExtension data (extension bytes)
};

// Which zones a report lists. Values 0-7 are the spec's Zone Receive Action
// Specific Field; the values from 0x80 are model-side queries for the harness
// (not reachable from a command: ParseReportingOption rejects them).
enum class ReportFilter : uint8_t {
  kAll = 0x0,
  kEmpty = 0x1,
  kImplicitlyOpened = 0x2,
  kExplicitlyOpened = 0x3,
  kClosed = 0x4,
  kFull = 0x5,
  kReadOnly = 0x6,
  kOffline = 0x7,
  kResetRecommended = 0x80,   // ZA.RZR set
  kFinishRecommended = 0x81,  // ZA.FZR set
  kNonWritePointer = 0x82,    // zones whose write pointer is not valid: Full, Read Only, Offline
};

// Decodes CDW13 bits 15:8 of Zone Management Receive; nullopt for reserved values.
std::optional<ReportFilter> ParseReportingOption(uint8_t zrasf);

struct ReportRequest {
  uint64_t slba = 0;  // any LBA: the report starts at the zone that contains it
  ReportFilter filter = ReportFilter::kAll;
  bool partial = false;   // Partial Report: NRZ counts only descriptors returned
  bool extended = false;  // Extended Report Zones: each descriptor followed by its extension
};

struct ReportResult {
  uint64_t nr_zones = 0;     // the NRZ value written to the header
  uint64_t descriptors = 0;  // descriptors written into the buffer
  uint64_t bytes_used = 0;   // header + descriptors (+ extensions)
};

// A copy of one zone's descriptor fields.
struct ZoneInfo {
  spec::ZoneState state = spec::ZoneState::kEmpty;
  uint8_t attributes = 0;  // ZA bits (spec::kZoneAttr*)
  uint64_t zslba = 0;
  uint64_t zcap = 0;
  uint64_t wp = 0;
};

struct ZoneStats {
  uint64_t lbas_written = 0;  // every LBA accepted by Write / Append (ZRWA rewrites included)
  uint32_t resets = 0;        // transitions to Empty by Reset Zone
  uint32_t finishes = 0;      // transitions to Full by Finish Zone or by the controller
};

class ZonedNamespace {
 public:
  // nullptr and *error set when the configuration is invalid.
  static std::unique_ptr<ZonedNamespace> Create(const ZonedNamespaceConfig& config,
                                                std::string* error);

  // --- I/O commands (NLB here is a count >= 1, not the 0's based field) ---
  spec::Status Write(uint64_t slba, uint32_t nlb);
  // Zone Append: zslba must be a zone start; *assigned_lba receives the LBA written.
  spec::Status Append(uint64_t zslba, uint32_t nlb, uint64_t* assigned_lba);
  // Checks a read (Read, Compare, Verify): range, zone boundaries (RAZB), Offline zones.
  spec::Status CheckRead(uint64_t slba, uint32_t nlb) const;

  // --- Zone Management Send / Receive ---
  spec::Status ZoneSend(const ZoneSendRequest& request);
  // Fills buffer (the host's data buffer, NUMD dwords) with a Report Zones
  // data structure; bytes past the report are zeroed.
  spec::Status Report(const ReportRequest& request, std::span<uint8_t> buffer,
                      ReportResult* result) const;

  // --- Fault entry points for the harness (media events, ZNS 1.1 2.1.1) ---
  spec::Status FaultSetReadOnly(uint32_t zone);
  spec::Status FaultSetOffline(uint32_t zone);
  spec::Status FaultSetResetRecommended(uint32_t zone, bool on);
  spec::Status FaultSetFinishRecommended(uint32_t zone, bool on);
  // Zone Active Excursion: the controller finishes an active zone (sets ZFC).
  spec::Status FaultFinishByController(uint32_t zone);

  // Zones whose descriptor the controller changed (every successful Fault*
  // call that sets something) since the list was last read: the Changed Zone
  // List log page. The device model raises the Zone Descriptor Changed notice
  // when this goes from 0 to 1.
  uint32_t changed_zones() const { return static_cast<uint32_t>(changed_.size()); }
  // Fills the log page; clears the list unless retain (RAE) is set.
  void ReadChangedZoneList(spec::ChangedZoneList* log, bool retain);

  // --- Identify data for this namespace ---
  void FillIdentifyNamespace(spec::ZnsIdentifyNamespace* id, unsigned lba_format_index) const;
  void FillIdentifyController(spec::ZnsIdentifyController* id) const;

  // --- Queries (zone indexes must be < zone_count()) ---
  const ZonedNamespaceConfig& config() const { return config_; }
  uint32_t zone_count() const { return config_.zone_count; }
  uint64_t capacity_lbas() const { return capacity_lbas_; }
  uint32_t ZoneIndex(uint64_t lba) const {
    return static_cast<uint32_t>(zone_shift_ >= 0 ? lba >> zone_shift_
                                                  : lba / config_.zone_size_lbas);
  }
  uint64_t ZoneStart(uint32_t zone) const { return uint64_t{zone} * config_.zone_size_lbas; }
  ZoneInfo Zone(uint32_t zone) const;
  const ZoneStats& Stats(uint32_t zone) const { return stats_[zone]; }
  uint64_t BytesWritten(uint32_t zone) const {
    return stats_[zone].lbas_written * config_.lba_bytes;
  }
  std::span<const uint8_t> DescriptorExtension(uint32_t zone) const;
  uint32_t open_zones() const;    // Implicitly + Explicitly Opened
  uint32_t active_zones() const;  // open + Closed
  uint32_t zrwa_in_use() const { return zrwa_in_use_; }
  uint32_t CountInState(spec::ZoneState state) const {
    return state_count_[static_cast<uint8_t>(state) & 0xF];
  }

  // Recounts everything from the zone array and checks every invariant:
  // "" when consistent, else the first violation found. O(zones).
  std::string CheckInvariants() const;

  // Model memory per zone in bytes (zone record + stats + extension).
  size_t BytesPerZone() const;

  // Optional trace: one event per zone state change ("zone_state": a = zone,
  // b = old state, c = new state) stamped with the time last set.
  void SetTrace(spec::TraceSink* sink, const char* source) {
    trace_ = sink;
    trace_source_ = source;
  }
  void SetTraceTime(uint64_t time_ps) { trace_time_ps_ = time_ps; }

 private:
  static constexpr uint32_t kNil = 0xFFFFFFFFu;
  struct ZoneRecord {
    uint64_t wp;
    uint32_t io_prev;  // implicitly-opened FIFO, oldest first (for MOR auto-close)
    uint32_t io_next;
    uint8_t state;
    uint8_t za;
    uint8_t changed;  // on the changed-zone list
    uint8_t reserved;
  };

  explicit ZonedNamespace(const ZonedNamespaceConfig& config);

  spec::ZoneState StateOf(uint32_t z) const {
    return static_cast<spec::ZoneState>(zones_[z].state);
  }
  uint64_t WriteEnd(uint32_t z) const { return ZoneStart(z) + config_.zone_capacity_lbas; }
  bool HasZrwa(uint32_t z) const { return zones_[z].za & spec::kZoneAttrZrwaValid; }
  spec::Status CheckWriteState(uint32_t z) const;
  // Checks resources for opening zone z (Empty/Closed/Implicitly Opened) into
  // an open state. Sets *victim to the implicitly opened zone to close, or kNil.
  spec::Status CheckOpen(uint32_t z, bool need_open, bool alloc_zrwa, uint32_t* victim) const;
  void CommitOpen(uint32_t z, spec::ZoneState to, uint32_t victim, bool alloc_zrwa);
  void SetState(uint32_t z, spec::ZoneState to);
  void AdvanceWritePointer(uint32_t z, uint64_t new_wp);
  void ToFull(uint32_t z);
  void ToEmpty(uint32_t z);

  spec::Status SendOne(const ZoneSendRequest& request);
  spec::Status SendAll(spec::ZoneSendAction action);
  spec::Status OpenZone(uint32_t z, bool zrwa_allocate);
  spec::Status FlushZrwa(uint64_t elba);
  spec::Status SetExtension(uint32_t z, std::span<const uint8_t> data);
  bool Matches(uint32_t z, ReportFilter filter) const;
  void NoteChanged(uint32_t z);

  ZonedNamespaceConfig config_;
  uint64_t capacity_lbas_ = 0;
  uint64_t max_append_lbas_ = 0;
  int zone_shift_ = -1;
  std::vector<ZoneRecord> zones_;
  std::vector<ZoneStats> stats_;
  std::vector<uint8_t> extensions_;
  uint32_t state_count_[16] = {};
  uint32_t zrwa_in_use_ = 0;
  uint32_t io_head_ = kNil;
  uint32_t io_tail_ = kNil;
  std::vector<uint32_t> changed_;  // zone indexes, in order of first change
  spec::TraceSink* trace_ = nullptr;
  const char* trace_source_ = "zns";
  uint64_t trace_time_ps_ = 0;
};

}  // namespace nvmesim::zns
