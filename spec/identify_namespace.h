// Identify Namespace for the NVM command set (CNS 00h) and the LBA Format
// data structure. NVM Command Set Specification 1.0 (the NVM command set of
// the NVMe 2.0 family) §4.1.5. Fields carry the spec abbreviation in lower
// case; layout checked field by field.
#pragma once

#include <cstddef>
#include <cstdint>

#include "spec/uint128.h"

namespace nvmesim::spec {

// LBA Format data structure, NVM 1.0 §4.1.5. 4 bytes.
struct LbaFormat {
  uint16_t ms = 0;    // Metadata Size, bytes per LBA
  uint8_t lbads = 0;  // LBA Data Size, 2^n bytes (0 = format not available)
  uint8_t rp = 0;     // bits 1:0 Relative Performance (0 best .. 3 degraded)
};
static_assert(sizeof(LbaFormat) == 4);
static_assert(offsetof(LbaFormat, ms) == 0);
static_assert(offsetof(LbaFormat, lbads) == 2);
static_assert(offsetof(LbaFormat, rp) == 3);

// Identify Namespace data structure for the NVM command set (CNS 00h), NVM 1.0
// §4.1.5. 4096 bytes. Fields marked "1.x" are defined by later NVM
// command set revisions in bytes 1.0 reserved.
struct IdentifyNamespace {
  uint64_t nsze = 0;    // 0   Namespace Size, logical blocks
  uint64_t ncap = 0;    // 8   Namespace Capacity, logical blocks
  uint64_t nuse = 0;    // 16  Namespace Utilization, logical blocks
  uint8_t nsfeat = 0;   // 24  Namespace Features
  uint8_t nlbaf = 0;    // 25  Number of LBA Formats (0's based)
  uint8_t flbas = 0;    // 26  Formatted LBA Size
  uint8_t mc = 0;       // 27  Metadata Capabilities
  uint8_t dpc = 0;      // 28  End-to-end Data Protection Capabilities
  uint8_t dps = 0;      // 29  End-to-end Data Protection Type Settings
  uint8_t nmic = 0;     // 30  Namespace Multi-path I/O and Namespace Sharing Capabilities
  uint8_t rescap = 0;   // 31  Reservation Capabilities
  uint8_t fpi = 0;      // 32  Format Progress Indicator
  uint8_t dlfeat = 0;   // 33  Deallocate Logical Block Features
  uint16_t nawun = 0;   // 34  Namespace Atomic Write Unit Normal (0's based)
  uint16_t nawupf = 0;  // 36  Namespace Atomic Write Unit Power Fail (0's based)
  uint16_t nacwu = 0;   // 38  Namespace Atomic Compare & Write Unit (0's based)
  uint16_t nabsn = 0;   // 40  Namespace Atomic Boundary Size Normal
  uint16_t nabo = 0;    // 42  Namespace Atomic Boundary Offset
  uint16_t nabspf = 0;  // 44  Namespace Atomic Boundary Size Power Fail
  uint16_t noiob = 0;   // 46  Namespace Optimal I/O Boundary, logical blocks
  Uint128 nvmcap;       // 48  NVM Capacity, bytes
  uint16_t npwg = 0;    // 64  Namespace Preferred Write Granularity (0's based)
  uint16_t npwa = 0;    // 66  Namespace Preferred Write Alignment (0's based)
  uint16_t npdg = 0;    // 68  Namespace Preferred Deallocate Granularity (0's based)
  uint16_t npda = 0;    // 70  Namespace Preferred Deallocate Alignment (0's based)
  uint16_t nows = 0;    // 72  Namespace Optimal Write Size (0's based)
  uint16_t mssrl = 0;   // 74  Maximum Single Source Range Length (Copy)
  uint32_t mcl = 0;     // 76  Maximum Copy Length
  uint8_t msrc = 0;     // 80  Maximum Source Range Count (0's based)
  uint8_t rsvd81 = 0;
  uint8_t nulbaf = 0;  // 82  Number of Unique Capability LBA Formats (1.x)
  uint8_t rsvd83[9] = {};
  uint32_t anagrpid = 0;  // 92  ANA Group Identifier
  uint8_t rsvd96[3] = {};
  uint8_t nsattr = 0;      // 99  Namespace Attributes (bit 0 write protected)
  uint16_t nvmsetid = 0;   // 100 NVM Set Identifier
  uint16_t endgid = 0;     // 102 Endurance Group Identifier
  uint8_t nguid[16] = {};  // 104 Namespace Globally Unique Identifier
  uint8_t eui64[8] = {};   // 120 IEEE Extended Unique Identifier
  LbaFormat lbaf[64];      // 128 LBA Format 0..63 Support
  uint8_t vs[3712] = {};   // 384 Vendor Specific

  // FLBAS bits 3:0 (low) and 6:5 (high) together give the format index.
  constexpr uint8_t FormatIndex() const {
    return static_cast<uint8_t>((flbas & 0xF) | (((flbas >> 5) & 0x3) << 4));
  }
  constexpr void SetFormatIndex(uint8_t index) {
    flbas = static_cast<uint8_t>((flbas & 0x90) | (index & 0xF) | (((index >> 4) & 0x3) << 5));
  }
  constexpr bool MetadataExtended() const { return (flbas & 0x10) != 0; }  // FLBAS bit 4
  // Bytes per logical block of the formatted LBA format.
  constexpr uint64_t LbaDataSizeBytes() const {
    return uint64_t{1} << lbaf[FormatIndex() & 63].lbads;
  }
};
static_assert(sizeof(IdentifyNamespace) == 4096);
static_assert(offsetof(IdentifyNamespace, nsze) == 0);
static_assert(offsetof(IdentifyNamespace, ncap) == 8);
static_assert(offsetof(IdentifyNamespace, nuse) == 16);
static_assert(offsetof(IdentifyNamespace, nsfeat) == 24);
static_assert(offsetof(IdentifyNamespace, nlbaf) == 25);
static_assert(offsetof(IdentifyNamespace, flbas) == 26);
static_assert(offsetof(IdentifyNamespace, mc) == 27);
static_assert(offsetof(IdentifyNamespace, dpc) == 28);
static_assert(offsetof(IdentifyNamespace, dps) == 29);
static_assert(offsetof(IdentifyNamespace, nmic) == 30);
static_assert(offsetof(IdentifyNamespace, rescap) == 31);
static_assert(offsetof(IdentifyNamespace, fpi) == 32);
static_assert(offsetof(IdentifyNamespace, dlfeat) == 33);
static_assert(offsetof(IdentifyNamespace, nawun) == 34);
static_assert(offsetof(IdentifyNamespace, nawupf) == 36);
static_assert(offsetof(IdentifyNamespace, nacwu) == 38);
static_assert(offsetof(IdentifyNamespace, nabsn) == 40);
static_assert(offsetof(IdentifyNamespace, nabo) == 42);
static_assert(offsetof(IdentifyNamespace, nabspf) == 44);
static_assert(offsetof(IdentifyNamespace, noiob) == 46);
static_assert(offsetof(IdentifyNamespace, nvmcap) == 48);
static_assert(offsetof(IdentifyNamespace, npwg) == 64);
static_assert(offsetof(IdentifyNamespace, npwa) == 66);
static_assert(offsetof(IdentifyNamespace, npdg) == 68);
static_assert(offsetof(IdentifyNamespace, npda) == 70);
static_assert(offsetof(IdentifyNamespace, nows) == 72);
static_assert(offsetof(IdentifyNamespace, mssrl) == 74);
static_assert(offsetof(IdentifyNamespace, mcl) == 76);
static_assert(offsetof(IdentifyNamespace, msrc) == 80);
static_assert(offsetof(IdentifyNamespace, nulbaf) == 82);
static_assert(offsetof(IdentifyNamespace, anagrpid) == 92);
static_assert(offsetof(IdentifyNamespace, nsattr) == 99);
static_assert(offsetof(IdentifyNamespace, nvmsetid) == 100);
static_assert(offsetof(IdentifyNamespace, endgid) == 102);
static_assert(offsetof(IdentifyNamespace, nguid) == 104);
static_assert(offsetof(IdentifyNamespace, eui64) == 120);
static_assert(offsetof(IdentifyNamespace, lbaf) == 128);
static_assert(offsetof(IdentifyNamespace, vs) == 384);

// NSFEAT bits (Identify Namespace byte 24).
inline constexpr uint8_t kNsfeatThinProvisioning = 1u << 0;
inline constexpr uint8_t kNsfeatAtomicParameters = 1u << 1;    // NAWUN, NAWUPF, NACWU valid
inline constexpr uint8_t kNsfeatDeallocatedError = 1u << 2;    // DULBE supported
inline constexpr uint8_t kNsfeatUidReuse = 1u << 3;            // NGUID/EUI64 may be reused
inline constexpr uint8_t kNsfeatOptimalPerformance = 1u << 4;  // NPWG..NOWS valid
// MC bits (byte 27).
inline constexpr uint8_t kMcExtendedLba = 1u << 0;
inline constexpr uint8_t kMcSeparateBuffer = 1u << 1;
// DPC bits (byte 28).
inline constexpr uint8_t kDpcType1 = 1u << 0;
inline constexpr uint8_t kDpcType2 = 1u << 1;
inline constexpr uint8_t kDpcType3 = 1u << 2;
inline constexpr uint8_t kDpcFirstBytes = 1u << 3;
inline constexpr uint8_t kDpcLastBytes = 1u << 4;
// NMIC bit 0 (byte 30): namespace may be attached to two or more controllers.
inline constexpr uint8_t kNmicShared = 1u << 0;
// RESCAP bits (byte 31).
inline constexpr uint8_t kRescapPersistThroughPowerLoss = 1u << 0;
inline constexpr uint8_t kRescapWriteExclusive = 1u << 1;
inline constexpr uint8_t kRescapExclusiveAccess = 1u << 2;
inline constexpr uint8_t kRescapWriteExclusiveRegistrantsOnly = 1u << 3;
inline constexpr uint8_t kRescapExclusiveAccessRegistrantsOnly = 1u << 4;
inline constexpr uint8_t kRescapWriteExclusiveAllRegistrants = 1u << 5;
inline constexpr uint8_t kRescapExclusiveAccessAllRegistrants = 1u << 6;
inline constexpr uint8_t kRescapIgnoreExistingKey = 1u << 7;
// FPI (byte 32): bit 7 supported, bits 6:0 percentage remaining.
inline constexpr uint8_t kFpiSupported = 1u << 7;
// DLFEAT (byte 33): bits 2:0 read behaviour of deallocated blocks, bit 3
// Write Zeroes deallocate supported, bit 4 guard field is CRC.
enum class DeallocatedReadValue : uint8_t { kNotReported = 0, kAllZeroes = 1, kAllOnes = 2 };
inline constexpr uint8_t kDlfeatWriteZeroesDeallocate = 1u << 3;
inline constexpr uint8_t kDlfeatGuardCrc = 1u << 4;
// NSATTR bit 0 (byte 99).
inline constexpr uint8_t kNsattrWriteProtected = 1u << 0;

}  // namespace nvmesim::spec
