#include "harness/bench/bench_cli.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "device_model/media/profile_loader.h"
#include "harness/bench/bench_report.h"
#include "harness/bench/latency_breakdown.h"
#include "harness/bench/plot.h"
#include "harness/cli_checks.h"
#include "harness/report/fio_output.h"
#include "harness/scenario/diagnostic.h"
#include "harness/scenario/units.h"

namespace nvmesim::harness {

void AddBenchOptions(CLI::App* bench, BenchCli& cli) {
  BenchRequest& r = cli.request;
  bench->add_option("jobfile", r.job_file, "fio job file")->required()->check(CLI::ExistingFile);
  bench
      ->add_option("--profile", r.profile,
                   "Device profile (TOML), e.g. scenarios/profiles/target.toml")
      ->check(CLI::ExistingFile);
  bench->add_option("--size", cli.size,
                    "Namespace size (default 64GiB, or the media's user capacity with "
                    "--media-capacity; memory grows with data written)");
  bench->add_option("--lba-size", r.lba_size, "512 or 4096")
      ->check(WholeNumber())
      ->check(CLI::IsMember({512, 4096}));
  bench->add_option("--generation", r.link_generation, "PCIe generation 1..5")
      ->check(WholeNumber())
      ->check(CLI::Range(1, 5));
  bench->add_option("--width", r.link_width, "PCIe lanes")
      ->check(WholeNumber())
      ->check(CLI::IsMember({1, 2, 4, 8, 16}));
  bench->add_option("--seed", r.seed, "Seed")->check(WholeNumber());
  bench->add_option("--fidelity", cli.fidelity, "Timing fidelity")
      ->check(CLI::IsMember({"functional", "approximate", "cycle"}));
  bench->add_option("--json", cli.json, "Write fio-shaped JSON results to this file")
      ->check(WritableFile());
  bench->add_flag("--quiet", cli.quiet, "Print only the summary");
  PreconditionOptions& p = cli.options.precondition;
  bench->add_flag("--precondition", p.enabled,
                  "Before the jobs: a fresh-out-of-box random-write round, a sequential fill and "
                  "random-write rounds until SNIA steady state");
  bench->add_option("--fill-passes", p.fill_passes, "Sequential fill: times the namespace (1..16)")
      ->check(WholeNumber())
      ->check(CLI::Range(1, 16));
  bench->add_option("--round", cli.round,
                    "Random writes per preconditioning round (default: "
                    "namespace / 4)");
  bench
      ->add_option("--max-rounds", p.max_rounds,
                   "Rounds before giving up on steady state "
                   "(5..1000)")
      ->check(WholeNumber())
      ->check(CLI::Range(5, 1000));
  bench->add_option("--precondition-qd", p.queue_depth, "Queue depth of preconditioning (1..1024)")
      ->check(WholeNumber())
      ->check(CLI::Range(1, 1024));
  bench->add_option("--interval", cli.interval,
                    "Time-series interval in simulated time "
                    "(default 10ms)");
  bench->add_option("--media-capacity", cli.media_capacity,
                    "Scale the profile's NAND down to about this user capacity (e.g. 1GiB)");
  bench->add_flag("--latency-breakdown", cli.latency_breakdown,
                  "Where the time of each request goes, hop by hop (for QD 1 jobs run one at a "
                  "time)");
  bench->add_option("--plot", cli.plot_dir,
                    "Write latency CDF and IOPS-over-time data, a gnuplot script and SVGs here");
}

std::string ResolveBenchOptions(BenchCli& cli) {
  std::string error;
  BenchRequest& r = cli.request;
  // A profile that does not load is the option's error, before anything else.
  device::media::ProfileLoad profile;
  if (!r.profile.empty()) {
    profile = device::media::LoadProfile(r.profile);
    if (!profile.ok()) return "--profile " + profile.error;
  }
  if (!cli.media_capacity.empty()) {
    const auto b = ParseSize(cli.media_capacity, SizeStyle::kScenario, &error);
    if (!b || *b == 0) {
      return "--media-capacity " + cli.media_capacity + ": " +
             (error.empty() ? "must be a non-zero size such as 1GiB" : error);
    }
    cli.options.media_capacity_bytes = *b;
    if (r.profile.empty()) return "--media-capacity needs --profile";
  }
  if (!cli.size.empty()) {
    const auto b = ParseSize(cli.size, SizeStyle::kScenario, &error);
    if (!b || *b == 0 || *b % r.lba_size != 0) {
      return "--size " + cli.size + ": " +
             (error.empty() ? "must be a non-zero multiple of the LBA size (" +
                                  std::to_string(r.lba_size) + ")"
                            : error);
    }
    r.namespace_bytes = *b;
  } else if (cli.options.media_capacity_bytes != 0) {
    // The namespace spans the scaled media's user capacity (rounded down to 1 MiB).
    // --media-capacity needs --profile (checked above), so `profile` is loaded.
    if (std::string e = ScaleMediaCapacity(profile.profile, cli.options.media_capacity_bytes);
        !e.empty()) {
      return e;
    }
    r.namespace_bytes = device::media::DeriveGeometry(profile.profile).user_bytes >> 20 << 20;
  }
  if (!cli.round.empty()) {
    const auto b = ParseSize(cli.round, SizeStyle::kScenario, &error);
    if (!b || *b < 4096 || *b % 4096 != 0) {
      return "--round " + cli.round + ": " +
             (error.empty() ? "must be a multiple of 4 KiB, at least 4 KiB" : error);
    }
    if (*b > r.namespace_bytes * 16) {
      return "--round " + cli.round + ": at most 16 times the namespace";
    }
    cli.options.precondition.round_bytes = *b;
  }
  const auto iv = ParseDuration(cli.interval, 0, &error);
  if (!iv || *iv < 1'000'000 || *iv > uint64_t{60} * 1'000'000'000'000) {
    return "--interval " + cli.interval + ": " +
           (error.empty() ? "must be a duration from 1us to 60s (e.g. 10ms)" : error);
  }
  cli.options.interval_ps = *iv;
  cli.options.record_events = cli.latency_breakdown;
  if (cli.options.precondition.enabled && r.profile.empty()) {
    return "--precondition needs --profile (a profile with NAND media)";
  }
  if (cli.options.precondition.enabled && cli.size.empty() && cli.media_capacity.empty()) {
    return "--precondition needs --media-capacity (or --size): the default 64GiB namespace "
           "would be written more than twice over, and memory grows with the data written";
  }
  if (!cli.plot_dir.empty()) {
    // Made before the run, so a bad path is reported before any simulated time.
    std::error_code ec;
    std::filesystem::create_directories(cli.plot_dir, ec);
    if (ec || !std::filesystem::is_directory(cli.plot_dir)) {
      return "--plot " + cli.plot_dir + ": cannot create the directory" +
             (ec ? " (" + ec.message() + ")" : "");
    }
  }
  if (!cli.fidelity.empty()) {
    r.fidelity = cli.fidelity == "functional"    ? ScenarioFidelity::kFunctional
                 : cli.fidelity == "approximate" ? ScenarioFidelity::kApproximate
                                                 : ScenarioFidelity::kCycle;
  }
  return "";
}

int RunBenchCommand(BenchCli& cli) {
  if (std::string e = ResolveBenchOptions(cli); !e.empty()) {
    std::fprintf(stderr, "nvmesim bench: %s\n", e.c_str());
    return 2;
  }
  ScenarioSpec s;
  try {
    s = BenchScenario(cli.request);
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "%s\n", e.diagnostic().ToString().c_str());
    return 2;
  }
  std::vector<Diagnostic> problems = Validate(s);
  for (const auto& d : problems) std::fprintf(stderr, "%s\n", d.ToString().c_str());
  if (!problems.empty()) return 2;
  if (!cli.quiet) {
    std::printf("nvmesim: bench %s\n  %s\n", cli.request.job_file.c_str(),
                s.info.description.c_str());
    std::fflush(stdout);
  }
  const BenchResult r = RunBench(s, cli.options);
  if (r.refused) {
    std::fprintf(stderr, "nvmesim bench: %s\n", r.error.c_str());
    return 2;
  }
  RunSummary summary;
  summary.scenario = s.info.name;
  summary.seed = r.seed;
  summary.fidelity = r.fidelity;
  summary.simulated_ps = r.simulated_ps;
  summary.trace_hash = r.trace_hash;
  summary.trace_events = r.trace_events;
  const std::vector<JobStats> jobs = MergeBenchJobs(r.jobs);
  std::printf("%s", FormatPreconditionText(r).c_str());
  std::printf("%s", FormatTimeSeriesText(r, cli.quiet ? 12 : 40).c_str());
  std::printf("\n%s", FormatFioText(jobs, summary).c_str());
  std::vector<LatencyBreakdown> breakdown;
  if (cli.latency_breakdown) {
    breakdown = BreakDownLatency(r);
    std::printf("%s\n", FormatLatencyBreakdown(breakdown).c_str());
  }
  if (r.has_media) {
    std::printf(
        "media: write amplification %.2f (whole run), %llu units relocated by GC, %llu "
        "superblocks erased\n",
        r.media.ftl.WriteAmplification(), static_cast<unsigned long long>(r.media.ftl.gc_units),
        static_cast<unsigned long long>(r.media.ftl.erased_superblocks));
  }
  if (!r.error.empty()) std::printf("error: %s\n", r.error.c_str());
  std::printf("%s\n", r.passed ? "PASSED" : "FAILED");
  bool ok = true;
  if (!cli.json.empty()) {
    nlohmann::json doc = FioJson(jobs, summary);
    doc["nvmesim"]["passed"] = r.passed;
    doc["nvmesim"]["error"] = r.error;
    doc["nvmesim"]["interval_ps"] = cli.options.interval_ps;
    doc["nvmesim"]["time_series"] = TimeSeriesJson(r);
    if (r.preconditioned) doc["nvmesim"]["precondition"] = PreconditionJson(r);
    if (r.has_media) {
      doc["nvmesim"]["media"] = {{"write_amplification", r.media.ftl.WriteAmplification()},
                                 {"host_units", r.media.ftl.host_units},
                                 {"gc_relocated_units", r.media.ftl.gc_units},
                                 {"gc_erased_superblocks", r.media.ftl.erased_superblocks},
                                 {"memory_bytes", r.media.memory_bytes}};
    }
    for (const LatencyBreakdown& b : breakdown) {
      nlohmann::json rows = nlohmann::json::array();
      for (const BreakdownRow& row : b.rows) {
        rows.push_back({{"stage", row.stage}, {"hops", row.hops}, {"mean_ns", row.mean_ns}});
      }
      doc["nvmesim"]["latency_breakdown"].push_back(
          {{"job", b.job},
           {"direction", b.op == IoOp::kRead ? "read" : "write"},
           {"requests", b.requests},
           {"skipped", b.skipped},
           {"mean_latency_ns", b.mean_latency_ns},
           {"rows", rows}});
    }
    std::ofstream out(cli.json, std::ios::binary);
    out << doc.dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "nvmesim bench: --json: cannot write %s\n", cli.json.c_str());
      ok = false;
    }
  }
  if (!cli.plot_dir.empty()) {
    PlotFiles data = WritePlotData(r, cli.plot_dir);
    PlotFiles svg = data.error.empty() ? RenderPlots(cli.plot_dir) : data;
    if (!svg.error.empty()) {
      std::fprintf(stderr, "nvmesim bench: %s\n", svg.error.c_str());
      ok = false;
    } else if (!cli.quiet) {
      for (const auto& f : svg.written) std::printf("plot: %s\n", f.c_str());
    }
  }
  return r.passed && ok ? 0 : 1;
}

}  // namespace nvmesim::harness
