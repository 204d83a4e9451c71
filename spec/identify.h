// Identify command: CNS and CSI values, namespace and controller lists,
// namespace identification descriptors, the I/O Command Set Independent
// Identify Namespace (CNS 08h) and the Identify I/O Command Set data structure
// (CNS 1Ch). NVMe Base Specification 2.0 §5.17. Includes the Identify
// Controller (identify_controller.h) and Identify Namespace
// (identify_namespace.h) structures, so this one header serves every CNS.
#pragma once

#include <cstddef>
#include <cstdint>

#include "spec/identify_controller.h"
#include "spec/identify_namespace.h"

namespace nvmesim::spec {

inline constexpr size_t kIdentifyDataSize = 4096;  // Base 2.0 §5.17: every CNS returns 4 KiB

// Controller or Namespace Structure, Identify CDW10 bits 7:0 (Base 2.0 §5.17).
enum class Cns : uint8_t {
  kNamespace = 0x00,                         // Identify Namespace (NVM command set)
  kController = 0x01,                        // Identify Controller
  kActiveNamespaceList = 0x02,               // Active NSIDs above CDW1.NSID
  kNamespaceIdDescriptorList = 0x03,         // Namespace identification descriptors
  kNvmSetList = 0x04,                        // NVM Set List
  kIoCommandSetNamespace = 0x05,             // I/O command set specific Identify Namespace
  kIoCommandSetController = 0x06,            // I/O command set specific Identify Controller
  kIoCommandSetActiveNamespaceList = 0x07,   // Active NSIDs of one CSI
  kIoCommandSetIndependentNamespace = 0x08,  // I/O command set independent Identify Namespace
  kAllocatedNamespaceList = 0x10,            // Allocated NSIDs
  kAllocatedNamespace = 0x11,                // Identify Namespace for an allocated NSID
  kNamespaceAttachedControllerList = 0x12,   // Controllers attached to an NSID
  kControllerList = 0x13,                    // All controllers in the NVM subsystem
  kPrimaryControllerCapabilities = 0x14,
  kSecondaryControllerList = 0x15,
  kNamespaceGranularityList = 0x16,
  kUuidList = 0x17,
  kDomainList = 0x18,
  kEnduranceGroupList = 0x19,
  kIoCommandSetAllocatedNamespaceList = 0x1A,
  kIoCommandSetAllocatedNamespace = 0x1B,
  kIoCommandSet = 0x1C,  // Identify I/O Command Set data structure
};

// Command Set Identifier (Identify CDW11 31:24), Base 2.0 §5.17.
enum class CommandSetIdentifier : uint8_t { kNvm = 0x00, kKeyValue = 0x01, kZoned = 0x02 };

// Namespace Identifier Type (NIDT), Base 2.0 §5.17.
enum class NamespaceIdDescriptorType : uint8_t { kEui64 = 1, kNguid = 2, kUuid = 3, kCsi = 4 };
// Namespace Identification Descriptor header (Base 2.0 §5.17); NIDL bytes of
// identifier follow. The list (CNS 03h) is 4096 bytes of descriptors ended
// by a descriptor with NIDL = 0.
struct NamespaceIdDescriptorHeader {
  uint8_t nidt = 0;  // Namespace Identifier Type
  uint8_t nidl = 0;  // Namespace Identifier Length
  uint8_t rsvd2[2] = {};
};
static_assert(sizeof(NamespaceIdDescriptorHeader) == 4);
static_assert(offsetof(NamespaceIdDescriptorHeader, nidt) == 0);
static_assert(offsetof(NamespaceIdDescriptorHeader, nidl) == 1);
// NIDL required for each type (Namespace Identifier Type table); 0 for a reserved type.
constexpr uint8_t NamespaceIdLength(NamespaceIdDescriptorType t) {
  switch (t) {
    case NamespaceIdDescriptorType::kEui64:
      return 8;
    case NamespaceIdDescriptorType::kNguid:
      return 16;
    case NamespaceIdDescriptorType::kUuid:
      return 16;
    case NamespaceIdDescriptorType::kCsi:
      return 1;
  }
  return 0;
}

// Namespace List (CNS 02h, 07h, 10h, 1Ah; Base 2.0 §5.17): up to 1024 NSIDs in increasing order,
// zero filled after the last.
struct NamespaceList {
  uint32_t nsid[1024] = {};
};
static_assert(sizeof(NamespaceList) == 4096);

// Controller List (CNS 12h, 13h; Namespace Attachment data), Base 2.0 §5.17
// and §5.20.
struct ControllerList {
  uint16_t count = 0;          // Number of Identifiers
  uint16_t cntlid[2047] = {};  // Controller Identifiers, increasing order
};
static_assert(sizeof(ControllerList) == 4096);
static_assert(offsetof(ControllerList, cntlid) == 2);

// I/O Command Set Independent Identify Namespace (CNS 08h), Base 2.0 §5.17.
struct IoCommandSetIndependentIdentifyNamespace {
  uint8_t nsfeat = 0;     // 0  Common Namespace Features
  uint8_t nmic = 0;       // 1  Namespace Multi-path I/O and Namespace Sharing Capabilities
  uint8_t rescap = 0;     // 2  Reservation Capabilities
  uint8_t fpi = 0;        // 3  Format Progress Indicator
  uint32_t anagrpid = 0;  // 4  ANA Group Identifier
  uint8_t nsattr = 0;     // 8  Namespace Attributes
  uint8_t rsvd9 = 0;
  uint16_t nvmsetid = 0;  // 10 NVM Set Identifier
  uint16_t endgid = 0;    // 12 Endurance Group Identifier
  uint8_t nstat = 0;      // 14 Namespace Status (bit 0 namespace ready)
  uint8_t rsvd15[4081] = {};
};
static_assert(sizeof(IoCommandSetIndependentIdentifyNamespace) == 4096);
static_assert(offsetof(IoCommandSetIndependentIdentifyNamespace, nsfeat) == 0);
static_assert(offsetof(IoCommandSetIndependentIdentifyNamespace, nmic) == 1);
static_assert(offsetof(IoCommandSetIndependentIdentifyNamespace, rescap) == 2);
static_assert(offsetof(IoCommandSetIndependentIdentifyNamespace, fpi) == 3);
static_assert(offsetof(IoCommandSetIndependentIdentifyNamespace, anagrpid) == 4);
static_assert(offsetof(IoCommandSetIndependentIdentifyNamespace, nsattr) == 8);
static_assert(offsetof(IoCommandSetIndependentIdentifyNamespace, nvmsetid) == 10);
static_assert(offsetof(IoCommandSetIndependentIdentifyNamespace, endgid) == 12);
static_assert(offsetof(IoCommandSetIndependentIdentifyNamespace, nstat) == 14);
inline constexpr uint8_t kNstatNamespaceReady = 1u << 0;
// NSFEAT of CNS 08h: bit 3 UIDREUSE (same meaning as in Identify Namespace).
inline constexpr uint8_t kIndependentNsfeatUidReuse = 1u << 3;

// Identify I/O Command Set data structure (CNS 1Ch), Base 2.0 §5.17: 512 I/O
// Command Set Combination vectors; bit n of a vector is CSI n.
struct IdentifyIoCommandSet {
  uint64_t vector[512] = {};
};
static_assert(sizeof(IdentifyIoCommandSet) == 4096);
constexpr uint64_t IoCommandSetBit(CommandSetIdentifier csi) {
  return uint64_t{1} << static_cast<uint8_t>(csi);
}

// Identify CDW10: CNS 7:0, CNTID 31:16; CDW11: CNSSID 15:0, CSI 31:24
// (Base 2.0 §5.17, Identify command dwords).
constexpr uint32_t IdentifyCdw10(Cns cns, uint16_t cntid = 0) {
  return static_cast<uint32_t>(cns) | (uint32_t{cntid} << 16);
}
constexpr uint32_t IdentifyCdw11(CommandSetIdentifier csi, uint16_t cnssid = 0) {
  return uint32_t{cnssid} | (uint32_t{static_cast<uint8_t>(csi)} << 24);
}
constexpr Cns IdentifyCns(uint32_t cdw10) { return static_cast<Cns>(cdw10 & 0xFF); }
constexpr uint16_t IdentifyCntid(uint32_t cdw10) { return static_cast<uint16_t>(cdw10 >> 16); }
constexpr CommandSetIdentifier IdentifyCsi(uint32_t cdw11) {
  return static_cast<CommandSetIdentifier>(cdw11 >> 24);
}
constexpr uint16_t IdentifyCnssid(uint32_t cdw11) { return static_cast<uint16_t>(cdw11 & 0xFFFF); }

const char* CnsName(Cns cns);  // nullptr for a reserved value
const char* CommandSetIdentifierName(CommandSetIdentifier csi);
const char* NamespaceIdDescriptorTypeName(NamespaceIdDescriptorType t);

}  // namespace nvmesim::spec
