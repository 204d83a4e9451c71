#include "harness/bench/plot.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/bench/bench_report.h"

namespace nvmesim::harness {

namespace {

namespace fs = std::filesystem;

// Single-quoted for /bin/sh.
std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool Write(const fs::path& p, const std::string& text, PlotFiles& out) {
  std::ofstream f(p, std::ios::binary);
  f << text;
  if (!f) {
    out.error = "--plot: cannot write " + p.string();
    return false;
  }
  out.written.push_back(p.string());
  return true;
}

// Percentiles the CDF is drawn through: 0.5 % steps, then the tail.
std::vector<double> CdfPoints() {
  std::vector<double> p;
  for (int i = 0; i <= 198; ++i) p.push_back(i * 0.5);
  for (double t : {99.5, 99.9, 99.95, 99.99, 99.999, 100.0}) p.push_back(t);
  return p;
}

}  // namespace

bool ProgramAvailable(const std::string& program) {
  if (program.find('/') != std::string::npos) return fs::exists(program);
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string d;
  while (std::getline(dirs, d, ':')) {
    if (!d.empty() && fs::exists(fs::path(d) / program)) return true;
  }
  return false;
}

PlotFiles WritePlotData(const BenchResult& r, const std::string& dir) {
  PlotFiles out;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    out.error = "--plot " + dir + ": cannot create the directory (" + ec.message() + ")";
    return out;
  }
  // Latency CDF: one block per job and direction (gnuplot "index"), latency in us.
  std::string cdf = "# latency CDF per job and direction: latency_us fraction_at_or_below\n";
  std::vector<std::string> titles;
  for (const JobStats& job : MergeBenchJobs(r.jobs)) {
    for (IoDirection d : {IoDirection::kRead, IoDirection::kWrite}) {
      const LatencyHistogram& h = job.direction(d).clat;
      if (h.count() == 0) continue;
      cdf += "# " + job.name() + " " + IoDirectionName(d) + "\n";
      for (double p : CdfPoints()) {
        char line[64];
        std::snprintf(line, sizeof line, "%.3f %.5f\n", static_cast<double>(h.Percentile(p)) / 1e3,
                      p / 100);
        cdf += line;
      }
      cdf += "\n\n";
      titles.push_back(job.name() + " " + IoDirectionName(d));
    }
  }
  // IOPS over time: one row per interval.
  std::string iops =
      "# time_ms read_iops write_iops gc_relocated_units_per_s write_amplification phase\n";
  for (const BenchSample& s : r.intervals) {
    char line[200];
    const double mid = static_cast<double>(s.start_ps + s.end_ps) / 2e9;
    std::snprintf(line, sizeof line, "%.4f %.1f %.1f %.1f %.3f %s\n", mid, s.ReadIops(),
                  s.WriteIops(),
                  s.Seconds() > 0 ? static_cast<double>(s.gc_units) / s.Seconds() : 0,
                  s.WriteAmplification(), s.phase.c_str());
    iops += line;
  }
  // Preconditioning rounds (the FOB round, then the random-write rounds) as steps; the fill
  // between the FOB round and the first random round is left out (no row).
  std::string rounds = "# round_start_ms write_iops (steps; the last row closes the last round)\n";
  for (size_t i = 0; i < r.rounds.size(); ++i) {
    const BenchSample& s = r.rounds[i];
    char line[96];
    std::snprintf(line, sizeof line, "%.4f %.1f\n", static_cast<double>(s.start_ps) / 1e9,
                  s.WriteIops());
    rounds += line;
    const bool gap = i + 1 < r.rounds.size() && r.rounds[i + 1].start_ps != s.end_ps;
    if (gap || i + 1 == r.rounds.size()) {
      std::snprintf(line, sizeof line, "%.4f %.1f\n\n", static_cast<double>(s.end_ps) / 1e9,
                    s.WriteIops());
      rounds += line;
    }
  }
  std::string gp =
      "# gnuplot script written by nvmesim bench: run `gnuplot bench.gp` in this directory.\n"
      "set terminal svg size 900,560 dynamic background rgb 'white'\n"
      "set grid\n"
      "set key bottom right\n"
      "set output 'latency_cdf.svg'\n"
      "set title 'Completion latency CDF (simulated)'\n"
      "set xlabel 'latency (us)'\n"
      "set ylabel 'fraction of I/Os at or below'\n"
      "set logscale x\n"
      "set yrange [0:1]\n";
  if (titles.empty()) {
    gp += "set label 'no completed I/O' at graph 0.4, graph 0.5\nplot 1/0 notitle\n";
  } else {
    gp += "plot ";
    for (size_t i = 0; i < titles.size(); ++i) {
      gp += std::string(i ? ", \\\n     " : "") + "'latency_cdf.dat' index " + std::to_string(i) +
            " using 1:2 with lines lw 2 title '" + titles[i] + "'";
    }
    gp += "\n";
  }
  gp +=
      "unset logscale x\n"
      "set output 'iops.svg'\n"
      "set title 'IOPS and GC relocations over simulated time'\n"
      "set xlabel 'simulated time (ms)'\n"
      "set ylabel 'IOPS'\n"
      "set y2label 'GC relocated units / s'\n"
      "set ytics nomirror\n"
      "set y2tics\n"
      "set yrange [0:*]\n"
      "set y2range [0:*]\n"
      "set key top right\n"
      "plot 'iops.dat' using 1:2 with lines lw 2 title 'read IOPS', \\\n"
      "     'iops.dat' using 1:3 with lines lw 2 title 'write IOPS', \\\n"
      "     'iops.dat' using 1:4 axes x1y2 with lines dt 2 title 'GC relocations / s'";
  gp += r.rounds.empty() ? "\n"
                         : ", \\\n     'rounds.dat' using 1:2 with steps lw 4 lc rgb 'black' title "
                           "'write IOPS per preconditioning round'\n";
  const fs::path d(dir);
  if (!Write(d / "latency_cdf.dat", cdf, out)) return out;
  if (!Write(d / "iops.dat", iops, out)) return out;
  if (!r.rounds.empty() && !Write(d / "rounds.dat", rounds, out)) return out;
  Write(d / "bench.gp", gp, out);
  return out;
}

PlotFiles RenderPlots(const std::string& dir, const std::string& gnuplot) {
  PlotFiles out;
  if (!ProgramAvailable(gnuplot)) {
    out.error = "--plot: " + gnuplot +
                " not found; install Debian's gnuplot-nox (apt-get install -y gnuplot-nox, or "
                "bash tools/bootstrap.sh); the data files and bench.gp are in " +
                dir;
    return out;
  }
  const std::string cmd = "cd " + ShellQuote(dir) + " && " + ShellQuote(gnuplot) + " bench.gp";
  const int rc = std::system(cmd.c_str());
  if (rc != 0) {
    out.error = "--plot: `" + gnuplot + " bench.gp` in " + dir + " failed (status " +
                std::to_string(rc) + ")";
    return out;
  }
  for (const char* f : {"latency_cdf.svg", "iops.svg"}) {
    const fs::path p = fs::path(dir) / f;
    if (!fs::exists(p)) {
      out.error = "--plot: gnuplot did not write " + p.string();
      return out;
    }
    out.written.push_back(p.string());
  }
  return out;
}

}  // namespace nvmesim::harness
