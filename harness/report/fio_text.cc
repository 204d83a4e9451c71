#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <limits>

#include "harness/report/fio_output.h"

namespace nvmesim::harness {

std::string FioPercentileKey(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%f", p);
  return buf;
}

std::string FormatFioCount(double v) {
  // Like fio's num2str: at most four digits before a unit ("9999", "12.3k", "1235k").
  static const char* kUnits[] = {"", "k", "M", "G", "T"};
  char buf[32];
  if (v < 10000.0) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  int u = 0;
  while (v >= 10000.0 && u < 4) {
    v /= 1000.0;
    ++u;
  }
  if (v < 10) {
    std::snprintf(buf, sizeof buf, "%.2f%s", v, kUnits[u]);
  } else if (v < 100) {
    std::snprintf(buf, sizeof buf, "%.1f%s", v, kUnits[u]);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f%s", v, kUnits[u]);
  }
  return buf;
}

namespace {

std::string Scaled(double v, double base, const char* const* units, int n) {
  int u = 0;
  while (v >= base && u < n - 1) {
    v /= base;
    ++u;
  }
  char buf[32];
  if (v < 10) {
    std::snprintf(buf, sizeof buf, "%.2f%s", v, units[u]);
  } else if (v < 100) {
    std::snprintf(buf, sizeof buf, "%.1f%s", v, units[u]);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f%s", v, units[u]);
  }
  return buf;
}

const char* const kBinary[] = {"B", "KiB", "MiB", "GiB", "TiB"};
const char* const kDecimal[] = {"B", "kB", "MB", "GB", "TB"};

}  // namespace

std::string FormatFioBandwidth(double bps) {
  return Scaled(bps, 1024, kBinary, 5) + "/s (" + Scaled(bps, 1000, kDecimal, 5) + "/s)";
}

namespace {

struct TimeUnit {
  const char* name;
  double ns;
};

// fio (stat.c) scales nanoseconds down only when even the smallest value
// keeps its digits: to usec when low > 2,000 ns, high > 99,999 ns and the
// deviation > 1 us; to msec at 1,000 times that. A 1 us minimum next to a
// 20 ms maximum stays in nsec rather than printing min=0 (msec). The
// percentile table uses its first and last entries and no deviation test.
TimeUnit FioUnit(uint64_t low_ns, uint64_t high_ns,
                 double stdev_ns = std::numeric_limits<double>::infinity()) {
  if (low_ns > 2'000'000 && high_ns > 99'999'999 && stdev_ns > 1e6) return {"msec", 1e6};
  if (low_ns > 2'000 && high_ns > 99'999 && stdev_ns > 1e3) return {"usec", 1e3};
  return {"nsec", 1};
}

void Append(std::string& out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void Append(std::string& out, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  out += buf;
}

void Direction(std::string& out, const JobStats& job, IoDirection dir) {
  const DirectionStats& d = job.direction(dir);
  if (d.ios == 0 && d.errors == 0) return;
  double runtime_ms = static_cast<double>(job.runtime_ps()) / 1e9;
  Append(out, "  %s: IOPS=%s, BW=%s(%s/%.0fmsec)\n", IoDirectionName(dir),
         FormatFioCount(job.Iops(dir)).c_str(),
         FormatFioBandwidth(job.BandwidthBytesPerSecond(dir)).c_str(),
         Scaled(static_cast<double>(d.bytes), 1024, kBinary, 5).c_str(), runtime_ms);
  if (d.clat.count() > 0) {
    const TimeUnit u = FioUnit(d.clat.min(), d.clat.max(), d.clat.stddev());
    const auto scaled = [](uint64_t ns, const TimeUnit& unit) {
      return static_cast<unsigned long long>(ns / static_cast<uint64_t>(unit.ns));  // fio truncates
    };
    Append(out, "    clat (%s): min=%llu, max=%llu, avg=%5.02f, stdev=%5.02f\n", u.name,
           scaled(d.clat.min(), u), scaled(d.clat.max(), u), d.clat.mean() / u.ns,
           d.clat.stddev() / u.ns);
    const std::vector<double>& ps = LatencyHistogram::FioPercentiles();
    const TimeUnit pu = FioUnit(d.clat.Percentile(ps.front()), d.clat.Percentile(ps.back()));
    Append(out, "    clat percentiles (%s):\n", pu.name);
    for (size_t i = 0; i < ps.size(); ++i) {
      if (i % 4 == 0) out += "     |";
      char label[16];
      std::snprintf(label, sizeof label, "%.2f", ps[i]);
      Append(out, " %6sth=[%6llu]", label, scaled(d.clat.Percentile(ps[i]), pu));
      out += (i % 4 == 3 || i + 1 == ps.size()) ? "\n" : ",";
    }
  }
  for (const auto& [status, n] : d.errors_by_status) {
    Append(out, "    errors: %s x%" PRIu64 "\n", status.c_str(), n);
  }
}

}  // namespace

std::string FormatFioText(const std::vector<JobStats>& jobs, const RunSummary& run) {
  std::string out;
  for (const JobStats& job : jobs) {
    Append(out, "%s: (groupid=%u, jobs=%u): err=%2" PRIu64 ": simulated time %.3f ms\n",
           job.name().c_str(), job.group_id(), job.jobs(), job.total_errors(),
           static_cast<double>(job.runtime_ps()) / 1e9);
    for (int d = 0; d < kIoDirections; ++d) Direction(out, job, static_cast<IoDirection>(d));
  }
  out += "\nRun status group 0 (all jobs):\n";
  for (int di = 0; di < 3; ++di) {
    IoDirection dir = static_cast<IoDirection>(di);
    uint64_t bytes = 0, start = UINT64_MAX, end = 0;
    for (const JobStats& j : jobs) {
      if (j.direction(dir).ios == 0) continue;
      bytes += j.direction(dir).bytes;
      start = std::min(start, j.start_ps());
      end = std::max(end, j.end_ps());
    }
    if (bytes == 0 || end <= start) continue;
    double secs = static_cast<double>(end - start) / 1e12;
    static const char* kNames[] = {"READ", "WRITE", "TRIM"};
    Append(out, "%7s: bw=%s, io=%s, run=%.3fmsec\n", kNames[di],
           FormatFioBandwidth(static_cast<double>(bytes) / secs).c_str(),
           Scaled(static_cast<double>(bytes), 1024, kBinary, 5).c_str(), secs * 1e3);
  }
  Append(out, "\nscenario %s, seed %" PRIu64 ", fidelity %s, simulated %.6f s\n",
         run.scenario.c_str(), run.seed, run.fidelity.c_str(),
         static_cast<double>(run.simulated_ps) / 1e12);
  if (!run.trace_hash.empty()) {
    Append(out, "trace hash %s (%" PRIu64 " events)\n", run.trace_hash.c_str(), run.trace_events);
  }
  return out;
}

}  // namespace nvmesim::harness
