// The Zoned Namespace Command Set (CSI 02h) of the controller model: one
// zns::ZonedNamespace per zoned namespace decides every zone rule; this
// handler moves the data, maps zone operations onto media time, keeps the
// durable write pointer for power loss and raises Zone Descriptor Changed.
//
// Commands (NVMe ZNS Command Set 1.1, section 3 / NVM Command Set 2.0):
//   Flush 00h, Write 01h, Read 02h (zone rules from zns_model),
//   Zone Management Send 79h, Zone Management Receive 7Ah,
//   Zone Append 7Dh (assigned LBA in completion DW0 low / DW1 high, ZNS 1.1
//   Zone Append command completion).
// Admin parts through the controller seam: Identify CNS 05h / 06h with CSI
// 02h, the Changed Zone List log page (BFh), namespace delete, power loss.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "device_model/command_set.h"
#include "device_model/controller.h"
#include "device_model/subsystem.h"
#include "spec/status.h"
#include "zns_model/zoned_namespace.h"

namespace nvmesim::device::zns {

// ZNS 1.1 Asynchronous Event Information - Notice: Zone Descriptor Changed.
inline constexpr uint8_t kAsyncNoticeZoneDescriptorChanged = 0xEF;
inline constexpr uint8_t kAsyncEventTypeNotice = 0x2;  // Base 2.0 Figure 146
inline constexpr uint8_t kCsiZoned = 0x2;              // Base 2.0 Figure 286

// Media cost of zone operations that have no NVM command counterpart. Each
// returns the latency in ps; null means no extra cost.
struct ZoneMediaCost {
  // Reset Zone: the erase of the zone's blocks (a MediaModel's ZoneResetPs).
  std::function<uint64_t(uint32_t nsid, uint64_t zslba, uint64_t now_ps)> reset;
  // Finish Zone: what the profile says (padding / programming the open unit).
  std::function<uint64_t(uint32_t nsid, uint64_t zslba, uint64_t now_ps)> finish;
};

struct ZnsCommandSetConfig {
  // Geometry for zoned namespaces without an entry in `per_namespace`:
  // zone_count is derived from the namespace size (size / zone_size_lbas);
  // lba_bytes comes from the namespace.
  nvmesim::zns::ZonedNamespaceConfig defaults;
  std::map<uint32_t, nvmesim::zns::ZonedNamespaceConfig> per_namespace;
  ZoneMediaCost media;
};

// Faults the harness injects into one zone (ZNS 1.1 2.1.1 media events).
enum class ZoneFault : uint8_t {
  kReadOnly,
  kOffline,
  kFinishByController,  // Zone Active Excursion
  kResetRecommended,
  kFinishRecommended,
};

class ZnsCommandSet final : public IoCommandSetHandler {
 public:
  // Checks config.defaults (with a zone count of 1: the real count comes from each
  // namespace's size) and each
  // per-namespace entry; throws std::invalid_argument naming the problem.
  explicit ZnsCommandSet(Subsystem& subsystem, ZnsCommandSetConfig config);

  // Registers the handler for CSI 02h on `controller` and keeps it for
  // asynchronous events.
  void Attach(NvmeController& controller);

  // IoCommandSetHandler
  spec::Status Execute(IoCommand& cmd, IoServices& io) override;
  spec::Status IdentifyNamespace(Namespace& ns, uint8_t* page) override;
  spec::Status IdentifyController(uint8_t* page) override;
  bool GetLogPage(uint8_t lid, uint32_t nsid, bool rae, std::vector<uint8_t>* log,
                  spec::Status* status, uint8_t* event_type) override;
  void OnNamespaceDeleted(uint32_t nsid) override;
  void OnPowerLoss() override;

  // Harness fault hook: applies `fault` to zone index `zone` of `nsid` and
  // raises Zone Descriptor Changed on every attached controller.
  spec::Status InjectZoneFault(uint32_t nsid, uint32_t zone, ZoneFault fault, bool on = true);

  // The zone model of a zoned namespace (created on first use), or null when
  // nsid is not a zoned namespace of the subsystem or its geometry is invalid.
  nvmesim::zns::ZonedNamespace* Model(uint32_t nsid);
  // Write pointer of the durable data of a zone (ZSLBA + LBAs that survive a
  // power loss).
  uint64_t DurableWritePointer(uint32_t nsid, uint32_t zone);
  // Last geometry error for nsid ("" when fine).
  std::string GeometryError(uint32_t nsid) const;

  struct Stats {
    uint64_t writes = 0, appends = 0, reads = 0, resets = 0, finishes = 0;
    uint64_t reports = 0, zone_events = 0, power_loss_rollbacks = 0;
  };
  const Stats& stats() const { return stats_; }

 private:
  struct ZoneState {
    uint64_t durable_wp = 0;
    bool finished = false;  // made Full by Finish Zone (kept Full after power loss)
  };
  struct NsState {
    std::unique_ptr<nvmesim::zns::ZonedNamespace> model;
    std::vector<ZoneState> zones;
  };

  NsState* State(Namespace& ns);
  nvmesim::zns::ZonedNamespaceConfig ConfigFor(const Namespace& ns) const;
  spec::Status ReadWrite(IoCommand& cmd, IoServices& io, NsState& st, bool write);
  spec::Status Append(IoCommand& cmd, IoServices& io, NsState& st);
  spec::Status Send(IoCommand& cmd, IoServices& io, NsState& st);
  spec::Status Receive(IoCommand& cmd, IoServices& io, NsState& st);
  void NoteDataWritten(NsState& st, uint64_t slba, uint64_t nlb, bool cached);
  void Rebuild(uint32_t nsid, NsState& st);
  void RaiseZoneChanged();

  Subsystem& subsystem_;
  ZnsCommandSetConfig config_;
  std::map<uint32_t, NsState> ns_;
  std::map<uint32_t, std::string> geometry_errors_;
  std::vector<NvmeController*> controllers_;
  std::vector<uint8_t> buffer_;
  Stats stats_;
};

}  // namespace nvmesim::device::zns
