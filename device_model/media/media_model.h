// The NAND/FTL/cache media model behind device::MediaTiming.
//
// Per command: the firmware runs on the first free embedded core (cycles per
// command kind + per mapping unit), then
//  - read: each mapping unit comes from the DRAM buffer while its program is
//    pending, else from NAND (units of one die and page row share one tR,
//    several planes in one multi-plane read); unwritten units cost nothing;
//  - write: the data is admitted into the DRAM write buffer as soon as it fits
//    and acknowledged after its DRAM copy (write-back); full program units are
//    programmed in the background and leave the buffer when done. With no
//    buffer, or FUA without power-loss protection, the write waits for its
//    program (a partial program unit is padded);
//  - flush: pads the open program unit and waits for every program issued;
//  - deallocate: unmaps the units (the GC then skips them).
// GC runs inline when free superblocks reach the low threshold; its reads,
// programs and erases occupy the dies and channels like host work, so host
// writes slow down by the write amplification.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "device_model/media/ftl.h"
#include "device_model/media/nand.h"
#include "device_model/media/profile.h"
#include "device_model/media/write_buffer.h"
#include "device_model/media_timing.h"

namespace nvmesim::device::media {

struct MediaStats {
  FtlStats ftl;
  NandStats nand;
  uint64_t commands = 0;
  uint64_t buffer_read_units = 0;  // read units served from the DRAM buffer
  uint64_t unwritten_read_units = 0;
  uint64_t nand_read_units = 0;
  uint64_t buffer_stall_ps = 0;  // time writes waited for buffer space
  uint64_t buffer_peak_bytes = 0;
  uint64_t gc_passes = 0;
  uint64_t memory_bytes = 0;  // mapping + reverse maps
};

class MediaModel final : public device::MediaTiming {
 public:
  // The profile must be valid (ValidateProfile(p) == "").
  explicit MediaModel(const MediaProfile& p);

  uint64_t LatencyPs(const device::MediaOp& op, uint64_t now_ps) override;
  // Prefetches the map entry of a conventional read or write's first unit.
  void Prefetch(const device::MediaOp& op) override {
    if ((op.kind != device::MediaOp::Kind::kRead && op.kind != device::MediaOp::Kind::kWrite) ||
        op.nsid != lba_nsid_ || lba_size_ == 0 || ftl_.ZoneUnits(op.nsid) != 0)
      return;
    ftl_.PrefetchMap(Ftl::Lpn(op.nsid, op.slba * lba_size_ >> unit_shift_));
  }

  // Unmaps [slba, slba + nlb) of `nsid` (whole mapping units only).
  uint64_t DeallocatePs(uint32_t nsid, uint64_t slba, uint64_t nlb, uint32_t lba_bytes,
                        uint64_t now_ps);
  // Instant sequential fill (mapping only, no time, no stats): fresh-out-of-box
  // preconditioning of [slba, slba + nlb) so reads find data on NAND.
  void Fill(uint32_t nsid, uint64_t slba, uint64_t nlb, uint32_t lba_bytes);

  // Zoned namespaces: zones of `zone_size_lbas` on whole superblocks, no GC.
  void ConfigureZoned(uint32_t nsid, uint64_t zone_size_lbas, uint32_t lba_bytes);
  // Zone reset: erases the zone's superblocks; returns the latency.
  uint64_t ZoneResetPs(uint32_t nsid, uint64_t zslba, uint64_t now_ps);
  // Zone finish / close with data in the buffer: pads and programs it.
  uint64_t ZoneFlushPs(uint32_t nsid, uint64_t zslba, uint64_t now_ps);

  MediaStats Stats() const;
  // When the firmware of the last LatencyPs call finished on its core (that call's
  // `now_ps` + core wait + cycles); the rest of its latency is DRAM buffer / NAND time.
  uint64_t LastFirmwareDonePs() const { return last_firmware_done_ps_; }
  const Geometry& geometry() const { return g_; }
  const MediaProfile& profile() const { return p_; }
  // User capacity the FTL maps (a namespace larger than this overflows).
  uint64_t UserCapacityBytes() const { return g_.user_bytes; }

 private:
  struct OpenUnit {  // the program unit being filled by one write stream
    uint32_t pu = kUnmapped;
    uint32_t filled = 0;
    uint64_t ready = 0;       // all its data is in the controller
    uint64_t host_bytes = 0;  // host bytes held in the DRAM buffer
  };
  uint64_t RunCore(uint64_t cycles, uint64_t t) {
    auto it = std::min_element(cores_.begin(), cores_.end());  // first of the least busy
    const uint64_t start = std::max(t, *it);
    *it = start + static_cast<uint64_t>(static_cast<double>(cycles) * ps_per_cycle_ + 0.5);
    return *it;
  }
  uint64_t DramPs(uint64_t bytes) const;
  // Records one unit placed at `ppn` by stream `s`; programs full units.
  void Placed(OpenUnit& s, uint32_t ppn, uint64_t ready_ps, uint64_t host_bytes);
  uint64_t ProgramUnit(OpenUnit& s);
  uint64_t PadConventional(uint64_t t);
  uint64_t PadZone(uint64_t key, OpenUnit& s, uint64_t t);
  void RunGc(uint64_t t);
  // Units [first, last) of the command (first / last: its first byte, its end
  // rounded up, in mapping units).
  uint64_t Read(uint32_t nsid, uint64_t first, uint64_t last, uint64_t t);
  // Read of one unit: the same as Read(nsid, unit, unit + 1, t).
  uint64_t ReadUnit(uint32_t nsid, uint64_t unit, uint64_t t);
  uint64_t Write(const device::MediaOp& op, uint64_t first, uint64_t last, uint64_t t);
  uint64_t FlushPs(uint64_t t);
  uint32_t LbaBytes(const device::MediaOp& op) {
    // The LBA size last seen for this namespace, when the command agrees with it.
    uint64_t bytes;
    if (lba_size_ && op.nsid == lba_nsid_ && op.nlb &&
        !__builtin_mul_overflow(op.nlb, uint64_t{lba_size_}, &bytes) && bytes == op.bytes)
      return lba_size_;
    return LbaBytesSlow(op);
  }
  uint32_t LbaBytesSlow(const device::MediaOp& op);
  uint32_t Resolve(uint32_t nsid, uint64_t unit) const {
    if (const uint64_t zu = ftl_.ZoneUnits(nsid))
      return ftl_.ZoneLookup(nsid, unit / zu, unit % zu);
    return ftl_.Lookup(Ftl::Lpn(nsid, unit));
  }
  bool InBuffer(uint32_t ppn, uint64_t t) const {
    if (pending_.empty()) return false;
    auto it = pending_.find(ftl_.ProgramUnitOf(ppn));
    return it != pending_.end() && it->second > t;
  }
  uint64_t ZoneKey(uint32_t nsid, uint64_t zone) const { return (uint64_t{nsid} << 40) | zone; }
  void Prune(uint64_t now) {
    if (now < last_now_) return;
    last_now_ = now;
    nand_.Prune(now);
    dram_.Prune(now);
    if (!pending_order_.empty() && pending_order_.top().first <= now) PrunePending(now);
  }
  void PrunePending(uint64_t now);

  MediaProfile p_;
  Geometry g_;
  uint32_t unit_bytes_;
  uint32_t unit_shift_;  // log2(unit_bytes_): the unit size is a power of two
  NandArray nand_;
  Ftl ftl_;
  WriteBuffer buffer_;
  Calendar dram_;
  double dram_ps_per_byte_;
  double ps_per_cycle_;
  std::vector<uint64_t> cores_;
  OpenUnit conv_;  // host writes of conventional namespaces
  OpenUnit gc_;    // GC relocations
  std::map<uint64_t, OpenUnit> zone_streams_;
  std::map<uint32_t, uint32_t> lba_bytes_;     // nsid -> LBA size last seen
  uint32_t lba_nsid_ = 0, lba_size_ = 0;       // one entry of lba_bytes_ (0: none)
  std::map<uint32_t, uint64_t> pending_;       // program unit -> program end
  using Done = std::pair<uint64_t, uint32_t>;  // (end, program unit)
  std::priority_queue<Done, std::vector<Done>, std::greater<Done>> pending_order_;
  uint64_t last_program_done_ = 0;
  uint64_t last_now_ = 0;
  uint64_t last_firmware_done_ps_ = 0;
  MediaStats stats_;
  struct Group {  // units of one NAND read (one die, page row, plane mask)
    uint32_t die, row, mask;
    uint64_t bytes;
  };
  std::vector<Group> groups_;  // scratch of Read
  std::vector<uint32_t> pus_;  // scratch of Write
};

// Zero-cost media for link-ceiling runs.
class UnlimitedMedia final : public device::MediaTiming {
 public:
  uint64_t LatencyPs(const device::MediaOp&, uint64_t) override { return 0; }
};

// Builds the media timing a profile describes: UnlimitedMedia for
// `unlimited = true`, MediaModel otherwise; nullptr and `*error` set when the
// profile is invalid.
std::unique_ptr<device::MediaTiming> MakeMediaTiming(const MediaProfile& p, std::string* error);

}  // namespace nvmesim::device::media
