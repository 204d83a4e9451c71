// Sparse host memory: regions the host mapped for DMA, keyed by bus address.
// Translate() answers a pointer only when [bus, bus + length) lies inside one
// mapped region; anything else is outside the DMA window (the root complex
// turns that into an Unsupported Request).
#pragma once

#include <cstdint>
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
  uint8_t* Translate(uint64_t bus, uint64_t length);
  const uint8_t* Translate(uint64_t bus, uint64_t length) const;

  size_t regions() const { return regions_.size(); }
  uint64_t mapped_bytes() const { return mapped_bytes_; }

 private:
  struct Region {
    uint64_t size;
    std::unique_ptr<uint8_t[]> bytes;
  };
  const Region* Find(uint64_t bus, uint64_t length, uint64_t* base) const;

  std::map<uint64_t, Region> regions_;
  uint64_t mapped_bytes_ = 0;
  mutable uint64_t last_base_ = 0;
  mutable const Region* last_ = nullptr;
};

}  // namespace nvmesim::pcie
