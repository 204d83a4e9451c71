// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as used by iSCSI, ext4 and fio's
// verify=crc32c. Same value on every platform.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nvmesim::harness {

// Continues `crc` (start with 0) over data: Crc32c(Crc32c(0, a), b) == Crc32c(0, a+b).
// Uses the SSE4.2 CRC32 instruction when the CPU has it, the tables otherwise (same result).
uint32_t Crc32c(uint32_t crc, const void* data, size_t size);
// The portable table-driven version (tests compare the two).
uint32_t Crc32cTables(uint32_t crc, const void* data, size_t size);

}  // namespace nvmesim::harness
