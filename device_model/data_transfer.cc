#include "device_model/data_transfer.h"

#include <algorithm>
#include <array>

namespace nvmesim::device {

using spec::GenericStatus;
using spec::SglDescriptor;
using spec::SglDescriptorType;
using spec::Status;

namespace {

void Append(std::vector<DmaSegment>& out, uint64_t addr, uint64_t len, bool bucket = false) {
  if (len == 0) return;
  if (!out.empty()) {
    DmaSegment& b = out.back();
    if (b.bit_bucket == bucket && (bucket || b.addr + b.len == addr)) {
      b.len += len;  // physically contiguous pages become one DMA
      return;
    }
  }
  out.push_back({addr, len, bucket});
}

bool Overflows(uint64_t addr, uint64_t len) { return len != 0 && addr + (len - 1) < addr; }

}  // namespace

Status BuildPrpTransfer(uint64_t prp1, uint64_t prp2, uint64_t len, uint64_t page_size,
                        DmaPort& dma, std::vector<DmaSegment>& out) {
  out.clear();
  if (len == 0) return Status::Ok();
  // PRP1 may carry an offset; it must be dword aligned (Base 2.0 4.1.1, Figure 89).
  if (prp1 & 0x3) return Status(GenericStatus::kPrpOffsetInvalid, true);
  const uint64_t off1 = prp1 & (page_size - 1);
  const uint64_t first = std::min(len, page_size - off1);
  Append(out, prp1, first);
  uint64_t remaining = len - first;
  if (remaining == 0) return Status::Ok();
  if (remaining <= page_size) {
    // PRP2 is a data page: offset must be zero (Base 2.0 4.1.1).
    if (prp2 & (page_size - 1)) return Status(GenericStatus::kPrpOffsetInvalid, true);
    Append(out, prp2, remaining);
    return Status::Ok();
  }
  // PRP2 points to a PRP list; the list may start at a qword-aligned offset.
  if (prp2 & 0x7) return Status(GenericStatus::kPrpOffsetInvalid, true);
  uint64_t list = prp2;
  const uint64_t entries_per_page = page_size / 8;
  std::array<uint64_t, 64> batch;
  while (remaining > 0) {
    const uint64_t in_page = (page_size - (list & (page_size - 1))) / 8;
    const uint64_t pages_needed = (remaining + page_size - 1) / page_size;
    // If more pages are needed than the list page holds, the last entry chains.
    const bool chains = pages_needed > in_page;
    const uint64_t data_entries = chains ? in_page - 1 : pages_needed;
    (void)entries_per_page;
    uint64_t done = 0;
    while (done < data_entries) {
      const uint64_t n = std::min<uint64_t>(batch.size(), data_entries - done);
      if (!dma.DmaRead(list + done * 8, batch.data(), n * 8))
        return Status(GenericStatus::kDataTransferError);
      for (uint64_t i = 0; i < n; ++i) {
        const uint64_t e = batch[i];
        if (e & (page_size - 1)) return Status(GenericStatus::kPrpOffsetInvalid, true);
        const uint64_t take = std::min(remaining, page_size);
        Append(out, e, take);
        remaining -= take;
      }
      done += n;
    }
    if (!chains) break;
    uint64_t next = 0;
    if (!dma.DmaRead(list + data_entries * 8, &next, 8))
      return Status(GenericStatus::kDataTransferError);
    // A chained list pointer names the start of the next list page.
    if (next & (page_size - 1)) return Status(GenericStatus::kPrpOffsetInvalid, true);
    list = next;
  }
  return Status::Ok();
}

Status BuildSglTransfer(const SglDescriptor& sgl1, uint64_t len, const TransferLimits& lim,
                        DmaPort& dma, std::vector<DmaSegment>& out) {
  out.clear();
  uint64_t remaining = len;
  uint32_t descriptors = 0;
  auto take_data = [&](const SglDescriptor& d) -> Status {
    if (d.subtype() != spec::SglDescriptorSubtype::kAddress)
      return Status(GenericStatus::kSglDescriptorTypeInvalid, true);
    if (d.type() == SglDescriptorType::kBitBucket && !lim.bit_bucket_allowed)
      return Status(GenericStatus::kSglDescriptorTypeInvalid, true);
    if (Overflows(d.address, d.length)) return Status(GenericStatus::kDataTransferError);
    const uint64_t n = std::min<uint64_t>(remaining, d.length);
    Append(out, d.address, n, d.type() == SglDescriptorType::kBitBucket);
    remaining -= n;
    return Status::Ok();
  };
  auto is_data = [](SglDescriptorType t) {
    return t == SglDescriptorType::kDataBlock || t == SglDescriptorType::kBitBucket;
  };
  auto is_segment = [](SglDescriptorType t) {
    return t == SglDescriptorType::kSegment || t == SglDescriptorType::kLastSegment;
  };

  SglDescriptor cur = sgl1;
  if (is_data(cur.type())) {
    Status s = take_data(cur);
    if (!s.ok()) return s;
    if (remaining) return Status(GenericStatus::kDataSglLengthInvalid, true);
    return Status::Ok();
  }
  if (!is_segment(cur.type())) return Status(GenericStatus::kSglDescriptorTypeInvalid, true);
  std::array<SglDescriptor, 16> batch;
  while (true) {
    // Segment descriptor: length non-zero and a multiple of 16 (Base 2.0 4.1.2.1).
    if (cur.subtype() != spec::SglDescriptorSubtype::kAddress)
      return Status(GenericStatus::kSglDescriptorTypeInvalid, true);
    if (cur.length == 0 || (cur.length % 16) != 0 || Overflows(cur.address, cur.length))
      return Status(GenericStatus::kInvalidSglSegmentDescriptor, true);
    const bool last = cur.type() == SglDescriptorType::kLastSegment;
    const uint64_t count = cur.length / 16;
    const uint64_t base = cur.address;
    SglDescriptor next{};
    bool have_next = false;
    for (uint64_t i = 0; i < count;) {
      const uint64_t n = std::min<uint64_t>(batch.size(), count - i);
      if (!dma.DmaRead(base + i * 16, batch.data(), n * 16))
        return Status(GenericStatus::kDataTransferError);
      for (uint64_t k = 0; k < n; ++k, ++i) {
        const SglDescriptor& d = batch[k];
        if (++descriptors > lim.max_sgl_descriptors)
          return Status(GenericStatus::kInvalidNumberOfSglDescriptors, true);
        if (is_data(d.type())) {
          Status s = take_data(d);
          if (!s.ok()) return s;
        } else if (is_segment(d.type())) {
          // Only the last descriptor of a non-last segment may chain (Base 2.0 4.1.2).
          if (last || i != count - 1)
            return Status(GenericStatus::kInvalidSglSegmentDescriptor, true);
          next = d;
          have_next = true;
        } else {
          return Status(GenericStatus::kSglDescriptorTypeInvalid, true);
        }
      }
    }
    if (!have_next) break;
    cur = next;
  }
  if (remaining) return Status(GenericStatus::kDataSglLengthInvalid, true);
  return Status::Ok();
}

Status BuildTransfer(const spec::Sqe& sqe, uint64_t len, const TransferLimits& lim, DmaPort& dma,
                     std::vector<DmaSegment>& out) {
  switch (sqe.psdt()) {
    case spec::DataPointerType::kPrp:
      return BuildPrpTransfer(sqe.prp1, sqe.prp2, len, lim.page_size, dma, out);
    case spec::DataPointerType::kSglMptrContiguous:
    case spec::DataPointerType::kSglMptrSgl:
      if (!lim.sgl_supported) return Status(GenericStatus::kInvalidField, true);
      if (len == 0) {
        out.clear();
        return Status::Ok();
      }
      return BuildSglTransfer(sqe.sgl(), len, lim, dma, out);
  }
  return Status(GenericStatus::kInvalidField, true);  // PSDT 11b reserved (Figure 88)
}

bool CopyToHost(DmaPort& dma, const std::vector<DmaSegment>& segs, const uint8_t* src,
                uint64_t len) {
  for (const DmaSegment& s : segs) {
    if (len == 0) break;
    const uint64_t n = std::min(len, s.len);
    if (!s.bit_bucket && !dma.DmaWrite(s.addr, src, n)) return false;
    src += n;
    len -= n;
  }
  return true;
}

bool CopyFromHost(DmaPort& dma, const std::vector<DmaSegment>& segs, uint8_t* dst, uint64_t len) {
  for (const DmaSegment& s : segs) {
    if (len == 0) break;
    const uint64_t n = std::min(len, s.len);
    if (!s.bit_bucket && !dma.DmaRead(s.addr, dst, n)) return false;
    dst += n;
    len -= n;
  }
  return true;
}

}  // namespace nvmesim::device
