#include "harness/workload/io_generator.h"

#include <algorithm>
#include <stdexcept>

namespace nvmesim::harness {

const char* IoOpName(IoOp op) {
  switch (op) {
    case IoOp::kRead:
      return "read";
    case IoOp::kWrite:
      return "write";
    case IoOp::kTrim:
      return "trim";
    case IoOp::kFlush:
      return "flush";
    case IoOp::kZoneAppend:
      return "zone_append";
    case IoOp::kZoneReset:
      return "zone_reset";
  }
  return "?";
}

uint64_t JobInstanceSeed(const JobSpec& job, uint64_t run_seed, uint32_t instance) {
  if (job.randseed) return DeriveSeed(*job.randseed, "randseed", instance);
  return DeriveSeed(run_seed, job.name, instance);
}

namespace {

struct Region {
  uint64_t first_lba = 0, lbas = 0;
};

std::string ComputeRegion(const JobSpec& job, const TargetGeometry& g, Region* r) {
  uint64_t capacity = g.lba_count * g.lba_size;
  uint64_t offset = job.offset_percent ? capacity / 100 * job.offset_percent : job.offset;
  offset -= offset % g.lba_size;  // percentages round down to an LBA
  if (job.offset_percent == 0 && job.offset % g.lba_size != 0) {
    return "offset=" + std::to_string(job.offset) + " is not a multiple of the LBA size " +
           std::to_string(g.lba_size);
  }
  if (offset >= capacity) {
    return "offset=" + std::to_string(offset) + " is beyond the namespace (" +
           std::to_string(capacity) + " bytes)";
  }
  uint64_t size = job.size_percent ? capacity / 100 * job.size_percent
                                   : (job.size ? job.size : capacity - offset);
  size -= size % g.lba_size;
  if (offset + size > capacity) {
    return "offset+size (" + std::to_string(offset) + "+" + std::to_string(size) +
           ") is beyond the namespace (" + std::to_string(capacity) + " bytes)";
  }
  r->first_lba = offset / g.lba_size;
  r->lbas = size / g.lba_size;
  return "";
}

}  // namespace

std::string IoGenerator::Check(const JobSpec& job, const TargetGeometry& g) {
  if (g.lba_size == 0 || g.lba_count == 0) return "the namespace has no capacity";
  std::string e = CheckJobOptions(job);
  if (!e.empty()) return e;
  std::vector<uint64_t> sizes;
  if (job.bssplit.empty()) {
    sizes.push_back(job.bs);
  } else {
    for (const BlockSizeWeight& w : job.bssplit) sizes.push_back(w.bytes);
  }
  for (uint64_t s : sizes) {
    if (s % g.lba_size != 0) {
      return "block size " + std::to_string(s) + " is not a multiple of the LBA size " +
             std::to_string(g.lba_size);
    }
  }
  Region r;
  e = ComputeRegion(job, g, &r);
  if (!e.empty()) return e;
  if (r.lbas * g.lba_size < job.MaxBlockSize()) {
    return "the region (" + std::to_string(r.lbas * g.lba_size) +
           " bytes) is smaller than the block size " + std::to_string(job.MaxBlockSize());
  }
  if (job.zonemode == ZoneMode::kZbd) {
    if (g.zone_size_lbas == 0) return "zonemode=zbd needs a zoned namespace";
    uint64_t first = (r.first_lba + g.zone_size_lbas - 1) / g.zone_size_lbas;
    uint64_t end = (r.first_lba + r.lbas) / g.zone_size_lbas;
    if (end <= first) return "zonemode=zbd: the region holds no whole zone";
    uint64_t cap = g.zone_capacity_lbas ? g.zone_capacity_lbas : g.zone_size_lbas;
    if (job.MinBlockSize() / g.lba_size > cap)
      return "zonemode=zbd: block size above the zone capacity";
  } else if (job.zone_append) {
    return "zone_append=1 needs zonemode=zbd";
  }
  return "";
}

IoGenerator::~IoGenerator() = default;
IoGenerator::IoGenerator(IoGenerator&&) noexcept = default;
IoGenerator& IoGenerator::operator=(IoGenerator&&) noexcept = default;

IoGenerator::IoGenerator(const JobSpec& job, const TargetGeometry& geometry, uint64_t seed)
    : job_(job), geometry_(geometry), seed_(seed), rng_(seed) {
  std::string e = Check(job, geometry);
  if (!e.empty()) throw std::invalid_argument("job '" + job.name + "': " + e);
  Region r;
  ComputeRegion(job, geometry, &r);
  first_lba_ = r.first_lba;
  region_lbas_ = r.lbas;
  align_lbas_ = job.MinBlockSize() / geometry.lba_size;
  if (!job.bssplit.empty()) {
    uint64_t sum = 0;
    for (const BlockSizeWeight& w : job.bssplit) bs_cumulative_.push_back(sum += w.percent);
  }
  if (job.zonemode == ZoneMode::kZbd) {
    zone_size_ = geometry.zone_size_lbas;
    zone_cap_ = geometry.zone_capacity_lbas ? geometry.zone_capacity_lbas : zone_size_;
    zone_first_ = (first_lba_ + zone_size_ - 1) / zone_size_;
    zone_count_ = (first_lba_ + region_lbas_) / zone_size_ - zone_first_;
    zone_wp_.assign(zone_count_, 0);
    uint64_t limit = job.max_open_zones ? job.max_open_zones : geometry.max_open_zones;
    if (geometry.max_open_zones != 0) limit = std::min<uint64_t>(limit, geometry.max_open_zones);
    if (limit == 0 || limit > zone_count_) limit = zone_count_;
    open_limit_ = static_cast<uint32_t>(limit);
    io_limit_bytes_ = job.io_size ? job.io_size : zone_count_ * zone_cap_ * geometry.lba_size;
  } else {
    io_limit_bytes_ = job.io_size ? job.io_size : region_lbas_ * geometry.lba_size;
  }
  uint64_t positions = (region_lbas_ - align_lbas_) / align_lbas_ + 1;
  switch (job.distribution) {
    case DistributionKind::kZipf:
      zipf_ = std::make_unique<ZipfSampler>(positions, job.distribution_param);
      scatter_ = std::make_unique<Scatter>(positions, seed);
      break;
    case DistributionKind::kPareto:
      pareto_ = std::make_unique<ParetoSampler>(positions, job.distribution_param);
      scatter_ = std::make_unique<Scatter>(positions, seed);
      break;
    case DistributionKind::kNormal:
      normal_ = std::make_unique<NormalSampler>(positions, job.distribution_param);
      break;
    case DistributionKind::kUniform:
      break;
  }
}

bool IoGenerator::Finished() const {
  if (job_.time_based) return false;
  if (job_.number_ios != 0) return issued_ios_ >= job_.number_ios;
  return issued_bytes_ >= io_limit_bytes_;
}

IoOp IoGenerator::ChooseDirection() {
  switch (job_.rw) {
    case RwMode::kRead:
    case RwMode::kRandRead:
      return IoOp::kRead;
    case RwMode::kWrite:
    case RwMode::kRandWrite:
      return IoOp::kWrite;
    case RwMode::kTrim:
    case RwMode::kRandTrim:
      return IoOp::kTrim;
    case RwMode::kReadWrite:
    case RwMode::kRandRw:
      return rng_.Uniform(100) < job_.rwmixread ? IoOp::kRead : IoOp::kWrite;
  }
  return IoOp::kRead;
}

uint32_t IoGenerator::ChooseBlocks() {
  uint64_t bytes = job_.bs;
  if (!bs_cumulative_.empty()) {
    uint64_t pick = rng_.Uniform(100);
    size_t i = 0;
    while (i + 1 < bs_cumulative_.size() && pick >= bs_cumulative_[i]) ++i;
    bytes = job_.bssplit[i].bytes;
  }
  return static_cast<uint32_t>(bytes / geometry_.lba_size);
}

uint64_t IoGenerator::ChooseRandomStart(uint32_t nlb) {
  uint64_t positions = (region_lbas_ - align_lbas_) / align_lbas_ + 1;
  uint64_t pos;
  if (zipf_) {
    pos = (*scatter_)(zipf_->Sample(rng_));
  } else if (pareto_) {
    pos = (*scatter_)(pareto_->Sample(rng_));
  } else if (normal_) {
    pos = normal_->Sample(rng_);
  } else {
    pos = rng_.Uniform(positions);
  }
  uint64_t start = pos * align_lbas_;
  if (start + nlb > region_lbas_) start = (region_lbas_ - nlb) / align_lbas_ * align_lbas_;
  return start;
}

IoRequest IoGenerator::NextConventional(IoOp op, uint32_t nlb) {
  IoRequest req;
  req.op = op;
  req.nlb = nlb;
  uint64_t rel;
  if (job_.IsRandom()) {
    rel = ChooseRandomStart(nlb);
  } else {
    uint64_t& cursor = next_seq_[op == IoOp::kRead ? 0 : op == IoOp::kWrite ? 1 : 2];
    if (cursor + nlb > region_lbas_) cursor = 0;  // wrap around, like fio
    rel = cursor;
    cursor += nlb;
  }
  req.lba = first_lba_ + rel;
  return req;
}

IoRequest IoGenerator::NextZoned(IoOp op, uint32_t nlb) {
  IoRequest req;
  req.op = op;
  auto zone_start = [&](uint64_t z) { return (zone_first_ + z) * zone_size_; };
  auto remove = [](std::vector<uint64_t>& v, uint64_t z) {
    v.erase(std::remove(v.begin(), v.end(), z), v.end());
  };
  if (op == IoOp::kWrite) {
    // Keep up to open_limit_ zones open, taking never-used (or reset) zones in order.
    while (open_.size() < open_limit_) {
      uint64_t z = UINT64_MAX;
      for (uint64_t i = 0; i < zone_count_; ++i) {
        uint64_t cand = (next_empty_ + i) % zone_count_;
        if (zone_wp_[cand] == 0 && std::find(open_.begin(), open_.end(), cand) == open_.end()) {
          z = cand;
          break;
        }
      }
      if (z == UINT64_MAX) break;
      open_.push_back(z);
      next_empty_ = (z + 1) % zone_count_;
    }
    if (open_.empty()) {
      // Every zone is full: reset the next one in order (fio resets zones it has filled).
      uint64_t z = next_empty_;
      next_empty_ = (z + 1) % zone_count_;
      zone_wp_[z] = 0;
      req.op = IoOp::kZoneReset;
      req.lba = zone_start(z);
      req.nlb = static_cast<uint32_t>(zone_size_);
      return req;
    }
    size_t pick = job_.IsRandom() ? rng_.Uniform(open_.size()) : 0;
    uint64_t z = open_[pick];
    uint64_t room = zone_cap_ - zone_wp_[z];
    uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(nlb, room));
    req.op = job_.zone_append ? IoOp::kZoneAppend : IoOp::kWrite;
    req.lba = job_.zone_append ? zone_start(z) : zone_start(z) + zone_wp_[z];
    req.nlb = n;
    zone_wp_[z] += n;
    if (zone_wp_[z] >= zone_cap_) remove(open_, z);
    return req;
  }
  if (op == IoOp::kTrim) {
    // Trim in zone mode resets a zone that holds data.
    std::vector<uint64_t> written;
    for (uint64_t z = 0; z < zone_count_; ++z) {
      if (zone_wp_[z] != 0) written.push_back(z);
    }
    uint64_t z = written.empty()
                     ? (job_.IsRandom() ? rng_.Uniform(zone_count_) : next_seq_[2]++ % zone_count_)
                     : written[job_.IsRandom() ? rng_.Uniform(written.size()) : 0];
    zone_wp_[z] = 0;
    remove(open_, z);
    req.op = IoOp::kZoneReset;
    req.lba = zone_start(z);
    req.nlb = static_cast<uint32_t>(zone_size_);
    return req;
  }
  // Reads: written data only (below the write pointers); unwritten zones only if nothing is.
  std::vector<uint64_t> written;
  for (uint64_t z = 0; z < zone_count_; ++z) {
    if (zone_wp_[z] >= nlb) written.push_back(z);
  }
  req.nlb = nlb;
  if (written.empty()) {
    req.lba = zone_start(0);
    return req;
  }
  if (job_.IsRandom()) {
    uint64_t z = written[rng_.Uniform(written.size())];
    uint64_t slots = (zone_wp_[z] - nlb) / align_lbas_ + 1;
    req.lba = zone_start(z) + rng_.Uniform(slots) * align_lbas_;
    return req;
  }
  // Sequential: walk the written part of each zone in order.
  for (uint64_t tries = 0; tries <= zone_count_; ++tries) {
    uint64_t z = read_zone_cursor_ % zone_count_;
    if (read_in_zone_ + nlb <= zone_wp_[z]) {
      req.lba = zone_start(z) + read_in_zone_;
      read_in_zone_ += nlb;
      return req;
    }
    read_zone_cursor_ = (z + 1) % zone_count_;
    read_in_zone_ = 0;
  }
  req.lba = zone_start(written.front());
  return req;
}

std::optional<IoRequest> IoGenerator::Next() {
  IoRequest req;
  if (pending_flush_) {
    pending_flush_ = false;
    req.op = IoOp::kFlush;
    req.index = index_++;
    return req;
  }
  if (Finished()) {
    if (job_.end_fsync && !end_flush_done_) {
      end_flush_done_ = true;
      req.op = IoOp::kFlush;
      req.index = index_++;
      return req;
    }
    return std::nullopt;
  }
  IoOp op = ChooseDirection();
  uint32_t nlb = ChooseBlocks();
  req = job_.zonemode == ZoneMode::kZbd ? NextZoned(op, nlb) : NextConventional(op, nlb);
  req.index = index_++;
  if (req.op == IoOp::kZoneReset) {
    if (op == IoOp::kTrim) {
      ++issued_ios_;
      issued_bytes_ += zone_cap_ * geometry_.lba_size;
    }
    return req;
  }

  ++issued_ios_;
  issued_bytes_ += static_cast<uint64_t>(req.nlb) * geometry_.lba_size;
  if ((req.op == IoOp::kWrite || req.op == IoOp::kZoneAppend) && job_.fsync != 0 &&
      ++writes_since_flush_ >= job_.fsync) {
    writes_since_flush_ = 0;
    pending_flush_ = true;
  }
  return req;
}

void IoGenerator::SetWritePointer(uint64_t zone_index, uint64_t wp_lba) {
  if (zone_index >= zone_count_) return;
  uint64_t start = (zone_first_ + zone_index) * zone_size_;
  uint64_t rel = wp_lba > start ? wp_lba - start : 0;
  zone_wp_[zone_index] = std::min(rel, zone_cap_);
  if (zone_wp_[zone_index] >= zone_cap_) {
    open_.erase(std::remove(open_.begin(), open_.end(), zone_index), open_.end());
  }
}

}  // namespace nvmesim::harness
