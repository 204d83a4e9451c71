// Set Features / Get Features and Asynchronous Events. NVMe Base
// Specification 2.0 §5.27 (Set Features: Feature Identifiers and the layout
// of each feature's dwords and data), §5.15 (Get Features: Select, Supported
// Capabilities), §5.2 (Asynchronous Event Request: completion dword 0 and the
// event type / information tables); NVM Command Set 1.0 (LBA Range Type,
// Error Recovery DULBE); ZNS 1.1 (Zone Descriptor Changed notice).
#pragma once

#include <cstddef>
#include <cstdint>

#include "spec/unaligned.h"

namespace nvmesim::spec {

// Feature Identifiers, Base 2.0 §5.27.1 (FID table).
enum class FeatureId : uint8_t {
  kArbitration = 0x01,
  kPowerManagement = 0x02,
  kLbaRangeType = 0x03,  // NVM Command Set 1.0
  kTemperatureThreshold = 0x04,
  kErrorRecovery = 0x05,
  kVolatileWriteCache = 0x06,
  kNumberOfQueues = 0x07,
  kInterruptCoalescing = 0x08,
  kInterruptVectorConfiguration = 0x09,
  kWriteAtomicityNormal = 0x0A,
  kAsyncEventConfiguration = 0x0B,
  kAutonomousPowerStateTransition = 0x0C,
  kHostMemoryBuffer = 0x0D,
  kTimestamp = 0x0E,
  kKeepAliveTimer = 0x0F,
  kHostControlledThermalManagement = 0x10,
  kNonOperationalPowerStateConfig = 0x11,
  kReadRecoveryLevelConfig = 0x12,
  kPredictableLatencyModeConfig = 0x13,
  kPredictableLatencyModeWindow = 0x14,
  kLbaStatusInformationAttributes = 0x15,
  kHostBehaviorSupport = 0x16,
  kSanitizeConfig = 0x17,
  kEnduranceGroupEventConfiguration = 0x18,
  kIoCommandSetProfile = 0x19,
  kSpinupControl = 0x1A,
  kEnhancedControllerMetadata = 0x7D,
  kControllerMetadata = 0x7E,
  kNamespaceMetadata = 0x7F,
  kSoftwareProgressMarker = 0x80,
  kHostIdentifier = 0x81,
  kReservationNotificationMask = 0x82,
  kReservationPersistence = 0x83,
  kNamespaceWriteProtectionConfig = 0x84,
};

// Get Features Select (CDW10 bits 10:8), Base 2.0 §5.15.
enum class FeatureSelect : uint8_t {
  kCurrent = 0,
  kDefault = 1,
  kSaved = 2,
  kSupportedCapabilities = 3,
};
// Completion DW0 for Select = Supported Capabilities (Base 2.0 §5.15).
inline constexpr uint32_t kFeatureCapSaveable = 1u << 0;
inline constexpr uint32_t kFeatureCapNamespaceSpecific = 1u << 1;
inline constexpr uint32_t kFeatureCapChangeable = 1u << 2;

// Set Features CDW10: FID 7:0, SV (save) bit 31. Get Features CDW10: FID 7:0,
// SEL 10:8. Both: CDW14 bits 6:0 UUID index.
constexpr uint32_t SetFeaturesCdw10(FeatureId fid, bool save = false) {
  return static_cast<uint8_t>(fid) | (save ? 1u << 31 : 0u);
}
constexpr uint32_t GetFeaturesCdw10(FeatureId fid, FeatureSelect sel = FeatureSelect::kCurrent) {
  return static_cast<uint8_t>(fid) | ((static_cast<uint32_t>(sel) & 0x7u) << 8);
}
constexpr uint8_t FeaturesFid(uint32_t cdw10) { return static_cast<uint8_t>(cdw10 & 0xFF); }
constexpr bool FeaturesSave(uint32_t cdw10) { return (cdw10 >> 31) & 1u; }
constexpr FeatureSelect FeaturesSelect(uint32_t cdw10) {
  return static_cast<FeatureSelect>((cdw10 >> 8) & 0x7);
}

// Dword 11 (and result DW0) layouts. Each value type names the fields as the
// spec does; setters return *this.
#define NVMESIM_FEATURE_FIELD(Type, name, shift, width)                                  \
  constexpr uint32_t name() const { return (raw >> (shift)) & ((1ull << (width)) - 1); } \
  constexpr Type& set_##name(uint32_t v) {                                               \
    const uint32_t m = static_cast<uint32_t>(((1ull << (width)) - 1) << (shift));        \
    raw = (raw & ~m) | ((v << (shift)) & m);                                             \
    return *this;                                                                        \
  }

// Arbitration (FID 01h), Base 2.0 §5.27.1.
struct ArbitrationFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(ArbitrationFeature, ab, 0, 3)    // Arbitration Burst, 2^n (7: no limit)
  NVMESIM_FEATURE_FIELD(ArbitrationFeature, lpw, 8, 8)   // Low Priority Weight (0's based)
  NVMESIM_FEATURE_FIELD(ArbitrationFeature, mpw, 16, 8)  // Medium Priority Weight (0's based)
  NVMESIM_FEATURE_FIELD(ArbitrationFeature, hpw, 24, 8)  // High Priority Weight (0's based)
};
inline constexpr uint32_t kArbitrationBurstNoLimit = 0x7;

// Power Management (FID 02h).
struct PowerManagementFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(PowerManagementFeature, ps, 0, 5)  // Power State
  NVMESIM_FEATURE_FIELD(PowerManagementFeature, wh, 5, 3)  // Workload Hint
};

// Temperature Threshold (FID 04h).
struct TemperatureThresholdFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(TemperatureThresholdFeature, tmpth, 0, 16)   // Threshold, kelvin
  NVMESIM_FEATURE_FIELD(TemperatureThresholdFeature, tmpsel, 16, 4)  // Threshold Temperature Select
  NVMESIM_FEATURE_FIELD(TemperatureThresholdFeature, thsel, 20, 2)   // Threshold Type Select
};
// TMPSEL: 0 composite, 1..8 temperature sensor n, Fh all; THSEL: over / under.
inline constexpr uint32_t kTmpselComposite = 0x0;
inline constexpr uint32_t kTmpselAll = 0xF;
enum class ThresholdType : uint8_t { kOverTemperature = 0, kUnderTemperature = 1 };

// Error Recovery (FID 05h); DULBE from NVM Command Set 1.0.
struct ErrorRecoveryFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(ErrorRecoveryFeature, tler, 0, 16)   // Time Limited Error Recovery, 100 ms
  NVMESIM_FEATURE_FIELD(ErrorRecoveryFeature, dulbe, 16, 1)  // Deallocated or Unwritten Block Error
};

// Volatile Write Cache (FID 06h).
struct VolatileWriteCacheFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(VolatileWriteCacheFeature, wce, 0, 1)  // Volatile Write Cache Enable
};

// Number of Queues (FID 07h): CDW11 requests, completion DW0 allocates. All 0's
// based; 65535 (FFFFh) is invalid in a request.
struct NumberOfQueuesFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(NumberOfQueuesFeature, nsqr, 0, 16)   // SQs Requested (NSQA in DW0)
  NVMESIM_FEATURE_FIELD(NumberOfQueuesFeature, ncqr, 16, 16)  // CQs Requested (NCQA in DW0)
  constexpr uint32_t nsqa() const { return nsqr(); }
  constexpr uint32_t ncqa() const { return ncqr(); }
};
inline constexpr uint32_t kNumberOfQueuesInvalid = 0xFFFF;

// Interrupt Coalescing (FID 08h).
struct InterruptCoalescingFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(InterruptCoalescingFeature, thr, 0, 8)  // Aggregation Threshold (0's based)
  NVMESIM_FEATURE_FIELD(InterruptCoalescingFeature, time, 8, 8)  // Aggregation Time, 100 us units
};

// Interrupt Vector Configuration (FID 09h).
struct InterruptVectorConfigFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(InterruptVectorConfigFeature, iv, 0, 16)  // Interrupt Vector
  NVMESIM_FEATURE_FIELD(InterruptVectorConfigFeature, cd, 16, 1)  // Coalescing Disable
};

// Write Atomicity Normal (FID 0Ah).
struct WriteAtomicityFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(WriteAtomicityFeature, dn, 0, 1)  // Disable Normal
};

// Asynchronous Event Configuration (FID 0Bh): bits 7:0 enable an event for the
// matching SMART critical warning bit; the rest enable notices.
inline constexpr uint32_t kAecSmartCriticalWarningMask = 0xFF;
inline constexpr uint32_t kAecNamespaceAttributeNotices = 1u << 8;
inline constexpr uint32_t kAecFirmwareActivationNotices = 1u << 9;
inline constexpr uint32_t kAecTelemetryLogNotices = 1u << 10;
inline constexpr uint32_t kAecAnaChangeNotices = 1u << 11;
inline constexpr uint32_t kAecPredictableLatencyEventNotices = 1u << 12;
inline constexpr uint32_t kAecLbaStatusInformationNotices = 1u << 13;
inline constexpr uint32_t kAecEnduranceGroupEventNotices = 1u << 14;
inline constexpr uint32_t kAecNormalSubsystemShutdownNotices = 1u << 15;
inline constexpr uint32_t kAecZoneDescriptorChangedNotices = 1u << 27;  // ZNS 1.1
inline constexpr uint32_t kAecDiscoveryLogChangeNotices = 1u << 31;

// Autonomous Power State Transition (FID 0Ch): CDW11 bit 0 APSTE; data is 32
// entries of 8 bytes, one per power state.
inline constexpr uint32_t kApstEnable = 1u << 0;
struct ApstEntry {
  uint64_t raw = 0;
  // Idle Transition Power State, bits 7:3.
  constexpr uint32_t itps() const { return static_cast<uint32_t>((raw >> 3) & 0x1F); }
  // Idle Time Prior to Transition, milliseconds, bits 31:8.
  constexpr uint32_t itpt() const { return static_cast<uint32_t>((raw >> 8) & 0xFFFFFF); }
  constexpr ApstEntry& set_itps(uint32_t v) {
    raw = (raw & ~(uint64_t{0x1F} << 3)) | (uint64_t{v & 0x1Fu} << 3);
    return *this;
  }
  constexpr ApstEntry& set_itpt(uint32_t v) {
    raw = (raw & ~(uint64_t{0xFFFFFF} << 8)) | (uint64_t{v & 0xFFFFFFu} << 8);
    return *this;
  }
};
static_assert(sizeof(ApstEntry) == 8);
struct ApstData {
  ApstEntry entry[32];
};
static_assert(sizeof(ApstData) == 256);

// Host Memory Buffer (FID 0Dh) CDW11: EHM bit 0, MR bit 1; CDW12 HSIZE (pages),
// CDW13/14 descriptor list address, CDW15 descriptor entry count.
inline constexpr uint32_t kHmbEnable = 1u << 0;
inline constexpr uint32_t kHmbMemoryReturn = 1u << 1;

// Timestamp (FID 0Eh) data, 8 bytes: milliseconds since 1970-01-01 UTC in
// bytes 5:0, attributes in byte 6 (bit 0 synch, bits 3:1 origin).
struct TimestampData {
  UnalignedLe48 timestamp;  // 0
  uint8_t attributes = 0;   // 6
  uint8_t rsvd7 = 0;
  constexpr bool synch() const { return (attributes & 1u) != 0; }
  constexpr uint8_t origin() const { return (attributes >> 1) & 0x7; }
};
static_assert(sizeof(TimestampData) == 8);
static_assert(offsetof(TimestampData, timestamp) == 0);
static_assert(offsetof(TimestampData, attributes) == 6);
enum class TimestampOrigin : uint8_t { kReset = 0, kSetFeatures = 1 };

// Keep Alive Timer (FID 0Fh): CDW11 KATO, milliseconds (0 disables).
struct KeepAliveTimerFeature {
  uint32_t raw = 0;
  constexpr uint32_t kato() const { return raw; }
  constexpr KeepAliveTimerFeature& set_kato(uint32_t v) {
    raw = v;
    return *this;
  }
};

// Host Controlled Thermal Management (FID 10h), temperatures in kelvin.
struct HostThermalManagementFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(HostThermalManagementFeature, tmt2, 0, 16)   // Thermal Mgmt Temperature 2
  NVMESIM_FEATURE_FIELD(HostThermalManagementFeature, tmt1, 16, 16)  // Thermal Mgmt Temperature 1
};

// Non-Operational Power State Config (FID 11h).
struct NonOperationalPowerStateFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(NonOperationalPowerStateFeature, noppme, 0, 1)  // Permissive Mode Enable
};

// I/O Command Set Profile (FID 19h): index into the Identify I/O Command Set
// data structure (CNS 1Ch).
struct IoCommandSetProfileFeature {
  uint32_t raw = 0;
  NVMESIM_FEATURE_FIELD(IoCommandSetProfileFeature, iocsci, 0, 9)  // Command Set Combination Index
};

#undef NVMESIM_FEATURE_FIELD

// Host Behavior Support (FID 16h) data, 512 bytes.
struct HostBehaviorSupport {
  uint8_t acre = 0;    // 0 Advanced Command Retry Enable (CRD in CQEs)
  uint8_t etdas = 0;   // 1 Extended Telemetry Data Area 4 Supported
  uint8_t lbafee = 0;  // 2 LBA Format Extension Enable
  uint8_t rsvd3[509] = {};
};
static_assert(sizeof(HostBehaviorSupport) == 512);
static_assert(offsetof(HostBehaviorSupport, acre) == 0);
static_assert(offsetof(HostBehaviorSupport, etdas) == 1);
static_assert(offsetof(HostBehaviorSupport, lbafee) == 2);

// LBA Range Type (FID 03h) entry, NVM Command Set 1.0. 64 bytes; CDW11 bits
// 5:0 give the 0's based number of entries.
struct LbaRangeTypeEntry {
  uint8_t type = 0;        // 0  Type of the range
  uint8_t attributes = 0;  // 1  bit 0 may be overwritten, bit 1 hidden
  uint8_t rsvd2[14] = {};
  uint64_t slba = 0;      // 16 Starting LBA
  uint64_t nlb = 0;       // 24 Number of Logical Blocks (0's based)
  uint8_t guid[16] = {};  // 32 Unique Identifier
  uint8_t rsvd48[16] = {};
};
static_assert(sizeof(LbaRangeTypeEntry) == 64);
static_assert(offsetof(LbaRangeTypeEntry, slba) == 16);
static_assert(offsetof(LbaRangeTypeEntry, nlb) == 24);
static_assert(offsetof(LbaRangeTypeEntry, guid) == 32);

// Asynchronous Event Type, Base 2.0 §5.2 (completion DW0 bits 2:0).
enum class AsyncEventType : uint8_t {
  kErrorStatus = 0,
  kSmartHealthStatus = 1,
  kNotice = 2,
  kImmediate = 3,
  kOneShot = 4,
  kIoCommandSetSpecific = 6,
  kVendorSpecific = 7,
};

// Asynchronous Event Information - Error Status (Base 2.0 §5.2).
enum class AsyncEventError : uint8_t {
  kInvalidSubmissionQueue = 0x00,
  kInvalidDoorbellWriteValue = 0x01,
  kDiagnosticFailure = 0x02,
  kPersistentInternalError = 0x03,
  kTransientInternalError = 0x04,
  kFirmwareImageLoadError = 0x05,
};

// Asynchronous Event Information - SMART / Health Status (Base 2.0 §5.2).
enum class AsyncEventSmart : uint8_t {
  kSubsystemReliability = 0x00,
  kTemperatureThreshold = 0x01,
  kSpareBelowThreshold = 0x02,
};

// Asynchronous Event Information - Notice (Base 2.0 §5.2; EFh from ZNS 1.1).
enum class AsyncEventNotice : uint8_t {
  kNamespaceAttributeChanged = 0x00,
  kFirmwareActivationStarting = 0x01,
  kTelemetryLogChanged = 0x02,
  kAnaChange = 0x03,
  kPredictableLatencyEventAggregateLogChange = 0x04,
  kLbaStatusInformationAlert = 0x05,
  kEnduranceGroupEventAggregateLogChange = 0x06,
  kNormalSubsystemShutdown = 0x07,  // 2.x
  kZoneDescriptorChanged = 0xEF,
  kDiscoveryLogPageChange = 0xF0,
};

// Asynchronous Event Information - I/O Command Set Specific Status for the
// NVM command set (Base 2.0 §5.2).
enum class AsyncEventNvmSpecific : uint8_t {
  kReservationLogPageAvailable = 0x00,
  kSanitizeOperationCompleted = 0x01,
  kSanitizeCompletedWithUnexpectedDeallocation = 0x02,
};

// AER completion dword 0 (Base 2.0 §5.2): Asynchronous Event Type 2:0,
// Asynchronous Event Information 15:8, Log Page Identifier 23:16.
constexpr uint32_t AsyncEventDw0(AsyncEventType type, uint8_t info, uint8_t log_page) {
  return (static_cast<uint32_t>(type) & 0x7u) | (uint32_t{info} << 8) | (uint32_t{log_page} << 16);
}
constexpr AsyncEventType AsyncEventDw0Type(uint32_t dw0) {
  return static_cast<AsyncEventType>(dw0 & 0x7);
}
constexpr uint8_t AsyncEventDw0Info(uint32_t dw0) { return static_cast<uint8_t>(dw0 >> 8); }
constexpr uint8_t AsyncEventDw0LogPage(uint32_t dw0) { return static_cast<uint8_t>(dw0 >> 16); }

const char* FeatureIdName(FeatureId fid);  // nullptr for a reserved identifier
const char* FeatureSelectName(FeatureSelect sel);
const char* AsyncEventTypeName(AsyncEventType type);
// Name of the event information value within its type ("ANA Change"), or
// nullptr when reserved.
const char* AsyncEventInfoName(AsyncEventType type, uint8_t info);

}  // namespace nvmesim::spec
