#include "harness/bench/bench_report.h"

#include <cstdio>

namespace nvmesim::harness {

namespace {

std::string Printf(const char* fmt, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

double Ms(uint64_t ps) { return static_cast<double>(ps) / 1e9; }

std::string SampleRow(const BenchSample& s, const char* mark) {
  return Printf("  %-12s %9.2f %9.2f %9.1f %9.1f %9.1f %10llu %7llu %6.2f %5.1f %5.1f %s\n",
                s.phase.c_str(), Ms(s.start_ps), Ms(s.end_ps), s.ReadIops() / 1e3,
                s.WriteIops() / 1e3, s.BandwidthBytesPerSecond() / 1e6,
                static_cast<unsigned long long>(s.gc_units),
                static_cast<unsigned long long>(s.erased_superblocks), s.WriteAmplification(),
                100 * s.LinkUtilisation(false), 100 * s.LinkUtilisation(true), mark);
}

const char* kHeader = "  %-12s %9s %9s %9s %9s %9s %10s %7s %6s %5s %5s\n";

}  // namespace

std::vector<JobStats> MergeBenchJobs(const std::vector<JobRecord>& records) {
  std::vector<JobStats> out;
  for (const JobRecord& r : records) {
    if (!out.empty() && out.back().name() == r.name && r.instance > 0) {
      out.back().Merge(r.stats);
    } else {
      out.push_back(r.stats);
    }
  }
  return out;
}

std::string FormatPreconditionText(const BenchResult& r) {
  if (!r.preconditioned) return "";
  std::string out = "\nPreconditioning (SNIA PTS style):\n";
  out +=
      Printf("  namespace %.1f MiB on %.1f MiB of user capacity; rounds of 4 KiB random writes\n",
             static_cast<double>(r.namespace_bytes) / (1 << 20),
             static_cast<double>(r.user_capacity_bytes) / (1 << 20));
  out += Printf("  %-12s %5s %9s %9s %10s %10s %6s\n", "phase", "round", "end_ms", "kIOPS",
                "host_units", "gc_units", "WA");
  for (const BenchSample& s : r.rounds) {
    out += Printf("  %-12s %5u %9.2f %9.1f %10llu %10llu %6.2f%s\n", s.phase.c_str(), s.index,
                  Ms(s.end_ps), s.WriteIops() / 1e3, static_cast<unsigned long long>(s.host_units),
                  static_cast<unsigned long long>(s.gc_units), s.WriteAmplification(),
                  r.knee_round && &s == &r.rounds[*r.knee_round] ? "  <- knee: GC relocates" : "");
    if (s.phase == "fob") {
      out += Printf("  %-12s %5s %9.2f %9s  sequential 128 KiB writes, %.1f MiB\n", "fill", "",
                    Ms(r.fill_end_ps), "", static_cast<double>(r.fill_bytes) / (1 << 20));
    }
  }
  const SteadyStateCheck& c = r.steady;
  out += Printf(
      "  steady state %s: rounds %zu..%zu, average %.1f kIOPS, range %.1f %% (limit 20 %%), "
      "slope excursion %.1f %% (limit 10 %%)\n",
      c.reached ? "reached" : "NOT reached", c.first_round + 1, r.rounds.size() - 1,
      c.average / 1e3, 100 * c.range_fraction, 100 * c.slope_fraction);
  const double drop = r.steady_iops > 0 ? r.fob_iops / r.steady_iops : 0;
  out += Printf(
      "  FOB %.1f kIOPS, steady %.1f kIOPS: %.2fx lower; write amplification in the window %.2f "
      "(FOB/steady over WA: %.2f)\n",
      r.fob_iops / 1e3, r.steady_iops / 1e3, drop, r.steady_wa,
      r.steady_wa > 0 ? drop / r.steady_wa : 0);
  if (r.knee_interval) {
    const BenchSample& k = r.intervals[*r.knee_interval];
    out += Printf("  knee: GC starts relocating at %.2f ms (%s phase)\n", Ms(k.start_ps),
                  k.phase.c_str());
  }
  return out;
}

std::string FormatTimeSeriesText(const BenchResult& r, size_t max_lines) {
  if (r.intervals.empty()) return "";
  std::string out = "\nTime series (per interval; WA = NAND units programmed per host unit):\n";
  out += Printf(kHeader, "phase", "start_ms", "end_ms", "rd_kIOPS", "wr_kIOPS", "MB/s", "gc_units",
                "erased", "WA", "dn%", "up%");
  // Consecutive intervals of one phase are merged into rows of `step` intervals (sums, so
  // bursts are averaged rather than sampled).
  const size_t n = r.intervals.size();
  const size_t step = max_lines == 0 ? 1 : std::max<size_t>(1, (n + max_lines - 1) / max_lines);
  size_t i = 0;
  while (i < n) {
    BenchSample row = r.intervals[i];
    bool knee = r.knee_interval && *r.knee_interval == i;
    size_t j = i + 1;
    for (; j < n && j - i < step && r.intervals[j].phase == row.phase; ++j) {
      const BenchSample& s = r.intervals[j];
      row.end_ps = s.end_ps;
      row.read_ios += s.read_ios;
      row.write_ios += s.write_ios;
      row.read_bytes += s.read_bytes;
      row.write_bytes += s.write_bytes;
      row.host_units += s.host_units;
      row.gc_units += s.gc_units;
      row.pad_units += s.pad_units;
      row.erased_superblocks += s.erased_superblocks;
      row.down_busy_ps += s.down_busy_ps;
      row.up_busy_ps += s.up_busy_ps;
      knee |= r.knee_interval && *r.knee_interval == j;
    }
    out += SampleRow(row, knee ? "<- knee" : "");
    i = j;
  }
  if (step > 1) {
    out += Printf("  (%zu intervals, up to %zu per row; every interval is in --json)\n", n, step);
  }
  return out;
}

nlohmann::json SampleJson(const BenchSample& s) {
  return {{"phase", s.phase},
          {"round", s.index},
          {"start_ps", s.start_ps},
          {"end_ps", s.end_ps},
          {"read_ios", s.read_ios},
          {"write_ios", s.write_ios},
          {"read_bytes", s.read_bytes},
          {"write_bytes", s.write_bytes},
          {"read_iops", s.ReadIops()},
          {"write_iops", s.WriteIops()},
          {"bw_bytes", s.BandwidthBytesPerSecond()},
          {"host_units", s.host_units},
          {"gc_relocated_units", s.gc_units},
          {"pad_units", s.pad_units},
          {"gc_erased_superblocks", s.erased_superblocks},
          {"write_amplification", s.WriteAmplification()},
          {"link_down_utilisation", s.LinkUtilisation(false)},
          {"link_up_utilisation", s.LinkUtilisation(true)}};
}

nlohmann::json TimeSeriesJson(const BenchResult& r) {
  nlohmann::json a = nlohmann::json::array();
  for (const BenchSample& s : r.intervals) a.push_back(SampleJson(s));
  return a;
}

nlohmann::json PreconditionJson(const BenchResult& r) {
  if (!r.preconditioned) return nullptr;
  nlohmann::json rounds = nlohmann::json::array();
  for (const BenchSample& s : r.rounds) rounds.push_back(SampleJson(s));
  nlohmann::json j = {{"namespace_bytes", r.namespace_bytes},
                      {"user_capacity_bytes", r.user_capacity_bytes},
                      {"fill_bytes", r.fill_bytes},
                      {"fill_start_ps", r.fill_start_ps},
                      {"fill_end_ps", r.fill_end_ps},
                      {"rounds", rounds},
                      {"steady_state",
                       {{"reached", r.steady.reached},
                        {"first_round", r.steady.first_round + 1},
                        {"average_iops", r.steady.average},
                        {"range_fraction", r.steady.range_fraction},
                        {"slope_fraction", r.steady.slope_fraction}}},
                      {"fob_iops", r.fob_iops},
                      {"steady_iops", r.steady_iops},
                      {"steady_write_amplification", r.steady_wa},
                      {"fob_over_steady", r.steady_iops > 0 ? r.fob_iops / r.steady_iops : 0.0}};
  if (r.knee_interval) {
    j["knee"] = {{"interval", *r.knee_interval},
                 {"time_ps", r.intervals[*r.knee_interval].start_ps},
                 {"phase", r.intervals[*r.knee_interval].phase}};
  }
  if (r.knee_round) j["knee"]["round"] = *r.knee_round;
  return j;
}

}  // namespace nvmesim::harness
