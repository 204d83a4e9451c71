// Flash translation layer for conventional namespaces (page-level mapping,
// greedy garbage collection with thresholds, write amplification) and zoned
// namespaces (zones on whole superblocks, no GC; reset = erase).
//
// A superblock is block b of every plane of every die; it fills in program
// units striped over the dies (units_per_program units on one die, then the
// next die, channel-interleaved), so sequential data spreads over all dies.
// Mapping is sparse: memory grows with data written, not with capacity.
// Plain bookkeeping, no time: the media model turns placements into NAND
// operations.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "device_model/media/profile.h"

namespace nvmesim::device::media {

inline constexpr uint32_t kUnmapped = 0xFFFFFFFFu;

// Where a physical mapping unit lives.
struct UnitLocation {
  uint32_t superblock = 0;
  uint32_t die = 0;
  uint32_t plane = 0;
  uint32_t row = 0;  // page index within the block
};

struct FtlStats {
  uint64_t host_units = 0;  // units written by the host
  uint64_t gc_units = 0;    // units relocated by GC
  uint64_t pad_units = 0;   // units programmed as padding (flush/FUA of a partial unit)
  uint64_t trimmed_units = 0;
  uint64_t gc_victims = 0;  // superblocks collected
  uint64_t erased_superblocks = 0;
  uint64_t overflow_units = 0;  // host units beyond user capacity (not mapped)
  uint64_t mapped_units = 0;
  // NAND units programmed per host unit written.
  double WriteAmplification() const {
    return host_units ? static_cast<double>(host_units + gc_units + pad_units) / host_units : 1.0;
  }
};

class Ftl {
 public:
  Ftl(const Geometry& g, const NandProfile& nand, const FtlProfile& f);

  UnitLocation Locate(uint32_t ppn) const {
    UnitLocation l;
    l.superblock = static_cast<uint32_t>(ppn / g_.units_per_superblock);
    const uint64_t u = ppn % g_.units_per_superblock;
    const uint64_t pu = u / g_.units_per_program;
    const uint32_t off = static_cast<uint32_t>(u % g_.units_per_program);
    l.die = static_cast<uint32_t>(pu % g_.dies);
    const uint64_t rest = pu / g_.dies;
    const uint32_t group = static_cast<uint32_t>(rest % g_.plane_groups);
    const uint64_t row_group = rest / g_.plane_groups;
    // Inside a program unit: planes fastest, then the pages of a one-shot program.
    const uint32_t per_row = g_.units_per_page * g_.program_planes;
    l.plane = group * g_.program_planes + (off % per_row) / g_.units_per_page;
    l.row = static_cast<uint32_t>(row_group * nand_.pages_per_program + off / per_row);
    return l;
  }
  uint32_t ProgramUnitOf(uint32_t ppn) const { return ppn / g_.units_per_program; }

  // --- conventional namespaces; lpn = (nsid << 40) | logical unit ---------
  static uint64_t Lpn(uint32_t nsid, uint64_t unit) { return (uint64_t{nsid} << 40) | unit; }
  uint32_t Lookup(uint64_t lpn) const {
    const Space* sp = FindSpace(lpn >> kSpaceShift);
    if (!sp) return kUnmapped;
    const uint64_t c = (lpn & kUnitMask) >> kChunkBits;
    const uint64_t page = c >> kDirBits;
    if (page >= sp->pages.size() || !sp->pages[page]) return kUnmapped;
    const uint32_t* chunk = sp->pages[page]->chunk[c & (kDirPage - 1)].get();
    return chunk ? chunk[lpn & (kChunk - 1)] : kUnmapped;
  }
  // Starts loading the map entry of `lpn` into the CPU caches (no effect on state).
  void PrefetchMap(uint64_t lpn) const {
    const Space* sp = FindSpace(lpn >> kSpaceShift);
    if (!sp) return;
    const uint64_t c = (lpn & kUnitMask) >> kChunkBits;
    const uint64_t page = c >> kDirBits;
    if (page >= sp->pages.size() || !sp->pages[page]) return;
    if (const uint32_t* chunk = sp->pages[page]->chunk[c & (kDirPage - 1)].get())
      __builtin_prefetch(chunk + (lpn & (kChunk - 1)));
  }
  // Places one host unit at the write point; the old copy becomes invalid.
  // kUnmapped when the user capacity is exhausted (counted as overflow).
  uint32_t Write(uint64_t lpn);
  void Trim(uint64_t lpn);
  // Advances the conventional write point to the next program unit boundary;
  // returns the padded units.
  uint32_t PadToProgramUnit();
  uint32_t WritePointOffset() const {
    return static_cast<uint32_t>(wp_.next % g_.units_per_program);
  }

  // GC: wanted from the moment free superblocks fall to gc_low until they reach gc_high.
  bool GcWanted() {
    const size_t free = free_.size();
    if (free <= f_.gc_low_superblocks) gc_active_ = true;
    if (free >= f_.gc_high_superblocks) gc_active_ = false;
    return gc_active_ && !closed_.empty() && closed_.begin()->first < g_.units_per_superblock;
  }
  struct Move {
    uint32_t from, to;
  };
  struct GcPass {
    uint32_t victim = 0;
    std::vector<Move> moves;  // in victim order
  };
  // Relocates the valid units of the superblock with the fewest (greedy) to
  // the GC write point (its own program units, apart from host data) and
  // frees it. The caller times the reads, programs and the erase.
  std::optional<GcPass> CollectOne();

  // --- zoned namespaces ----------------------------------------------------
  // Zone `zone` of `nsid` spans `zone_units` mapping units on whole superblocks.
  void ConfigureZoned(uint32_t nsid, uint64_t zone_units);
  bool IsZoned(uint32_t nsid) const { return zoned_.count(nsid) != 0; }
  uint64_t ZoneUnits(uint32_t nsid) const {
    if (zoned_.empty()) return 0;
    auto it = zoned_.find(nsid);
    return it == zoned_.end() ? 0 : it->second;
  }
  // Places unit `offset` of a zone (offsets must arrive in order, as the zone's
  // write pointer guarantees). kUnmapped if no free superblock is left.
  uint32_t ZoneWrite(uint32_t nsid, uint64_t zone, uint64_t offset);
  uint32_t ZoneLookup(uint32_t nsid, uint64_t zone, uint64_t offset) const;
  // Pads the zone's write point to a program unit boundary; returns the units.
  uint32_t ZonePad(uint32_t nsid, uint64_t zone);
  // Releases the zone's superblocks (the caller erases them); returns them.
  std::vector<uint32_t> ZoneReset(uint32_t nsid, uint64_t zone);

  uint32_t free_superblocks() const { return static_cast<uint32_t>(free_.size()); }
  uint32_t ValidUnits(uint32_t sb) const { return valid_[sb]; }
  const FtlStats& stats() const { return stats_; }
  // Zeroes the counters (keeps mapped_units): after preconditioning.
  void ResetCounters() {
    const uint64_t m = stats_.mapped_units;
    stats_ = FtlStats{};
    stats_.mapped_units = m;
  }
  const Geometry& geometry() const { return g_; }
  uint64_t MemoryBytes() const;

 private:
  // Logical-to-physical map: the namespace bits of an lpn (above bit 40) pick a
  // space; in it, directory pages of kDirPage chunk pointers, each chunk
  // kChunk map entries. Pages and chunks are allocated when first written, so
  // memory grows with the data written, not with capacity.
  static constexpr uint32_t kChunkBits = 12;
  static constexpr uint32_t kChunk = 1u << kChunkBits;  // map entries per allocated chunk
  static constexpr uint32_t kDirBits = 12;
  static constexpr uint32_t kDirPage = 1u << kDirBits;
  static constexpr uint32_t kSpaceShift = 40;
  static constexpr uint64_t kUnitMask = (uint64_t{1} << kSpaceShift) - 1;
  struct DirPage {
    std::unique_ptr<uint32_t[]> chunk[kDirPage];
  };
  struct Space {
    uint64_t key = 0;
    std::vector<std::unique_ptr<DirPage>> pages;
  };
  const Space* FindSpace(uint64_t key) const {
    if (last_space_ < spaces_.size() && spaces_[last_space_].key == key)
      return &spaces_[last_space_];
    for (size_t i = 0; i < spaces_.size(); ++i)
      if (spaces_[i].key == key) {
        last_space_ = i;
        return &spaces_[i];
      }
    return nullptr;
  }
  struct WritePoint {
    uint32_t sb = kUnmapped;
    uint64_t next = 0;  // next unit offset inside sb
  };
  struct Zone {
    std::vector<uint32_t> superblocks;
    uint64_t written = 0;
  };
  void SetMap(uint64_t lpn, uint32_t ppn);
  void Invalidate(uint32_t ppn);
  bool OpenNext(WritePoint& wp, bool reverse_map);
  // Places `lpn`, whose current mapping is `old`, at the write point.
  uint32_t Place(WritePoint& wp, uint64_t lpn, uint32_t old);
  uint64_t UnitInSuperblock(uint32_t ppn) const { return ppn % g_.units_per_superblock; }

  Geometry g_;
  NandProfile nand_;
  FtlProfile f_;
  uint32_t rows_per_block_ = 0;
  std::vector<Space> spaces_;  // a handful: one per namespace written
  mutable size_t last_space_ = 0;
  uint64_t chunks_ = 0;                               // map chunks allocated
  std::vector<uint32_t> valid_;                       // per superblock
  std::vector<std::unique_ptr<uint64_t[]>> reverse_;  // per open/closed superblock
  std::deque<uint32_t> free_;                         // FIFO for wear spreading
  std::set<std::pair<uint32_t, uint32_t>> closed_;    // (valid, superblock)
  std::vector<uint8_t> closed_flag_;
  WritePoint wp_;     // host writes
  WritePoint gc_wp_;  // GC relocations (kept apart from host data)
  bool gc_active_ = false;
  std::map<uint32_t, uint64_t> zoned_;  // nsid -> zone units
  std::map<std::pair<uint32_t, uint64_t>, Zone> zones_;
  FtlStats stats_;
};

}  // namespace nvmesim::device::media
