// The few NVMe 2.0 values the driver uses, as short names over spec/
// (identifiers, AEN DW0 fields, queue-creation dwords, capability bits).
// Identify data is parsed with spec::IdentifyController / IdentifyNamespace.
#pragma once

#include <cstdint>
#include <cstring>

#include "spec/features.h"
#include "spec/identify.h"
#include "spec/log_pages.h"

namespace nvmesim::driver::nvme {

// Identify CNS values, CNS values, base 5.17.
inline constexpr uint8_t kCnsNamespace = static_cast<uint8_t>(spec::Cns::kNamespace);
inline constexpr uint8_t kCnsController = static_cast<uint8_t>(spec::Cns::kController);
inline constexpr uint8_t kCnsActiveNamespaceList =
    static_cast<uint8_t>(spec::Cns::kActiveNamespaceList);
inline constexpr uint32_t kIdentifyBytes = 4096;  // base 2.0 5.17: every Identify structure

// Feature identifiers, Feature Identifiers, base 5.27.1.
inline constexpr uint8_t kFeatInterruptCoalescing =
    static_cast<uint8_t>(spec::FeatureId::kInterruptCoalescing);
inline constexpr uint8_t kFeatNumberOfQueues =
    static_cast<uint8_t>(spec::FeatureId::kNumberOfQueues);
inline constexpr uint8_t kFeatAsyncEventConfig =
    static_cast<uint8_t>(spec::FeatureId::kAsyncEventConfiguration);
inline constexpr uint8_t kFeatKeepAliveTimer =
    static_cast<uint8_t>(spec::FeatureId::kKeepAliveTimer);

// Log page identifiers, Log Page Identifiers, base 5.16.
inline constexpr uint8_t kLogChangedNamespaceList =
    static_cast<uint8_t>(spec::LogPageId::kChangedNamespaceList);

// Asynchronous Event Request completion DW0, AER completion DW0, base 5.2:
// type 2:0, information 15:8, log page identifier 23:16.
inline constexpr uint8_t AenType(uint32_t dw0) { return dw0 & 0x7; }
inline constexpr uint8_t AenInfo(uint32_t dw0) { return (dw0 >> 8) & 0xFF; }
inline constexpr uint8_t AenLogPage(uint32_t dw0) { return (dw0 >> 16) & 0xFF; }
inline constexpr uint8_t kAenTypeError = 0;                  // AER completion DW0, base 5.2
inline constexpr uint8_t kAenTypeNotice = 2;                 // AER completion DW0, base 5.2
inline constexpr uint8_t kAenNoticeNamespaceChanged = 0x00;  // Notice event information, base 5.2
inline constexpr uint8_t kAenNoticeAnaChange = 0x03;         // Notice event information, base 5.2

// Abort completion DW0 bit 0: 0 = command aborted, 1 = not aborted (base 2.0 5.1).
inline constexpr bool AbortNotAborted(uint32_t dw0) { return (dw0 & 1u) != 0; }

// Create I/O CQ (base 2.0 5.4): CDW10 QSIZE 31:16 (0-based) | QID 15:0;
// CDW11 IV 31:16 | IEN bit 1 | PC bit 0.
inline constexpr uint32_t CreateQueueCdw10(uint16_t qid, uint32_t entries) {
  return ((entries - 1) << 16) | qid;
}
inline constexpr uint32_t CreateCqCdw11(uint16_t vector, bool ien) {
  return (uint32_t{vector} << 16) | (ien ? 2u : 0u) | 1u;
}
// Create I/O SQ (base 2.0 5.5): CDW11 CQID 31:16 | QPRIO 2:1 | PC bit 0.
inline constexpr uint32_t CreateSqCdw11(uint16_t cqid, uint8_t qprio) {
  return (uint32_t{cqid} << 16) | (uint32_t{qprio & 3u} << 1) | 1u;
}

// OACS bit 3: Namespace Management and Attachment supported (Identify Controller, base 5.17).
inline constexpr uint16_t kOacsNamespaceManagement = 1u << 3;
// ONCS bits (Identify Controller, base 5.17): 0 Compare, 2 DSM, 3 Write Zeroes, 8 Copy.
inline constexpr uint16_t kOncsCompare = 1u << 0, kOncsDsm = 1u << 2, kOncsWriteZeroes = 1u << 3,
                          kOncsCopy = 1u << 8;
// OAES bit 8 Namespace Attribute Notices, bit 11 ANA Change Notices (Identify Controller,
// base 5.17).
inline constexpr uint32_t kOaesNamespaceAttribute = 1u << 8, kOaesAnaChange = 1u << 11;

template <typename T>
inline T Load(const uint8_t* page, uint32_t offset) {
  T v;
  std::memcpy(&v, page + offset, sizeof v);
  return v;
}

// A 4 KiB Identify page as its spec structure.
template <typename T>
inline T ParsePage(const uint8_t* page) {
  static_assert(sizeof(T) == kIdentifyBytes);
  T v;
  std::memcpy(&v, page, sizeof v);
  return v;
}

}  // namespace nvmesim::driver::nvme
