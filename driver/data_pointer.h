// Data pointers: PRP entries and lists (base 2.0 4.1.1) and SGLs (base 2.0
// 4.1.2) describing a byte range of a caller's segmented DMA buffer.
#pragma once

#include <cstdint>

#include "driver/block.h"
#include "driver/hal/hal.h"
#include "spec/command.h"
#include "spec/status.h"

namespace nvmesim::driver {

// Identify Controller SGLS bits 1:0 (Identify Controller, base 5.17).
enum class SglSupport : uint8_t { kNone = 0, kByteAligned = 1, kDwordAligned = 2 };

// The bytes [offset, offset + length) of `segments` as PRP1/PRP2 in `sqe`,
// with a PRP list in `list_page` (allocated page-aligned from `dma` on first
// use and kept) when more than two entries are needed. One list page holds
// page_size / 8 entries; callers keep transfers within MaxPrpTransfer().
// Errors (host side, nothing sent): kPrpOffsetInvalid when a piece boundary
// inside the range is not page aligned or the start is not dword aligned
// (base 2.0 4.1.1), kDataSglLengthInvalid when the range exceeds the segments,
// kInternalError when no list page can be allocated.
spec::Status BuildPrp(const DataSegment* segments, uint32_t count, uint64_t offset, uint64_t length,
                      uint32_t page_size, spec::Sqe& sqe, hal::DmaBuffer& list_page,
                      hal::DmaMemory* dma);

// The same range as an SGL: one Data Block descriptor in DPTR, or a Last
// Segment descriptor pointing at Data Block descriptors in `list_page`.
// Sets PSDT to 01b. kDwordAligned support rejects unaligned pieces with
// kSglDataBlockGranularityInvalid.
spec::Status BuildSgl(const DataSegment* segments, uint32_t count, uint64_t offset, uint64_t length,
                      SglSupport support, uint32_t page_size, spec::Sqe& sqe,
                      hal::DmaBuffer& list_page, hal::DmaMemory* dma);

// Largest transfer one PRP list page can always describe, whatever the
// offset of the first byte: (page_size / 8) pages.
constexpr uint64_t MaxPrpTransfer(uint32_t page_size) {
  return uint64_t{page_size / 8u} * page_size;
}

// Whether a segment layout can be described by PRPs at all.
bool PrpCompatible(const DataSegment* segments, uint32_t count, uint32_t page_size);

}  // namespace nvmesim::driver
