// NVMe 2.0 facts the driver needs that spec/ does not (yet) declare: command
// dword layouts, feature and log identifiers, and the byte offsets of the
// Identify fields the driver reads. Each value names its section or figure.
// Identify data is read from the raw 4 KiB page through these offsets so the
// driver does not depend on the full structure layout.
#pragma once

#include <cstdint>
#include <cstring>

namespace nvmesim::driver::nvme {

// Identify CNS values, base 2.0 Figure 273.
inline constexpr uint8_t kCnsNamespace = 0x00;
inline constexpr uint8_t kCnsController = 0x01;
inline constexpr uint8_t kCnsActiveNamespaceList = 0x02;
inline constexpr uint8_t kCnsAllocatedNamespaceList = 0x10;
inline constexpr uint8_t kCnsControllerList = 0x13;
inline constexpr uint8_t kCnsIoCommandSetActiveNamespaceList = 0x07;
inline constexpr uint32_t kIdentifyBytes = 4096;  // base 2.0 5.17: every Identify structure

// Feature identifiers, base 2.0 Figure 317.
inline constexpr uint8_t kFeatArbitration = 0x01;
inline constexpr uint8_t kFeatInterruptCoalescing = 0x08;
inline constexpr uint8_t kFeatNumberOfQueues = 0x07;
inline constexpr uint8_t kFeatAsyncEventConfig = 0x0B;
inline constexpr uint8_t kFeatKeepAliveTimer = 0x0F;

// Log page identifiers, base 2.0 Figure 202.
inline constexpr uint8_t kLogErrorInformation = 0x01;
inline constexpr uint8_t kLogSmartHealth = 0x02;
inline constexpr uint8_t kLogFirmwareSlot = 0x03;
inline constexpr uint8_t kLogChangedNamespaceList = 0x04;
inline constexpr uint8_t kLogAna = 0x0C;

// Asynchronous Event Request completion DW0, base 2.0 Figure 146:
// type 2:0, information 15:8, log page identifier 23:16.
inline constexpr uint8_t AenType(uint32_t dw0) { return dw0 & 0x7; }
inline constexpr uint8_t AenInfo(uint32_t dw0) { return (dw0 >> 8) & 0xFF; }
inline constexpr uint8_t AenLogPage(uint32_t dw0) { return (dw0 >> 16) & 0xFF; }
inline constexpr uint8_t kAenTypeError = 0;    // Figure 146
inline constexpr uint8_t kAenTypeNotice = 2;   // Figure 146
inline constexpr uint8_t kAenNoticeNamespaceChanged = 0x00;  // Figure 149
inline constexpr uint8_t kAenNoticeAnaChange = 0x03;          // Figure 149

// Abort completion DW0 bit 0: 0 = command aborted, 1 = not aborted (base 2.0 5.1, Figure 140).
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

// Identify Controller byte offsets, base 2.0 Figure 275.
namespace idctl {
inline constexpr uint32_t kVid = 0, kSn = 4, kMn = 24, kFr = 64, kMdts = 77, kCntlid = 78,
                          kVer = 80, kRtd3e = 88, kOaes = 92, kCrdt1 = 134, kCrdt2 = 136,
                          kCrdt3 = 138, kOacs = 256, kAcl = 258, kAerl = 259, kLpa = 261,
                          kKas = 320, kSqes = 512, kCqes = 513, kMaxcmd = 514, kNn = 516,
                          kOncs = 520, kVwc = 525, kSgls = 536, kMnan = 540;
}  // namespace idctl
// OACS bit 3: Namespace Management and Attachment supported (Figure 275).
inline constexpr uint16_t kOacsNamespaceManagement = 1u << 3;
// ONCS bits (Figure 275): 0 Compare, 2 DSM, 3 Write Zeroes, 8 Copy.
inline constexpr uint16_t kOncsCompare = 1u << 0, kOncsDsm = 1u << 2,
                          kOncsWriteZeroes = 1u << 3, kOncsCopy = 1u << 8;
// OAES bit 8 Namespace Attribute Notices, bit 11 ANA Change Notices (Figure 275).
inline constexpr uint32_t kOaesNamespaceAttribute = 1u << 8, kOaesAnaChange = 1u << 11;

// Identify Namespace byte offsets, NVM command set 2.0 Figure 97.
namespace idns {
inline constexpr uint32_t kNsze = 0, kNcap = 8, kNuse = 16, kNsfeat = 24, kNlbaf = 25,
                          kFlbas = 26, kNmic = 30, kAnagrpid = 92, kNguid = 104, kEui64 = 120,
                          kLbaf0 = 128;  // 64 x 4 B: MS 15:0, LBADS 23:16, RP 25:24
}  // namespace idns

template <typename T>
inline T Load(const uint8_t* page, uint32_t offset) {
  T v;
  std::memcpy(&v, page + offset, sizeof v);
  return v;
}

}  // namespace nvmesim::driver::nvme
