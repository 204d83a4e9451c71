#include "device_model/media/media_model.h"

#include <algorithm>
#include <bit>

namespace nvmesim::device::media {

using device::MediaOp;

MediaModel::MediaModel(const MediaProfile& p)
    : p_(p),
      g_(DeriveGeometry(p)),
      unit_bytes_(p.ftl.mapping_unit_bytes),
      unit_shift_(static_cast<uint32_t>(std::countr_zero(p.ftl.mapping_unit_bytes))),
      nand_(p),
      ftl_(g_, p.nand, p.ftl),
      buffer_(p.cache.bytes),
      // MB/s = 1e6 bytes per second: 1e6 / MB/s ps per byte.
      dram_ps_per_byte_(1e6 / static_cast<double>(p.cache.bandwidth_mbps)),
      ps_per_cycle_(1e6 / static_cast<double>(p.controller.clock_mhz)),
      cores_(p.controller.cores, 0) {}

uint64_t MediaModel::DramPs(uint64_t bytes) const {
  return static_cast<uint64_t>(static_cast<double>(bytes) * dram_ps_per_byte_ + 0.5);
}

uint32_t MediaModel::LbaBytesSlow(const MediaOp& op) {
  if (op.nlb && op.bytes && op.bytes % op.nlb == 0) {
    const uint32_t b = static_cast<uint32_t>(op.bytes / op.nlb);
    if (lba_size_ == 0 || lba_nsid_ != op.nsid || lba_size_ != b) {
      lba_bytes_[op.nsid] = b;
      lba_nsid_ = op.nsid;
      lba_size_ = b;
    }
    return b;
  }
  auto it = lba_bytes_.find(op.nsid);
  return it == lba_bytes_.end() ? 4096 : it->second;
}

void MediaModel::PrunePending(uint64_t now) {
  while (!pending_order_.empty() && pending_order_.top().first <= now) {
    auto it = pending_.find(pending_order_.top().second);
    if (it != pending_.end() && it->second == pending_order_.top().first) pending_.erase(it);
    pending_order_.pop();
  }
}

uint64_t MediaModel::ReadUnit(uint32_t nsid, uint64_t unit, uint64_t t) {
  const uint32_t ppn = Resolve(nsid, unit);
  if (ppn == kUnmapped) {
    ++stats_.unwritten_read_units;  // deallocated/unwritten: zeroes, no media access
    return t;
  }
  if (InBuffer(ppn, t)) {
    ++stats_.buffer_read_units;
    const uint64_t len = DramPs(unit_bytes_);
    return std::max(t, dram_.Reserve(t, len) + len);
  }
  ++stats_.nand_read_units;
  const UnitLocation l = ftl_.Locate(ppn);
  return std::max(t, nand_.Read(l.die, 1u << l.plane, unit_bytes_, t));
}

uint64_t MediaModel::LatencyPs(const MediaOp& op, uint64_t now) {
  Prune(now);
  ++stats_.commands;
  const uint32_t lba = LbaBytes(op);
  const uint64_t first = op.slba * lba >> unit_shift_;
  const uint64_t last = ((op.slba + op.nlb) * lba + unit_bytes_ - 1) >> unit_shift_;
  const uint64_t units = op.nlb ? last - first : 0;
  const ControllerProfile& c = p_.controller;
  uint64_t done = now;
  last_firmware_done_ps_ = now;
  switch (op.kind) {
    case MediaOp::Kind::kRead:
    case MediaOp::Kind::kVerify:
      last_firmware_done_ps_ = RunCore(c.read_cycles + units * c.unit_cycles, now);
      done = last - first == 1 ? ReadUnit(op.nsid, first, last_firmware_done_ps_)
                               : Read(op.nsid, first, last, last_firmware_done_ps_);
      break;
    case MediaOp::Kind::kWrite:
      last_firmware_done_ps_ = RunCore(c.write_cycles + units * c.unit_cycles, now);
      done = Write(op, first, last, last_firmware_done_ps_);
      break;
    case MediaOp::Kind::kFlush:
      last_firmware_done_ps_ = RunCore(c.flush_cycles, now);
      done = FlushPs(last_firmware_done_ps_);
      break;
    case MediaOp::Kind::kDeallocate:
      return DeallocatePs(op.nsid, op.slba, op.nlb, lba, now);
    case MediaOp::Kind::kOther:
      last_firmware_done_ps_ = RunCore(c.other_cycles, now);
      done = last_firmware_done_ps_;
      break;
  }
  return done > now ? done - now : 0;
}

uint64_t MediaModel::Read(uint32_t nsid, uint64_t first, uint64_t last, uint64_t t) {
  std::vector<Group>& groups = groups_;
  groups.clear();
  uint64_t dram_bytes = 0;
  const bool mp = p_.nand.multi_plane;
  for (uint64_t u = first; u < last; ++u) {
    const uint32_t ppn = Resolve(nsid, u);
    if (ppn == kUnmapped) {
      ++stats_.unwritten_read_units;  // deallocated/unwritten: zeroes, no media access
      continue;
    }
    if (InBuffer(ppn, t)) {
      ++stats_.buffer_read_units;
      dram_bytes += unit_bytes_;
      continue;
    }
    ++stats_.nand_read_units;
    const UnitLocation l = ftl_.Locate(ppn);
    const uint32_t bit = 1u << l.plane;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return g.die == l.die && g.row == l.row && (mp || g.mask == bit);
    });
    if (it == groups.end()) {
      groups.push_back({l.die, l.row, bit, unit_bytes_});
    } else {
      it->mask |= bit;
      it->bytes += unit_bytes_;
    }
  }
  uint64_t done = t;
  for (const Group& g : groups) done = std::max(done, nand_.Read(g.die, g.mask, g.bytes, t));
  if (dram_bytes) {
    const uint64_t len = DramPs(dram_bytes);
    done = std::max(done, dram_.Reserve(t, len) + len);
  }
  return done;
}

void MediaModel::Placed(OpenUnit& s, uint32_t ppn, uint64_t ready, uint64_t host_bytes) {
  const uint32_t pu = ftl_.ProgramUnitOf(ppn);
  if (s.pu != pu) {
    s = OpenUnit{};
    s.pu = pu;
    pending_[pu] = UINT64_MAX;  // in the controller until programmed
  }
  ++s.filled;
  s.ready = std::max(s.ready, ready);
  s.host_bytes += host_bytes;
  if (s.filled == g_.units_per_program) ProgramUnit(s);
}

uint64_t MediaModel::ProgramUnit(OpenUnit& s) {
  const uint32_t die = ftl_.Locate(s.pu * g_.units_per_program).die;
  uint64_t ready = s.ready;
  if (s.host_bytes && p_.cache.bytes) {
    const uint64_t len = DramPs(s.host_bytes);  // read back out of DRAM
    ready = dram_.Reserve(ready, len) + len;
  }
  const uint64_t end = nand_.Program(die, uint64_t{g_.units_per_program} * unit_bytes_, ready);
  if (p_.cache.bytes) buffer_.ScheduleRelease(s.host_bytes, end);
  pending_[s.pu] = end;
  pending_order_.push({end, s.pu});
  last_program_done_ = std::max(last_program_done_, end);
  s = OpenUnit{};
  return end;
}

uint64_t MediaModel::PadConventional(uint64_t t) {
  if (conv_.pu == kUnmapped) return t;
  const uint32_t pad = ftl_.PadToProgramUnit();
  conv_.filled += pad;
  conv_.ready = std::max(conv_.ready, t);
  return ProgramUnit(conv_);
}

uint64_t MediaModel::PadZone(uint64_t key, OpenUnit& s, uint64_t t) {
  if (s.pu == kUnmapped) return t;
  s.filled += ftl_.ZonePad(static_cast<uint32_t>(key >> 40), key & ((uint64_t{1} << 40) - 1));
  s.ready = std::max(s.ready, t);
  return ProgramUnit(s);
}

uint64_t MediaModel::Write(const MediaOp& op, uint64_t first, uint64_t last, uint64_t t) {
  const uint64_t zu = ftl_.ZoneUnits(op.nsid);
  const bool cache = p_.cache.bytes != 0;
  uint64_t ack = t;
  std::vector<uint32_t>& pus = pus_;
  pus.clear();
  for (uint64_t u = first; u < last; ++u) {
    OpenUnit* s = &conv_;
    uint32_t ppn;
    uint64_t ready = t;
    if (cache) {
      std::optional<uint64_t> a = buffer_.Admit(unit_bytes_, t);
      if (!a) {  // only unprogrammed partial units hold the buffer: program them
        PadConventional(t);
        for (auto& [key, zs] : zone_streams_) PadZone(key, zs, t);
        a = buffer_.Admit(unit_bytes_, t);
      }
      const uint64_t admitted = a ? *a : t;
      if (admitted > t) stats_.buffer_stall_ps += admitted - t;
      const uint64_t len = DramPs(unit_bytes_);
      ready = dram_.Reserve(admitted, len) + len;
      ack = std::max(ack, ready);
    }
    if (zu) {
      const uint64_t zone = u / zu;
      s = &zone_streams_[ZoneKey(op.nsid, zone)];
      ppn = ftl_.ZoneWrite(op.nsid, zone, u % zu);
    } else {
      ppn = ftl_.Write(Ftl::Lpn(op.nsid, u));
    }
    if (ppn == kUnmapped) {  // beyond user capacity: timed, not stored
      if (cache) buffer_.ScheduleRelease(unit_bytes_, ready);
      continue;
    }
    const uint32_t pu = ftl_.ProgramUnitOf(ppn);
    if (pus.empty() || pus.back() != pu) pus.push_back(pu);
    Placed(*s, ppn, ready, cache ? unit_bytes_ : 0);
  }
  uint64_t done = ack;
  if (!cache || (op.fua && !p_.cache.power_loss_protected)) {
    // Durable before completion: program the partial unit holding the tail.
    if (zu) {
      const uint64_t zone = (last - 1) / zu;
      const uint64_t key = ZoneKey(op.nsid, zone);
      PadZone(key, zone_streams_[key], ack);
    } else if (conv_.pu != kUnmapped && std::find(pus.begin(), pus.end(), conv_.pu) != pus.end()) {
      PadConventional(ack);
    }
    for (uint32_t pu : pus) {
      auto it = pending_.find(pu);
      if (it != pending_.end()) done = std::max(done, it->second);
    }
  }
  if (!zu) RunGc(t);
  return done;
}

void MediaModel::RunGc(uint64_t t) {
  const bool mp = p_.nand.multi_plane;
  // Bounded work per command; GC continues on the next write if needed.
  for (int passes = 0; passes < 64 && ftl_.GcWanted(); ++passes) {
    std::optional<Ftl::GcPass> pass = ftl_.CollectOne();
    if (!pass) break;
    ++stats_.gc_passes;
    // Each die erases its block of the victim once its own reads are done (no
    // barrier across dies).
    std::vector<uint64_t> erase_ready(g_.dies, t);
    // All reads of the pass are booked before its programs, so a read never
    // queues behind a program of its own pass (that would chain them).
    std::vector<std::pair<size_t, uint64_t>> reads;  // (end of group, data ready)
    size_t i = 0;
    while (i < pass->moves.size()) {
      // Units of one die and page row (and plane, without multi-plane) share a read.
      const UnitLocation l0 = ftl_.Locate(pass->moves[i].from);
      uint32_t mask = 1u << l0.plane;
      size_t j = i + 1;
      for (; j < pass->moves.size(); ++j) {
        const UnitLocation l = ftl_.Locate(pass->moves[j].from);
        if (l.die != l0.die || l.row != l0.row || (!mp && l.plane != l0.plane)) break;
        mask |= 1u << l.plane;
      }
      const uint64_t r = nand_.Read(l0.die, mask, uint64_t{j - i} * unit_bytes_, t, false);
      erase_ready[l0.die] = std::max(erase_ready[l0.die], r);
      reads.push_back({j, r});
      i = j;
    }
    i = 0;
    for (const auto& [end, ready] : reads)
      for (; i < end; ++i) Placed(gc_, pass->moves[i].to, ready, 0);
    for (uint32_t d = 0; d < g_.dies; ++d) nand_.Erase(d, erase_ready[d]);
  }
}

uint64_t MediaModel::FlushPs(uint64_t t) {
  if (p_.cache.bytes && p_.cache.power_loss_protected) return t;
  PadConventional(t);
  for (auto& [key, zs] : zone_streams_) PadZone(key, zs, t);
  return std::max(t, last_program_done_);
}

uint64_t MediaModel::DeallocatePs(uint32_t nsid, uint64_t slba, uint64_t nlb, uint32_t lba,
                                  uint64_t now) {
  const uint64_t t = RunCore(p_.controller.deallocate_cycles, now);
  if (!ftl_.IsZoned(nsid) && nlb) {
    // Whole units only: a partly deallocated unit keeps its data.
    const uint64_t first = (slba * lba + unit_bytes_ - 1) / unit_bytes_;
    const uint64_t last = (slba + nlb) * lba / unit_bytes_;
    for (uint64_t u = first; u < last; ++u) ftl_.Trim(Ftl::Lpn(nsid, u));
  }
  return t - now;
}

void MediaModel::Fill(uint32_t nsid, uint64_t slba, uint64_t nlb, uint32_t lba) {
  const uint64_t first = slba * lba / unit_bytes_;
  const uint64_t last = ((slba + nlb) * lba + unit_bytes_ - 1) / unit_bytes_;
  for (uint64_t u = first; u < last; ++u) ftl_.Write(Ftl::Lpn(nsid, u));
  ftl_.PadToProgramUnit();
  ftl_.ResetCounters();
}

void MediaModel::ConfigureZoned(uint32_t nsid, uint64_t zone_size_lbas, uint32_t lba) {
  lba_bytes_[nsid] = lba;
  if (lba_nsid_ == nsid) lba_size_ = lba;
  ftl_.ConfigureZoned(nsid, std::max<uint64_t>(1, zone_size_lbas * lba / unit_bytes_));
}

uint64_t MediaModel::ZoneFlushPs(uint32_t nsid, uint64_t zslba, uint64_t now) {
  const uint64_t t = RunCore(p_.controller.other_cycles, now);
  const uint64_t zu = ftl_.ZoneUnits(nsid);
  if (!zu) return t - now;
  const uint32_t lba = lba_bytes_.count(nsid) ? lba_bytes_[nsid] : 4096;
  const uint64_t zone = zslba * lba / unit_bytes_ / zu;
  auto it = zone_streams_.find(ZoneKey(nsid, zone));
  const uint64_t done = it == zone_streams_.end() ? t : PadZone(it->first, it->second, t);
  return done - now;
}

uint64_t MediaModel::ZoneResetPs(uint32_t nsid, uint64_t zslba, uint64_t now) {
  const uint64_t t = RunCore(p_.controller.other_cycles, now);
  const uint64_t zu = ftl_.ZoneUnits(nsid);
  if (!zu) return t - now;
  const uint32_t lba = lba_bytes_.count(nsid) ? lba_bytes_[nsid] : 4096;
  const uint64_t zone = zslba * lba / unit_bytes_ / zu;
  auto it = zone_streams_.find(ZoneKey(nsid, zone));
  if (it != zone_streams_.end()) {  // buffered data of the zone is dropped
    if (it->second.pu != kUnmapped) {
      pending_.erase(it->second.pu);
      if (p_.cache.bytes) buffer_.ScheduleRelease(it->second.host_bytes, t);
    }
    zone_streams_.erase(it);
  }
  uint64_t done = t;
  for (size_t i = 0, n = ftl_.ZoneReset(nsid, zone).size(); i < n; ++i)
    for (uint32_t d = 0; d < g_.dies; ++d) done = std::max(done, nand_.Erase(d, t));
  return done - now;
}

MediaStats MediaModel::Stats() const {
  MediaStats s = stats_;
  s.ftl = ftl_.stats();
  s.nand = nand_.stats();
  s.buffer_peak_bytes = buffer_.peak();
  s.memory_bytes = ftl_.MemoryBytes();
  return s;
}

std::unique_ptr<device::MediaTiming> MakeMediaTiming(const MediaProfile& p, std::string* error) {
  std::string e = ValidateProfile(p);
  if (!e.empty()) {
    if (error) *error = p.name.empty() ? e : p.name + ": " + e;
    return nullptr;
  }
  if (p.unlimited) return std::make_unique<UnlimitedMedia>();
  return std::make_unique<MediaModel>(p);
}

}  // namespace nvmesim::device::media
