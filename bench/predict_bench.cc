// nvme-performance-predict on the shipped workloads: for each, the command's
// own path (calibration on the fixed depth ladder at the workload's size and
// mix, prediction, then 20000 measured I/Os) against
// scenarios/perf/target_randread.toml, one process per workload (one
// SystemC simulation per process). Prints predicted / measured / error for
// IOPS and p99, and whether the depth is a calibration rung or lies between
// two. Simulated figures: they do not depend on the machine.
//
//   predict_bench [--scenario FILE] [--ios N]

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "bench/in_child.h"
#include "driver/optimizer/performance_predictor.h"
#include "harness/mgmt_command.h"
#include "harness/scenario/scenario_spec.h"

namespace {

struct Workload {
  uint32_t block_bytes;
  uint32_t queue_depth;
  uint32_t read_percent;
};

// The workloads `nvme-performance-predict` is held to (docs/thermal-and-optimizer.md):
// the five of the documentation table, then depths between calibration rungs.
constexpr Workload kWorkloads[] = {
    {4096, 32, 100}, {4096, 32, 0},   {131072, 16, 0}, {16384, 8, 50},
    {4096, 1, 0},    {4096, 24, 0},   {4096, 48, 0},   {4096, 24, 100},
    {4096, 48, 100}, {16384, 24, 50}, {16384, 48, 50}, {131072, 48, 0},
};

struct Figures {
  double iops = 0, mean_us = 0, p99_us = 0;
};

struct Result {
  bool ok = false;
  Figures predicted, measured;
  double simulated_ms = 0;
};

bool ParseLine(const std::string& text, const char* label, Figures& f) {
  const size_t at = text.find(label);
  if (at == std::string::npos) return false;
  double mbps = 0;
  return std::sscanf(text.c_str() + at + std::strlen(label),
                     " %lf IOPS %lf MB/s mean %lf us p99 %lf us", &f.iops, &mbps, &f.mean_us,
                     &f.p99_us) == 4;
}

// The steady-state method runs for more simulated time than the scenario's
// own limit (1 s) allows for the slower workloads: the bench lifts it.
constexpr uint64_t kTimeLimitPs = 30ull * 1000 * 1000 * 1000 * 1000;

Result Run(const std::string& scenario, const Workload& w, uint64_t ios) {
  nvmesim::harness::MgmtRequest r;
  r.command = "nvme-performance-predict";
  r.workload.block_bytes = w.block_bytes;
  r.workload.queue_depth = w.queue_depth;
  r.workload.read_percent = w.read_percent;
  r.workload.ios = ios;
  nvmesim::harness::ScenarioSpec spec = nvmesim::harness::LoadScenario(scenario);
  spec.info.time_limit_ps = std::max(spec.info.time_limit_ps, kTimeLimitPs);
  const nvmesim::harness::MgmtResult m = nvmesim::harness::RunMgmtCommand(spec, r);
  Result out;
  out.ok = m.ok && ParseLine(m.text, "predicted:", out.predicted) &&
           ParseLine(m.text, "measured:", out.measured);
  const size_t at = m.text.find("simulated time: ");
  if (at != std::string::npos) out.simulated_ms = std::atof(m.text.c_str() + at + 16);
  if (!out.ok) std::fprintf(stderr, "%s%s\n", m.error.c_str(), m.text.c_str());
  return out;
}

std::string Where(uint32_t depth) {
  const auto& ladder = nvmesim::driver::optimizer::CalibrationDepths();
  for (size_t i = 0; i < ladder.size(); ++i) {
    if (ladder[i] == depth) return "rung";
    if (i + 1 < ladder.size() && ladder[i] < depth && depth < ladder[i + 1]) {
      return std::to_string(ladder[i]) + "-" + std::to_string(ladder[i + 1]);
    }
  }
  return "beyond";
}

double Error(double predicted, double measured) {
  return measured > 0 ? 100.0 * (predicted - measured) / measured : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario = "scenarios/perf/target_randread.toml";
  uint64_t ios = 20000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--scenario") == 0)
      scenario = argv[++i];
    else if (std::strcmp(argv[i], "--ios") == 0)
      ios = std::strtoull(argv[++i], nullptr, 10);
  }
  std::printf("nvme-performance-predict against %s, %llu measured I/Os per workload\n",
              scenario.c_str(), static_cast<unsigned long long>(ios));
  std::printf(
      "prediction and measurement: the workload's steady state (see the command's "
      "\"meaning:\" line); simulated time limit lifted to %.0f s\n",
      static_cast<double>(kTimeLimitPs) / 1e12);
  std::printf("%-24s %-7s %10s %10s %7s %9s %9s %7s %8s\n", "workload", "depth", "pred IOPS",
              "meas IOPS", "error", "pred p99", "meas p99", "error", "sim ms");
  int within = 0, total = 0;
  for (const Workload& w : kWorkloads) {
    // quiet: the simulation kernel's own messages stay out of the table.
    const std::optional<Result> got =
        nvmesim::bench::RunInChild<Result>([&] { return Run(scenario, w, ios); }, /*quiet=*/true);
    char name[64];
    std::snprintf(name, sizeof name, "%u KiB QD %u %u%% read", w.block_bytes / 1024, w.queue_depth,
                  w.read_percent);
    ++total;
    if (!got || !got->ok) {
      std::printf("%-24s failed\n", name);
      continue;
    }
    const Result& r = *got;
    const double e_iops = Error(r.predicted.iops, r.measured.iops);
    const double e_p99 = Error(r.predicted.p99_us, r.measured.p99_us);
    if (std::abs(e_iops) <= 10 && std::abs(e_p99) <= 10) ++within;
    std::printf("%-24s %-7s %10.0f %10.0f %+6.1f%% %9.1f %9.1f %+6.1f%% %8.0f\n", name,
                Where(w.queue_depth).c_str(), r.predicted.iops, r.measured.iops, e_iops,
                r.predicted.p99_us, r.measured.p99_us, e_p99, r.simulated_ms);
  }
  std::printf("IOPS and p99 both within 10 %%: %d of %d workloads\n", within, total);
  return 0;
}
