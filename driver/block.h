// The block API: what the harness and tools submit, and what they get back.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "spec/status.h"

namespace nvmesim::driver {

enum class BlockOp : uint8_t {
  kRead,
  kWrite,
  kFlush,
  kWriteZeroes,
  kDeallocate,  // Dataset Management with the Deallocate attribute
  kCompare,
  kCopy,
};
const char* BlockOpName(BlockOp op);

// One piece of a data buffer in DMA memory (bus address + length). For PRPs
// every piece but the first starts on a memory page boundary and every piece
// but the last ends on one (base 2.0 4.1.1); SGLs take any dword-aligned
// layout when the controller offers them (Identify SGLS, Identify Controller, base 5.17).
struct DataSegment {
  uint64_t bus = 0;
  uint32_t length = 0;
};

// One LBA range of a Deallocate or the sources of a Copy. `blocks` counts
// logical blocks (1-based, unlike the 0-based fields on the wire).
struct LbaRange {
  uint64_t slba = 0;
  uint32_t blocks = 0;
};

struct BlockRequest {
  BlockOp op = BlockOp::kRead;
  uint32_t nsid = 1;
  uint64_t slba = 0;    // Copy: destination LBA
  uint32_t blocks = 0;  // logical blocks (1-based); ignored by Flush
  bool fua = false;     // Force Unit Access (DSM CDW11, NVM 3.2/45)
  uint16_t queue = 0;   // I/O queue index, taken modulo the queues created
  // Data buffer for Read, Write and Compare: `segment_count` pieces, owned by
  // the caller until the callback runs.
  const DataSegment* segments = nullptr;
  uint32_t segment_count = 0;
  // Deallocate: ranges (none: [slba, slba+blocks)). Copy: source ranges.
  const LbaRange* ranges = nullptr;
  uint32_t range_count = 0;
};

struct BlockResult {
  spec::Status status;      // first failing command's status, or success
  uint64_t latency_ns = 0;  // submit to callback, on the platform clock
  uint32_t retries = 0;     // resubmissions across all commands of the request
  uint32_t commands = 0;    // NVMe commands the request was split into (MDTS)
  // Completion Dwords 0 and 1 of the last successful command (command
  // specific: Zone Append's assigned LBA, ZNS 1.1 Zone Append completion).
  uint32_t dw0 = 0, dw1 = 0;
  const char* status_name() const;  // spec name ("LBA Out of Range")
};

using BlockCallback = std::function<void(const BlockResult&)>;

}  // namespace nvmesim::driver
