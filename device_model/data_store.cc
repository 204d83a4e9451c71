#include "device_model/data_store.h"

#include <algorithm>
#include <cstring>

namespace nvmesim::device {

void DataStore::Resize(uint64_t capacity_bytes) {
  Erase();
  capacity_ = capacity_bytes;
}

const uint8_t* DataStore::Find(uint64_t chunk) const {
  if (!overlay_.empty()) {
    auto it = overlay_.find(chunk);
    if (it != overlay_.end()) return it->second.get();
  }
  auto it = durable_.find(chunk);
  return it == durable_.end() ? nullptr : it->second.get();
}

uint8_t* DataStore::Writable(uint64_t chunk, bool cached) {
  if (cached) {
    auto it = overlay_.find(chunk);
    if (it != overlay_.end()) return it->second.get();
    Chunk c(new uint8_t[kChunkBytes]);
    auto d = durable_.find(chunk);
    if (d != durable_.end()) {
      std::memcpy(c.get(), d->second.get(), kChunkBytes);
    } else {
      std::memset(c.get(), 0, kChunkBytes);
    }
    uint8_t* p = c.get();
    overlay_.emplace(chunk, std::move(c));
    return p;
  }
  auto it = durable_.find(chunk);
  if (it != durable_.end()) return it->second.get();
  Chunk c(new uint8_t[kChunkBytes]);
  std::memset(c.get(), 0, kChunkBytes);
  uint8_t* p = c.get();
  durable_.emplace(chunk, std::move(c));
  return p;
}

const uint8_t* DataStore::View(uint64_t offset, uint64_t len) const {
  static const uint8_t kZeros[kChunkBytes] = {};
  const uint64_t in = offset % kChunkBytes;
  if (len == 0 || len > kChunkBytes - in) return nullptr;
  const uint8_t* c = Find(offset / kChunkBytes);
  return (c ? c : kZeros) + in;
}

void DataStore::Read(uint64_t offset, uint8_t* dst, uint64_t len) const {
  while (len > 0) {
    const uint64_t chunk = offset / kChunkBytes;
    const uint64_t in = offset % kChunkBytes;
    const uint64_t n = std::min(len, kChunkBytes - in);
    const uint8_t* c = Find(chunk);
    if (c) {
      std::memcpy(dst, c + in, n);
    } else {
      std::memset(dst, 0, n);
    }
    dst += n;
    offset += n;
    len -= n;
  }
}

void DataStore::Write(uint64_t offset, const uint8_t* src, uint64_t len, bool cached) {
  while (len > 0) {
    const uint64_t chunk = offset / kChunkBytes;
    const uint64_t in = offset % kChunkBytes;
    const uint64_t n = std::min(len, kChunkBytes - in);
    std::memcpy(Writable(chunk, cached) + in, src, n);
    if (!cached) {
      // Write-through (FUA or cache off): a stale overlay copy must agree.
      auto it = overlay_.find(chunk);
      if (it != overlay_.end()) std::memcpy(it->second.get() + in, src, n);
    }
    src += n;
    offset += n;
    len -= n;
  }
}

void DataStore::Zero(uint64_t offset, uint64_t len, bool cached) {
  while (len > 0) {
    const uint64_t chunk = offset / kChunkBytes;
    const uint64_t in = offset % kChunkBytes;
    const uint64_t n = std::min(len, kChunkBytes - in);
    if (n == kChunkBytes && !cached) {
      durable_.erase(chunk);  // whole chunk: release the storage
      overlay_.erase(chunk);
    } else if (Find(chunk) != nullptr) {
      std::memset(Writable(chunk, cached) + in, 0, n);
      if (!cached) {
        auto it = overlay_.find(chunk);
        if (it != overlay_.end()) std::memset(it->second.get() + in, 0, n);
      }
    }
    offset += n;
    len -= n;
  }
}

bool DataStore::Compare(uint64_t offset, const uint8_t* data, uint64_t len) const {
  static const uint8_t kZeros[kChunkBytes] = {};
  while (len > 0) {
    const uint64_t chunk = offset / kChunkBytes;
    const uint64_t in = offset % kChunkBytes;
    const uint64_t n = std::min(len, kChunkBytes - in);
    const uint8_t* c = Find(chunk);
    if (std::memcmp(c ? c + in : kZeros, data, n) != 0) return false;
    data += n;
    offset += n;
    len -= n;
  }
  return true;
}

void DataStore::Flush() {
  for (auto& [chunk, data] : overlay_) durable_[chunk] = std::move(data);
  overlay_.clear();
}

void DataStore::PowerLoss() { overlay_.clear(); }

void DataStore::Erase() {
  durable_.clear();
  overlay_.clear();
}

void LbaRangeSet::Add(uint64_t first, uint64_t count) {
  if (count == 0) return;
  Remove(first, count);
  ranges_[first] = first + count - 1;
}

void LbaRangeSet::Remove(uint64_t first, uint64_t count) {
  if (count == 0) return;
  const uint64_t last = first + count - 1;
  auto it = ranges_.upper_bound(first);
  if (it != ranges_.begin()) --it;
  while (it != ranges_.end() && it->first <= last) {
    const uint64_t a = it->first, b = it->second;
    if (b < first) {
      ++it;
      continue;
    }
    it = ranges_.erase(it);
    if (a < first) ranges_[a] = first - 1;
    if (b > last) ranges_[last + 1] = b;
  }
}

bool LbaRangeSet::Intersects(uint64_t first, uint64_t count) const {
  if (count == 0 || ranges_.empty()) return false;
  const uint64_t last = first + count - 1;
  auto it = ranges_.upper_bound(last);
  if (it == ranges_.begin()) return false;
  --it;
  return it->second >= first;
}

}  // namespace nvmesim::device
