// Verifiable block contents. Every block a job writes starts with a 40-byte header - magic,
// LBA, write generation, job seed, CRC-32C of the whole block - followed by a fill derived from
// the same values (or the job's verify_pattern). A read is checked block by block: a flipped
// byte anywhere breaks the CRC, a block from another LBA or an older write shows in the header.
//
// Header layout (little-endian): 0 magic "NVSMSTMP" (8 B), 8 lba (8 B), 16 generation (8 B),
// 24 job_seed (8 B), 32 crc32c (4 B, computed with this field zero), 36 reserved zero (4 B).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace nvmesim::harness {

inline constexpr size_t kStampHeaderBytes = 40;
inline constexpr uint64_t kStampMagic = 0x504D54534D53564EULL;  // "NVSMSTMP" little-endian

// What one write puts in every block it covers (the LBA is per block).
struct WriteStamp {
  uint64_t generation = 0;  // unique per write command (the run's write counter)
  uint64_t job_seed = 0;    // the writing job's seed
};

struct BlockStamp {
  uint64_t lba = 0;
  uint64_t generation = 0;
  uint64_t job_seed = 0;
  friend bool operator==(const BlockStamp&, const BlockStamp&) = default;
};

std::string ToString(const BlockStamp& s);  // "lba=4096 gen=17 seed=0x1234"

// Fills nlb blocks of lba_size bytes starting at `buffer` for LBAs lba..lba+nlb-1.
// `pattern` (may be empty) replaces the pseudo-random fill after the header.
// lba_size must be at least 64; buffer must hold nlb * lba_size bytes.
void FillBlocks(std::span<uint8_t> buffer, uint64_t lba, uint32_t nlb, uint32_t lba_size,
                const WriteStamp& stamp, std::span<const uint8_t> pattern = {});

enum class MismatchReason {
  kNoStamp,          // no header magic (zeros, garbage, never written by a job)
  kCorrupt,          // header present, CRC-32C does not match the block
  kWrongLba,         // an intact block of another LBA (misdirected read or write)
  kStale,            // an intact block of this LBA from an older write
  kUnexpectedWrite,  // an intact block of this LBA from a newer or another job's write
  kNotDeallocated,   // expected deallocated contents, found something else
};

const char* MismatchReasonName(MismatchReason r);

struct StampMismatch {
  uint64_t lba = 0;  // the LBA whose block is wrong
  BlockStamp expected;
  BlockStamp found;  // header fields as read (zero when there is no magic)
  MismatchReason reason = MismatchReason::kNoStamp;
  size_t block_index = 0;  // block within the buffer
  // "LBA 4096: stale data: expected lba=4096 gen=17 seed=0x1, found lba=4096 gen=9 seed=0x1"
  std::string ToString() const;
};

// The header of one block as read.
struct DecodedBlock {
  bool has_magic = false;
  bool crc_ok = false;
  BlockStamp stamp;
};
DecodedBlock DecodeBlock(const uint8_t* block, uint32_t lba_size);

// Compares one block against the stamp expected for `lba`.
std::optional<StampMismatch> CheckBlock(const uint8_t* block, uint32_t lba_size, uint64_t lba,
                                        const BlockStamp& expected);

// Checks nlb blocks that one write with `expected` should have produced; the first mismatch.
std::optional<StampMismatch> VerifyBlocks(std::span<const uint8_t> buffer, uint64_t lba,
                                          uint32_t nlb, uint32_t lba_size,
                                          const WriteStamp& expected);

}  // namespace nvmesim::harness
