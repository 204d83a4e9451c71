// NVMe Zoned Namespace (ZNS) Command Set definitions: zone states and types,
// Zone Management Send / Receive fields, zone descriptors, the Report Zones
// header and the ZNS Identify data structures.
// NVM Express Zoned Namespace Command Set Specification 1.1 (NVMe 2.0 family):
//   the Zone State Machine (section 2.1.1), the Zone Management Receive, Zone
//   Management Send and Zone Append commands, the I/O Command Set specific
//   Identify data (CNS 05h / 06h with CSI 02h) and the Zone Random Write Area.
//   Figures are named by title. Status codes live in spec/status.h
//   (CommandSpecificStatus 0xB8-0xBF); B6h and B7h are below.
// No behaviour here beyond constexpr field extraction.
#pragma once

#include <cstddef>
#include <cstdint>

#include "spec/status.h"

namespace nvmesim::spec {

// ZNS 1.1 Zone Descriptor Data Structure figure: ZS, bits 7:4 of byte 1.
enum class ZoneState : uint8_t {
  kEmpty = 0x1,             // ZSE
  kImplicitlyOpened = 0x2,  // ZSIO
  kExplicitlyOpened = 0x3,  // ZSEO
  kClosed = 0x4,            // ZSC
  kReadOnly = 0xD,          // ZSRO
  kFull = 0xE,              // ZSF
  kOffline = 0xF,           // ZSO
};

// ZNS 1.1 Zone Descriptor Data Structure figure: ZT, bits 3:0 of byte 0.
enum class ZoneType : uint8_t {
  kSequentialWriteRequired = 0x2,
};

// ZNS 1.1 Zone Management Send command, Zone Send Action figure (CDW13 bits 7:0).
enum class ZoneSendAction : uint8_t {
  kClose = 0x01,
  kFinish = 0x02,
  kOpen = 0x03,
  kReset = 0x04,
  kOffline = 0x05,
  kSetZoneDescriptorExtension = 0x10,
  kFlushExplicitZrwa = 0x11,
};

// ZNS 1.1 Zone Management Receive command, Zone Receive Action figure (CDW13 bits 7:0).
enum class ZoneReceiveAction : uint8_t {
  kReportZones = 0x00,
  kExtendedReportZones = 0x01,
};

// ZNS 1.1 Zone Management Receive command, Zone Receive Action Specific Field figure (CDW13 bits
// 15:8). Note: Linux's include/linux/nvme.h swaps 05h/06h; QEMU, nvme-cli and the specification
// have Full = 05h, Read Only = 06h.
enum class ZoneReportingOption : uint8_t {
  kAll = 0x0,
  kEmpty = 0x1,
  kImplicitlyOpened = 0x2,
  kExplicitlyOpened = 0x3,
  kClosed = 0x4,
  kFull = 0x5,
  kReadOnly = 0x6,
  kOffline = 0x7,
};
inline constexpr uint8_t kMaxZoneReportingOption = 0x7;

// ZNS 1.1 Zone Descriptor Data Structure figure: Zone Attributes (ZA, byte 2).
inline constexpr uint8_t kZoneAttrZoneFinishedByController = 1u << 0;      // ZFC
inline constexpr uint8_t kZoneAttrFinishZoneRecommended = 1u << 1;         // FZR
inline constexpr uint8_t kZoneAttrResetZoneRecommended = 1u << 2;          // RZR
inline constexpr uint8_t kZoneAttrZrwaValid = 1u << 3;                     // ZRWAV
inline constexpr uint8_t kZoneAttrZoneDescriptorExtensionValid = 1u << 7;  // ZDEV

// ZNS 1.1 LBA Format Extension figure: the descriptor extension is ZDES x 64 bytes.
inline constexpr uint32_t kZoneDescriptorExtensionUnit = 64;
inline constexpr uint32_t kMaxZoneDescriptorExtensionBytes = 255 * kZoneDescriptorExtensionUnit;

// ZNS 1.1 Zone Management Receive command, Zone Descriptor Data Structure (64 bytes).
struct ZoneDescriptor {
  uint8_t zt;   // bits 3:0 zone type
  uint8_t zs;   // bits 7:4 zone state
  uint8_t za;   // zone attributes
  uint8_t zai;  // zone attributes information
  uint8_t reserved4[4];
  uint64_t zcap;   // zone capacity (LBAs)
  uint64_t zslba;  // zone start LBA
  uint64_t wp;     // write pointer
  uint8_t reserved32[32];

  constexpr ZoneState state() const { return static_cast<ZoneState>(zs >> 4); }
  constexpr ZoneType type() const { return static_cast<ZoneType>(zt & 0x0F); }
  constexpr void set_state(ZoneState s) { zs = static_cast<uint8_t>(static_cast<uint8_t>(s) << 4); }
  constexpr void set_type(ZoneType t) { zt = static_cast<uint8_t>(t) & 0x0F; }
};
static_assert(sizeof(ZoneDescriptor) == 64);
static_assert(offsetof(ZoneDescriptor, zt) == 0);
static_assert(offsetof(ZoneDescriptor, zs) == 1);
static_assert(offsetof(ZoneDescriptor, za) == 2);
static_assert(offsetof(ZoneDescriptor, zai) == 3);
static_assert(offsetof(ZoneDescriptor, zcap) == 8);
static_assert(offsetof(ZoneDescriptor, zslba) == 16);
static_assert(offsetof(ZoneDescriptor, wp) == 24);

// ZNS 1.1 Zone Management Receive command, Report Zones Data Structure: header (64 bytes).
struct ReportZonesHeader {
  uint64_t nr_zones;  // NRZ: Number of Zones
  uint8_t reserved8[56];
};
static_assert(sizeof(ReportZonesHeader) == 64);
static_assert(offsetof(ReportZonesHeader, nr_zones) == 0);

// ZNS 1.1 Identify Namespace (CNS 05h, CSI 02h), LBA Format Extension Data Structure (16 bytes).
struct LbaFormatExtension {
  uint64_t zsze;  // Zone Size (LBAs)
  uint8_t zdes;   // Zone Descriptor Extension Size, units of 64 bytes
  uint8_t reserved9[7];
};
static_assert(sizeof(LbaFormatExtension) == 16);
static_assert(offsetof(LbaFormatExtension, zdes) == 8);

// ZNS 1.1 Identify Namespace (CNS 05h, CSI 02h): Zone Operation Characteristics.
inline constexpr uint16_t kZocVariableZoneCapacity = 1u << 0;  // VZCAP
inline constexpr uint16_t kZocZoneActiveExcursions = 1u << 1;  // ZAE
// Optional Zoned Command Support (OZCS).
inline constexpr uint16_t kOzcsReadAcrossZoneBoundaries = 1u << 0;  // RAZB
inline constexpr uint16_t kOzcsZrwaSupported = 1u << 1;             // ZRWASUP
// ZRWA Capability (ZRWACAP).
inline constexpr uint8_t kZrwacapExplicitFlushSupported = 1u << 0;  // EXPFLUSHSUP
// MAR / MOR / NUMZRWA are 0's based; FFFFFFFFh means no limit (ZNS 1.1 Identify Namespace).
inline constexpr uint32_t kZnsNoLimit = 0xFFFFFFFFu;

// ZNS 1.1 Identify: I/O Command Set specific Identify Namespace data
// structure for the Zoned Namespace Command Set (CNS 05h, CSI 02h), 4096 bytes.
struct ZnsIdentifyNamespace {
  uint16_t zoc;   // Zone Operation Characteristics
  uint16_t ozcs;  // Optional Zoned Command Support
  uint32_t mar;   // Maximum Active Resources (0's based)
  uint32_t mor;   // Maximum Open Resources (0's based)
  uint32_t rrl;   // Reset Recommended Limit (seconds)
  uint32_t frl;   // Finish Recommended Limit (seconds)
  uint32_t rrl1;  // Reset Recommended Limit 1..3
  uint32_t rrl2;
  uint32_t rrl3;
  uint32_t frl1;  // Finish Recommended Limit 1..3
  uint32_t frl2;
  uint32_t frl3;
  uint32_t numzrwa;  // Number of ZRWA Resources (0's based)
  uint16_t zrwafg;   // ZRWA Flush Granularity (LBAs)
  uint16_t zrwasz;   // ZRWA Size (LBAs)
  uint8_t zrwacap;   // ZRWA Capability
  uint8_t reserved53[2763];
  LbaFormatExtension lbafe[64];
  uint8_t vs[256];
};
static_assert(sizeof(ZnsIdentifyNamespace) == 4096);
static_assert(offsetof(ZnsIdentifyNamespace, ozcs) == 2);
static_assert(offsetof(ZnsIdentifyNamespace, mar) == 4);
static_assert(offsetof(ZnsIdentifyNamespace, mor) == 8);
static_assert(offsetof(ZnsIdentifyNamespace, rrl) == 12);
static_assert(offsetof(ZnsIdentifyNamespace, frl) == 16);
static_assert(offsetof(ZnsIdentifyNamespace, rrl1) == 20);
static_assert(offsetof(ZnsIdentifyNamespace, frl3) == 40);
static_assert(offsetof(ZnsIdentifyNamespace, numzrwa) == 44);
static_assert(offsetof(ZnsIdentifyNamespace, zrwafg) == 48);
static_assert(offsetof(ZnsIdentifyNamespace, zrwasz) == 50);
static_assert(offsetof(ZnsIdentifyNamespace, zrwacap) == 52);
static_assert(offsetof(ZnsIdentifyNamespace, lbafe) == 2816);
static_assert(offsetof(ZnsIdentifyNamespace, vs) == 3840);

// ZNS 1.1 Identify: I/O Command Set specific Identify Controller data
// structure for the Zoned Namespace Command Set (CNS 06h, CSI 02h), 4096 bytes.
struct ZnsIdentifyController {
  uint8_t zasl;  // Zone Append Size Limit: 2^n x CAP.MPSMIN; 0 = MDTS applies
  uint8_t reserved1[4095];
};
static_assert(sizeof(ZnsIdentifyController) == 4096);
static_assert(offsetof(ZnsIdentifyController, zasl) == 0);

// ZNS 1.1 Changed Zone List log page (LogPageId::kChangedZoneList = BFh in
// spec/log_pages.h, CSI 02h), 4096 bytes: zones whose descriptor the
// controller changed (Zone Descriptor Changed notice). More than 511 zones:
// NRZID = FFFFh.
inline constexpr uint16_t kChangedZoneListOverflow = 0xFFFF;
struct ChangedZoneList {
  uint16_t nrzid;  // Number of Zone Identifiers
  uint8_t reserved2[6];
  uint64_t zid[511];  // Zone Identifier: the zone's ZSLBA
};
static_assert(sizeof(ChangedZoneList) == 4096);
static_assert(offsetof(ChangedZoneList, zid) == 8);

// ZNS 1.1 command specific status values figure: ZNS codes
// that spec/status.h does not list yet (B8h-BFh are there).
inline constexpr uint8_t kStatusInvalidZoneOperationRequest = 0xB6;
inline constexpr uint8_t kStatusZrwaResourcesUnavailable = 0xB7;
constexpr Status InvalidZoneOperationRequest() {
  return Status(StatusCodeType::kCommandSpecific, kStatusInvalidZoneOperationRequest);
}
constexpr Status ZrwaResourcesUnavailable() {
  return Status(StatusCodeType::kCommandSpecific, kStatusZrwaResourcesUnavailable);
}

// Command dword fields (ZNS 1.1 Zone Management Receive and Send command dword figures).
// Zone Management Send CDW13: ZSA 7:0, Select All 8, ZSASO 9 (ZRWAA for Open).
constexpr uint8_t ZoneSendActionField(uint32_t cdw13) { return static_cast<uint8_t>(cdw13 & 0xFF); }
constexpr bool ZoneSendSelectAll(uint32_t cdw13) { return (cdw13 >> 8) & 1u; }
constexpr bool ZoneSendZrwaAllocate(uint32_t cdw13) { return (cdw13 >> 9) & 1u; }
// Zone Management Receive CDW13: ZRA 7:0, ZRASF 15:8, Partial Report 16.
// CDW12 NUMD is the 0's based number of dwords to transfer.
constexpr uint8_t ZoneReceiveActionField(uint32_t cdw13) {
  return static_cast<uint8_t>(cdw13 & 0xFF);
}
constexpr uint8_t ZoneReceiveReportingOption(uint32_t cdw13) {
  return static_cast<uint8_t>((cdw13 >> 8) & 0xFF);
}
constexpr bool ZoneReceivePartialReport(uint32_t cdw13) { return (cdw13 >> 16) & 1u; }
constexpr uint64_t ZoneReceiveBufferBytes(uint32_t cdw12) { return (uint64_t{cdw12} + 1) * 4; }

constexpr const char* ZoneStateName(ZoneState s) {
  switch (s) {
    case ZoneState::kEmpty:
      return "Empty";
    case ZoneState::kImplicitlyOpened:
      return "Implicitly Opened";
    case ZoneState::kExplicitlyOpened:
      return "Explicitly Opened";
    case ZoneState::kClosed:
      return "Closed";
    case ZoneState::kReadOnly:
      return "Read Only";
    case ZoneState::kFull:
      return "Full";
    case ZoneState::kOffline:
      return "Offline";
  }
  return "Reserved";
}

constexpr const char* ZoneSendActionName(ZoneSendAction a) {
  switch (a) {
    case ZoneSendAction::kClose:
      return "Close Zone";
    case ZoneSendAction::kFinish:
      return "Finish Zone";
    case ZoneSendAction::kOpen:
      return "Open Zone";
    case ZoneSendAction::kReset:
      return "Reset Zone";
    case ZoneSendAction::kOffline:
      return "Offline Zone";
    case ZoneSendAction::kSetZoneDescriptorExtension:
      return "Set Zone Descriptor Extension";
    case ZoneSendAction::kFlushExplicitZrwa:
      return "Flush Explicit ZRWA Range";
  }
  return "Reserved";
}

}  // namespace nvmesim::spec
