// NVMe 2.0 completion status: Status Code Type (SCT), Status Code (SC), Do Not
// Retry (DNR), More (M) and Command Retry Delay (CRD).
// NVMe Base Specification 2.0, section 4.2.3 (Completion Queue Entry, Status
// Field) and Figures 99-103; NVM Command Set 2.0 section 3.5; ZNS Command Set
// 1.1 section 3.4 (command specific status values 0xB8-0xBF).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nvmesim::spec {

enum class StatusCodeType : uint8_t {
  kGeneric = 0x0,
  kCommandSpecific = 0x1,
  kMediaAndDataIntegrity = 0x2,
  kPathRelated = 0x3,
  kVendorSpecific = 0x7,
};

// Base 2.0 Figure 100 (generic command status), plus NVM command set 0x80-0x86.
#define NVMESIM_GENERIC_STATUS(X)                                                             \
  X(kSuccess, 0x00, "Successful Completion")                                                  \
  X(kInvalidOpcode, 0x01, "Invalid Command Opcode")                                           \
  X(kInvalidField, 0x02, "Invalid Field in Command")                                          \
  X(kCommandIdConflict, 0x03, "Command ID Conflict")                                          \
  X(kDataTransferError, 0x04, "Data Transfer Error")                                          \
  X(kAbortedPowerLoss, 0x05, "Commands Aborted due to Power Loss Notification")               \
  X(kInternalError, 0x06, "Internal Error")                                                   \
  X(kAbortedByRequest, 0x07, "Command Abort Requested")                                       \
  X(kAbortedSqDeleted, 0x08, "Command Aborted due to SQ Deletion")                            \
  X(kAbortedFailedFused, 0x09, "Command Aborted due to Failed Fused Command")                 \
  X(kAbortedMissingFused, 0x0A, "Command Aborted due to Missing Fused Command")               \
  X(kInvalidNamespaceOrFormat, 0x0B, "Invalid Namespace or Format")                           \
  X(kCommandSequenceError, 0x0C, "Command Sequence Error")                                    \
  X(kInvalidSglSegmentDescriptor, 0x0D, "Invalid SGL Segment Descriptor")                     \
  X(kInvalidNumberOfSglDescriptors, 0x0E, "Invalid Number of SGL Descriptors")                \
  X(kDataSglLengthInvalid, 0x0F, "Data SGL Length Invalid")                                   \
  X(kMetadataSglLengthInvalid, 0x10, "Metadata SGL Length Invalid")                           \
  X(kSglDescriptorTypeInvalid, 0x11, "SGL Descriptor Type Invalid")                           \
  X(kInvalidUseOfCmb, 0x12, "Invalid Use of Controller Memory Buffer")                        \
  X(kPrpOffsetInvalid, 0x13, "PRP Offset Invalid")                                            \
  X(kAtomicWriteUnitExceeded, 0x14, "Atomic Write Unit Exceeded")                             \
  X(kOperationDenied, 0x15, "Operation Denied")                                               \
  X(kSglOffsetInvalid, 0x16, "SGL Offset Invalid")                                            \
  X(kHostIdInconsistentFormat, 0x18, "Host Identifier Inconsistent Format")                   \
  X(kKeepAliveTimerExpired, 0x19, "Keep Alive Timer Expired")                                 \
  X(kKeepAliveTimeoutInvalid, 0x1A, "Keep Alive Timeout Invalid")                             \
  X(kAbortedPreemptAbort, 0x1B, "Command Aborted due to Preempt and Abort")                   \
  X(kSanitizeFailed, 0x1C, "Sanitize Failed")                                                 \
  X(kSanitizeInProgress, 0x1D, "Sanitize In Progress")                                        \
  X(kSglDataBlockGranularityInvalid, 0x1E, "SGL Data Block Granularity Invalid")              \
  X(kCommandNotSupportedForQueueInCmb, 0x1F, "Command Not Supported for Queue in CMB")        \
  X(kNamespaceIsWriteProtected, 0x20, "Namespace is Write Protected")                         \
  X(kCommandInterrupted, 0x21, "Command Interrupted")                                         \
  X(kTransientTransportError, 0x22, "Transient Transport Error")                              \
  X(kCommandProhibitedByLockdown, 0x23, "Command Prohibited by Command and Feature Lockdown") \
  X(kAdminCommandMediaNotReady, 0x24, "Admin Command Media Not Ready")                        \
  X(kLbaOutOfRange, 0x80, "LBA Out of Range")                                                 \
  X(kCapacityExceeded, 0x81, "Capacity Exceeded")                                             \
  X(kNamespaceNotReady, 0x82, "Namespace Not Ready")                                          \
  X(kReservationConflict, 0x83, "Reservation Conflict")                                       \
  X(kFormatInProgress, 0x84, "Format In Progress")                                            \
  X(kInvalidValueSize, 0x85, "Invalid Value Size")                                            \
  X(kInvalidKeySize, 0x86, "Invalid Key Size")

// Base 2.0 Figure 101 (command specific status); NVM 2.0 Figure 19 (0x80-0x83);
// ZNS 1.1 Figure 33 (0xB8-0xBF).
#define NVMESIM_COMMAND_SPECIFIC_STATUS(X)                                                         \
  X(kCompletionQueueInvalid, 0x00, "Completion Queue Invalid")                                     \
  X(kInvalidQueueIdentifier, 0x01, "Invalid Queue Identifier")                                     \
  X(kInvalidQueueSize, 0x02, "Invalid Queue Size")                                                 \
  X(kAbortCommandLimitExceeded, 0x03, "Abort Command Limit Exceeded")                              \
  X(kAsyncEventRequestLimitExceeded, 0x05, "Asynchronous Event Request Limit Exceeded")            \
  X(kInvalidFirmwareSlot, 0x06, "Invalid Firmware Slot")                                           \
  X(kInvalidFirmwareImage, 0x07, "Invalid Firmware Image")                                         \
  X(kInvalidInterruptVector, 0x08, "Invalid Interrupt Vector")                                     \
  X(kInvalidLogPage, 0x09, "Invalid Log Page")                                                     \
  X(kInvalidFormat, 0x0A, "Invalid Format")                                                        \
  X(kFirmwareActivationRequiresConventionalReset, 0x0B,                                            \
    "Firmware Activation Requires Conventional Reset")                                             \
  X(kInvalidQueueDeletion, 0x0C, "Invalid Queue Deletion")                                         \
  X(kFeatureIdNotSaveable, 0x0D, "Feature Identifier Not Saveable")                                \
  X(kFeatureNotChangeable, 0x0E, "Feature Not Changeable")                                         \
  X(kFeatureNotNamespaceSpecific, 0x0F, "Feature Not Namespace Specific")                          \
  X(kFirmwareActivationRequiresNssr, 0x10, "Firmware Activation Requires NVM Subsystem Reset")     \
  X(kFirmwareActivationRequiresReset, 0x11, "Firmware Activation Requires Controller Level Reset") \
  X(kFirmwareActivationRequiresMaxTimeViolation, 0x12,                                             \
    "Firmware Activation Requires Maximum Time Violation")                                         \
  X(kFirmwareActivationProhibited, 0x13, "Firmware Activation Prohibited")                         \
  X(kOverlappingRange, 0x14, "Overlapping Range")                                                  \
  X(kNamespaceInsufficientCapacity, 0x15, "Namespace Insufficient Capacity")                       \
  X(kNamespaceIdUnavailable, 0x16, "Namespace Identifier Unavailable")                             \
  X(kNamespaceAlreadyAttached, 0x18, "Namespace Already Attached")                                 \
  X(kNamespaceIsPrivate, 0x19, "Namespace Is Private")                                             \
  X(kNamespaceNotAttached, 0x1A, "Namespace Not Attached")                                         \
  X(kThinProvisioningNotSupported, 0x1B, "Thin Provisioning Not Supported")                        \
  X(kControllerListInvalid, 0x1C, "Controller List Invalid")                                       \
  X(kDeviceSelfTestInProgress, 0x1D, "Device Self-test In Progress")                               \
  X(kBootPartitionWriteProhibited, 0x1E, "Boot Partition Write Prohibited")                        \
  X(kInvalidControllerIdentifier, 0x1F, "Invalid Controller Identifier")                           \
  X(kInvalidSecondaryControllerState, 0x20, "Invalid Secondary Controller State")                  \
  X(kInvalidNumberOfControllerResources, 0x21, "Invalid Number of Controller Resources")           \
  X(kInvalidResourceIdentifier, 0x22, "Invalid Resource Identifier")                               \
  X(kSanitizeProhibitedWhilePmrEnabled, 0x23,                                                      \
    "Sanitize Prohibited While Persistent Memory Region is Enabled")                               \
  X(kAnaGroupIdentifierInvalid, 0x24, "ANA Group Identifier Invalid")                              \
  X(kAnaAttachFailed, 0x25, "ANA Attach Failed")                                                   \
  X(kInsufficientCapacity, 0x26, "Insufficient Capacity")                                          \
  X(kNamespaceAttachmentLimitExceeded, 0x27, "Namespace Attachment Limit Exceeded")                \
  X(kProhibitionOfCommandExecutionNotSupported, 0x28,                                              \
    "Prohibition of Command Execution Not Supported")                                              \
  X(kIoCommandSetNotSupported, 0x29, "I/O Command Set Not Supported")                              \
  X(kIoCommandSetNotEnabled, 0x2A, "I/O Command Set Not Enabled")                                  \
  X(kIoCommandSetCombinationRejected, 0x2B, "I/O Command Set Combination Rejected")                \
  X(kInvalidIoCommandSet, 0x2C, "Invalid I/O Command Set")                                         \
  X(kIdentifierUnavailable, 0x2D, "Identifier Unavailable")                                        \
  X(kConflictingAttributes, 0x80, "Conflicting Attributes")                                        \
  X(kInvalidProtectionInformation, 0x81, "Invalid Protection Information")                         \
  X(kAttemptedWriteToReadOnlyRange, 0x82, "Attempted Write to Read Only Range")                    \
  X(kCommandSizeLimitExceeded, 0x83, "Command Size Limit Exceeded")                                \
  X(kZoneBoundaryError, 0xB8, "Zone Boundary Error")                                               \
  X(kZoneIsFull, 0xB9, "Zone Is Full")                                                             \
  X(kZoneIsReadOnly, 0xBA, "Zone Is Read Only")                                                    \
  X(kZoneIsOffline, 0xBB, "Zone Is Offline")                                                       \
  X(kZoneInvalidWrite, 0xBC, "Zone Invalid Write")                                                 \
  X(kTooManyActiveZones, 0xBD, "Too Many Active Zones")                                            \
  X(kTooManyOpenZones, 0xBE, "Too Many Open Zones")                                                \
  X(kInvalidZoneStateTransition, 0xBF, "Invalid Zone State Transition")

// Base 2.0 Figure 102 (media and data integrity errors).
#define NVMESIM_MEDIA_STATUS(X)                                                          \
  X(kWriteFault, 0x80, "Write Fault")                                                    \
  X(kUnrecoveredReadError, 0x81, "Unrecovered Read Error")                               \
  X(kEndToEndGuardCheckError, 0x82, "End-to-end Guard Check Error")                      \
  X(kEndToEndApplicationTagCheckError, 0x83, "End-to-end Application Tag Check Error")   \
  X(kEndToEndReferenceTagCheckError, 0x84, "End-to-end Reference Tag Check Error")       \
  X(kCompareFailure, 0x85, "Compare Failure")                                            \
  X(kAccessDenied, 0x86, "Access Denied")                                                \
  X(kDeallocatedOrUnwrittenLogicalBlock, 0x87, "Deallocated or Unwritten Logical Block") \
  X(kEndToEndStorageTagCheckError, 0x88, "End-to-end Storage Tag Check Error")

// Base 2.0 Figure 103 (path related status).
#define NVMESIM_PATH_STATUS(X)                                                  \
  X(kInternalPathError, 0x00, "Internal Path Error")                            \
  X(kAsymmetricAccessPersistentLoss, 0x01, "Asymmetric Access Persistent Loss") \
  X(kAsymmetricAccessInaccessible, 0x02, "Asymmetric Access Inaccessible")      \
  X(kAsymmetricAccessTransition, 0x03, "Asymmetric Access Transition")          \
  X(kControllerPathingError, 0x60, "Controller Pathing Error")                  \
  X(kHostPathingError, 0x70, "Host Pathing Error")                              \
  X(kCommandAbortedByHost, 0x71, "Command Aborted By Host")

#define NVMESIM_STATUS_ENUMERATOR(name, value, text) name = value,
enum class GenericStatus : uint8_t { NVMESIM_GENERIC_STATUS(NVMESIM_STATUS_ENUMERATOR) };
enum class CommandSpecificStatus : uint8_t {
  NVMESIM_COMMAND_SPECIFIC_STATUS(NVMESIM_STATUS_ENUMERATOR)
};
enum class MediaStatus : uint8_t { NVMESIM_MEDIA_STATUS(NVMESIM_STATUS_ENUMERATOR) };
enum class PathStatus : uint8_t { NVMESIM_PATH_STATUS(NVMESIM_STATUS_ENUMERATOR) };
#undef NVMESIM_STATUS_ENUMERATOR

// The spec's name for (type, code), or nullptr when the code is reserved.
const char* StatusName(StatusCodeType type, uint8_t code);
const char* StatusCodeTypeName(StatusCodeType type);

// A completion status as a value: handlers return it, callers decide.
struct Status {
  StatusCodeType type = StatusCodeType::kGeneric;
  uint8_t code = 0;
  bool dnr = false;   // Do Not Retry
  bool more = false;  // More information in the Error Information log
  uint8_t crd = 0;    // Command Retry Delay selector (0-3), CRDT1..3

  constexpr Status() = default;
  constexpr Status(StatusCodeType t, uint8_t c, bool do_not_retry = false)
      : type(t), code(c), dnr(do_not_retry) {}
  constexpr Status(GenericStatus c, bool do_not_retry = false)  // NOLINT: implicit by design
      : Status(StatusCodeType::kGeneric, static_cast<uint8_t>(c), do_not_retry) {}
  constexpr Status(CommandSpecificStatus c, bool do_not_retry = false)  // NOLINT
      : Status(StatusCodeType::kCommandSpecific, static_cast<uint8_t>(c), do_not_retry) {}
  constexpr Status(MediaStatus c, bool do_not_retry = false)  // NOLINT
      : Status(StatusCodeType::kMediaAndDataIntegrity, static_cast<uint8_t>(c), do_not_retry) {}
  constexpr Status(PathStatus c, bool do_not_retry = false)  // NOLINT
      : Status(StatusCodeType::kPathRelated, static_cast<uint8_t>(c), do_not_retry) {}

  static constexpr Status Ok() { return Status(); }
  constexpr bool ok() const { return type == StatusCodeType::kGeneric && code == 0; }
  constexpr Status WithDnr(bool v = true) const {
    Status s = *this;
    s.dnr = v;
    return s;
  }

  // Same type and code (DNR, M and CRD are not part of the identity).
  constexpr bool Is(const Status& o) const { return type == o.type && code == o.code; }

  // CQE DW3 bits 31:16: P (bit 0), SC (8:1), SCT (11:9), CRD (13:12), M (14), DNR (15).
  constexpr uint16_t ToCqeField(bool phase) const {
    return static_cast<uint16_t>((phase ? 1u : 0u) | (uint32_t{code} << 1) |
                                 ((uint32_t{static_cast<uint8_t>(type)} & 0x7u) << 9) |
                                 ((uint32_t{crd} & 0x3u) << 12) | ((more ? 1u : 0u) << 14) |
                                 ((dnr ? 1u : 0u) << 15));
  }
  static constexpr Status FromCqeField(uint16_t field) {
    Status s(static_cast<StatusCodeType>((field >> 9) & 0x7u),
             static_cast<uint8_t>((field >> 1) & 0xFFu), (field >> 15) & 1u);
    s.crd = static_cast<uint8_t>((field >> 12) & 0x3u);
    s.more = (field >> 14) & 1u;
    return s;
  }

  // "LBA Out of Range (0/0x80)", "Zone Is Full (1/0xb9, DNR)".
  std::string ToString() const;
};

constexpr bool operator==(const Status& a, const Status& b) {
  return a.type == b.type && a.code == b.code && a.dnr == b.dnr && a.more == b.more &&
         a.crd == b.crd;
}

}  // namespace nvmesim::spec
