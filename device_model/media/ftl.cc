#include "device_model/media/ftl.h"

#include <algorithm>
#include <iterator>

namespace nvmesim::device::media {
namespace {
constexpr uint64_t kNoLpn = ~uint64_t{0};
}

Ftl::Ftl(const Geometry& g, const NandProfile& nand, const FtlProfile& f)
    : g_(g),
      nand_(nand),
      f_(f),
      rows_per_block_(nand.pages_per_block),
      valid_(g.superblocks, 0),
      reverse_(g.superblocks),
      closed_flag_(g.superblocks, 0) {
  for (uint32_t sb = 0; sb < g.superblocks; ++sb) free_.push_back(sb);
}

void Ftl::SetMap(uint64_t lpn, uint32_t ppn) {
  const uint64_t key = lpn >> kSpaceShift;
  Space* sp = const_cast<Space*>(FindSpace(key));
  if (!sp) {
    last_space_ = spaces_.size();
    sp = &spaces_.emplace_back();
    sp->key = key;
  }
  const uint64_t c = (lpn & kUnitMask) >> kChunkBits;
  const uint64_t page = c >> kDirBits;
  if (page >= sp->pages.size()) sp->pages.resize(page + 1);
  if (!sp->pages[page]) sp->pages[page] = std::make_unique<DirPage>();
  auto& chunk = sp->pages[page]->chunk[c & (kDirPage - 1)];
  if (!chunk) {
    chunk.reset(new uint32_t[kChunk]);
    std::fill_n(chunk.get(), kChunk, kUnmapped);
    ++chunks_;
  }
  chunk[lpn & (kChunk - 1)] = ppn;
}

void Ftl::Invalidate(uint32_t ppn) {
  const uint32_t sb = static_cast<uint32_t>(ppn / g_.units_per_superblock);
  if (closed_flag_[sb]) {
    // Re-key the superblock's node in place (no allocation); its new key is
    // smaller, usually just before its old place.
    auto it = closed_.find({valid_[sb], sb});
    --valid_[sb];
    if (it == closed_.end()) {
      closed_.insert({valid_[sb], sb});
    } else {
      const auto hint = std::next(it);
      auto node = closed_.extract(it);
      node.value().first = valid_[sb];
      closed_.insert(hint, std::move(node));
    }
  } else {
    --valid_[sb];
  }
  if (reverse_[sb]) reverse_[sb][UnitInSuperblock(ppn)] = kNoLpn;
}

bool Ftl::OpenNext(WritePoint& wp, bool reverse_map) {
  if (wp.sb != kUnmapped && wp.next < g_.units_per_superblock) return true;
  if (wp.sb != kUnmapped && reverse_map) {
    closed_flag_[wp.sb] = 1;
    closed_.insert({valid_[wp.sb], wp.sb});
  }
  wp.sb = kUnmapped;
  if (free_.empty()) return false;
  wp.sb = free_.front();
  free_.pop_front();
  wp.next = 0;
  if (reverse_map) {
    reverse_[wp.sb].reset(new uint64_t[g_.units_per_superblock]);
    for (uint64_t i = 0; i < g_.units_per_superblock; ++i) reverse_[wp.sb][i] = kNoLpn;
  }
  return true;
}

uint32_t Ftl::Place(WritePoint& wp, uint64_t lpn, uint32_t old) {
  if (!OpenNext(wp, true)) return kUnmapped;
  const uint32_t ppn = static_cast<uint32_t>(uint64_t{wp.sb} * g_.units_per_superblock + wp.next);
  reverse_[wp.sb][wp.next] = lpn;
  ++wp.next;
  ++valid_[wp.sb];
  if (old != kUnmapped) Invalidate(old);
  SetMap(lpn, ppn);
  return ppn;
}

uint32_t Ftl::Write(uint64_t lpn) {
  const uint32_t old = Lookup(lpn);
  if (old == kUnmapped) {
    if (stats_.mapped_units >= g_.user_units) {
      ++stats_.overflow_units;
      return kUnmapped;
    }
    ++stats_.mapped_units;
  }
  const uint32_t ppn = Place(wp_, lpn, old);
  if (ppn != kUnmapped) ++stats_.host_units;
  return ppn;
}

void Ftl::Trim(uint64_t lpn) {
  const uint32_t old = Lookup(lpn);
  if (old == kUnmapped) return;
  Invalidate(old);
  SetMap(lpn, kUnmapped);
  --stats_.mapped_units;
  ++stats_.trimmed_units;
}

uint32_t Ftl::PadToProgramUnit() {
  if (wp_.sb == kUnmapped) return 0;
  const uint32_t off = WritePointOffset();
  if (off == 0) return 0;
  const uint32_t pad = g_.units_per_program - off;
  wp_.next += pad;  // superblock size is a multiple of the program unit
  stats_.pad_units += pad;
  return pad;
}

std::optional<Ftl::GcPass> Ftl::CollectOne() {
  if (closed_.empty() || closed_.begin()->first >= g_.units_per_superblock) return std::nullopt;
  GcPass pass;
  pass.victim = closed_.begin()->second;
  const uint32_t v = pass.victim;
  closed_.erase(closed_.begin());
  closed_flag_[v] = 0;
  pass.moves.reserve(valid_[v]);
  const uint64_t base = uint64_t{v} * g_.units_per_superblock;
  for (uint64_t u = 0; u < g_.units_per_superblock && valid_[v] > 0; ++u) {
    const uint64_t lpn = reverse_[v][u];
    if (lpn == kNoLpn) continue;
    const uint32_t to = Place(gc_wp_, lpn, Lookup(lpn));  // invalidates the victim's copy
    if (to == kUnmapped) break;                           // cannot happen with validated reserves
    pass.moves.push_back({static_cast<uint32_t>(base + u), to});
    ++stats_.gc_units;
  }
  reverse_[v].reset();
  valid_[v] = 0;
  free_.push_back(v);
  ++stats_.gc_victims;
  ++stats_.erased_superblocks;
  return pass;
}

void Ftl::ConfigureZoned(uint32_t nsid, uint64_t zone_units) { zoned_[nsid] = zone_units; }

uint32_t Ftl::ZoneWrite(uint32_t nsid, uint64_t zone, uint64_t offset) {
  Zone& z = zones_[{nsid, zone}];
  const uint64_t idx = offset / g_.units_per_superblock;
  while (z.superblocks.size() <= idx) {
    if (free_.empty()) return kUnmapped;
    z.superblocks.push_back(free_.front());
    free_.pop_front();
  }
  const uint32_t sb = z.superblocks[idx];
  z.written = std::max(z.written, offset + 1);
  ++valid_[sb];
  ++stats_.host_units;
  return static_cast<uint32_t>(uint64_t{sb} * g_.units_per_superblock +
                               offset % g_.units_per_superblock);
}

uint32_t Ftl::ZoneLookup(uint32_t nsid, uint64_t zone, uint64_t offset) const {
  auto it = zones_.find({nsid, zone});
  if (it == zones_.end() || offset >= it->second.written) return kUnmapped;
  const uint64_t idx = offset / g_.units_per_superblock;
  return static_cast<uint32_t>(uint64_t{it->second.superblocks[idx]} * g_.units_per_superblock +
                               offset % g_.units_per_superblock);
}

uint32_t Ftl::ZonePad(uint32_t nsid, uint64_t zone) {
  auto it = zones_.find({nsid, zone});
  if (it == zones_.end()) return 0;
  const uint32_t off = static_cast<uint32_t>(it->second.written % g_.units_per_program);
  if (off == 0) return 0;
  const uint32_t pad = g_.units_per_program - off;
  it->second.written += pad;
  stats_.pad_units += pad;
  return pad;
}

std::vector<uint32_t> Ftl::ZoneReset(uint32_t nsid, uint64_t zone) {
  auto it = zones_.find({nsid, zone});
  if (it == zones_.end()) return {};
  std::vector<uint32_t> sbs = std::move(it->second.superblocks);
  zones_.erase(it);
  for (uint32_t sb : sbs) {
    valid_[sb] = 0;
    free_.push_back(sb);
    ++stats_.erased_superblocks;
  }
  return sbs;
}

uint64_t Ftl::MemoryBytes() const {
  uint64_t b = chunks_ * (uint64_t{kChunk} * 4 + 32);
  for (const auto& r : reverse_)
    if (r) b += g_.units_per_superblock * 8;
  return b + valid_.size() * 4 + closed_flag_.size();
}

}  // namespace nvmesim::device::media
