// Per-job results in simulated time: I/O counts, bytes, completion latency distribution and
// errors by NVMe status name, per direction (read, write, trim, flush).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "harness/report/latency_histogram.h"
#include "spec/status.h"

namespace nvmesim::harness {

enum class IoDirection { kRead = 0, kWrite = 1, kTrim = 2, kFlush = 3 };
inline constexpr int kIoDirections = 4;
const char* IoDirectionName(IoDirection d);  // "read", "write", "trim", "sync" (fio's names)

struct DirectionStats {
  uint64_t ios = 0;       // completed successfully
  uint64_t bytes = 0;     // of successful I/Os
  LatencyHistogram clat;  // submission to completion, ns, successful I/Os
  uint64_t errors = 0;
  std::map<std::string, uint64_t> errors_by_status;  // "LBA Out of Range (0/0x80)" -> count
};

class JobStats {
 public:
  explicit JobStats(std::string name = "", uint32_t group_id = 0);

  const std::string& name() const { return name_; }
  uint32_t group_id() const { return group_id_; }
  uint32_t jobs() const { return jobs_; }  // instances merged in (numjobs)

  void Start(uint64_t time_ps);   // first submission
  void Finish(uint64_t time_ps);  // last completion
  uint64_t start_ps() const { return start_ps_; }
  uint64_t end_ps() const { return end_ps_; }
  uint64_t runtime_ps() const { return end_ps_ > start_ps_ ? end_ps_ - start_ps_ : 0; }

  // One finished request; an error status counts as an error, not as an I/O.
  void Record(IoDirection dir, uint64_t bytes, uint64_t latency_ns, const spec::Status& status);

  const DirectionStats& direction(IoDirection d) const { return dirs_[static_cast<int>(d)]; }
  double Iops(IoDirection d) const;  // per simulated second
  double BandwidthBytesPerSecond(IoDirection d) const;
  uint64_t total_errors() const;

  // Sums another instance of the same job (fio's group_reporting over numjobs).
  void Merge(const JobStats& other);

  // Options to echo in reports ("rw" -> "randrw").
  std::map<std::string, std::string> options;

 private:
  std::string name_;
  uint32_t group_id_;
  uint32_t jobs_ = 1;
  uint64_t start_ps_ = UINT64_MAX;
  uint64_t end_ps_ = 0;
  std::array<DirectionStats, kIoDirections> dirs_;
};

}  // namespace nvmesim::harness
