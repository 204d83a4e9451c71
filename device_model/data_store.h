// Sparse per-namespace data store with an optional volatile write cache.
//
// Storage is proportional to written data: 4 KiB chunks are allocated on the
// first write that touches them; unwritten or deallocated ranges read as
// zeros (the namespace advertises DLFEAT.RB = 001b, NVM Command Set 2.0
// Figure 97). With the write cache enabled, non-FUA writes land in a
// copy-on-write overlay that Flush (or FUA) makes durable and PowerLoss drops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace nvmesim::device {

class DataStore {
 public:
  static constexpr uint64_t kChunkBytes = 4096;

  explicit DataStore(uint64_t capacity_bytes) : capacity_(capacity_bytes) {}

  uint64_t capacity() const { return capacity_; }
  void Resize(uint64_t capacity_bytes);  // drops everything (Format NVM)

  // Byte-addressed access; callers validate ranges against the capacity.
  void Read(uint64_t offset, uint8_t* dst, uint64_t len) const;
  // The bytes at [offset, offset + len) in place, when they lie in one chunk
  // (unwritten ones point at shared zeros), else nullptr: lets a read go to the
  // host without a staging copy. Valid until the next modifying call.
  const uint8_t* View(uint64_t offset, uint64_t len) const;
  void Write(uint64_t offset, const uint8_t* src, uint64_t len, bool cached);
  void Zero(uint64_t offset, uint64_t len, bool cached);  // Write Zeroes, Deallocate
  bool Compare(uint64_t offset, const uint8_t* data, uint64_t len) const;

  void Flush();      // overlay -> durable
  void PowerLoss();  // overlay lost
  void Erase();      // all data gone (Format NVM, namespace delete)

  uint64_t durable_chunks() const { return durable_.size(); }
  uint64_t cached_chunks() const { return overlay_.size(); }

 private:
  using Chunk = std::unique_ptr<uint8_t[]>;
  using Map = std::unordered_map<uint64_t, Chunk>;
  const uint8_t* Find(uint64_t chunk) const;
  uint8_t* Writable(uint64_t chunk, bool cached);

  uint64_t capacity_;
  Map durable_;
  Map overlay_;
};

// Inclusive LBA ranges that read back as unrecoverable (Write Uncorrectable,
// injected media errors). Ordered map keyed by first LBA.
class LbaRangeSet {
 public:
  void Add(uint64_t first, uint64_t count);
  void Remove(uint64_t first, uint64_t count);
  bool Intersects(uint64_t first, uint64_t count) const;
  bool empty() const { return ranges_.empty(); }
  void Clear() { ranges_.clear(); }

 private:
  std::map<uint64_t, uint64_t> ranges_;  // first -> last (inclusive)
};

}  // namespace nvmesim::device
