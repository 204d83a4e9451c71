#include "harness/report/job_stats.h"

#include <algorithm>
#include <utility>

namespace nvmesim::harness {

const char* IoDirectionName(IoDirection d) {
  switch (d) {
    case IoDirection::kRead:
      return "read";
    case IoDirection::kWrite:
      return "write";
    case IoDirection::kTrim:
      return "trim";
    case IoDirection::kFlush:
      return "sync";
  }
  return "?";
}

JobStats::JobStats(std::string name, uint32_t group_id)
    : name_(std::move(name)), group_id_(group_id) {}

void JobStats::Start(uint64_t t) { start_ps_ = std::min(start_ps_, t); }
void JobStats::Finish(uint64_t t) { end_ps_ = std::max(end_ps_, t); }

void JobStats::Record(IoDirection dir, uint64_t bytes, uint64_t latency_ns,
                      const spec::Status& status) {
  DirectionStats& d = dirs_[static_cast<int>(dir)];
  if (status.ok()) {
    ++d.ios;
    d.bytes += bytes;
    d.clat.Record(latency_ns);
  } else {
    ++d.errors;
    ++d.errors_by_status[status.WithDnr(false).ToString()];
  }
}

double JobStats::Iops(IoDirection d) const {
  uint64_t rt = runtime_ps();
  return rt ? static_cast<double>(direction(d).ios) * 1e12 / static_cast<double>(rt) : 0.0;
}

double JobStats::BandwidthBytesPerSecond(IoDirection d) const {
  uint64_t rt = runtime_ps();
  return rt ? static_cast<double>(direction(d).bytes) * 1e12 / static_cast<double>(rt) : 0.0;
}

uint64_t JobStats::total_errors() const {
  uint64_t n = 0;
  for (const DirectionStats& d : dirs_) n += d.errors;
  return n;
}

void JobStats::Merge(const JobStats& o) {
  jobs_ += o.jobs_;
  start_ps_ = std::min(start_ps_, o.start_ps_);
  end_ps_ = std::max(end_ps_, o.end_ps_);
  for (int i = 0; i < kIoDirections; ++i) {
    DirectionStats& a = dirs_[i];
    const DirectionStats& b = o.dirs_[i];
    a.ios += b.ios;
    a.bytes += b.bytes;
    a.errors += b.errors;
    a.clat.Merge(b.clat);
    for (const auto& [k, v] : b.errors_by_status) a.errors_by_status[k] += v;
  }
}

}  // namespace nvmesim::harness
