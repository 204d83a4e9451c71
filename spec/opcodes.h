// Command opcodes. NVMe Base Specification 2.0 §5 (Admin Command Set, opcode
// table); NVM Command Set Specification 1.0 §3 (NVM I/O opcode table, and Get
// LBA Status as an NVM-specific admin command); Zoned Namespace Command Set
// Specification 1.1 §3 (Zone Management Send/Receive, Zone Append opcodes).
#pragma once

#include <cstdint>

namespace nvmesim::spec {

#define NVMESIM_ADMIN_OPCODES(X)                                  \
  X(kDeleteIoSq, 0x00, "Delete I/O Submission Queue")             \
  X(kCreateIoSq, 0x01, "Create I/O Submission Queue")             \
  X(kGetLogPage, 0x02, "Get Log Page")                            \
  X(kDeleteIoCq, 0x04, "Delete I/O Completion Queue")             \
  X(kCreateIoCq, 0x05, "Create I/O Completion Queue")             \
  X(kIdentify, 0x06, "Identify")                                  \
  X(kAbort, 0x08, "Abort")                                        \
  X(kSetFeatures, 0x09, "Set Features")                           \
  X(kGetFeatures, 0x0A, "Get Features")                           \
  X(kAsyncEventRequest, 0x0C, "Asynchronous Event Request")       \
  X(kNamespaceManagement, 0x0D, "Namespace Management")           \
  X(kFirmwareCommit, 0x10, "Firmware Commit")                     \
  X(kFirmwareImageDownload, 0x11, "Firmware Image Download")      \
  X(kDeviceSelfTest, 0x14, "Device Self-test")                    \
  X(kNamespaceAttachment, 0x15, "Namespace Attachment")           \
  X(kKeepAlive, 0x18, "Keep Alive")                               \
  X(kDirectiveSend, 0x19, "Directive Send")                       \
  X(kDirectiveReceive, 0x1A, "Directive Receive")                 \
  X(kVirtualizationManagement, 0x1C, "Virtualization Management") \
  X(kNvmeMiSend, 0x1D, "NVMe-MI Send")                            \
  X(kNvmeMiReceive, 0x1E, "NVMe-MI Receive")                      \
  X(kCapacityManagement, 0x20, "Capacity Management")             \
  X(kLockdown, 0x24, "Lockdown")                                  \
  X(kDoorbellBufferConfig, 0x7C, "Doorbell Buffer Config")        \
  X(kFabricsCommand, 0x7F, "Fabrics Command")                     \
  X(kFormatNvm, 0x80, "Format NVM")                               \
  X(kSecuritySend, 0x81, "Security Send")                         \
  X(kSecurityReceive, 0x82, "Security Receive")                   \
  X(kSanitize, 0x84, "Sanitize")                                  \
  X(kGetLbaStatus, 0x86, "Get LBA Status")

#define NVMESIM_NVM_OPCODES(X)                          \
  X(kFlush, 0x00, "Flush")                              \
  X(kWrite, 0x01, "Write")                              \
  X(kRead, 0x02, "Read")                                \
  X(kWriteUncorrectable, 0x04, "Write Uncorrectable")   \
  X(kCompare, 0x05, "Compare")                          \
  X(kWriteZeroes, 0x08, "Write Zeroes")                 \
  X(kDatasetManagement, 0x09, "Dataset Management")     \
  X(kVerify, 0x0C, "Verify")                            \
  X(kReservationRegister, 0x0D, "Reservation Register") \
  X(kReservationReport, 0x0E, "Reservation Report")     \
  X(kReservationAcquire, 0x11, "Reservation Acquire")   \
  X(kReservationRelease, 0x15, "Reservation Release")   \
  X(kCopy, 0x19, "Copy")

#define NVMESIM_ZNS_OPCODES(X)                               \
  X(kZoneManagementSend, 0x79, "Zone Management Send")       \
  X(kZoneManagementReceive, 0x7A, "Zone Management Receive") \
  X(kZoneAppend, 0x7D, "Zone Append")

#define NVMESIM_OPCODE_ENUMERATOR(name, value, text) name = value,
enum class AdminOpcode : uint8_t { NVMESIM_ADMIN_OPCODES(NVMESIM_OPCODE_ENUMERATOR) };
enum class NvmOpcode : uint8_t { NVMESIM_NVM_OPCODES(NVMESIM_OPCODE_ENUMERATOR) };
enum class ZnsOpcode : uint8_t { NVMESIM_ZNS_OPCODES(NVMESIM_OPCODE_ENUMERATOR) };
#undef NVMESIM_OPCODE_ENUMERATOR

// Base 2.0 §5 opcode table: opcode bits 1:0 give the data transfer direction.
enum class DataTransferDirection : uint8_t {
  kNone = 0b00,
  kHostToController = 0b01,
  kControllerToHost = 0b10,
  kBidirectional = 0b11,
};
constexpr DataTransferDirection OpcodeDataTransfer(uint8_t opcode) {
  return static_cast<DataTransferDirection>(opcode & 0x3);
}

// Spec name of an admin opcode ("Identify"), or nullptr when the opcode is not
// one the Base/NVM specs define.
const char* AdminOpcodeName(uint8_t opcode);
// Spec name of an I/O opcode of the NVM or Zoned Namespace command sets
// ("Zone Append"), or nullptr.
const char* IoOpcodeName(uint8_t opcode);
inline const char* OpcodeName(AdminOpcode op) { return AdminOpcodeName(static_cast<uint8_t>(op)); }
inline const char* OpcodeName(NvmOpcode op) { return IoOpcodeName(static_cast<uint8_t>(op)); }
inline const char* OpcodeName(ZnsOpcode op) { return IoOpcodeName(static_cast<uint8_t>(op)); }
const char* DataTransferDirectionName(DataTransferDirection d);

}  // namespace nvmesim::spec
