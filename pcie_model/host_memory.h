// Sparse host memory: regions the host mapped for DMA, keyed by bus address.
// Translate() answers a pointer only when [bus, bus + length) lies inside one
// mapped region; anything else is outside the DMA window (the root complex
// turns that into an Unsupported Request).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace nvmesim::pcie {

class HostMemory {
 public:
  // Maps [bus, bus + size) zero-filled; nullptr (and *error set when given) if
  // size is 0, the range wraps, or it overlaps a mapped region.
  uint8_t* Map(uint64_t bus, uint64_t size, std::string* error = nullptr);
  // Unmaps the region that starts at `bus`; false when there is none.
  bool Unmap(uint64_t bus);
  uint8_t* Translate(uint64_t bus, uint64_t length) {
    // A hit in the lookup cache is answered here; everything else by Find.
    const CacheEntry& e = cache_[CacheSlot(bus)];
    if (e.region != nullptr && Inside(bus, length, e.base, e.size)) {
      return e.bytes + (bus - e.base);
    }
    return TranslateSlow(bus, length);
  }
  const uint8_t* Translate(uint64_t bus, uint64_t length) const;

  // The whole mapped region holding [bus, bus + length): for a direct memory
  // interface (TLM-2.0 DMI) grant. False when no one region holds it.
  struct Extent {
    uint64_t base = 0, size = 0;
    uint8_t* bytes = nullptr;
  };
  bool RegionOf(uint64_t bus, uint64_t length, Extent* out);
  // Told of every region before it is unmapped (its pointer dies with it).
  void SetUnmapObserver(std::function<void(uint64_t base, uint64_t size)> observer) {
    unmap_observer_ = std::move(observer);
  }

  size_t regions() const { return regions_.size(); }
  uint64_t mapped_bytes() const { return mapped_bytes_; }

 private:
  struct Region {
    uint64_t size;
    std::unique_ptr<uint8_t[]> bytes;
  };
  const Region* Find(uint64_t bus, uint64_t length, uint64_t* base) const;
  uint8_t* TranslateSlow(uint64_t bus, uint64_t length);
  // [bus, bus + length) lies inside the region [base, base + size).
  static bool Inside(uint64_t bus, uint64_t length, uint64_t base, uint64_t size) {
    return bus >= base && length <= size && bus - base <= size - length;
  }

  // A direct-mapped cache of recent lookups, indexed by the 4 KiB page of the
  // address: DMA goes to a few hundred live buffers over and over, and a map
  // walk per transfer is the cost otherwise. A hit is re-checked against the
  // region's bounds, so the cache only ever answers what Find would. The
  // region's size and bytes are copied in: a hit reads one entry, no map node.
  struct CacheEntry {
    uint64_t base = 0;
    uint64_t size = 0;
    uint8_t* bytes = nullptr;
    const Region* region = nullptr;
  };
  static constexpr size_t kCacheEntries = 1024;
  static size_t CacheSlot(uint64_t bus) { return (bus >> 12) & (kCacheEntries - 1); }

  std::map<uint64_t, Region> regions_;
  std::function<void(uint64_t, uint64_t)> unmap_observer_;
  uint64_t mapped_bytes_ = 0;
  mutable std::array<CacheEntry, kCacheEntries> cache_{};
};

}  // namespace nvmesim::pcie
