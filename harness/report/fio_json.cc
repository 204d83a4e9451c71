#include "harness/report/fio_output.h"
#include "harness/version.h"

namespace nvmesim::harness {
namespace {

using nlohmann::json;

json LatencyJson(const LatencyHistogram& h, bool percentiles) {
  json j = {{"min", h.min()},
            {"max", h.max()},
            {"mean", h.mean()},
            {"stddev", h.stddev()},
            {"N", h.count()}};
  if (percentiles && h.count() > 0) {
    json p = json::object();
    for (double q : LatencyHistogram::FioPercentiles()) p[FioPercentileKey(q)] = h.Percentile(q);
    j["percentile"] = p;
  }
  return j;
}

json DirectionJson(const JobStats& job, IoDirection dir) {
  const DirectionStats& d = job.direction(dir);
  double bw = job.BandwidthBytesPerSecond(dir);
  double iops = job.Iops(dir);
  uint64_t runtime_ms = (job.runtime_ps() + 999'999'999) / 1'000'000'000;
  json zero_lat = {{"min", 0}, {"max", 0}, {"mean", 0.0}, {"stddev", 0.0}, {"N", 0}};
  json errors = json::object();
  for (const auto& [k, v] : d.errors_by_status) errors[k] = v;
  return {
      {"io_bytes", d.bytes},
      {"io_kbytes", d.bytes / 1024},
      {"bw_bytes", static_cast<uint64_t>(bw)},
      {"bw", static_cast<uint64_t>(bw / 1024)},  // KiB/s, as fio
      {"iops", iops},
      {"runtime", d.ios || d.errors ? runtime_ms : 0},
      {"total_ios", d.ios},
      {"short_ios", 0},
      {"drop_ios", 0},
      {"slat_ns", zero_lat},
      {"clat_ns", LatencyJson(d.clat, true)},
      {"lat_ns", LatencyJson(d.clat, false)},
      // One sample over the whole run (fio samples per log interval).
      {"bw_min", static_cast<uint64_t>(bw / 1024)},
      {"bw_max", static_cast<uint64_t>(bw / 1024)},
      {"bw_agg", d.ios ? 100.0 : 0.0},
      {"bw_mean", bw / 1024},
      {"bw_dev", 0.0},
      {"bw_samples", d.ios ? 1 : 0},
      {"iops_min", static_cast<uint64_t>(iops)},
      {"iops_max", static_cast<uint64_t>(iops)},
      {"iops_mean", iops},
      {"iops_stddev", 0.0},
      {"iops_samples", d.ios ? 1 : 0},
      {"nvmesim_errors", d.errors},
      {"nvmesim_errors_by_status", errors},
  };
}

// fio's latency_ns / latency_us / latency_ms maps: percent of the job's I/Os (all directions)
// whose completion latency falls in each bucket, keyed by the bucket's upper edge.
void LatencyBuckets(const JobStats& job, json& out) {
  LatencyHistogram all;
  for (int d = 0; d < 3; ++d) all.Merge(job.direction(static_cast<IoDirection>(d)).clat);
  const double total = static_cast<double>(all.count());
  auto pct = [&](uint64_t low_ns, uint64_t high_ns) {
    if (total == 0) return 0.0;
    uint64_t n = all.CountAtOrBelow(high_ns) - (low_ns ? all.CountAtOrBelow(low_ns) : 0);
    return 100.0 * static_cast<double>(n) / total;
  };
  const uint64_t edges[] = {2, 4, 10, 20, 50, 100, 250, 500, 750, 1000};
  json ns = json::object(), us = json::object(), ms = json::object();
  uint64_t prev = 0;
  for (uint64_t e : edges) {
    ns[std::to_string(e)] = pct(prev, e);
    prev = e;
  }
  prev = 1000;
  for (uint64_t e : edges) {
    us[std::to_string(e)] = pct(prev, e * 1000);
    prev = e * 1000;
  }
  prev = 1000 * 1000;
  for (uint64_t e : edges) {
    ms[std::to_string(e)] = pct(prev, e * 1000 * 1000);
    prev = e * 1000 * 1000;
  }
  ms["2000"] = pct(prev, 2000ull * 1000 * 1000);
  ms[">=2000"] =
      total == 0
          ? 0.0
          : 100.0 * static_cast<double>(all.count() - all.CountAtOrBelow(2000ull * 1000 * 1000)) /
                total;
  out["latency_ns"] = ns;
  out["latency_us"] = us;
  out["latency_ms"] = ms;
}

}  // namespace

nlohmann::json FioJson(const std::vector<JobStats>& jobs, const RunSummary& run) {
  json out;
  out["fio version"] = std::string("nvmesim-") + kVersion;
  out["timestamp"] = 0;  // simulated runs carry no wall-clock time
  out["time"] = "";
  out["global options"] = json::object();
  json arr = json::array();
  for (const JobStats& job : jobs) {
    json j;
    j["jobname"] = job.name();
    j["groupid"] = job.group_id();
    j["error"] = job.total_errors() ? 5 : 0;  // EIO, as fio reports an I/O error
    j["eta"] = 0;
    j["elapsed"] = job.runtime_ps() / 1'000'000'000'000ull;
    json opts = json::object();
    for (const auto& [k, v] : job.options) opts[k] = v;
    j["job options"] = opts;
    j["read"] = DirectionJson(job, IoDirection::kRead);
    j["write"] = DirectionJson(job, IoDirection::kWrite);
    j["trim"] = DirectionJson(job, IoDirection::kTrim);
    const DirectionStats& sync = job.direction(IoDirection::kFlush);
    j["sync"] = {{"total_ios", sync.ios}, {"lat_ns", LatencyJson(sync.clat, true)}};
    LatencyBuckets(job, j);
    j["job_runtime"] = (job.runtime_ps() + 999'999'999) / 1'000'000'000;
    j["usr_cpu"] = 0.0;
    j["sys_cpu"] = 0.0;
    j["ctx"] = 0;
    j["majf"] = 0;
    j["minf"] = 0;
    j["nvmesim"] = {{"jobs", job.jobs()},
                    {"start_ps", job.start_ps() == UINT64_MAX ? 0 : job.start_ps()},
                    {"end_ps", job.end_ps()},
                    {"runtime_ps", job.runtime_ps()}};
    arr.push_back(std::move(j));
  }
  out["jobs"] = std::move(arr);
  out["nvmesim"] = {{"scenario", run.scenario},     {"seed", run.seed},
                    {"fidelity", run.fidelity},     {"simulated_ps", run.simulated_ps},
                    {"trace_hash", run.trace_hash}, {"trace_events", run.trace_events}};
  return out;
}

}  // namespace nvmesim::harness
