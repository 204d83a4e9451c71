#include "pcie_model/host_memory.h"

#include <sstream>

namespace nvmesim::pcie {

uint8_t* HostMemory::Map(uint64_t bus, uint64_t size, std::string* error) {
  auto fail = [&](const std::string& why) -> uint8_t* {
    if (error) *error = why;
    return nullptr;
  };
  if (size == 0) return fail("host memory: size 0");
  if (bus + size < bus) return fail("host memory: range wraps past 2^64");
  auto next = regions_.lower_bound(bus);
  if (next != regions_.end() && next->first < bus + size) {
    std::ostringstream os;
    os << "host memory: [0x" << std::hex << bus << ", +0x" << size << ") overlaps region at 0x"
       << next->first;
    return fail(os.str());
  }
  if (next != regions_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second.size > bus) {
      std::ostringstream os;
      os << "host memory: [0x" << std::hex << bus << ", +0x" << size << ") overlaps region at 0x"
         << prev->first;
      return fail(os.str());
    }
  }
  Region r{size, std::unique_ptr<uint8_t[]>(new uint8_t[size]())};
  uint8_t* p = r.bytes.get();
  regions_.emplace(bus, std::move(r));
  mapped_bytes_ += size;
  return p;
}

bool HostMemory::Unmap(uint64_t bus) {
  auto it = regions_.find(bus);
  if (it == regions_.end()) return false;
  if (unmap_observer_) unmap_observer_(it->first, it->second.size);
  for (CacheEntry& e : cache_) {
    if (e.region == &it->second) e = CacheEntry{};
  }
  mapped_bytes_ -= it->second.size;
  regions_.erase(it);
  return true;
}

const HostMemory::Region* HostMemory::Find(uint64_t bus, uint64_t length, uint64_t* base) const {
  auto inside = [&](uint64_t b, const Region& r) { return Inside(bus, length, b, r.size); };
  CacheEntry& e = cache_[CacheSlot(bus)];
  if (e.region != nullptr && inside(e.base, *e.region)) {
    *base = e.base;
    return e.region;
  }
  auto it = regions_.upper_bound(bus);
  if (it == regions_.begin()) return nullptr;
  --it;
  if (!inside(it->first, it->second)) return nullptr;
  e.base = it->first;
  e.size = it->second.size;
  e.bytes = it->second.bytes.get();
  e.region = &it->second;
  *base = it->first;
  return e.region;
}

bool HostMemory::RegionOf(uint64_t bus, uint64_t length, Extent* out) {
  uint64_t base = 0;
  const Region* r = Find(bus, length, &base);
  if (r == nullptr) return false;
  *out = Extent{base, r->size, r->bytes.get()};
  return true;
}

uint8_t* HostMemory::TranslateSlow(uint64_t bus, uint64_t length) {
  uint64_t base = 0;
  const Region* r = Find(bus, length, &base);
  return r ? r->bytes.get() + (bus - base) : nullptr;
}

const uint8_t* HostMemory::Translate(uint64_t bus, uint64_t length) const {
  uint64_t base = 0;
  const Region* r = Find(bus, length, &base);
  return r ? r->bytes.get() + (bus - base) : nullptr;
}

}  // namespace nvmesim::pcie
