// The zoned namespace manager: discovers zoned namespaces (Identify CNS 07h /
// 05h / 06h with CSI 02h, ZNS 1.1 section 4), keeps a zone cache refreshed
// by Report Zones, serialises writes per zone (one write in flight at the
// write pointer, like a zone write lock) while Zone Appends run at full
// queue depth, re-synchronises a zone's write pointer from a report after
// any error, and manages open / active resources: zones are opened
// explicitly, and when a caller needs more open zones than MOR allows the
// manager closes an idle one first instead of failing.
//
// Asynchronous like the rest of the driver: every call takes a callback
// that runs later, never from inside the call.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/block.h"
#include "driver/config.h"
#include "driver/hal/hal.h"
#include "driver/seams.h"
#include "spec/command.h"
#include "spec/status.h"
#include "spec/zns.h"

namespace nvmesim::driver::zoned {

// What the manager needs from a controller: I/O submission and the admin
// channel. driver::Controller fits through ControllerZoneIo (zone_io.h);
// tests plug a mocked device in here.
class ZoneIo {
 public:
  virtual ~ZoneIo() = default;
  // As driver::Controller::SubmitIo: success means the callback will run.
  virtual spec::Status SubmitIo(uint16_t queue, const spec::Sqe& sqe, const DataSegment* segments,
                                uint32_t segment_count, BlockCallback done) = 0;
  virtual AdminChannel& admin() = 0;
  virtual uint32_t io_queue_count() const = 0;
  // For callbacks that must not run inside the call that caused them.
  virtual hal::Clock* clock() = 0;
};

struct ZoneInfo {
  uint64_t zslba = 0, zcap = 0, wp = 0;
  spec::ZoneState state = spec::ZoneState::kEmpty;
  uint8_t za = 0;
};

// One zoned namespace as discovered.
struct ZonedNamespaceInfo {
  uint32_t nsid = 0;
  uint32_t lba_bytes = 0;
  uint64_t nsze = 0;
  uint64_t zone_size = 0;     // ZSZE in LBAs (LBA Format Extension)
  uint32_t zone_count = 0;    // zones the manager uses (<= device zones, zns_max_zones)
  uint32_t device_zones = 0;  // NSZE / ZSZE
  uint32_t max_open = 0;      // MOR + 1; 0 = no limit (FFFFFFFFh, ZNS 1.1 Identify Namespace)
  uint32_t max_active = 0;    // MAR + 1; 0 = no limit
  uint16_t zoc = 0, ozcs = 0;
  uint8_t zasl = 0;                // CNS 06h CSI 02h
  uint64_t max_append_blocks = 0;  // from ZASL and MPSMIN; 0 = MDTS only
  uint32_t zrwasz = 0, zrwafg = 0, numzrwa = 0;
  uint8_t zdes = 0;
  uint32_t rrl = 0, frl = 0;
};

struct ZoneManagerOptions {
  AdvancedNvmeConfig config;  // zns_enabled, zns_zone_size, zns_max_zones
  uint32_t page_size = 4096;  // CC.MPS bytes, for ZASL (2^ZASL x MPSMIN pages)
  bool explicit_open = true;  // Open Zone before the first write/append
  // OAES bit 27 of Identify Controller (ZNS 1.1): the controller sends Zone
  // Descriptor Changed Notices. Clear: the manager does not ask for them.
  bool zone_notices_supported = true;
};

struct ZoneManagerStats {
  uint64_t writes = 0, appends = 0, reads = 0;
  uint64_t errors = 0;           // commands that completed with an error
  uint64_t resyncs = 0;          // zone reports after an error
  uint64_t resource_closes = 0;  // zones closed to stay within MOR
  uint64_t opens = 0;
  uint64_t waits_for_resource = 0;
  uint64_t reports = 0;
  uint64_t zone_events = 0;  // Zone Descriptor Changed notices handled
};

using Done = std::function<void(spec::Status)>;
// slba: where the data went (the caller's LBA for Write, the assigned LBA for Append).
using ZoneIoCallback = std::function<void(spec::Status status, uint64_t slba)>;

class ZoneManager {
 public:
  ZoneManager(ZoneIo* io, ZoneManagerOptions options);
  ~ZoneManager();
  ZoneManager(const ZoneManager&) = delete;
  ZoneManager& operator=(const ZoneManager&) = delete;

  // Finds every zoned namespace and its limits and fills the zone cache.
  // Fails (with the reasons in errors()) when [advanced_nvme] zns_* keys
  // contradict what the device reports.
  void Discover(Done done);
  const std::vector<std::string>& errors() const { return errors_; }
  std::vector<uint32_t> namespaces() const;
  const ZonedNamespaceInfo* Namespace(uint32_t nsid) const;
  // Cached zone; null for an unknown namespace or zone.
  const ZoneInfo* Zone(uint32_t nsid, uint32_t zone) const;
  uint32_t open_zones(uint32_t nsid) const;
  uint32_t active_zones(uint32_t nsid) const;

  // Write at `slba` (must be the zone's write pointer when it reaches the
  // head of the zone's queue; the device decides). One write per zone in
  // flight; later writes to the zone wait in order.
  void Write(uint32_t nsid, uint64_t slba, uint32_t blocks, const DataSegment* segments,
             uint32_t segment_count, ZoneIoCallback done);
  // Write at the zone's write pointer (the manager picks the LBA).
  void WriteAtPointer(uint32_t nsid, uint32_t zone, uint32_t blocks, const DataSegment* segments,
                      uint32_t segment_count, ZoneIoCallback done);
  // Zone Append to zone index `zone` on I/O queue `queue`; any number in flight.
  void Append(uint32_t nsid, uint32_t zone, uint32_t blocks, const DataSegment* segments,
              uint32_t segment_count, uint16_t queue, ZoneIoCallback done);
  void Read(uint32_t nsid, uint64_t slba, uint32_t blocks, const DataSegment* segments,
            uint32_t segment_count, uint16_t queue, ZoneIoCallback done);

  // Zone Management Send for one zone (ZNS 1.1 Zone Send Action figure).
  void Open(uint32_t nsid, uint32_t zone, Done done);
  void Close(uint32_t nsid, uint32_t zone, Done done);
  void Finish(uint32_t nsid, uint32_t zone, Done done);
  void Reset(uint32_t nsid, uint32_t zone, Done done);
  // Refreshes the whole cache of nsid from Report Zones.
  void Report(uint32_t nsid, Done done);

  // Install as (or call from) driver::Controller::SetAsyncEventHandler:
  // a Zone Descriptor Changed notice (type 2h, info EFh) refreshes every
  // zoned namespace's cache.
  void OnAsyncEvent(uint32_t dw0);

  const ZoneManagerStats& stats() const { return stats_; }

  // [advanced_nvme] zns_* keys against a discovered namespace: one message
  // per contradiction (zone size, zone count), naming the key and the value
  // the device reports.
  static std::vector<std::string> ValidateAgainstDevice(const AdvancedNvmeConfig& config,
                                                        const ZonedNamespaceInfo& ns);

 private:
  struct Op;
  struct ZoneSlot;
  struct NsState;

  NsState* Ns(uint32_t nsid);
  ZoneSlot* Slot(uint32_t nsid, uint32_t zone);
  void Enqueue(std::unique_ptr<Op> op);
  void Pump(NsState& ns, uint32_t zone);
  void PumpWaiting(NsState& ns);
  bool EnsureOpen(NsState& ns, uint32_t zone, std::function<void(spec::Status)> then);
  void Issue(NsState& ns, uint32_t zone, std::unique_ptr<Op> op);
  void OnIoDone(uint32_t nsid, uint32_t zone, Op* op, const BlockResult& r);
  void Resync(uint32_t nsid, uint32_t zone, Done done);
  void SendAction(uint32_t nsid, uint32_t zone, spec::ZoneSendAction action, Done done);
  void ReportRange(uint32_t nsid, uint64_t slba, uint32_t max_zones, Done done);
  void ApplyState(NsState& ns, uint32_t zone, spec::ZoneState state, uint64_t wp);
  void EnableZoneNotices(Done done);
  void DiscoverList(uint32_t start, Done done);
  void DiscoverNext(size_t index, Done done);
  void Post(std::function<void()> fn);
  static bool IsOpen(spec::ZoneState s);
  static bool IsActive(spec::ZoneState s);

  ZoneIo* io_;
  ZoneManagerOptions options_;
  std::map<uint32_t, std::unique_ptr<NsState>> ns_;
  std::vector<uint32_t> found_;
  std::vector<std::string> errors_;
  hal::DmaBuffer page_;
  uint8_t zasl_ = 0;
  uint64_t tick_ = 0;  // LRU clock for resource closes
  ZoneManagerStats stats_;
};

}  // namespace nvmesim::driver::zoned
