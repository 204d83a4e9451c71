// Get Log Page data. NVMe Base Specification 2.0 §5.16 (Get Log Page command
// dwords, Log Page Identifiers) and §5.16.1 (Error Information, SMART / Health
// Information, Firmware Slot Information, Changed Namespace List, Commands
// Supported and Effects, Asymmetric Namespace Access); ZNS Command Set 1.1
// (Changed Zone List, LID BFh). Layouts are naturally aligned; fields the
// spec puts at unaligned offsets are byte arrays with accessors.
#pragma once

#include <cstddef>
#include <cstdint>

#include "spec/uint128.h"
#include "spec/unaligned.h"

namespace nvmesim::spec {

// Log Page Identifiers, Base 2.0 §5.16 (LID table).
enum class LogPageId : uint8_t {
  kSupportedLogPages = 0x00,
  kErrorInformation = 0x01,
  kSmartHealth = 0x02,
  kFirmwareSlot = 0x03,
  kChangedNamespaceList = 0x04,
  kCommandsSupportedAndEffects = 0x05,
  kDeviceSelfTest = 0x06,
  kTelemetryHostInitiated = 0x07,
  kTelemetryControllerInitiated = 0x08,
  kEnduranceGroupInformation = 0x09,
  kPredictableLatencyPerNvmSet = 0x0A,
  kPredictableLatencyEventAggregate = 0x0B,
  kAsymmetricNamespaceAccess = 0x0C,
  kPersistentEventLog = 0x0D,
  kLbaStatusInformation = 0x0E,  // NVM Command Set 1.0
  kEnduranceGroupEventAggregate = 0x0F,
  kMediaUnitStatus = 0x10,
  kSupportedCapacityConfigurationList = 0x11,
  kFeatureIdentifiersSupportedAndEffects = 0x12,
  kNvmeMiCommandsSupportedAndEffects = 0x13,
  kCommandAndFeatureLockdown = 0x14,
  kBootPartition = 0x15,
  kRotationalMediaInformation = 0x16,
  kDiscovery = 0x70,
  kReservationNotification = 0x80,
  kSanitizeStatus = 0x81,
  kChangedZoneList = 0xBF,  // ZNS 1.1
};

// Get Log Page dwords, Base 2.0 §5.16: CDW10 LID 7:0, LSP 14:8, RAE 15,
// NUMDL 31:16; CDW11 NUMDU 15:0, LSI 31:16; CDW12/13 LPOL/LPOU (byte offset);
// CDW14 UUID index 6:0, OT 23, CSI 31:24. NUMD is the 0's based dword count.
struct GetLogPageFields {
  uint8_t lid = 0;
  uint8_t lsp = 0;         // 7 bits
  bool rae = false;        // Retain Asynchronous Event
  uint32_t numd = 0;       // 0's based number of dwords (NUMDU:NUMDL)
  uint16_t lsi = 0;        // Log Specific Identifier
  uint64_t lpo = 0;        // Log Page Offset, bytes (or index when OT)
  uint8_t uuid_index = 0;  // 7 bits
  bool ot = false;         // Offset Type
  uint8_t csi = 0;         // Command Set Identifier

  constexpr uint64_t LengthBytes() const { return (uint64_t{numd} + 1) * 4; }
  constexpr uint32_t Cdw10() const {
    return lid | (uint32_t{lsp & 0x7Fu} << 8) | (rae ? 1u << 15 : 0u) | ((numd & 0xFFFFu) << 16);
  }
  constexpr uint32_t Cdw11() const { return (numd >> 16) | (uint32_t{lsi} << 16); }
  constexpr uint32_t Cdw12() const { return static_cast<uint32_t>(lpo); }
  constexpr uint32_t Cdw13() const { return static_cast<uint32_t>(lpo >> 32); }
  constexpr uint32_t Cdw14() const {
    return (uuid_index & 0x7Fu) | (ot ? 1u << 23 : 0u) | (uint32_t{csi} << 24);
  }
  static constexpr GetLogPageFields Decode(uint32_t cdw10, uint32_t cdw11, uint32_t cdw12,
                                           uint32_t cdw13, uint32_t cdw14) {
    GetLogPageFields f;
    f.lid = static_cast<uint8_t>(cdw10 & 0xFF);
    f.lsp = static_cast<uint8_t>((cdw10 >> 8) & 0x7F);
    f.rae = (cdw10 >> 15) & 1u;
    f.numd = (cdw10 >> 16) | ((cdw11 & 0xFFFFu) << 16);
    f.lsi = static_cast<uint16_t>(cdw11 >> 16);
    f.lpo = cdw12 | (uint64_t{cdw13} << 32);
    f.uuid_index = static_cast<uint8_t>(cdw14 & 0x7F);
    f.ot = (cdw14 >> 23) & 1u;
    f.csi = static_cast<uint8_t>(cdw14 >> 24);
    return f;
  }
};

// Error Information Log Entry, Base 2.0 §5.16.1 (LID 01h). 64 bytes.
struct ErrorInformationEntry {
  uint64_t error_count = 0;               // 0  unique, incrementing; 0 = invalid entry
  uint16_t sqid = 0;                      // 8  Submission Queue ID (FFFFh: not specific)
  uint16_t cid = 0;                       // 10 Command ID (FFFFh: not specific)
  uint16_t status_field = 0;              // 12 bit 0 phase tag, 15:1 status (as in the CQE)
  uint16_t parameter_error_location = 0;  // 14 byte 7:0, bit 10:8 of the SQE field in error
  uint64_t lba = 0;                       // 16 first LBA in error
  uint32_t nsid = 0;                      // 24 Namespace
  uint8_t vendor_specific_info = 0;       // 28 VS log page with more information
  uint8_t trtype = 0;                     // 29 Transport Type
  uint8_t rsvd30[2] = {};
  uint64_t command_specific_info = 0;         // 32
  uint16_t transport_type_specific_info = 0;  // 40
  uint8_t rsvd42[22] = {};
};
static_assert(sizeof(ErrorInformationEntry) == 64);
static_assert(offsetof(ErrorInformationEntry, error_count) == 0);
static_assert(offsetof(ErrorInformationEntry, sqid) == 8);
static_assert(offsetof(ErrorInformationEntry, cid) == 10);
static_assert(offsetof(ErrorInformationEntry, status_field) == 12);
static_assert(offsetof(ErrorInformationEntry, parameter_error_location) == 14);
static_assert(offsetof(ErrorInformationEntry, lba) == 16);
static_assert(offsetof(ErrorInformationEntry, nsid) == 24);
static_assert(offsetof(ErrorInformationEntry, vendor_specific_info) == 28);
static_assert(offsetof(ErrorInformationEntry, trtype) == 29);
static_assert(offsetof(ErrorInformationEntry, command_specific_info) == 32);
static_assert(offsetof(ErrorInformationEntry, transport_type_specific_info) == 40);
// Parameter Error Location: bits 7:0 byte, bits 10:8 bit within the byte.
constexpr uint16_t ParameterErrorLocation(uint8_t byte, uint8_t bit) {
  return static_cast<uint16_t>(byte | ((bit & 0x7u) << 8));
}

// SMART / Health Information, Base 2.0 §5.16.1 (LID 02h). 512 bytes.
// Temperatures are kelvin; Data Units are thousands of 512-byte units.
struct SmartHealthLog {
  uint8_t critical_warning = 0;                          // 0   see kCriticalWarning*
  UnalignedLe16 composite_temperature;                   // 1   kelvin
  uint8_t available_spare = 0;                           // 3   percent
  uint8_t available_spare_threshold = 0;                 // 4   percent
  uint8_t percentage_used = 0;                           // 5   may exceed 100
  uint8_t endurance_group_critical_warning_summary = 0;  // 6
  uint8_t rsvd7[25] = {};
  Uint128 data_units_read;                           // 32
  Uint128 data_units_written;                        // 48
  Uint128 host_read_commands;                        // 64
  Uint128 host_write_commands;                       // 80
  Uint128 controller_busy_time;                      // 96  minutes
  Uint128 power_cycles;                              // 112
  Uint128 power_on_hours;                            // 128
  Uint128 unsafe_shutdowns;                          // 144
  Uint128 media_errors;                              // 160 Media and Data Integrity Errors
  Uint128 number_of_error_log_entries;               // 176
  uint32_t warning_composite_temperature_time = 0;   // 192 minutes
  uint32_t critical_composite_temperature_time = 0;  // 196 minutes
  uint16_t temperature_sensor[8] = {};               // 200 kelvin, 0 = not implemented
  uint32_t thermal_management_temperature1_transition_count = 0;  // 216
  uint32_t thermal_management_temperature2_transition_count = 0;  // 220
  uint32_t total_time_thermal_management_temperature1 = 0;        // 224 seconds
  uint32_t total_time_thermal_management_temperature2 = 0;        // 228 seconds
  uint8_t rsvd232[280] = {};
};
static_assert(sizeof(SmartHealthLog) == 512);
static_assert(offsetof(SmartHealthLog, critical_warning) == 0);
static_assert(offsetof(SmartHealthLog, composite_temperature) == 1);
static_assert(offsetof(SmartHealthLog, available_spare) == 3);
static_assert(offsetof(SmartHealthLog, available_spare_threshold) == 4);
static_assert(offsetof(SmartHealthLog, percentage_used) == 5);
static_assert(offsetof(SmartHealthLog, endurance_group_critical_warning_summary) == 6);
static_assert(offsetof(SmartHealthLog, data_units_read) == 32);
static_assert(offsetof(SmartHealthLog, data_units_written) == 48);
static_assert(offsetof(SmartHealthLog, host_read_commands) == 64);
static_assert(offsetof(SmartHealthLog, host_write_commands) == 80);
static_assert(offsetof(SmartHealthLog, controller_busy_time) == 96);
static_assert(offsetof(SmartHealthLog, power_cycles) == 112);
static_assert(offsetof(SmartHealthLog, power_on_hours) == 128);
static_assert(offsetof(SmartHealthLog, unsafe_shutdowns) == 144);
static_assert(offsetof(SmartHealthLog, media_errors) == 160);
static_assert(offsetof(SmartHealthLog, number_of_error_log_entries) == 176);
static_assert(offsetof(SmartHealthLog, warning_composite_temperature_time) == 192);
static_assert(offsetof(SmartHealthLog, critical_composite_temperature_time) == 196);
static_assert(offsetof(SmartHealthLog, temperature_sensor) == 200);
static_assert(offsetof(SmartHealthLog, thermal_management_temperature1_transition_count) == 216);
static_assert(offsetof(SmartHealthLog, thermal_management_temperature2_transition_count) == 220);
static_assert(offsetof(SmartHealthLog, total_time_thermal_management_temperature1) == 224);
static_assert(offsetof(SmartHealthLog, total_time_thermal_management_temperature2) == 228);

// Critical Warning bits (SMART / Health byte 0).
inline constexpr uint8_t kCriticalWarningAvailableSpare = 1u << 0;
inline constexpr uint8_t kCriticalWarningTemperature = 1u << 1;
inline constexpr uint8_t kCriticalWarningReliability = 1u << 2;
inline constexpr uint8_t kCriticalWarningReadOnly = 1u << 3;
inline constexpr uint8_t kCriticalWarningVolatileBackupFailed = 1u << 4;
inline constexpr uint8_t kCriticalWarningPmrReadOnly = 1u << 5;

// Firmware Slot Information, Base 2.0 §5.16.1 (LID 03h). 512 bytes.
struct FirmwareSlotLog {
  uint8_t afi = 0;  // 0  bits 2:0 active slot, bits 6:4 slot activated at next reset
  uint8_t rsvd1[7] = {};
  char frs[7][8] = {};  // 8  Firmware Revision for Slot 1..7 (ASCII; zero if empty)
  uint8_t rsvd64[448] = {};

  constexpr uint8_t ActiveSlot() const { return afi & 0x7; }
  constexpr uint8_t NextResetSlot() const { return (afi >> 4) & 0x7; }
  static constexpr uint8_t MakeAfi(uint8_t active, uint8_t next_reset) {
    return static_cast<uint8_t>((active & 0x7) | ((next_reset & 0x7) << 4));
  }
};
static_assert(sizeof(FirmwareSlotLog) == 512);
static_assert(offsetof(FirmwareSlotLog, afi) == 0);
static_assert(offsetof(FirmwareSlotLog, frs) == 8);
static_assert(offsetof(FirmwareSlotLog, rsvd64) == 64);

// Changed Namespace List, Base 2.0 §5.16.1 (LID 04h): up to 1024 NSIDs; a
// first entry of FFFFFFFFh means more than 1024 namespaces changed.
struct ChangedNamespaceList {
  uint32_t nsid[1024] = {};
};
static_assert(sizeof(ChangedNamespaceList) == 4096);
inline constexpr uint32_t kChangedNamespaceListOverflow = 0xFFFFFFFF;

// Commands Supported and Effects, Base 2.0 §5.16.1 (LID 05h). 4096 bytes.
struct CommandsSupportedAndEffectsLog {
  uint32_t acs[256] = {};   // 0    Admin Command Supported, by opcode
  uint32_t iocs[256] = {};  // 1024 I/O Command Supported, by opcode
  uint8_t rsvd2048[2048] = {};
};
static_assert(sizeof(CommandsSupportedAndEffectsLog) == 4096);
static_assert(offsetof(CommandsSupportedAndEffectsLog, acs) == 0);
static_assert(offsetof(CommandsSupportedAndEffectsLog, iocs) == 1024);
// Commands Supported and Effects data structure bits (one u32 per opcode).
inline constexpr uint32_t kEffectsCsupp = 1u << 0;       // Command Supported
inline constexpr uint32_t kEffectsLbcc = 1u << 1;        // Logical Block Content Change
inline constexpr uint32_t kEffectsNcc = 1u << 2;         // Namespace Capability Change
inline constexpr uint32_t kEffectsNic = 1u << 3;         // Namespace Inventory Change
inline constexpr uint32_t kEffectsCcc = 1u << 4;         // Controller Capability Change
inline constexpr uint32_t kEffectsCseMask = 0x7u << 16;  // Command Submission and Execution
inline constexpr uint32_t kEffectsCseSingleNamespace = 1u << 16;   // one at a time per namespace
inline constexpr uint32_t kEffectsCseSingleController = 2u << 16;  // one at a time, any namespace
inline constexpr uint32_t kEffectsUuidSelection = 1u << 19;        // UUID Selection Supported
inline constexpr uint32_t kEffectsScopeMask = 0xFFFu << 20;        // Command Scope

// Device Self-test log, Base 2.0 §5.16.1 (LID 06h): current operation and
// the 20 most recent results, newest first. 564 bytes.
struct SelfTestResult {
  uint8_t status = 0;                 // 0  bits 3:0 result, bits 7:4 self-test code
  uint8_t segment_number = 0;         // 1  segment that failed
  uint8_t valid_diagnostic_info = 0;  // 2  bit 0 NSID, 1 FLBA, 2 SCT, 3 SC valid
  uint8_t rsvd3 = 0;
  UnalignedLe<8> power_on_hours;    // 4
  uint32_t nsid = 0;                // 12
  UnalignedLe<8> failing_lba;       // 16
  uint8_t status_code_type = 0;     // 24 bits 2:0
  uint8_t status_code = 0;          // 25
  uint8_t vendor_specific[2] = {};  // 26
};
static_assert(sizeof(SelfTestResult) == 28);
static_assert(offsetof(SelfTestResult, status) == 0);
static_assert(offsetof(SelfTestResult, segment_number) == 1);
static_assert(offsetof(SelfTestResult, valid_diagnostic_info) == 2);
static_assert(offsetof(SelfTestResult, power_on_hours) == 4);
static_assert(offsetof(SelfTestResult, nsid) == 12);
static_assert(offsetof(SelfTestResult, failing_lba) == 16);
static_assert(offsetof(SelfTestResult, status_code_type) == 24);
static_assert(offsetof(SelfTestResult, status_code) == 25);
// Self-test result values (status bits 3:0); Fh marks an unused entry.
enum class SelfTestResultCode : uint8_t {
  kNoError = 0x0,
  kAbortedBySelfTestCommand = 0x1,
  kAbortedByReset = 0x2,
  kAbortedByNamespaceRemoval = 0x3,
  kAbortedByFormat = 0x4,
  kFatalOrUnknownError = 0x5,
  kUnknownSegmentFailed = 0x6,
  kSegmentsFailed = 0x7,
  kAbortedUnknownReason = 0x8,
  kAbortedBySanitize = 0x9,
  kEntryNotUsed = 0xF,
};
struct DeviceSelfTestLog {
  uint8_t current_operation = 0;   // 0  bits 3:0: self-test code in progress (0 none)
  uint8_t current_completion = 0;  // 1  bits 6:0: percent complete
  uint8_t rsvd2[2] = {};
  SelfTestResult result[20];  // 4
};
static_assert(sizeof(DeviceSelfTestLog) == 564);
static_assert(offsetof(DeviceSelfTestLog, current_operation) == 0);
static_assert(offsetof(DeviceSelfTestLog, current_completion) == 1);
static_assert(offsetof(DeviceSelfTestLog, result) == 4);

// ANA state, Base 2.0 §8.1 (Asymmetric Namespace Access Reporting) and the
// ANA Group Descriptor state field.
enum class AnaState : uint8_t {
  kOptimized = 0x1,
  kNonOptimized = 0x2,
  kInaccessible = 0x3,
  kPersistentLoss = 0x4,
  kChange = 0xF,
};

// Asymmetric Namespace Access log header, Base 2.0 §5.16.1 (LID 0Ch). 16 bytes.
struct AnaLogHeader {
  uint64_t change_count = 0;           // 0
  uint16_t num_group_descriptors = 0;  // 8
  uint8_t rsvd10[6] = {};
};
static_assert(sizeof(AnaLogHeader) == 16);
static_assert(offsetof(AnaLogHeader, change_count) == 0);
static_assert(offsetof(AnaLogHeader, num_group_descriptors) == 8);

// ANA Group Descriptor, Base 2.0 §5.16.1: 32 bytes, then NNSIDS u32 NSIDs in
// increasing order (none when the log is read with LSP RGO set).
struct AnaGroupDescriptor {
  uint32_t anagrpid = 0;      // 0  ANA Group ID
  uint32_t nnsids = 0;        // 4  Number of NSID values that follow
  uint64_t change_count = 0;  // 8
  uint8_t state = 0;          // 16 bits 3:0 ANA state
  uint8_t rsvd17[15] = {};

  constexpr AnaState ana_state() const { return static_cast<AnaState>(state & 0xF); }
  constexpr void set_ana_state(AnaState s) { state = static_cast<uint8_t>(s); }
  // Bytes this descriptor and its NSID list occupy in the log.
  constexpr size_t SizeBytes() const { return 32 + 4 * size_t{nnsids}; }
};
static_assert(sizeof(AnaGroupDescriptor) == 32);
static_assert(offsetof(AnaGroupDescriptor, anagrpid) == 0);
static_assert(offsetof(AnaGroupDescriptor, nnsids) == 4);
static_assert(offsetof(AnaGroupDescriptor, change_count) == 8);
static_assert(offsetof(AnaGroupDescriptor, state) == 16);
// Get Log Page LSP bit 0 for LID 0Ch: Return Groups Only.
inline constexpr uint8_t kAnaLspReturnGroupsOnly = 1u << 0;

// Spec name of a log page ("SMART / Health Information"), or nullptr.
const char* LogPageIdName(LogPageId lid);
const char* AnaStateName(AnaState s);  // "Optimized", ..., "Reserved"
const char* SelfTestResultCodeName(SelfTestResultCode c);

}  // namespace nvmesim::spec
