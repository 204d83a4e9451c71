#include "pcie_model/msix.h"

#include <cstring>

namespace nvmesim::pcie {

MsixTable::MsixTable(const ConfigSpace& config)
    : config_(config),
      table_offset_(config.config().msix_table_offset),
      pba_offset_(config.config().msix_pba_offset),
      entries_(config.config().msix_vectors),
      pba_((config.config().msix_vectors + 63) / 64, 0) {
  Reset();
}

void MsixTable::Reset() {
  for (auto& e : entries_) e = spec::MsixTableEntry{0, 0, 0, spec::kMsixVectorMasked};
  for (auto& q : pba_) q = 0;
}

bool MsixTable::Claims(uint64_t off, unsigned size) const {
  const uint64_t table_end = table_offset_ + entries_.size() * sizeof(spec::MsixTableEntry);
  const uint64_t pba_end = pba_offset_ + pba_.size() * 8;
  return (off >= table_offset_ && off + size <= table_end) ||
         (off >= pba_offset_ && off + size <= pba_end);
}

bool MsixTable::Read(uint64_t off, unsigned size, uint64_t* value) const {
  if ((size != 4 && size != 8) || (off & (size - 1)) || !Claims(off, size)) return false;
  if (off >= pba_offset_ && off < pba_offset_ + pba_.size() * 8) {
    const uint64_t q = pba_[(off - pba_offset_) / 8];
    *value = size == 8 ? q : (q >> (8 * ((off - pba_offset_) & 4))) & 0xFFFFFFFFu;
    return true;
  }
  const uint64_t rel = off - table_offset_;
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(entries_.data()) + rel;
  uint64_t v = 0;
  std::memcpy(&v, bytes, size);  // little-endian host, as the table is little-endian
  *value = v;
  return true;
}

bool MsixTable::Write(uint64_t off, unsigned size, uint64_t value) {
  if ((size != 4 && size != 8) || (off & (size - 1)) || !Claims(off, size)) return false;
  if (off >= pba_offset_ && off < pba_offset_ + pba_.size() * 8) return true;  // PBA read-only
  const uint64_t rel = off - table_offset_;
  uint8_t* bytes = reinterpret_cast<uint8_t*>(entries_.data()) + rel;
  std::memcpy(bytes, &value, size);
  // 7.7.2.5: Message Address bits 1:0 are zero; 7.7.2.8: only the Mask bit is writable.
  auto& e = entries_[rel / sizeof(spec::MsixTableEntry)];
  e.msg_addr_lo &= ~3u;
  e.vector_control &= spec::kMsixVectorMasked;
  return true;
}

bool MsixTable::Pending(uint16_t v) const {
  return v < entries_.size() && (pba_[v / 64] >> (v % 64) & 1);
}

bool MsixTable::VectorMasked(uint16_t v) const {
  return v < entries_.size() && (entries_[v].vector_control & spec::kMsixVectorMasked);
}

MsixMessage MsixTable::MessageFor(uint16_t v) const {
  const auto& e = entries_[v];
  return MsixMessage{v, static_cast<uint64_t>(e.msg_addr_hi) << 32 | e.msg_addr_lo, e.msg_data};
}

MsixSignal MsixTable::Signal(uint16_t v) {
  if (v >= entries_.size()) return {MsixOutcome::kInvalidVector, {}};
  if (!config_.MsixEnabled()) return {MsixOutcome::kDisabled, {}};
  if (config_.MsixFunctionMasked() || VectorMasked(v)) {
    pba_[v / 64] |= uint64_t(1) << (v % 64);  // 6.1.4.5: held pending while masked
    return {MsixOutcome::kPending, {}};
  }
  return {MsixOutcome::kSend, MessageFor(v)};
}

std::vector<MsixMessage> MsixTable::CollectReleased() {
  std::vector<MsixMessage> out;
  if (!config_.MsixEnabled() || config_.MsixFunctionMasked()) return out;
  for (size_t q = 0; q < pba_.size(); ++q) {
    uint64_t bits = pba_[q];
    while (bits) {
      const unsigned b = static_cast<unsigned>(__builtin_ctzll(bits));
      bits &= bits - 1;
      const uint16_t v = static_cast<uint16_t>(q * 64 + b);
      if (!VectorMasked(v)) {
        pba_[q] &= ~(uint64_t(1) << b);
        out.push_back(MessageFor(v));
      }
    }
  }
  return out;
}

}  // namespace nvmesim::pcie
