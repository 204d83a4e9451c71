// Submission queue entries for the admin and NVM commands the driver issues.
// Dword layouts: base 2.0 chapter 5 (admin), NVM command set 2.0 chapter 3.
#pragma once

#include <cstdint>

#include "driver/block.h"
#include "spec/command.h"
#include "spec/opcodes.h"

namespace nvmesim::driver::commands {

// Admin.
spec::Sqe Identify(uint8_t cns, uint32_t nsid, uint16_t cntid, uint8_t csi, uint64_t prp1);
spec::Sqe SetFeatures(uint8_t fid, uint32_t cdw11, uint32_t nsid = 0);
spec::Sqe GetFeatures(uint8_t fid, uint8_t select, uint32_t nsid = 0);
spec::Sqe GetLogPage(uint8_t lid, uint32_t nsid, uint32_t bytes, bool retain_async_event,
                     uint64_t prp1, uint64_t prp2);
spec::Sqe CreateIoCq(uint16_t qid, uint32_t entries, uint64_t bus, uint16_t vector, bool ien);
spec::Sqe CreateIoSq(uint16_t qid, uint32_t entries, uint64_t bus, uint16_t cqid);
spec::Sqe DeleteIoSq(uint16_t qid);
spec::Sqe DeleteIoCq(uint16_t qid);
spec::Sqe Abort(uint16_t sqid, uint16_t cid);
spec::Sqe AsyncEventRequest();
spec::Sqe KeepAlive();
// Namespace Management (base 2.0 5.21): SEL 0h create (data: the host-supplied
// Identify Namespace fields), 1h delete.
spec::Sqe NamespaceCreate(uint8_t csi, uint64_t prp1);
spec::Sqe NamespaceDelete(uint32_t nsid);
// Namespace Attachment (base 2.0 5.20): SEL 0h attach, 1h detach; data is a
// Controller List.
spec::Sqe NamespaceAttach(uint32_t nsid, bool attach, uint64_t prp1);

// NVM I/O (NVM 2.0 3.2-3.3). `blocks` is 1-based; the wire carries blocks - 1.
spec::Sqe ReadWrite(spec::NvmOpcode op, uint32_t nsid, uint64_t slba, uint32_t blocks, bool fua);
spec::Sqe Flush(uint32_t nsid);
spec::Sqe WriteZeroes(uint32_t nsid, uint64_t slba, uint32_t blocks, bool fua);
// Dataset Management with AD (deallocate); ranges in a 16-byte-per-range page.
spec::Sqe Deallocate(uint32_t nsid, uint32_t ranges, uint64_t prp1);
// Copy, source range descriptor format 0 (32 bytes per range).
spec::Sqe Copy(uint32_t nsid, uint64_t sdlba, uint32_t ranges, bool fua, uint64_t prp1);

// Range payloads written into a DMA page.
void WriteDsmRange(uint8_t* page, uint32_t index, uint64_t slba, uint32_t blocks);
void WriteCopyRange(uint8_t* page, uint32_t index, uint64_t slba, uint32_t blocks);
inline constexpr uint32_t kDsmRangeBytes = 16;   // DSM range, NVM 3.2
inline constexpr uint32_t kMaxDsmRanges = 256;   // DSM CDW11, NVM 3.2: NR is 0-based 8 bits
inline constexpr uint32_t kCopyRangeBytes = 32;  // Copy source range format 0, NVM 3.2 (format 0)
inline constexpr uint32_t kMaxBlocksPerCommand =
    65536;  // NLB is 0-based 16 bits (NVM NLB field, NVM 3.2)

}  // namespace nvmesim::driver::commands
