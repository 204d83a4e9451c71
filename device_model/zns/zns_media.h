// Zone operations on the NAND/FTL media model: a zone reset erases the
// zone's superblocks (MediaModel::ZoneResetPs), a finish pads and programs
// what the write buffer holds for the zone (MediaModel::ZoneFlushPs).
#pragma once

#include <cstdint>

#include "device_model/media/media_model.h"
#include "device_model/zns/zns_command_set.h"

namespace nvmesim::device::zns {

// Costs for ZnsCommandSetConfig::media from `model` (which must outlive the
// command set). Call model.ConfigureZoned(nsid, zone_size_lbas, lba_bytes)
// for each zoned namespace so the model lays zones on whole superblocks.
inline ZoneMediaCost MediaModelZoneCost(media::MediaModel& model) {
  ZoneMediaCost c;
  c.reset = [&model](uint32_t nsid, uint64_t zslba, uint64_t now_ps) {
    return model.ZoneResetPs(nsid, zslba, now_ps);
  };
  c.finish = [&model](uint32_t nsid, uint64_t zslba, uint64_t now_ps) {
    return model.ZoneFlushPs(nsid, zslba, now_ps);
  };
  return c;
}

}  // namespace nvmesim::device::zns
