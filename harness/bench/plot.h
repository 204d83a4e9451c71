// `nvmesim bench --plot DIR`: data files and a gnuplot script for a latency
// CDF per measured job and direction, and IOPS (with GC relocations) over
// simulated time; gnuplot (Debian package gnuplot-nox) renders them as SVG.
#pragma once

#include <string>
#include <vector>

#include "harness/bench/bench_run.h"

namespace nvmesim::harness {

struct PlotFiles {
  std::vector<std::string> written;  // paths of the files written
  std::string error;                 // "" or what failed (names the file or the package)
};

// Writes DIR/latency_cdf.dat, DIR/iops.dat, DIR/rounds.dat (after preconditioning) and
// DIR/bench.gp (creating DIR).
PlotFiles WritePlotData(const BenchResult& r, const std::string& dir);

// Runs `gnuplot bench.gp` in DIR: latency_cdf.svg and iops.svg. `gnuplot` is the
// program to run (a path or a name looked up in PATH). Error when it is missing
// (naming the Debian package) or fails.
PlotFiles RenderPlots(const std::string& dir, const std::string& gnuplot = "gnuplot");

// True when `program` runs (a path, or a name found in PATH).
bool ProgramAvailable(const std::string& program);

}  // namespace nvmesim::harness
