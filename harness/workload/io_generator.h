// The I/O stream of one job instance: operation, LBA and block count, one at a time, from the
// job's options and a seed. Same job + geometry + seed, same stream, on every platform.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/workload/job_spec.h"
#include "harness/workload/random.h"

namespace nvmesim::harness {

// The namespace the job runs on, as the runner learns it from the driver.
struct TargetGeometry {
  uint32_t lba_size = 4096;
  uint64_t lba_count = 0;
  uint64_t zone_size_lbas = 0;      // zoned namespaces only
  uint64_t zone_capacity_lbas = 0;  // 0 = zone size
  uint32_t max_open_zones = 0;      // the namespace's limit (0 = none)
};

enum class IoOp { kRead, kWrite, kTrim, kFlush, kZoneAppend, kZoneReset };
const char* IoOpName(IoOp op);

struct IoRequest {
  IoOp op = IoOp::kRead;
  uint64_t lba = 0;    // zone start LBA for kZoneAppend / kZoneReset; 0 for kFlush
  uint32_t nlb = 0;    // blocks; 0 for kFlush; the zone size for kZoneReset (the LBAs it empties)
  uint64_t index = 0;  // position in the job's stream, from 0
};

// The seed of instance `instance` (0..numjobs-1) of a job: from randseed when the job sets it,
// else from the run seed and the job name (DeriveSeed).
uint64_t JobInstanceSeed(const JobSpec& job, uint64_t run_seed, uint32_t instance);

class IoGenerator {
 public:
  // "" when the job fits the geometry, else why not (block size not a multiple of the LBA size,
  // region outside the namespace, zonemode=zbd on a conventional namespace ...).
  static std::string Check(const JobSpec& job, const TargetGeometry& geometry);

  // Throws std::invalid_argument with Check()'s text when the job does not fit.
  IoGenerator(const JobSpec& job, const TargetGeometry& geometry, uint64_t seed);
  ~IoGenerator();
  IoGenerator(IoGenerator&&) noexcept;
  IoGenerator& operator=(IoGenerator&&) noexcept;

  // The next request, or nullopt when the job has done its io_size / number_ios (a time-based
  // job never ends by itself: the runner stops it at runtime).
  std::optional<IoRequest> Next();

  // Zone mode: the runner reports the real write pointer after an error or a reset it did.
  void SetWritePointer(uint64_t zone_index, uint64_t wp_lba);

  uint64_t issued_ios() const { return issued_ios_; }
  uint64_t issued_bytes() const { return issued_bytes_; }
  uint64_t region_first_lba() const { return first_lba_; }
  uint64_t region_lbas() const { return region_lbas_; }
  uint64_t seed() const { return seed_; }

 private:
  IoOp ChooseDirection();
  uint32_t ChooseBlocks();
  uint64_t ChooseRandomStart(uint32_t nlb);
  IoRequest NextConventional(IoOp op, uint32_t nlb);
  IoRequest NextZoned(IoOp op, uint32_t nlb);
  bool Finished() const;

  JobSpec job_;
  TargetGeometry geometry_;
  uint64_t seed_;
  RandomSource rng_;
  uint64_t first_lba_ = 0, region_lbas_ = 0;
  uint64_t align_lbas_ = 1;
  uint64_t io_limit_bytes_ = 0;
  uint64_t issued_ios_ = 0, issued_bytes_ = 0, index_ = 0;
  uint64_t next_seq_[3] = {0, 0, 0};  // sequential cursors per read / write / trim, relative
  uint64_t writes_since_flush_ = 0;
  bool pending_flush_ = false, end_flush_done_ = false;
  std::vector<uint64_t> bs_cumulative_;  // bssplit: cumulative percents
  // Random block choice.
  std::unique_ptr<ZipfSampler> zipf_;
  std::unique_ptr<ParetoSampler> pareto_;
  std::unique_ptr<NormalSampler> normal_;
  std::unique_ptr<Scatter> scatter_;
  // Zone mode.
  uint64_t zone_first_ = 0, zone_count_ = 0, zone_cap_ = 0, zone_size_ = 0;
  std::vector<uint64_t> zone_wp_;  // relative to the zone start
  std::vector<uint64_t> open_;     // zones currently written to
  uint32_t open_limit_ = 0;
  uint64_t next_empty_ = 0;  // next never-used zone to open
  uint64_t read_zone_cursor_ = 0, read_in_zone_ = 0;
};

}  // namespace nvmesim::harness
