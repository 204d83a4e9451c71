// Command dword layouts of the admin and NVM commands the device model and
// driver build and parse, as small encode/decode value types. NVMe Base
// Specification 2.0 §5.1 (Abort), §5.4/§5.5 (Create I/O Completion/Submission
// Queue), §5.6/§5.7 (Delete I/O Completion/Submission Queue), §5.8 (Device
// Self-test), §5.12/§5.13 (Firmware Commit / Image Download), §5.20/§5.21
// (Namespace Attachment / Management), §5.14 (Format NVM); NVM Command Set 1.0
// §3.2 (Read, Write, Write Zeroes, Dataset Management).
// Identify, Get Log Page and Features dwords live with their data in
// identify.h, log_pages.h and features.h.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nvmesim::spec {

namespace internal {
constexpr uint32_t Field(uint32_t dw, unsigned shift, unsigned width) {
  return (dw >> shift) & static_cast<uint32_t>((uint64_t{1} << width) - 1);
}
constexpr uint32_t Place(uint32_t v, unsigned shift, unsigned width) {
  return (v & static_cast<uint32_t>((uint64_t{1} << width) - 1)) << shift;
}
}  // namespace internal

// Create I/O Completion Queue: CDW10 QID 15:0, QSIZE 31:16 (0's based);
// CDW11 PC bit 0, IEN bit 1, IV 31:16. PRP1 holds the queue base.
struct CreateIoCqFields {
  uint16_t qid = 0;
  uint16_t qsize = 0;  // 0's based entries
  bool pc = true;      // physically contiguous
  bool ien = true;     // interrupts enabled
  uint16_t iv = 0;     // interrupt vector

  constexpr uint32_t Cdw10() const { return qid | (uint32_t{qsize} << 16); }
  constexpr uint32_t Cdw11() const {
    return (pc ? 1u : 0u) | (ien ? 2u : 0u) | (uint32_t{iv} << 16);
  }
  static constexpr CreateIoCqFields Decode(uint32_t cdw10, uint32_t cdw11) {
    return CreateIoCqFields{static_cast<uint16_t>(cdw10), static_cast<uint16_t>(cdw10 >> 16),
                            (cdw11 & 1u) != 0, (cdw11 & 2u) != 0,
                            static_cast<uint16_t>(cdw11 >> 16)};
  }
};

// Submission queue priority for weighted round robin (Create I/O SQ QPRIO).
enum class QueuePriority : uint8_t { kUrgent = 0, kHigh = 1, kMedium = 2, kLow = 3 };

// Create I/O Submission Queue: CDW10 QID 15:0, QSIZE 31:16 (0's based);
// CDW11 PC bit 0, QPRIO 2:1, CQID 31:16; CDW12 NVMSETID 15:0.
struct CreateIoSqFields {
  uint16_t qid = 0;
  uint16_t qsize = 0;
  bool pc = true;
  QueuePriority qprio = QueuePriority::kUrgent;
  uint16_t cqid = 0;
  uint16_t nvmsetid = 0;

  constexpr uint32_t Cdw10() const { return qid | (uint32_t{qsize} << 16); }
  constexpr uint32_t Cdw11() const {
    return (pc ? 1u : 0u) | internal::Place(static_cast<uint32_t>(qprio), 1, 2) |
           (uint32_t{cqid} << 16);
  }
  constexpr uint32_t Cdw12() const { return nvmsetid; }
  static constexpr CreateIoSqFields Decode(uint32_t cdw10, uint32_t cdw11, uint32_t cdw12) {
    return CreateIoSqFields{static_cast<uint16_t>(cdw10),
                            static_cast<uint16_t>(cdw10 >> 16),
                            (cdw11 & 1u) != 0,
                            static_cast<QueuePriority>(internal::Field(cdw11, 1, 2)),
                            static_cast<uint16_t>(cdw11 >> 16),
                            static_cast<uint16_t>(cdw12)};
  }
};

// Delete I/O Submission / Completion Queue: CDW10 QID 15:0.
constexpr uint32_t DeleteQueueCdw10(uint16_t qid) { return qid; }
constexpr uint16_t DeleteQueueQid(uint32_t cdw10) { return static_cast<uint16_t>(cdw10); }

// Abort: CDW10 SQID 15:0, CID 31:16. Completion DW0 bit 0 is 1 when the
// command was not aborted.
constexpr uint32_t AbortCdw10(uint16_t sqid, uint16_t cid) { return sqid | (uint32_t{cid} << 16); }
constexpr uint16_t AbortSqid(uint32_t cdw10) { return static_cast<uint16_t>(cdw10); }
constexpr uint16_t AbortCid(uint32_t cdw10) { return static_cast<uint16_t>(cdw10 >> 16); }
inline constexpr uint32_t kAbortDw0NotAborted = 1u << 0;

// Read / Write / Compare / Verify / Write Zeroes / Write Uncorrectable
// (NVM 1.0 §3.2): CDW10-11 SLBA; CDW12 NLB 15:0 (0's based), DTYPE 23:20
// (Write), STC 24, DEAC 25 (Write Zeroes), PRINFO 29:26, FUA 30, LR 31;
// CDW13 DSM 7:0, DSPEC 31:16 (Write); CDW14 reference tag; CDW15 LBAT 15:0,
// LBATM 31:16.
struct RwFields {
  uint64_t slba = 0;
  uint16_t nlb = 0;     // 0's based number of logical blocks
  uint8_t dtype = 0;    // Directive Type (4 bits)
  bool stc = false;     // Storage Tag Check
  bool deac = false;    // Deallocate (Write Zeroes)
  uint8_t prinfo = 0;   // Protection Information field (4 bits: PRACT 3, PRCHK 2:0)
  bool fua = false;     // Force Unit Access
  bool lr = false;      // Limited Retry
  uint8_t dsm = 0;      // Dataset Management hints
  uint16_t dspec = 0;   // Directive Specific
  uint32_t reftag = 0;  // Initial Logical Block Reference Tag (CDW14)
  uint16_t lbat = 0;    // Logical Block Application Tag
  uint16_t lbatm = 0;   // Logical Block Application Tag Mask

  constexpr uint32_t NumberOfBlocks() const { return uint32_t{nlb} + 1; }
  constexpr uint32_t Cdw10() const { return static_cast<uint32_t>(slba); }
  constexpr uint32_t Cdw11() const { return static_cast<uint32_t>(slba >> 32); }
  constexpr uint32_t Cdw12() const {
    return nlb | internal::Place(dtype, 20, 4) | (stc ? 1u << 24 : 0u) | (deac ? 1u << 25 : 0u) |
           internal::Place(prinfo, 26, 4) | (fua ? 1u << 30 : 0u) | (lr ? 1u << 31 : 0u);
  }
  constexpr uint32_t Cdw13() const { return dsm | (uint32_t{dspec} << 16); }
  constexpr uint32_t Cdw14() const { return reftag; }
  constexpr uint32_t Cdw15() const { return lbat | (uint32_t{lbatm} << 16); }
  static constexpr RwFields Decode(uint32_t cdw10, uint32_t cdw11, uint32_t cdw12, uint32_t cdw13,
                                   uint32_t cdw14, uint32_t cdw15) {
    RwFields f;
    f.slba = cdw10 | (uint64_t{cdw11} << 32);
    f.nlb = static_cast<uint16_t>(cdw12);
    f.dtype = static_cast<uint8_t>(internal::Field(cdw12, 20, 4));
    f.stc = internal::Field(cdw12, 24, 1) != 0;
    f.deac = internal::Field(cdw12, 25, 1) != 0;
    f.prinfo = static_cast<uint8_t>(internal::Field(cdw12, 26, 4));
    f.fua = internal::Field(cdw12, 30, 1) != 0;
    f.lr = internal::Field(cdw12, 31, 1) != 0;
    f.dsm = static_cast<uint8_t>(cdw13);
    f.dspec = static_cast<uint16_t>(cdw13 >> 16);
    f.reftag = cdw14;
    f.lbat = static_cast<uint16_t>(cdw15);
    f.lbatm = static_cast<uint16_t>(cdw15 >> 16);
    return f;
  }
};

// Dataset Management (NVM 1.0 §3.2.3): CDW10 NR 7:0 (0's based ranges);
// CDW11 IDR bit 0, IDW bit 1, AD (deallocate) bit 2. Data: NR+1 ranges.
inline constexpr uint32_t kDsmIntegralDatasetRead = 1u << 0;
inline constexpr uint32_t kDsmIntegralDatasetWrite = 1u << 1;
inline constexpr uint32_t kDsmDeallocate = 1u << 2;
inline constexpr size_t kDsmMaxRanges = 256;
struct DsmRange {
  uint32_t context_attributes = 0;  // 0
  uint32_t length = 0;              // 4 logical blocks (not 0's based)
  uint64_t slba = 0;                // 8
};
static_assert(sizeof(DsmRange) == 16);
static_assert(offsetof(DsmRange, context_attributes) == 0);
static_assert(offsetof(DsmRange, length) == 4);
static_assert(offsetof(DsmRange, slba) == 8);

// Firmware Commit: CDW10 FS 2:0 (slot), CA 5:3 (commit action), BPID 31.
enum class FirmwareCommitAction : uint8_t {
  kReplaceNoActivate = 0,       // download to slot, do not activate
  kReplaceActivateOnReset = 1,  // download to slot, activate at next reset
  kActivateOnReset = 2,         // activate existing slot at next reset
  kActivateImmediately = 3,     // activate without reset
  kReplaceBootPartition = 6,
  kActivateBootPartition = 7,
};
constexpr uint32_t FirmwareCommitCdw10(uint8_t slot, FirmwareCommitAction ca, bool bpid = false) {
  return internal::Place(slot, 0, 3) | internal::Place(static_cast<uint32_t>(ca), 3, 3) |
         (bpid ? 1u << 31 : 0u);
}
constexpr uint8_t FirmwareCommitSlot(uint32_t cdw10) {
  return static_cast<uint8_t>(internal::Field(cdw10, 0, 3));
}
constexpr FirmwareCommitAction FirmwareCommitCa(uint32_t cdw10) {
  return static_cast<FirmwareCommitAction>(internal::Field(cdw10, 3, 3));
}

// Firmware Image Download: CDW10 NUMD (0's based dwords), CDW11 OFST (dwords).

// Format NVM: CDW10 LBAFL 3:0, MSET 4, PI 7:5, PIL 8, SES 11:9, LBAFU 13:12.
struct FormatNvmFields {
  uint8_t lbaf = 0;  // format index (LBAFU:LBAFL)
  bool mset = false;
  uint8_t pi = 0;  // 3 bits
  bool pil = false;
  uint8_t ses = 0;  // Secure Erase Settings, 3 bits (0 none, 1 user data, 2 crypto)

  constexpr uint32_t Cdw10() const {
    return internal::Place(lbaf, 0, 4) | (mset ? 1u << 4 : 0u) | internal::Place(pi, 5, 3) |
           (pil ? 1u << 8 : 0u) | internal::Place(ses, 9, 3) | internal::Place(lbaf >> 4, 12, 2);
  }
  static constexpr FormatNvmFields Decode(uint32_t cdw10) {
    FormatNvmFields f;
    f.lbaf =
        static_cast<uint8_t>(internal::Field(cdw10, 0, 4) | (internal::Field(cdw10, 12, 2) << 4));
    f.mset = internal::Field(cdw10, 4, 1) != 0;
    f.pi = static_cast<uint8_t>(internal::Field(cdw10, 5, 3));
    f.pil = internal::Field(cdw10, 8, 1) != 0;
    f.ses = static_cast<uint8_t>(internal::Field(cdw10, 9, 3));
    return f;
  }
};

// Namespace Attachment: CDW10 SEL 3:0; data is a ControllerList.
enum class NamespaceAttachSelect : uint8_t { kAttach = 0, kDetach = 1 };
// Namespace Management: CDW10 SEL 3:0; CDW11 CSI 31:24.
enum class NamespaceManagementSelect : uint8_t { kCreate = 0, kDelete = 1 };
constexpr uint32_t SelectCdw10(uint8_t sel) { return sel & 0xFu; }
constexpr uint8_t SelectField(uint32_t cdw10) { return static_cast<uint8_t>(cdw10 & 0xF); }

// Device Self-test: CDW10 STC 3:0.
enum class SelfTestCode : uint8_t { kShort = 0x1, kExtended = 0x2, kVendor = 0xE, kAbort = 0xF };

const char* QueuePriorityName(QueuePriority p);
const char* FirmwareCommitActionName(FirmwareCommitAction ca);
const char* SelfTestCodeName(SelfTestCode c);

}  // namespace nvmesim::spec
