// Identify Controller data structures. NVMe Base Specification 2.0 §5.17
// (Identify Controller data structure, CNS 01h; Power State Descriptor) and the
// NVM Command Set Specification 1.0 §4.1.5 (I/O Command Set Specific Identify
// Controller, CNS 06h CSI 00h). Fields carry the spec abbreviation in lower
// case; layouts are naturally aligned and checked field by field.
#pragma once

#include <cstddef>
#include <cstdint>

#include "spec/uint128.h"

namespace nvmesim::spec {

// Power State Descriptor, Base 2.0 §5.17. 32 bytes.
struct PowerStateDescriptor {
  uint16_t mp = 0;  // Maximum Power, units per MXPS
  uint8_t rsvd2 = 0;
  uint8_t flags = 0;   // bit 0 MXPS (0: 0.01 W, 1: 0.0001 W), bit 1 NOPS (non-operational)
  uint32_t enlat = 0;  // Entry Latency, microseconds
  uint32_t exlat = 0;  // Exit Latency, microseconds
  uint8_t rrt = 0;     // Relative Read Throughput (bits 4:0)
  uint8_t rrl = 0;     // Relative Read Latency (bits 4:0)
  uint8_t rwt = 0;     // Relative Write Throughput (bits 4:0)
  uint8_t rwl = 0;     // Relative Write Latency (bits 4:0)
  uint16_t idlp = 0;   // Idle Power
  uint8_t ips = 0;     // bits 7:6 Idle Power Scale (see PowerScale)
  uint8_t rsvd19 = 0;
  uint16_t actp = 0;  // Active Power
  uint8_t apws = 0;   // bits 2:0 Active Power Workload, bits 7:6 Active Power Scale
  uint8_t rsvd23[9] = {};
};
static_assert(sizeof(PowerStateDescriptor) == 32);
static_assert(offsetof(PowerStateDescriptor, mp) == 0);
static_assert(offsetof(PowerStateDescriptor, flags) == 3);
static_assert(offsetof(PowerStateDescriptor, enlat) == 4);
static_assert(offsetof(PowerStateDescriptor, exlat) == 8);
static_assert(offsetof(PowerStateDescriptor, rrt) == 12);
static_assert(offsetof(PowerStateDescriptor, rrl) == 13);
static_assert(offsetof(PowerStateDescriptor, rwt) == 14);
static_assert(offsetof(PowerStateDescriptor, rwl) == 15);
static_assert(offsetof(PowerStateDescriptor, idlp) == 16);
static_assert(offsetof(PowerStateDescriptor, ips) == 18);
static_assert(offsetof(PowerStateDescriptor, actp) == 20);
static_assert(offsetof(PowerStateDescriptor, apws) == 22);
static_assert(offsetof(PowerStateDescriptor, rsvd23) == 23);

// PowerStateDescriptor.flags bits (Power State Descriptor).
inline constexpr uint8_t kPsdFlagMxps = 1u << 0;  // Max Power Scale 0.0001 W
inline constexpr uint8_t kPsdFlagNops = 1u << 1;  // Non-Operational State
// IPS / APS values (Power State Descriptor).
enum class PowerScale : uint8_t { kNotReported = 0, k0_0001W = 1, k0_01W = 2 };

// Identify Controller data structure (CNS 01h), Base 2.0 §5.17. 4096 bytes.
// Fields marked "2.x" sit in bytes that the first 2.0 release left reserved
// and that later 2.x revisions define; a controller that does not implement
// them reports zero there, exactly as for a reserved field.
struct IdentifyController {
  // Controller capabilities and features (bytes 0-255).
  uint16_t vid = 0;      // 0    PCI Vendor ID
  uint16_t ssvid = 0;    // 2    PCI Subsystem Vendor ID
  char sn[20] = {};      // 4    Serial Number (ASCII, space padded)
  char mn[40] = {};      // 24   Model Number (ASCII, space padded)
  char fr[8] = {};       // 64   Firmware Revision (ASCII, space padded)
  uint8_t rab = 0;       // 72   Recommended Arbitration Burst (2^n)
  uint8_t ieee[3] = {};  // 73   IEEE OUI Identifier
  uint8_t cmic = 0;      // 76   Multi-Path I/O and Namespace Sharing Capabilities
  uint8_t mdts = 0;      // 77   Maximum Data Transfer Size (2^n * CAP.MPSMIN; 0 = none)
  uint16_t cntlid = 0;   // 78   Controller ID
  uint32_t ver = 0;      // 80   Version (same as VS)
  uint32_t rtd3r = 0;    // 84   RTD3 Resume Latency, microseconds
  uint32_t rtd3e = 0;    // 88   RTD3 Entry Latency, microseconds
  uint32_t oaes = 0;     // 92   Optional Asynchronous Events Supported
  uint32_t ctratt = 0;   // 96   Controller Attributes
  uint16_t rrls = 0;     // 100  Read Recovery Levels Supported
  uint8_t bpcap = 0;     // 102  Boot Partition Capabilities (2.x)
  uint8_t rsvd103 = 0;
  uint32_t nssl = 0;  // 104  NVM Subsystem Shutdown Latency, microseconds (2.x)
  uint8_t rsvd108[3] = {};
  uint8_t cntrltype = 0;   // 111  Controller Type (see ControllerType)
  uint8_t fguid[16] = {};  // 112  FRU Globally Unique Identifier
  uint16_t crdt1 = 0;      // 128  Command Retry Delay Time 1, 100 ms units
  uint16_t crdt2 = 0;      // 130  Command Retry Delay Time 2
  uint16_t crdt3 = 0;      // 132  Command Retry Delay Time 3
  uint8_t rsvd134[106] = {};
  uint8_t rsvd240[13] = {};  // 240  NVMe-MI region
  uint8_t nvmsr = 0;         // 253  NVM Subsystem Report (NVMe-MI)
  uint8_t vwci = 0;          // 254  VPD Write Cycle Information (NVMe-MI)
  uint8_t mec = 0;           // 255  Management Endpoint Capabilities (NVMe-MI)
  // Admin command set attributes and optional controller capabilities (256-511).
  uint16_t oacs = 0;       // 256  Optional Admin Command Support
  uint8_t acl = 0;         // 258  Abort Command Limit (0's based)
  uint8_t aerl = 0;        // 259  Asynchronous Event Request Limit (0's based)
  uint8_t frmw = 0;        // 260  Firmware Updates
  uint8_t lpa = 0;         // 261  Log Page Attributes
  uint8_t elpe = 0;        // 262  Error Log Page Entries (0's based)
  uint8_t npss = 0;        // 263  Number of Power States Support (0's based)
  uint8_t avscc = 0;       // 264  Admin Vendor Specific Command Configuration
  uint8_t apsta = 0;       // 265  Autonomous Power State Transition Attributes
  uint16_t wctemp = 0;     // 266  Warning Composite Temperature Threshold, kelvin
  uint16_t cctemp = 0;     // 268  Critical Composite Temperature Threshold, kelvin
  uint16_t mtfa = 0;       // 270  Maximum Time for Firmware Activation, 100 ms units
  uint32_t hmpre = 0;      // 272  Host Memory Buffer Preferred Size, 4 KiB units
  uint32_t hmmin = 0;      // 276  Host Memory Buffer Minimum Size, 4 KiB units
  Uint128 tnvmcap;         // 280  Total NVM Capacity, bytes
  Uint128 unvmcap;         // 296  Unallocated NVM Capacity, bytes
  uint32_t rpmbs = 0;      // 312  Replay Protected Memory Block Support
  uint16_t edstt = 0;      // 316  Extended Device Self-test Time, minutes
  uint8_t dsto = 0;        // 318  Device Self-test Options
  uint8_t fwug = 0;        // 319  Firmware Update Granularity, 4 KiB units
  uint16_t kas = 0;        // 320  Keep Alive Support, 100 ms units
  uint16_t hctma = 0;      // 322  Host Controlled Thermal Management Attributes
  uint16_t mntmt = 0;      // 324  Minimum Thermal Management Temperature, kelvin
  uint16_t mxtmt = 0;      // 326  Maximum Thermal Management Temperature, kelvin
  uint32_t sanicap = 0;    // 328  Sanitize Capabilities
  uint32_t hmminds = 0;    // 332  Host Memory Buffer Minimum Descriptor Entry Size, 4 KiB
  uint16_t hmmaxd = 0;     // 336  Host Memory Maximum Descriptors Entries
  uint16_t nsetidmax = 0;  // 338  NVM Set Identifier Maximum
  uint16_t endgidmax = 0;  // 340  Endurance Group Identifier Maximum
  uint8_t anatt = 0;       // 342  ANA Transition Time, seconds
  uint8_t anacap = 0;      // 343  Asymmetric Namespace Access Capabilities
  uint32_t anagrpmax = 0;  // 344  ANA Group Identifier Maximum
  uint32_t nanagrpid = 0;  // 348  Number of ANA Group Identifiers
  uint32_t pels = 0;       // 352  Persistent Event Log Size, 64 KiB units
  uint16_t domainid = 0;   // 356  Domain Identifier
  uint8_t rsvd358[10] = {};
  Uint128 megcap;       // 368  Max Endurance Group Capacity, bytes
  uint8_t tmpthha = 0;  // 384  Temperature Threshold Hysteresis Attributes (2.x)
  uint8_t rsvd385 = 0;
  uint16_t cqt = 0;  // 386  Command Quiesce Time, milliseconds (2.x)
  uint8_t rsvd388[124] = {};
  // NVM command set attributes (512-767).
  uint8_t sqes = 0;     // 512  SQ Entry Size: bits 3:0 required, 7:4 maximum (2^n)
  uint8_t cqes = 0;     // 513  CQ Entry Size: bits 3:0 required, 7:4 maximum (2^n)
  uint16_t maxcmd = 0;  // 514  Maximum Outstanding Commands (fabrics)
  uint32_t nn = 0;      // 516  Number of Namespaces (maximum valid NSID)
  uint16_t oncs = 0;    // 520  Optional NVM Command Support
  uint16_t fuses = 0;   // 522  Fused Operation Support
  uint8_t fna = 0;      // 524  Format NVM Attributes
  uint8_t vwc = 0;      // 525  Volatile Write Cache
  uint16_t awun = 0;    // 526  Atomic Write Unit Normal (0's based, blocks)
  uint16_t awupf = 0;   // 528  Atomic Write Unit Power Fail (0's based, blocks)
  uint8_t icsvscc = 0;  // 530  I/O Command Set Vendor Specific Command Configuration
  uint8_t nwpc = 0;     // 531  Namespace Write Protection Capabilities
  uint16_t acwu = 0;    // 532  Atomic Compare & Write Unit (0's based)
  uint16_t ocfs = 0;    // 534  Optional Copy Formats Supported
  uint32_t sgls = 0;    // 536  SGL Support
  uint32_t mnan = 0;    // 540  Maximum Number of Allowed Namespaces
  Uint128 maxdna;       // 544  Maximum Domain Namespace Attachments
  uint32_t maxcna = 0;  // 560  Maximum I/O Controller Namespace Attachments
  uint8_t rsvd564[204] = {};
  char subnqn[256] = {};  // 768  NVM Subsystem NVMe Qualified Name (UTF-8, NUL terminated)
  uint8_t rsvd1024[768] = {};
  // Fabrics (1792-2047).
  uint32_t ioccsz = 0;  // 1792 I/O Queue Command Capsule Supported Size, 16 B units
  uint32_t iorcsz = 0;  // 1796 I/O Queue Response Capsule Supported Size, 16 B units
  uint16_t icdoff = 0;  // 1800 In Capsule Data Offset, 16 B units
  uint8_t fcatt = 0;    // 1802 Fabrics Controller Attributes
  uint8_t msdbd = 0;    // 1803 Maximum SGL Data Block Descriptors
  uint16_t ofcs = 0;    // 1804 Optional Fabric Commands Support
  uint8_t dctype = 0;   // 1806 Discovery Controller Type (2.x)
  uint8_t rsvd1807[241] = {};
  PowerStateDescriptor psd[32];  // 2048 Power State 0..31 Descriptors
  uint8_t vs[1024] = {};         // 3072 Vendor Specific
};
static_assert(sizeof(IdentifyController) == 4096);
static_assert(offsetof(IdentifyController, vid) == 0);
static_assert(offsetof(IdentifyController, ssvid) == 2);
static_assert(offsetof(IdentifyController, sn) == 4);
static_assert(offsetof(IdentifyController, mn) == 24);
static_assert(offsetof(IdentifyController, fr) == 64);
static_assert(offsetof(IdentifyController, rab) == 72);
static_assert(offsetof(IdentifyController, ieee) == 73);
static_assert(offsetof(IdentifyController, cmic) == 76);
static_assert(offsetof(IdentifyController, mdts) == 77);
static_assert(offsetof(IdentifyController, cntlid) == 78);
static_assert(offsetof(IdentifyController, ver) == 80);
static_assert(offsetof(IdentifyController, rtd3r) == 84);
static_assert(offsetof(IdentifyController, rtd3e) == 88);
static_assert(offsetof(IdentifyController, oaes) == 92);
static_assert(offsetof(IdentifyController, ctratt) == 96);
static_assert(offsetof(IdentifyController, rrls) == 100);
static_assert(offsetof(IdentifyController, bpcap) == 102);
static_assert(offsetof(IdentifyController, nssl) == 104);
static_assert(offsetof(IdentifyController, cntrltype) == 111);
static_assert(offsetof(IdentifyController, fguid) == 112);
static_assert(offsetof(IdentifyController, crdt1) == 128);
static_assert(offsetof(IdentifyController, crdt2) == 130);
static_assert(offsetof(IdentifyController, crdt3) == 132);
static_assert(offsetof(IdentifyController, rsvd134) == 134);
static_assert(offsetof(IdentifyController, rsvd240) == 240);
static_assert(offsetof(IdentifyController, nvmsr) == 253);
static_assert(offsetof(IdentifyController, vwci) == 254);
static_assert(offsetof(IdentifyController, mec) == 255);
static_assert(offsetof(IdentifyController, oacs) == 256);
static_assert(offsetof(IdentifyController, acl) == 258);
static_assert(offsetof(IdentifyController, aerl) == 259);
static_assert(offsetof(IdentifyController, frmw) == 260);
static_assert(offsetof(IdentifyController, lpa) == 261);
static_assert(offsetof(IdentifyController, elpe) == 262);
static_assert(offsetof(IdentifyController, npss) == 263);
static_assert(offsetof(IdentifyController, avscc) == 264);
static_assert(offsetof(IdentifyController, apsta) == 265);
static_assert(offsetof(IdentifyController, wctemp) == 266);
static_assert(offsetof(IdentifyController, cctemp) == 268);
static_assert(offsetof(IdentifyController, mtfa) == 270);
static_assert(offsetof(IdentifyController, hmpre) == 272);
static_assert(offsetof(IdentifyController, hmmin) == 276);
static_assert(offsetof(IdentifyController, tnvmcap) == 280);
static_assert(offsetof(IdentifyController, unvmcap) == 296);
static_assert(offsetof(IdentifyController, rpmbs) == 312);
static_assert(offsetof(IdentifyController, edstt) == 316);
static_assert(offsetof(IdentifyController, dsto) == 318);
static_assert(offsetof(IdentifyController, fwug) == 319);
static_assert(offsetof(IdentifyController, kas) == 320);
static_assert(offsetof(IdentifyController, hctma) == 322);
static_assert(offsetof(IdentifyController, mntmt) == 324);
static_assert(offsetof(IdentifyController, mxtmt) == 326);
static_assert(offsetof(IdentifyController, sanicap) == 328);
static_assert(offsetof(IdentifyController, hmminds) == 332);
static_assert(offsetof(IdentifyController, hmmaxd) == 336);
static_assert(offsetof(IdentifyController, nsetidmax) == 338);
static_assert(offsetof(IdentifyController, endgidmax) == 340);
static_assert(offsetof(IdentifyController, anatt) == 342);
static_assert(offsetof(IdentifyController, anacap) == 343);
static_assert(offsetof(IdentifyController, anagrpmax) == 344);
static_assert(offsetof(IdentifyController, nanagrpid) == 348);
static_assert(offsetof(IdentifyController, pels) == 352);
static_assert(offsetof(IdentifyController, domainid) == 356);
static_assert(offsetof(IdentifyController, megcap) == 368);
static_assert(offsetof(IdentifyController, tmpthha) == 384);
static_assert(offsetof(IdentifyController, cqt) == 386);
static_assert(offsetof(IdentifyController, sqes) == 512);
static_assert(offsetof(IdentifyController, cqes) == 513);
static_assert(offsetof(IdentifyController, maxcmd) == 514);
static_assert(offsetof(IdentifyController, nn) == 516);
static_assert(offsetof(IdentifyController, oncs) == 520);
static_assert(offsetof(IdentifyController, fuses) == 522);
static_assert(offsetof(IdentifyController, fna) == 524);
static_assert(offsetof(IdentifyController, vwc) == 525);
static_assert(offsetof(IdentifyController, awun) == 526);
static_assert(offsetof(IdentifyController, awupf) == 528);
static_assert(offsetof(IdentifyController, icsvscc) == 530);
static_assert(offsetof(IdentifyController, nwpc) == 531);
static_assert(offsetof(IdentifyController, acwu) == 532);
static_assert(offsetof(IdentifyController, ocfs) == 534);
static_assert(offsetof(IdentifyController, sgls) == 536);
static_assert(offsetof(IdentifyController, mnan) == 540);
static_assert(offsetof(IdentifyController, maxdna) == 544);
static_assert(offsetof(IdentifyController, maxcna) == 560);
static_assert(offsetof(IdentifyController, subnqn) == 768);
static_assert(offsetof(IdentifyController, ioccsz) == 1792);
static_assert(offsetof(IdentifyController, iorcsz) == 1796);
static_assert(offsetof(IdentifyController, icdoff) == 1800);
static_assert(offsetof(IdentifyController, fcatt) == 1802);
static_assert(offsetof(IdentifyController, msdbd) == 1803);
static_assert(offsetof(IdentifyController, ofcs) == 1804);
static_assert(offsetof(IdentifyController, dctype) == 1806);
static_assert(offsetof(IdentifyController, psd) == 2048);
static_assert(offsetof(IdentifyController, vs) == 3072);

// CMIC bits (Identify Controller, byte 76).
inline constexpr uint8_t kCmicMultiPort = 1u << 0;        // more than one subsystem port
inline constexpr uint8_t kCmicMultiController = 1u << 1;  // two or more controllers
inline constexpr uint8_t kCmicSriov = 1u << 2;            // SR-IOV virtual function
inline constexpr uint8_t kCmicAnaReporting = 1u << 3;     // ANA reporting supported

// OAES bits (Identify Controller, bytes 95:92).
inline constexpr uint32_t kOaesNamespaceAttributeNotices = 1u << 8;
inline constexpr uint32_t kOaesFirmwareActivationNotices = 1u << 9;
inline constexpr uint32_t kOaesAnaChangeNotices = 1u << 11;
inline constexpr uint32_t kOaesPredictableLatencyEventNotices = 1u << 12;
inline constexpr uint32_t kOaesLbaStatusInformationNotices = 1u << 13;
inline constexpr uint32_t kOaesEnduranceGroupEventNotices = 1u << 14;
inline constexpr uint32_t kOaesNormalSubsystemShutdownNotices = 1u << 15;
inline constexpr uint32_t kOaesZoneDescriptorChangedNotices =
    1u << 27;  // ZNS 1.1 Identify Controller OAES
inline constexpr uint32_t kOaesDiscoveryLogChangeNotices = 1u << 31;

// CTRATT bits (Identify Controller, bytes 99:96).
inline constexpr uint32_t kCtrattHostId128 = 1u << 0;
inline constexpr uint32_t kCtrattNonOperationalPowerStatePermissive = 1u << 1;
inline constexpr uint32_t kCtrattNvmSets = 1u << 2;
inline constexpr uint32_t kCtrattReadRecoveryLevels = 1u << 3;
inline constexpr uint32_t kCtrattEnduranceGroups = 1u << 4;
inline constexpr uint32_t kCtrattPredictableLatencyMode = 1u << 5;
inline constexpr uint32_t kCtrattTrafficBasedKeepAlive = 1u << 6;
inline constexpr uint32_t kCtrattNamespaceGranularity = 1u << 7;
inline constexpr uint32_t kCtrattSqAssociations = 1u << 8;
inline constexpr uint32_t kCtrattUuidList = 1u << 9;
inline constexpr uint32_t kCtrattMultiDomainSubsystem = 1u << 10;
inline constexpr uint32_t kCtrattFixedCapacityManagement = 1u << 11;
inline constexpr uint32_t kCtrattVariableCapacityManagement = 1u << 12;
inline constexpr uint32_t kCtrattDeleteEnduranceGroup = 1u << 13;
inline constexpr uint32_t kCtrattDeleteNvmSet = 1u << 14;
inline constexpr uint32_t kCtrattExtendedLbaFormats = 1u << 15;

// CNTRLTYPE values (Identify Controller, byte 111).
enum class ControllerType : uint8_t {
  kNotReported = 0,
  kIo = 1,
  kDiscovery = 2,
  kAdministrative = 3,
};

// OACS bits (Identify Controller, bytes 257:256).
inline constexpr uint16_t kOacsSecuritySendReceive = 1u << 0;
inline constexpr uint16_t kOacsFormatNvm = 1u << 1;
inline constexpr uint16_t kOacsFirmware = 1u << 2;
inline constexpr uint16_t kOacsNamespaceManagement = 1u << 3;
inline constexpr uint16_t kOacsDeviceSelfTest = 1u << 4;
inline constexpr uint16_t kOacsDirectives = 1u << 5;
inline constexpr uint16_t kOacsNvmeMi = 1u << 6;
inline constexpr uint16_t kOacsVirtualizationManagement = 1u << 7;
inline constexpr uint16_t kOacsDoorbellBufferConfig = 1u << 8;
inline constexpr uint16_t kOacsGetLbaStatus = 1u << 9;
inline constexpr uint16_t kOacsCommandFeatureLockdown = 1u << 10;

// FRMW (Identify Controller, byte 260): bit 0 slot 1 read only, bits 3:1
// number of slots, bit 4 activation without reset, bit 5 multiple update
// detection.
inline constexpr uint8_t kFrmwSlot1ReadOnly = 1u << 0;
inline constexpr uint8_t kFrmwActivationWithoutReset = 1u << 4;
inline constexpr uint8_t kFrmwMultipleUpdateDetection = 1u << 5;  // 2.x
constexpr uint8_t FrmwNumberOfSlots(uint8_t frmw) { return (frmw >> 1) & 0x7; }
constexpr uint8_t FrmwMake(uint8_t slots, bool slot1_read_only, bool activation_without_reset) {
  return static_cast<uint8_t>(((slots & 0x7) << 1) | (slot1_read_only ? kFrmwSlot1ReadOnly : 0) |
                              (activation_without_reset ? kFrmwActivationWithoutReset : 0));
}

// LPA bits (Identify Controller, byte 261).
inline constexpr uint8_t kLpaSmartPerNamespace = 1u << 0;
inline constexpr uint8_t kLpaCommandsSupportedEffects = 1u << 1;
inline constexpr uint8_t kLpaExtendedData = 1u << 2;  // LPO, NUMDU, 32-bit NUMD
inline constexpr uint8_t kLpaTelemetry = 1u << 3;
inline constexpr uint8_t kLpaPersistentEventLog = 1u << 4;
// Supported Log Pages (LID 00h), command scope in LID 05h, LIDs 12h and 13h.
inline constexpr uint8_t kLpaSupportedLogPagesAndEffects = 1u << 5;
inline constexpr uint8_t kLpaTelemetryDataArea4 = 1u << 6;

// APSTA bit 0 (Identify Controller, byte 265).
inline constexpr uint8_t kApstaSupported = 1u << 0;

// HCTMA bit 0 (Identify Controller, bytes 323:322).
inline constexpr uint16_t kHctmaSupported = 1u << 0;

// SANICAP bits (Identify Controller, bytes 331:328).
inline constexpr uint32_t kSanicapCryptoErase = 1u << 0;
inline constexpr uint32_t kSanicapBlockErase = 1u << 1;
inline constexpr uint32_t kSanicapOverwrite = 1u << 2;
inline constexpr uint32_t kSanicapNoDeallocateInhibited = 1u << 29;

// ANACAP bits (Identify Controller, byte 343).
inline constexpr uint8_t kAnacapOptimized = 1u << 0;
inline constexpr uint8_t kAnacapNonOptimized = 1u << 1;
inline constexpr uint8_t kAnacapInaccessible = 1u << 2;
inline constexpr uint8_t kAnacapPersistentLoss = 1u << 3;
inline constexpr uint8_t kAnacapChange = 1u << 4;
inline constexpr uint8_t kAnacapGroupIdStaticWhileAttached = 1u << 6;
inline constexpr uint8_t kAnacapNonZeroGroupIdInNsManagement = 1u << 7;

// SQES / CQES (bytes 512, 513): required size in bits 3:0, maximum in bits
// 7:4, both as log2 of bytes.
constexpr uint8_t EntrySizes(uint8_t required_log2, uint8_t maximum_log2) {
  return static_cast<uint8_t>((required_log2 & 0xF) | ((maximum_log2 & 0xF) << 4));
}
constexpr uint8_t EntrySizeRequired(uint8_t v) { return v & 0xF; }
constexpr uint8_t EntrySizeMaximum(uint8_t v) { return v >> 4; }

// ONCS bits (Identify Controller, bytes 521:520).
inline constexpr uint16_t kOncsCompare = 1u << 0;
inline constexpr uint16_t kOncsWriteUncorrectable = 1u << 1;
inline constexpr uint16_t kOncsDatasetManagement = 1u << 2;
inline constexpr uint16_t kOncsWriteZeroes = 1u << 3;
inline constexpr uint16_t kOncsSaveSelectFeatures = 1u << 4;
inline constexpr uint16_t kOncsReservations = 1u << 5;
inline constexpr uint16_t kOncsTimestamp = 1u << 6;
inline constexpr uint16_t kOncsVerify = 1u << 7;
inline constexpr uint16_t kOncsCopy = 1u << 8;

// FUSES bit 0: Compare and Write (Identify Controller, bytes 523:522).
inline constexpr uint16_t kFusesCompareAndWrite = 1u << 0;

// FNA bits (Identify Controller, byte 524).
inline constexpr uint8_t kFnaFormatAllNamespaces = 1u << 0;
inline constexpr uint8_t kFnaSecureEraseAllNamespaces = 1u << 1;
inline constexpr uint8_t kFnaCryptoEraseSupported = 1u << 2;
inline constexpr uint8_t kFnaFormatBroadcastNotSupported = 1u << 3;

// VWC (Identify Controller, byte 525): bit 0 present; bits 2:1 flush
// broadcast behaviour.
inline constexpr uint8_t kVwcPresent = 1u << 0;
inline constexpr uint8_t kVwcFlushBroadcastNotSupported = 0b10u << 1;
inline constexpr uint8_t kVwcFlushBroadcastSupported = 0b11u << 1;

// SGLS (Identify Controller, bytes 539:536).
inline constexpr uint32_t kSglsSupportedNoAlignment = 0b01u;     // bits 1:0
inline constexpr uint32_t kSglsSupportedDwordAlignment = 0b10u;  // bits 1:0
inline constexpr uint32_t kSglsKeyedDataBlock = 1u << 2;
inline constexpr uint32_t kSglsBitBucket = 1u << 16;
inline constexpr uint32_t kSglsByteAlignedMetadata = 1u << 17;
inline constexpr uint32_t kSglsLengthLargerThanData = 1u << 18;
inline constexpr uint32_t kSglsMptrSgl = 1u << 19;
inline constexpr uint32_t kSglsAddressAsOffset = 1u << 20;
inline constexpr uint32_t kSglsTransportDataBlock = 1u << 21;
constexpr uint32_t SglsSupport(uint32_t sgls) { return sgls & 0x3; }

// I/O Command Set Specific Identify Controller for the NVM command set
// (CNS 06h, CSI 00h), NVM 1.0 §4.1.5.
struct IdentifyControllerNvm {
  uint8_t vsl = 0;     // 0  Verify Size Limit (2^n * CAP.MPSMIN; 0 = none)
  uint8_t wzsl = 0;    // 1  Write Zeroes Size Limit
  uint8_t wusl = 0;    // 2  Write Uncorrectable Size Limit
  uint8_t dmrl = 0;    // 3  Dataset Management Ranges Limit
  uint32_t dmrsl = 0;  // 4  Dataset Management Range Size Limit, logical blocks
  uint64_t dmsl = 0;   // 8  Dataset Management Size Limit, logical blocks
  uint8_t rsvd16[4080] = {};
};
static_assert(sizeof(IdentifyControllerNvm) == 4096);
static_assert(offsetof(IdentifyControllerNvm, vsl) == 0);
static_assert(offsetof(IdentifyControllerNvm, wzsl) == 1);
static_assert(offsetof(IdentifyControllerNvm, wusl) == 2);
static_assert(offsetof(IdentifyControllerNvm, dmrl) == 3);
static_assert(offsetof(IdentifyControllerNvm, dmrsl) == 4);
static_assert(offsetof(IdentifyControllerNvm, dmsl) == 8);
const char* ControllerTypeName(ControllerType t);

}  // namespace nvmesim::spec
