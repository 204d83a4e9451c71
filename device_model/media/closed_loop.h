// Closed-loop queue model: `queue_depth` I/Os in flight, each new one issued
// when one completes, every hop of NVMe over PCIe timed on the two link
// directions (pcie_model/link_timing.h formulas) and the media timed by a
// device::MediaTiming:
//   host submit -> doorbell write (down) -> SQE fetch: read request (up),
//   64-byte completion (down) -> [write: data DMA read: requests up,
//   completions down] -> media -> [read: data posted writes up] -> CQE write
//   (up) -> MSI-X write (up) -> host completion.
// Each TLP received costs its receiver's share of Ack and UpdateFC DLLPs on
// the opposite direction. Deterministic: addresses come from a seeded
// splitmix64, events run in (time, sequence) order.
#pragma once

#include <cstdint>
#include <vector>

#include "device_model/media/nand.h"
#include "device_model/media_timing.h"
#include "pcie_model/link_timing.h"

namespace nvmesim::device::media {

struct HostCosts {
  uint64_t submit_ps = 300'000;    // driver builds the SQE and rings the doorbell
  uint64_t complete_ps = 700'000;  // interrupt entry to completion callback
  uint64_t memory_ps = 100'000;    // host memory latency seen by device reads
};

struct LoopWorkload {
  bool write = false;
  bool random = true;
  bool fua = false;
  uint32_t block_bytes = 4096;
  uint32_t queue_depth = 1;
  uint32_t nsid = 1;
  uint32_t lba_bytes = 4096;
  uint64_t start_byte = 0;  // region [start_byte, start_byte + span_bytes)
  uint64_t span_bytes = uint64_t{1} << 30;
  uint64_t ios = 10'000;  // measured I/Os (completed after the warm-up)
  uint64_t warmup_ios = 0;
  uint64_t seed = 1;
  uint64_t interval_ps = 0;  // time series bucket; 0 = none
};

struct LoopResult {
  uint64_t ios = 0;
  uint64_t bytes = 0;
  uint64_t elapsed_ps = 0;  // last warm-up completion (or start) to last completion
  double iops = 0;
  double bytes_per_second = 0;
  uint64_t mean_ps = 0, p50_ps = 0, p99_ps = 0, min_ps = 0, max_ps = 0;
  std::vector<double> interval_iops;  // completions per interval, per second
  uint64_t up_busy_ps = 0, down_busy_ps = 0;
};

class ClosedLoop {
 public:
  ClosedLoop(device::MediaTiming& media, const pcie::LinkTiming& link, HostCosts host = {});
  // Runs one workload from the current simulated time; time and link state
  // carry over to the next Run.
  LoopResult Run(const LoopWorkload& w);
  uint64_t now_ps() const { return now_; }

  // Analytic link ceilings for the same TLP stream (no media, infinite QD).
  static double ReadIopsCeiling(const pcie::LinkTiming& link, uint32_t block_bytes);
  static double WriteIopsCeiling(const pcie::LinkTiming& link, uint32_t block_bytes);

 private:
  uint64_t Send(bool up, uint32_t payload, unsigned header_dw, uint64_t t);
  uint64_t DmaRead(uint64_t address, uint64_t length, uint64_t t);
  uint64_t DmaWrite(uint64_t address, uint64_t length, uint64_t t);

  device::MediaTiming& media_;
  pcie::LinkTiming link_;
  HostCosts host_;
  Calendar up_, down_;
  uint64_t dllp_share_ps_;
  uint64_t pending_dllp_ps_[2] = {0, 0};  // owed by [0] downstream, [1] upstream
  uint64_t now_ = 0;
};

}  // namespace nvmesim::device::media
