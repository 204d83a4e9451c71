#include "harness/workload/stamps.h"

#include <bit>
#include <cstdio>
#include <cstring>

#include "harness/workload/crc32c.h"

namespace nvmesim::harness {
namespace {

void PutLe64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void PutLe32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint64_t GetLe64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
uint32_t GetLe32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint32_t BlockCrc(const uint8_t* block, uint32_t lba_size) {
  static const uint8_t kZero[4] = {0, 0, 0, 0};
  uint32_t crc = Crc32c(0, block, 32);
  crc = Crc32c(crc, kZero, 4);
  return Crc32c(crc, block + 36, lba_size - 36);
}

}  // namespace

std::string ToString(const BlockStamp& s) {
  char buf[96];
  std::snprintf(
      buf, sizeof buf, "lba=%llu gen=%llu seed=0x%llx", static_cast<unsigned long long>(s.lba),
      static_cast<unsigned long long>(s.generation), static_cast<unsigned long long>(s.job_seed));
  return buf;
}

void FillBlocks(std::span<uint8_t> buffer, uint64_t lba, uint32_t nlb, uint32_t lba_size,
                const WriteStamp& stamp, std::span<const uint8_t> pattern) {
  for (uint32_t i = 0; i < nlb; ++i) {
    uint8_t* b = buffer.data() + static_cast<size_t>(i) * lba_size;
    uint64_t block_lba = lba + i;
    PutLe64(b, kStampMagic);
    PutLe64(b + 8, block_lba);
    PutLe64(b + 16, stamp.generation);
    PutLe64(b + 24, stamp.job_seed);
    PutLe32(b + 32, 0);
    PutLe32(b + 36, 0);
    if (!pattern.empty()) {
      for (size_t off = kStampHeaderBytes, k = 0; off < lba_size; ++off, ++k) {
        b[off] = pattern[k % pattern.size()];
      }
    } else {
      uint64_t state = block_lba * 0xD1B54A32D192ED03ULL ^ stamp.generation ^ (stamp.job_seed << 1);
      for (size_t off = kStampHeaderBytes; off < lba_size; off += 8) {
        uint64_t r = SplitMix64(state);
        size_t n = lba_size - off < 8 ? lba_size - off : 8;
        if (n == 8 && std::endian::native == std::endian::little) {
          std::memcpy(b + off, &r, 8);  // the same bytes as the loop below
        } else {
          for (size_t k = 0; k < n; ++k) b[off + k] = static_cast<uint8_t>(r >> (8 * k));
        }
      }
    }
    PutLe32(b + 32, BlockCrc(b, lba_size));
  }
}

const char* MismatchReasonName(MismatchReason r) {
  switch (r) {
    case MismatchReason::kNoStamp:
      return "no stamp";
    case MismatchReason::kCorrupt:
      return "corrupted block (CRC-32C mismatch)";
    case MismatchReason::kWrongLba:
      return "block of another LBA";
    case MismatchReason::kStale:
      return "stale data (older write)";
    case MismatchReason::kUnexpectedWrite:
      return "data of an unexpected write";
    case MismatchReason::kNotDeallocated:
      return "expected deallocated contents";
  }
  return "?";
}

std::string StampMismatch::ToString() const {
  return "LBA " + std::to_string(lba) + ": " + MismatchReasonName(reason) + ": expected " +
         harness::ToString(expected) + ", found " + harness::ToString(found);
}

DecodedBlock DecodeBlock(const uint8_t* block, uint32_t lba_size) {
  DecodedBlock d;
  if (lba_size < kStampHeaderBytes || GetLe64(block) != kStampMagic) return d;
  d.has_magic = true;
  d.stamp.lba = GetLe64(block + 8);
  d.stamp.generation = GetLe64(block + 16);
  d.stamp.job_seed = GetLe64(block + 24);
  d.crc_ok = GetLe32(block + 32) == BlockCrc(block, lba_size) && GetLe32(block + 36) == 0;
  return d;
}

std::optional<StampMismatch> CheckBlock(const uint8_t* block, uint32_t lba_size, uint64_t lba,
                                        const BlockStamp& expected) {
  DecodedBlock d = DecodeBlock(block, lba_size);
  StampMismatch m;
  m.lba = lba;
  m.expected = expected;
  m.found = d.stamp;
  if (!d.has_magic) {
    m.reason = MismatchReason::kNoStamp;
    return m;
  }
  if (!d.crc_ok) {
    m.reason = MismatchReason::kCorrupt;
    return m;
  }
  if (d.stamp == expected) return std::nullopt;
  if (d.stamp.lba != expected.lba) {
    m.reason = MismatchReason::kWrongLba;
  } else if (d.stamp.generation < expected.generation) {
    m.reason = MismatchReason::kStale;
  } else {
    m.reason = MismatchReason::kUnexpectedWrite;
  }
  return m;
}

std::optional<StampMismatch> VerifyBlocks(std::span<const uint8_t> buffer, uint64_t lba,
                                          uint32_t nlb, uint32_t lba_size,
                                          const WriteStamp& expected) {
  for (uint32_t i = 0; i < nlb; ++i) {
    BlockStamp want{lba + i, expected.generation, expected.job_seed};
    if (auto m = CheckBlock(buffer.data() + static_cast<size_t>(i) * lba_size, lba_size, lba + i,
                            want)) {
      m->block_index = i;
      return m;
    }
  }
  return std::nullopt;
}

}  // namespace nvmesim::harness
