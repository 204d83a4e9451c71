// Management commands for zoned namespaces, printed the way nvme-cli's `zns`
// plugin prints them: `nvme-zns-info` (zone geometry and limits like
// `nvme zns id-ns`, state counts, and a per-zone report like
// `nvme zns report-zones` with a state filter), `nvme-zns-create` and
// `nvme-zns-delete` (Namespace Management with CSI 02h, Base 2.0 5.20).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "driver/namespace_manager.h"
#include "driver/zoned/zone_manager.h"
#include "spec/zns.h"

namespace nvmesim::driver::zoned {

struct ZnsInfoOptions {
  std::optional<spec::ZoneState> state;  // report only zones in this state
  uint32_t first_zone = 0;
  uint32_t max_zones = 0xFFFFFFFFu;  // zones printed at most
  bool zones = true;                 // print the per-zone report
};

// Text of `nvme-zns-info` for one namespace from the manager's cache; "" and
// *error set for an unknown namespace.
std::string ZnsInfoText(const ZoneManager& manager, uint32_t nsid, const ZnsInfoOptions& options,
                        std::string* error);

// Why `command` cannot act on `nsid`: "" when it is a zoned namespace of this
// controller; else names what it is (absent, or of which command set) and the
// namespaces that are there.
std::string ZonedNamespaceError(const char* command, const NamespaceManager& namespaces,
                                uint32_t nsid);

// Parses a state name as nvme-cli prints it ("EMPTY", "IMP_OPENED",
// "EXP_OPENED", "CLOSED", "READONLY", "FULL", "OFFLINE"; any case).
std::optional<spec::ZoneState> ParseZoneStateName(const std::string& name);
const char* ZoneStateCliName(spec::ZoneState state);

struct ZnsCreateParams {
  uint64_t blocks = 0;              // NSZE = NCAP in logical blocks
  uint8_t flbas = 0;                // LBA format index
  std::vector<uint16_t> attach_to;  // controllers to attach (empty: none)
};

// `nvme-zns-create`: Namespace Management create with CSI 02h, then attach.
// `done` gets the status, the new NSID and the text
// ("create-ns: Success, created nsid:2" or the failure).
void ZnsCreate(NamespaceManager& namespaces, const ZnsCreateParams& params,
               std::function<void(spec::Status, uint32_t nsid, const std::string& text)> done);
// `nvme-zns-delete`: detach from `detach_from` (if any) and delete.
void ZnsDelete(NamespaceManager& namespaces, uint32_t nsid,
               const std::vector<uint16_t>& detach_from,
               std::function<void(spec::Status, const std::string& text)> done);

}  // namespace nvmesim::driver::zoned
