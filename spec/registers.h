// NVMe controller registers (memory-mapped BAR0 properties) as value types.
// NVMe Base Specification 2.0, section 3.1.3 (Controller Properties: the
// property map and one subsection per property) and the NVMe over PCIe
// Transport Specification 1.0 section 3.1.2 (doorbell registers). No behaviour: offsets, field
// layouts, and getters/setters that shift and mask exactly as the spec lays the bits out.
//
// Setters truncate to the field width, as hardware would; code that takes a
// value from outside validates it against the field limit before setting.
#pragma once

#include <cstdint>

namespace nvmesim::spec {

// Base 2.0 §3.1.3, property map: offsets of the controller properties in BAR0.
enum RegisterOffset : uint32_t {
  kRegCap = 0x00,             // Controller Capabilities (64 bit)
  kRegVs = 0x08,              // Version
  kRegIntms = 0x0C,           // Interrupt Mask Set
  kRegIntmc = 0x10,           // Interrupt Mask Clear
  kRegCc = 0x14,              // Controller Configuration
  kRegCsts = 0x1C,            // Controller Status
  kRegNssr = 0x20,            // NVM Subsystem Reset
  kRegAqa = 0x24,             // Admin Queue Attributes
  kRegAsq = 0x28,             // Admin Submission Queue Base Address (64 bit)
  kRegAcq = 0x30,             // Admin Completion Queue Base Address (64 bit)
  kRegCmbloc = 0x38,          // Controller Memory Buffer Location
  kRegCmbsz = 0x3C,           // Controller Memory Buffer Size
  kRegBpinfo = 0x40,          // Boot Partition Information
  kRegBprsel = 0x44,          // Boot Partition Read Select
  kRegBpmbl = 0x48,           // Boot Partition Memory Buffer Location (64 bit)
  kRegCmbmsc = 0x50,          // CMB Memory Space Control (64 bit)
  kRegCmbsts = 0x58,          // CMB Status
  kRegCmbebs = 0x5C,          // CMB Elasticity Buffer Size
  kRegCmbswtp = 0x60,         // CMB Sustained Write Throughput
  kRegNssd = 0x64,            // NVM Subsystem Shutdown
  kRegCrto = 0x68,            // Controller Ready Timeouts
  kRegPmrcap = 0xE00,         // Persistent Memory Region Capabilities
  kRegPmrctl = 0xE04,         // PMR Control
  kRegPmrsts = 0xE08,         // PMR Status
  kRegPmrebs = 0xE0C,         // PMR Elasticity Buffer Size
  kRegPmrswtp = 0xE10,        // PMR Sustained Write Throughput
  kRegPmrmscl = 0xE14,        // PMR Memory Space Control Lower
  kRegPmrmscu = 0xE18,        // PMR Memory Space Control Upper
  kRegDoorbellBase = 0x1000,  // SQ 0 Tail Doorbell; PCIe Transport 1.0 §3.1.2
};

// Base 2.0 §3.1.3 (NSSR): writing 4E564D65h ("NVMe", 'N' in the most significant
// byte) to NSSR starts an
// NVM Subsystem Reset. §3.1.3 (NSSD): the same value in NSSD starts a subsystem
// shutdown.
inline constexpr uint32_t kNssrResetValue = 0x4E564D65;
inline constexpr uint32_t kNssdShutdownValue = 0x4E564D65;

// PCIe Transport 1.0 §3.1.2: SQ y Tail Doorbell at 1000h + (2y * (4 << DSTRD)),
// CQ y Head Doorbell at 1000h + ((2y + 1) * (4 << DSTRD)).
constexpr uint32_t DoorbellStrideBytes(uint8_t dstrd) { return 4u << dstrd; }
constexpr uint32_t SqTailDoorbellOffset(uint16_t qid, uint8_t dstrd) {
  return kRegDoorbellBase + (2u * qid) * DoorbellStrideBytes(dstrd);
}
constexpr uint32_t CqHeadDoorbellOffset(uint16_t qid, uint8_t dstrd) {
  return kRegDoorbellBase + (2u * qid + 1u) * DoorbellStrideBytes(dstrd);
}

// Accessors for a bit field [shift, shift + width) of `raw`. The getter
// returns the field right-aligned; the setter replaces only those bits and
// returns *this so values can be built in one expression.
#define NVMESIM_REG_FIELD(Reg, name, shift, width)                                              \
  static_assert((shift) + (width) <= sizeof(raw) * 8, #name " outside register");               \
  constexpr decltype(raw) name() const {                                                        \
    return static_cast<decltype(raw)>((static_cast<uint64_t>(raw) >> (shift)) &                 \
                                      ((uint64_t{1} << (width)) - 1));                          \
  }                                                                                             \
  constexpr Reg& set_##name(uint64_t v) {                                                       \
    const uint64_t m = ((uint64_t{1} << (width)) - 1) << (shift);                               \
    raw = static_cast<decltype(raw)>((static_cast<uint64_t>(raw) & ~m) | ((v << (shift)) & m)); \
    return *this;                                                                               \
  }

// CAP, Base 2.0 §3.1.3.
struct CapRegister {
  uint64_t raw = 0;
  NVMESIM_REG_FIELD(CapRegister, mqes, 0, 16)  // Maximum Queue Entries Supported (0's based)
  NVMESIM_REG_FIELD(CapRegister, cqr, 16, 1)   // Contiguous Queues Required
  NVMESIM_REG_FIELD(CapRegister, ams, 17, 2)  // Arbitration Mechanism Supported (bit0 WRR, bit1 VS)
  NVMESIM_REG_FIELD(CapRegister, to, 24, 8)   // Timeout, 500 ms units
  NVMESIM_REG_FIELD(CapRegister, dstrd, 32, 4)   // Doorbell Stride, 4 << DSTRD bytes
  NVMESIM_REG_FIELD(CapRegister, nssrs, 36, 1)   // NVM Subsystem Reset Supported
  NVMESIM_REG_FIELD(CapRegister, css, 37, 8)     // Command Sets Supported (see CapCss)
  NVMESIM_REG_FIELD(CapRegister, bps, 45, 1)     // Boot Partition Support
  NVMESIM_REG_FIELD(CapRegister, cps, 46, 2)     // Controller Power Scope
  NVMESIM_REG_FIELD(CapRegister, mpsmin, 48, 4)  // Memory Page Size Minimum, 2^(12+n)
  NVMESIM_REG_FIELD(CapRegister, mpsmax, 52, 4)  // Memory Page Size Maximum, 2^(12+n)
  NVMESIM_REG_FIELD(CapRegister, pmrs, 56, 1)    // Persistent Memory Region Supported
  NVMESIM_REG_FIELD(CapRegister, cmbs, 57, 1)    // Controller Memory Buffer Supported
  NVMESIM_REG_FIELD(CapRegister, nsss, 58, 1)    // NVM Subsystem Shutdown Supported
  NVMESIM_REG_FIELD(CapRegister, crms, 59, 2)    // Controller Ready Modes Supported (see CapCrms)
};

// CAP.CSS bits (Base 2.0 §3.1.3).
enum CapCss : uint8_t {
  kCapCssNvm = 1u << 0,            // NVM Command Set
  kCapCssIoCommandSets = 1u << 6,  // One or more I/O Command Sets (select with CC.CSS = 110b)
  kCapCssNoIo = 1u << 7,           // Only the Admin Command Set
};
// CAP.AMS bits (Base 2.0 §3.1.3).
enum CapAms : uint8_t { kCapAmsWeightedRoundRobin = 1u << 0, kCapAmsVendorSpecific = 1u << 1 };
// CAP.CRMS bits (Base 2.0 §3.1.3).
enum CapCrms : uint8_t {
  kCapCrmsReadyWithMedia = 1u << 0,
  kCapCrmsReadyIndependentOfMedia = 1u << 1
};

// VS, Base 2.0 §3.1.3.
struct VsRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(VsRegister, ter, 0, 8)    // Tertiary Version
  NVMESIM_REG_FIELD(VsRegister, mnr, 8, 8)    // Minor Version
  NVMESIM_REG_FIELD(VsRegister, mjr, 16, 16)  // Major Version
  static constexpr VsRegister Make(uint32_t mjr, uint32_t mnr, uint32_t ter) {
    return VsRegister{(mjr << 16) | ((mnr & 0xFF) << 8) | (ter & 0xFF)};
  }
};
inline constexpr uint32_t kNvmeVersion2_0 = 0x00020000;  // VS for NVMe 2.0.0

// CC, Base 2.0 §3.1.3.
struct CcRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(CcRegister, en, 0, 1)       // Enable
  NVMESIM_REG_FIELD(CcRegister, css, 4, 3)      // I/O Command Set Selected (see CcCss)
  NVMESIM_REG_FIELD(CcRegister, mps, 7, 4)      // Memory Page Size, 2^(12+MPS)
  NVMESIM_REG_FIELD(CcRegister, ams, 11, 3)     // Arbitration Mechanism Selected
  NVMESIM_REG_FIELD(CcRegister, shn, 14, 2)     // Shutdown Notification
  NVMESIM_REG_FIELD(CcRegister, iosqes, 16, 4)  // I/O SQ Entry Size, 2^n bytes
  NVMESIM_REG_FIELD(CcRegister, iocqes, 20, 4)  // I/O CQ Entry Size, 2^n bytes
  NVMESIM_REG_FIELD(CcRegister, crime, 24, 1)   // Controller Ready Independent of Media Enable
};

// CC.CSS values (Base 2.0 §3.1.3).
enum class CcCss : uint8_t { kNvm = 0b000, kAllIoCommandSets = 0b110, kAdminOnly = 0b111 };
// CC.AMS values (Base 2.0 §3.1.3).
enum class ArbitrationMechanism : uint8_t {
  kRoundRobin = 0,
  kWeightedRoundRobinUrgent = 1,
  kVendorSpecific = 7,
};
// CC.SHN values (Base 2.0 §3.1.3).
enum class ShutdownNotification : uint8_t { kNone = 0, kNormal = 1, kAbrupt = 2 };

// CSTS, Base 2.0 §3.1.3.
struct CstsRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(CstsRegister, rdy, 0, 1)    // Ready
  NVMESIM_REG_FIELD(CstsRegister, cfs, 1, 1)    // Controller Fatal Status
  NVMESIM_REG_FIELD(CstsRegister, shst, 2, 2)   // Shutdown Status
  NVMESIM_REG_FIELD(CstsRegister, nssro, 4, 1)  // NVM Subsystem Reset Occurred (RW1C)
  NVMESIM_REG_FIELD(CstsRegister, pp, 5, 1)     // Processing Paused
  NVMESIM_REG_FIELD(CstsRegister, st, 6, 1)     // Shutdown Type (1 = subsystem shutdown)
};
// CSTS.SHST values (Base 2.0 §3.1.3).
enum class ShutdownStatus : uint8_t { kNormal = 0, kOccurring = 1, kComplete = 2 };

// AQA, Base 2.0 §3.1.3. Both sizes are 0's based, 12 bits.
struct AqaRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(AqaRegister, asqs, 0, 12)   // Admin Submission Queue Size
  NVMESIM_REG_FIELD(AqaRegister, acqs, 16, 12)  // Admin Completion Queue Size
};
// ASQ / ACQ (Base 2.0 §3.1.3): bits 11:0 reserved, base is 4 KiB aligned.
inline constexpr uint64_t kAdminQueueBaseMask = ~uint64_t{0xFFF};

// CMBLOC, Base 2.0 §3.1.3.
struct CmblocRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(CmblocRegister, bir, 0, 3)     // Base Indicator Register
  NVMESIM_REG_FIELD(CmblocRegister, cqmms, 3, 1)   // CMB Queue Mixed Memory Support
  NVMESIM_REG_FIELD(CmblocRegister, cqpds, 4, 1)   // CMB Queue Physically Discontiguous Support
  NVMESIM_REG_FIELD(CmblocRegister, cdpmls, 5, 1)  // CMB Data Pointer Mixed Locations Support
  NVMESIM_REG_FIELD(CmblocRegister, cdpcils, 6,
                    1)  // CMB Data Pointer and Command Independent Locations
  NVMESIM_REG_FIELD(CmblocRegister, cdmmms, 7, 1)  // CMB Data Metadata Mixed Memory Support
  NVMESIM_REG_FIELD(CmblocRegister, cqda, 8, 1)    // CMB Queue Dword Alignment
  NVMESIM_REG_FIELD(CmblocRegister, ofst, 12, 20)  // Offset, in CMBSZ.SZU units
};

// CMBSZ, Base 2.0 §3.1.3.
struct CmbszRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(CmbszRegister, sqs, 0, 1)    // Submission Queue Support
  NVMESIM_REG_FIELD(CmbszRegister, cqs, 1, 1)    // Completion Queue Support
  NVMESIM_REG_FIELD(CmbszRegister, lists, 2, 1)  // PRP SGL List Support
  NVMESIM_REG_FIELD(CmbszRegister, rds, 3, 1)    // Read Data Support
  NVMESIM_REG_FIELD(CmbszRegister, wds, 4, 1)    // Write Data Support
  NVMESIM_REG_FIELD(CmbszRegister, szu, 8, 4)    // Size Units, 4 KiB * 16^SZU
  NVMESIM_REG_FIELD(CmbszRegister, sz, 12, 20)   // Size, in SZU units
  constexpr uint64_t SizeBytes() const { return sz() << (12 + 4 * szu()); }
};

// BPINFO, Base 2.0 §3.1.3.
struct BpinfoRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(BpinfoRegister, bpsz, 0, 15)   // Boot Partition Size, 128 KiB units
  NVMESIM_REG_FIELD(BpinfoRegister, brs, 24, 2)    // Boot Read Status
  NVMESIM_REG_FIELD(BpinfoRegister, abpid, 31, 1)  // Active Boot Partition ID
};

// BPRSEL, Base 2.0 §3.1.3.
struct BprselRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(BprselRegister, bprsz, 0, 10)   // Read Size, 4 KiB units
  NVMESIM_REG_FIELD(BprselRegister, bprof, 10, 20)  // Read Offset, 4 KiB units
  NVMESIM_REG_FIELD(BprselRegister, bpid, 31, 1)    // Boot Partition Identifier
};

// CMBMSC, Base 2.0 §3.1.3 (64 bit).
struct CmbmscRegister {
  uint64_t raw = 0;
  NVMESIM_REG_FIELD(CmbmscRegister, cre, 0, 1)    // Capabilities Registers Enabled
  NVMESIM_REG_FIELD(CmbmscRegister, cmse, 1, 1)   // Controller Memory Space Enable
  NVMESIM_REG_FIELD(CmbmscRegister, cba, 12, 52)  // Controller Base Address >> 12
};

// CMBSTS, Base 2.0 §3.1.3.
struct CmbstsRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(CmbstsRegister, cbai, 0, 1)  // Controller Base Address Invalid
};

// CMBEBS, Base 2.0 §3.1.3.
struct CmbebsRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(CmbebsRegister, cmbszu, 0, 4)   // Size Units (0 B, 1 KiB, 2 MiB, 3 GiB)
  NVMESIM_REG_FIELD(CmbebsRegister, cmbrbb, 4, 1)   // Read Bypass Behavior
  NVMESIM_REG_FIELD(CmbebsRegister, cmbwbz, 8, 24)  // Buffer Size
};

// CMBSWTP, Base 2.0 §3.1.3.
struct CmbswtpRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(CmbswtpRegister, cmbswtu, 0, 4)   // Throughput Units
  NVMESIM_REG_FIELD(CmbswtpRegister, cmbswtv, 8, 24)  // Throughput Value
};

// CRTO, Base 2.0 §3.1.3. Both timeouts in 500 ms units.
struct CrtoRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(CrtoRegister, crwmt, 0, 16)   // Controller Ready With Media Timeout
  NVMESIM_REG_FIELD(CrtoRegister, crimt, 16, 16)  // Controller Ready Independent of Media Timeout
};

// PMRCAP, Base 2.0 §3.1.3.
struct PmrcapRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(PmrcapRegister, rds, 3, 1)      // Read Data Support
  NVMESIM_REG_FIELD(PmrcapRegister, wds, 4, 1)      // Write Data Support
  NVMESIM_REG_FIELD(PmrcapRegister, bir, 5, 3)      // Base Indicator Register
  NVMESIM_REG_FIELD(PmrcapRegister, pmrtu, 8, 2)    // PMR Time Units (0 500 ms, 1 minutes)
  NVMESIM_REG_FIELD(PmrcapRegister, pmrwbm, 10, 4)  // PMR Write Barrier Mechanisms
  NVMESIM_REG_FIELD(PmrcapRegister, pmrto, 16, 8)   // PMR Timeout
  NVMESIM_REG_FIELD(PmrcapRegister, cmss, 24, 1)    // Controller Memory Space Supported
};

// PMRCTL, Base 2.0 §3.1.3.
struct PmrctlRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(PmrctlRegister, en, 0, 1)  // Enable
};

// PMRSTS, Base 2.0 §3.1.3.
struct PmrstsRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(PmrstsRegister, err, 0, 8)    // Error
  NVMESIM_REG_FIELD(PmrstsRegister, nrdy, 8, 1)   // Not Ready
  NVMESIM_REG_FIELD(PmrstsRegister, hsts, 9, 3)   // Health Status
  NVMESIM_REG_FIELD(PmrstsRegister, cbai, 12, 1)  // Controller Base Address Invalid
};

// PMREBS, Base 2.0 §3.1.3.
struct PmrebsRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(PmrebsRegister, pmrszu, 0, 4)   // Size Units
  NVMESIM_REG_FIELD(PmrebsRegister, rbb, 4, 1)      // Read Bypass Behavior
  NVMESIM_REG_FIELD(PmrebsRegister, pmrwbz, 8, 24)  // Buffer Size
};

// PMRSWTP, Base 2.0 §3.1.3.
struct PmrswtpRegister {
  uint32_t raw = 0;
  NVMESIM_REG_FIELD(PmrswtpRegister, pmrswtu, 0, 4)   // Throughput Units
  NVMESIM_REG_FIELD(PmrswtpRegister, pmrswtv, 8, 24)  // Throughput Value
};

// PMRMSCL + PMRMSCU as one 64-bit value, Base 2.0 §3.1.3.
struct PmrmscRegister {
  uint64_t raw = 0;
  NVMESIM_REG_FIELD(PmrmscRegister, cmse, 1, 1)   // Controller Memory Space Enable
  NVMESIM_REG_FIELD(PmrmscRegister, cba, 12, 52)  // Controller Base Address >> 12
};

#undef NVMESIM_REG_FIELD

static_assert(sizeof(CapRegister) == 8);
static_assert(sizeof(VsRegister) == 4);
static_assert(sizeof(CcRegister) == 4);
static_assert(sizeof(CstsRegister) == 4);
static_assert(sizeof(AqaRegister) == 4);
static_assert(sizeof(CmbmscRegister) == 8);
static_assert(sizeof(PmrmscRegister) == 8);

const char* ShutdownStatusName(ShutdownStatus s);
const char* ShutdownNotificationName(ShutdownNotification s);
const char* ArbitrationMechanismName(ArbitrationMechanism a);
const char* RegisterName(uint32_t offset);  // "CC" for 0x14, nullptr when not a register start

}  // namespace nvmesim::spec
