#include "driver/data_pointer.h"

#include <algorithm>
#include <cstring>

namespace nvmesim::driver {

namespace {

// Calls fn(bus, len, is_first, is_last) for each piece of [offset, offset+length).
template <typename Fn>
bool ForEachSlice(const DataSegment* seg, uint32_t count, uint64_t offset, uint64_t length,
                  Fn&& fn) {
  uint64_t remaining = length;
  bool first = true;
  for (uint32_t i = 0; i < count && remaining > 0; ++i) {
    if (offset >= seg[i].length) {
      offset -= seg[i].length;
      continue;
    }
    const uint64_t take = std::min<uint64_t>(seg[i].length - offset, remaining);
    remaining -= take;
    if (!fn(seg[i].bus + offset, take, first, remaining == 0)) return false;
    first = false;
    offset = 0;
  }
  return remaining == 0;
}

bool EnsurePage(hal::DmaBuffer& page, hal::DmaMemory* dma, uint32_t page_size) {
  if (page.valid() && page.size >= page_size) return true;
  if (page.valid()) dma->Free(page);
  page = dma->Allocate(page_size, page_size);
  return page.valid();
}

}  // namespace

bool PrpCompatible(const DataSegment* segments, uint32_t count, uint32_t page_size) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; ++i) total += segments[i].length;
  const uint64_t mask = page_size - 1;
  bool ok = true;
  ForEachSlice(segments, count, 0, total, [&](uint64_t bus, uint64_t len, bool first, bool last) {
    if ((first && (bus & 3)) || (!first && (bus & mask)) || (!last && ((bus + len) & mask))) {
      ok = false;
    }
    return ok;
  });
  return ok;
}

spec::Status BuildPrp(const DataSegment* segments, uint32_t count, uint64_t offset, uint64_t length,
                      uint32_t page_size, spec::Sqe& sqe, hal::DmaBuffer& list_page,
                      hal::DmaMemory* dma) {
  const uint64_t mask = page_size - 1;
  uint64_t available = 0;
  for (uint32_t i = 0; i < count; ++i) available += segments[i].length;
  if (length == 0 || offset + length > available) return spec::GenericStatus::kDataSglLengthInvalid;
  // Pass 1: validate and count entries (one per memory page touched).
  uint64_t entries = 0;
  uint64_t first_entry = 0;
  bool layout_ok = true;
  const bool covered = ForEachSlice(
      segments, count, offset, length, [&](uint64_t bus, uint64_t len, bool first, bool last) {
        // base 2.0 4.1.1: PRP1 may carry a dword-aligned offset; every other
        // entry starts a page; data of a middle entry fills its page.
        if ((first && (bus & 3)) || (!first && (bus & mask)) || (!last && ((bus + len) & mask))) {
          layout_ok = false;
          return false;
        }
        if (first) first_entry = bus;
        entries += ((bus & mask) + len + mask) / page_size;
        return true;
      });
  if (!layout_ok) return spec::GenericStatus::kPrpOffsetInvalid;
  if (!covered || length == 0) return spec::GenericStatus::kDataSglLengthInvalid;
  sqe.set_psdt(spec::DataPointerType::kPrp);
  sqe.prp1 = first_entry;
  sqe.prp2 = 0;
  if (entries == 1) return spec::Status::Ok();
  if (entries - 1 > page_size / spec::kPrpEntrySize) {
    return spec::GenericStatus::kDataSglLengthInvalid;  // caller must split first
  }
  // Pass 2: the entries after the first, either as PRP2 or as a PRP list.
  uint64_t* list = nullptr;
  if (entries > 2) {
    if (!EnsurePage(list_page, dma, page_size)) return spec::GenericStatus::kInternalError;
    list = reinterpret_cast<uint64_t*>(list_page.cpu);
    sqe.prp2 = list_page.bus;
  }
  uint64_t index = 0;  // entry number, 0 = PRP1
  ForEachSlice(segments, count, offset, length, [&](uint64_t bus, uint64_t len, bool, bool) {
    for (uint64_t addr = bus; addr < bus + len; addr = (addr & ~mask) + page_size) {
      if (index > 0) {
        if (list) {
          std::memcpy(&list[index - 1], &addr, sizeof addr);
        } else {
          sqe.prp2 = addr;
        }
      }
      ++index;
    }
    return true;
  });
  return spec::Status::Ok();
}

spec::Status BuildSgl(const DataSegment* segments, uint32_t count, uint64_t offset, uint64_t length,
                      SglSupport support, uint32_t page_size, spec::Sqe& sqe,
                      hal::DmaBuffer& list_page, hal::DmaMemory* dma) {
  if (support == SglSupport::kNone) return spec::GenericStatus::kInvalidField;
  uint32_t pieces = 0;
  bool aligned = true;
  const bool covered =
      ForEachSlice(segments, count, offset, length, [&](uint64_t bus, uint64_t len, bool, bool) {
        if (support == SglSupport::kDwordAligned && ((bus | len) & 3)) aligned = false;
        if (len > 0xFFFFFFFFull) aligned = false;  // descriptor length is 32 bits (Figure 95)
        ++pieces;
        return aligned;
      });
  if (!aligned) return spec::GenericStatus::kSglDataBlockGranularityInvalid;
  if (!covered || length == 0) return spec::GenericStatus::kDataSglLengthInvalid;
  sqe.set_psdt(spec::DataPointerType::kSglMptrContiguous);  // Figure 88: PSDT 01b
  spec::SglDescriptor d;
  if (pieces == 1) {
    ForEachSlice(segments, count, offset, length, [&](uint64_t bus, uint64_t len, bool, bool) {
      d.address = bus;
      d.length = static_cast<uint32_t>(len);
      return true;
    });
    d.set_type(spec::SglDescriptorType::kDataBlock)
        .set_subtype(spec::SglDescriptorSubtype::kAddress);
    sqe.set_sgl(d);
    return spec::Status::Ok();
  }
  if (pieces > page_size / spec::kSglDescriptorSize)
    return spec::GenericStatus::kInvalidNumberOfSglDescriptors;
  if (!EnsurePage(list_page, dma, page_size)) return spec::GenericStatus::kInternalError;
  auto* out = reinterpret_cast<spec::SglDescriptor*>(list_page.cpu);
  uint32_t i = 0;
  ForEachSlice(segments, count, offset, length, [&](uint64_t bus, uint64_t len, bool, bool) {
    spec::SglDescriptor e;
    e.address = bus;
    e.length = static_cast<uint32_t>(len);
    e.set_type(spec::SglDescriptorType::kDataBlock)
        .set_subtype(spec::SglDescriptorSubtype::kAddress);
    std::memcpy(&out[i++], &e, sizeof e);
    return true;
  });
  d.address = list_page.bus;
  d.length = pieces * static_cast<uint32_t>(spec::kSglDescriptorSize);
  d.set_type(spec::SglDescriptorType::kLastSegment)
      .set_subtype(spec::SglDescriptorSubtype::kAddress);
  sqe.set_sgl(d);
  return spec::Status::Ok();
}

}  // namespace nvmesim::driver
