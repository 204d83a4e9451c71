// Submission and Completion Queue entries and the SGL descriptor.
// NVMe Base Specification 2.0: §4.1 (Submission Queue Entry, Common Command
// Format), §4.1.1 (PRP), §4.1.2 (SGL descriptor, type and sub type tables),
// §4.2 (Completion Queue Entry) and §4.2.3 (Status Field).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "spec/status.h"

namespace nvmesim::spec {

// Base 2.0 §1.5 (conventions): multi-byte fields are little endian; the structs here
// are the wire layout only on a little-endian host.
static_assert(std::endian::native == std::endian::little);

inline constexpr size_t kSqeSize = 64;            // Base 2.0 §4.1: every SQE is 64 bytes
inline constexpr size_t kCqeSize = 16;            // Base 2.0 §4.2: every CQE is 16 bytes
inline constexpr uint8_t kSqesLog2 = 6;           // CC.IOSQES / Identify SQES value for 64 B
inline constexpr uint8_t kCqesLog2 = 4;           // CC.IOCQES / Identify CQES value for 16 B
inline constexpr uint32_t kNsidNone = 0;          // Base 2.0 §3.2.1: not a valid NSID
inline constexpr uint32_t kNsidAll = 0xFFFFFFFF;  // Base 2.0 §3.2.1: broadcast value
inline constexpr size_t kPrpEntrySize = 8;        // Base 2.0 §4.1.1: one PRP entry
inline constexpr size_t kSglDescriptorSize = 16;  // Base 2.0 §4.1.2

// SGL Descriptor Type, Base 2.0 §4.1.2 (type table), bits 7:4 of the SGL identifier.
enum class SglDescriptorType : uint8_t {
  kDataBlock = 0x0,
  kBitBucket = 0x1,
  kSegment = 0x2,
  kLastSegment = 0x3,
  kKeyedDataBlock = 0x4,
  kTransportDataBlock = 0x5,
  kVendorSpecific = 0xF,
};
// SGL Descriptor Sub Type, Base 2.0 §4.1.2 (sub type table), bits 3:0 of the SGL identifier.
enum class SglDescriptorSubtype : uint8_t { kAddress = 0x0, kOffset = 0x1, kTransport = 0xA };

// SGL descriptor, Base 2.0 §4.1.2: 16 bytes; byte 15 is the SGL identifier.
struct SglDescriptor {
  uint64_t address = 0;      // bytes 7:0
  uint32_t length = 0;       // bytes 11:8 (data block, bit bucket, segment)
  uint8_t reserved[3] = {};  // bytes 14:12
  uint8_t identifier = 0;    // byte 15: type 7:4, subtype 3:0

  constexpr SglDescriptorType type() const {
    return static_cast<SglDescriptorType>(identifier >> 4);
  }
  constexpr SglDescriptorSubtype subtype() const {
    return static_cast<SglDescriptorSubtype>(identifier & 0xF);
  }
  constexpr SglDescriptor& set_type(SglDescriptorType t) {
    identifier = static_cast<uint8_t>((identifier & 0x0F) | (static_cast<uint8_t>(t) << 4));
    return *this;
  }
  constexpr SglDescriptor& set_subtype(SglDescriptorSubtype s) {
    identifier = static_cast<uint8_t>((identifier & 0xF0) | (static_cast<uint8_t>(s) & 0xF));
    return *this;
  }
};
static_assert(sizeof(SglDescriptor) == 16);
static_assert(offsetof(SglDescriptor, address) == 0);
static_assert(offsetof(SglDescriptor, length) == 8);
static_assert(offsetof(SglDescriptor, reserved) == 12);
static_assert(offsetof(SglDescriptor, identifier) == 15);

// Fused Operation, CDW0 bits 9:8 (flags bits 1:0), Base 2.0 §4.1.
enum class FusedOperation : uint8_t { kNormal = 0, kFirst = 1, kSecond = 2 };
// PRP or SGL for Data Transfer, CDW0 bits 15:14 (flags bits 7:6), Base 2.0 §4.1.
enum class DataPointerType : uint8_t {
  kPrp = 0,                // PRPs
  kSglMptrContiguous = 1,  // SGLs; MPTR is the address of a contiguous buffer
  kSglMptrSgl = 2,         // SGLs; MPTR is the address of an SGL segment
};

// Submission Queue Entry, Base 2.0 §4.1 (Common Command Format). 64 bytes.
struct SubmissionQueueEntry {
  uint8_t opcode = 0;  // CDW0 7:0
  uint8_t flags = 0;   // CDW0 15:8: FUSE 1:0, PSDT 7:6
  uint16_t cid = 0;    // CDW0 31:16 Command Identifier
  uint32_t nsid = 0;   // CDW1 Namespace Identifier
  uint32_t cdw2 = 0;   // command specific
  uint32_t cdw3 = 0;   // command specific
  uint64_t mptr = 0;   // CDW5:4 Metadata Pointer
  uint64_t prp1 = 0;   // CDW7:6 PRP Entry 1 (or bytes 7:0 of SGL Entry 1)
  uint64_t prp2 = 0;   // CDW9:8 PRP Entry 2 (or bytes 15:8 of SGL Entry 1)
  uint32_t cdw10 = 0;
  uint32_t cdw11 = 0;
  uint32_t cdw12 = 0;
  uint32_t cdw13 = 0;
  uint32_t cdw14 = 0;
  uint32_t cdw15 = 0;

  constexpr FusedOperation fuse() const { return static_cast<FusedOperation>(flags & 0x3); }
  constexpr DataPointerType psdt() const {
    return static_cast<DataPointerType>((flags >> 6) & 0x3);
  }
  constexpr SubmissionQueueEntry& set_fuse(FusedOperation f) {
    flags = static_cast<uint8_t>((flags & ~0x03) | (static_cast<uint8_t>(f) & 0x3));
    return *this;
  }
  constexpr SubmissionQueueEntry& set_psdt(DataPointerType p) {
    flags = static_cast<uint8_t>((flags & ~0xC0) | ((static_cast<uint8_t>(p) & 0x3) << 6));
    return *this;
  }
  // The Data Pointer (CDW6-9) read as SGL Entry 1.
  SglDescriptor sgl() const {
    SglDescriptor d;
    std::memcpy(&d, reinterpret_cast<const uint8_t*>(this) + kDptrOffset, sizeof d);
    return d;
  }
  // Writes SGL Entry 1 into the Data Pointer. Does not change PSDT.
  void set_sgl(const SglDescriptor& d) {
    std::memcpy(reinterpret_cast<uint8_t*>(this) + kDptrOffset, &d, sizeof d);
  }
  // Command dwords by index 0..15 (CDW0 = opcode|flags|cid), little endian host.
  uint32_t dword(unsigned i) const {
    uint32_t v = 0;
    std::memcpy(&v, reinterpret_cast<const uint8_t*>(this) + 4 * (i & 15u), 4);
    return v;
  }

  static constexpr size_t kDptrOffset = 24;  // Base 2.0 §4.1: DPTR at bytes 39:24
};
using Sqe = SubmissionQueueEntry;
static_assert(sizeof(SubmissionQueueEntry) == 64);
static_assert(offsetof(SubmissionQueueEntry, opcode) == 0);
static_assert(offsetof(SubmissionQueueEntry, flags) == 1);
static_assert(offsetof(SubmissionQueueEntry, cid) == 2);
static_assert(offsetof(SubmissionQueueEntry, nsid) == 4);
static_assert(offsetof(SubmissionQueueEntry, cdw2) == 8);
static_assert(offsetof(SubmissionQueueEntry, cdw3) == 12);
static_assert(offsetof(SubmissionQueueEntry, mptr) == 16);
static_assert(offsetof(SubmissionQueueEntry, prp1) == 24);
static_assert(offsetof(SubmissionQueueEntry, prp2) == 32);
static_assert(offsetof(SubmissionQueueEntry, cdw10) == 40);
static_assert(offsetof(SubmissionQueueEntry, cdw11) == 44);
static_assert(offsetof(SubmissionQueueEntry, cdw12) == 48);
static_assert(offsetof(SubmissionQueueEntry, cdw13) == 52);
static_assert(offsetof(SubmissionQueueEntry, cdw14) == 56);
static_assert(offsetof(SubmissionQueueEntry, cdw15) == 60);

// Completion Queue Entry, Base 2.0 §4.2. 16 bytes.
struct CompletionQueueEntry {
  uint32_t dw0 = 0;      // DW0 command specific
  uint32_t dw1 = 0;      // DW1 command specific
  uint16_t sq_head = 0;  // DW2 15:0 SQ Head Pointer
  uint16_t sq_id = 0;    // DW2 31:16 SQ Identifier
  uint16_t cid = 0;      // DW3 15:0 Command Identifier
  uint16_t status = 0;   // DW3 31:16: Phase Tag bit 0, Status Field 15:1 (§4.2.3)

  constexpr bool phase() const { return (status & 1u) != 0; }
  constexpr Status status_value() const { return Status::FromCqeField(status); }
  constexpr CompletionQueueEntry& set_status(const Status& s, bool phase_tag) {
    status = s.ToCqeField(phase_tag);
    return *this;
  }
};
using Cqe = CompletionQueueEntry;
static_assert(sizeof(CompletionQueueEntry) == 16);
static_assert(offsetof(CompletionQueueEntry, dw0) == 0);
static_assert(offsetof(CompletionQueueEntry, dw1) == 4);
static_assert(offsetof(CompletionQueueEntry, sq_head) == 8);
static_assert(offsetof(CompletionQueueEntry, sq_id) == 10);
static_assert(offsetof(CompletionQueueEntry, cid) == 12);
static_assert(offsetof(CompletionQueueEntry, status) == 14);

const char* SglDescriptorTypeName(SglDescriptorType t);
const char* FusedOperationName(FusedOperation f);
const char* DataPointerTypeName(DataPointerType p);

}  // namespace nvmesim::spec
