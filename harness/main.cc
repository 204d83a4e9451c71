// nvmesim: run NVMe co-simulation scenarios.
//
//   nvmesim run SCENARIO [--seed N] [--fidelity functional|approximate|cycle]
//                        [--json F] [--junit F] [--trace F] [--quiet]
//   nvmesim check SCENARIO        parse and validate only
//   nvmesim faults                the fault catalogue
//   nvmesim mgmt SCENARIO COMMAND [--controller C] [passthru options]
//   nvmesim bench JOBFILE [--profile P] [--json F] [--size S] [--precondition] [--plot DIR] ...
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "harness/bench/bench_cli.h"
#include "harness/cli_checks.h"
#include "harness/faults/fault_catalogue.h"
#include "harness/mgmt_command.h"
#include "harness/report/chrome_trace.h"
#include "harness/report/fio_output.h"
#include "harness/report/junit.h"
#include "harness/report_text.h"
#include "harness/runner/runner.h"
#include "harness/runner/scenario_to_system.h"
#include "harness/scenario/diagnostic.h"
#include "harness/scenario/scenario_spec.h"
#include "harness/scenario/units.h"
#include "harness/version.h"

namespace nh = nvmesim::harness;

namespace {

std::optional<nh::ScenarioSpec> Load(const std::string& path) {
  try {
    nh::ScenarioSpec s = nh::LoadScenario(path);
    std::vector<nh::Diagnostic> problems = nh::Validate(s);
    if (!problems.empty()) {
      for (const auto& d : problems) std::fprintf(stderr, "%s\n", d.ToString().c_str());
      return std::nullopt;
    }
    return s;
  } catch (const nh::ScenarioError& e) {
    std::fprintf(stderr, "%s\n", e.diagnostic().ToString().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), e.what());
  }
  return std::nullopt;
}

bool WriteFile(const std::string& path, const std::string& text, const char* what) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    std::fprintf(stderr, "nvmesim: cannot write the %s to %s\n", what, path.c_str());
    return false;
  }
  return true;
}

std::vector<nh::JobStats> MergedJobStats(const nh::RunResult& run) {
  std::vector<nh::JobStats> out;
  for (const nh::JobRecord& r : run.jobs) {
    if (!out.empty() && out.back().name() == r.name && r.instance > 0) {
      out.back().Merge(r.stats);
    } else {
      out.push_back(r.stats);
    }
  }
  return out;
}

int Run(const std::string& path, std::optional<uint64_t> seed, const std::string& fidelity,
        const std::string& json, const std::string& junit, const std::string& trace, bool quiet,
        std::optional<nh::ScenarioSpec> s = std::nullopt) {
  if (!s) s = Load(path);
  if (!s) return 2;
  nh::RunOptions options;
  options.seed = seed;
  if (!fidelity.empty()) {
    if (fidelity == "functional")
      options.fidelity = nh::ScenarioFidelity::kFunctional;
    else if (fidelity == "approximate")
      options.fidelity = nh::ScenarioFidelity::kApproximate;
    else
      options.fidelity = nh::ScenarioFidelity::kCycle;
  }
  options.keep_event_log = !trace.empty();
  options.progress = quiet ? nullptr : stderr;
  options.log = quiet ? nullptr : stdout;
  if (!quiet) {
    std::printf("nvmesim: running %s (%s)\n", s->info.name.c_str(), path.c_str());
    if (!s->info.description.empty()) std::printf("  %s\n", s->info.description.c_str());
    std::fflush(stdout);
  }
  nh::RunResult run = nh::RunScenario(*s, options);
  if (run.refused) {  // what building the system refused (a profile's values, a limit)
    std::fprintf(stderr, "error: %s\n", run.error.c_str());
    return 2;
  }

  nh::RunSummary summary;
  summary.scenario = run.scenario;
  summary.seed = run.seed;
  summary.fidelity = nh::FidelityName(run.fidelity);
  summary.simulated_ps = run.simulated_ps;
  summary.trace_hash = run.trace_hash_hex;
  summary.trace_events = run.trace_events;
  const std::vector<nh::JobStats> jobs = MergedJobStats(run);
  std::printf("%s", nh::FormatFioText(jobs, summary).c_str());
  std::printf("%s", nh::FormatRunReport(run).c_str());

  bool wrote = true;
  if (!json.empty()) {
    nlohmann::json doc = nh::FioJson(jobs, summary);
    doc["nvmesim"]["passed"] = run.passed;
    doc["nvmesim"]["error"] = run.error;
    for (const auto& [k, v] : run.counters) doc["nvmesim"]["counters"][k] = v;
    for (const nh::ThermalSeries& t : run.thermal) {
      nlohmann::json pts = nlohmann::json::array();
      for (const nh::ThermalPoint& p : t.points) {
        pts.push_back({{"time_ms", static_cast<double>(p.time_ps) / 1e9},
                       {"kelvin", p.kelvin},
                       {"throttle", p.throttle},
                       {"power_state", p.power_state},
                       {"written_bytes", p.written_bytes},
                       {"deferred", p.deferred}});
      }
      doc["nvmesim"]["thermal"][t.controller] = std::move(pts);
    }
    for (const auto& e : run.expectations) {
      doc["nvmesim"]["expectations"].push_back(
          {{"name", e.name},
           {"kind", e.kind},
           {"passed", e.outcome == nh::ExpectationOutcome::kPassed},
           {"reason", e.reason}});
    }
    wrote &= WriteFile(json, doc.dump(2) + "\n", "JSON results");
  }
  if (!junit.empty()) {
    wrote &= WriteFile(junit,
                       nh::FormatJUnit(run.scenario, run.expectations,
                                       {{"seed", std::to_string(run.seed)},
                                        {"fidelity", summary.fidelity},
                                        {"trace_hash", run.trace_hash_hex}},
                                       static_cast<double>(run.simulated_ps) / 1e12),
                       "JUnit XML");
  }
  if (!trace.empty()) {
    nh::ChromeTraceWriter writer;
    for (const nh::CommandSlice& c : run.slices) {
      nh::ChromeTraceWriter::Args args = {{"lba", c.lba}, {"blocks", c.nlb}};
      if (!c.status.empty()) args.push_back({"status", c.status});
      writer.Slice("job " + c.job, c.job + "." + std::to_string(c.instance), nh::IoOpName(c.op),
                   c.start_ps, c.end_ps - c.start_ps, args);
    }
    for (const nh::CounterSample& c : run.samples) {
      const size_t dot = c.track.find('.');
      writer.Counter(c.track.substr(0, dot), c.track.substr(dot + 1), c.time_ps, c.value);
    }
    writer.AddEventLog(run.event_log);
    std::ofstream out(trace, std::ios::binary);
    writer.Write(out);
    if (!out) {
      std::fprintf(stderr, "nvmesim: cannot write the trace to %s\n", trace.c_str());
      wrote = false;
    }
  }
  return run.passed && wrote ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"nvmesim: NVMe 2.0 device model and driver co-simulation"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("nvmesim ") + nh::kVersion);

  std::string path, fidelity, json, junit, trace;
  std::optional<uint64_t> seed;
  bool quiet = false;
  CLI::App* run =
      app.add_subcommand("run", "Run a scenario and check its expectations (exit 0 when all hold)");
  run->add_option("scenario", path, "Scenario file (TOML)")->required()->check(CLI::ExistingFile);
  run->add_option("--seed", seed, "Seed for every random choice (default: the scenario's)")
      ->check(nh::WholeNumber());
  run->add_option("--fidelity", fidelity, "Timing fidelity")
      ->check(CLI::IsMember({"functional", "approximate", "cycle"}));
  run->add_option("--json", json, "Write results as fio-shaped JSON to this file")
      ->check(nh::WritableFile());
  run->add_option("--junit", junit, "Write expectations as JUnit XML to this file")
      ->check(nh::WritableFile());
  run->add_option("--trace", trace, "Write a Chrome/Perfetto trace (JSON) to this file")
      ->check(nh::WritableFile());
  run->add_flag("--quiet", quiet, "Print only the summary");

  CLI::App* check = app.add_subcommand("check", "Parse and validate a scenario without running it");
  std::string check_path;
  check->add_option("scenario", check_path, "Scenario file (TOML)")
      ->required()
      ->check(CLI::ExistingFile);

  CLI::App* faults =
      app.add_subcommand("faults", "List the faults a scenario can inject, with their parameters");

  CLI::App* mgmt = app.add_subcommand(
      "mgmt", "Boot a scenario's system and run one management command on a controller");
  std::string mgmt_path, input_file;
  nh::MgmtRequest mreq;
  std::string commands_help = "Command, one of:";
  for (const auto& [name, help] : nh::MgmtCommands()) commands_help += "\n  " + name + ": " + help;
  mgmt->add_option("scenario", mgmt_path, "Scenario file (TOML)")
      ->required()
      ->check(CLI::ExistingFile);
  mgmt->add_option("command", mreq.command, commands_help)->required();
  mgmt->add_option("--controller", mreq.controller, "Controller name (default: the first)");
  auto& pt = mreq.passthru;
  mgmt->add_option("-O,--opcode", pt.opcode, "passthru: opcode")->check(nh::WholeNumber());
  mgmt->add_option("-f,--flags", pt.flags, "passthru: command flags (CDW0 bits 15:8)")
      ->check(nh::WholeNumber());
  // One namespace option for every command that takes one (nvme-cli's spelling, and --nsid).
  std::optional<uint32_t> namespace_id;
  mgmt->add_option(
          "-n,--namespace-id,--nsid", namespace_id,
          "namespace id: passthru (default 0), nvme-zns-info / nvme-zns-delete (default 1)")
      ->check(nh::WholeNumber());
  mgmt->add_option("--cdw2", pt.cdw2, "passthru: command dword 2")->check(nh::WholeNumber());
  mgmt->add_option("--cdw3", pt.cdw3, "passthru: command dword 3")->check(nh::WholeNumber());
  mgmt->add_option("--cdw10", pt.cdw10, "passthru: command dword 10")->check(nh::WholeNumber());
  mgmt->add_option("--cdw11", pt.cdw11, "passthru: command dword 11")->check(nh::WholeNumber());
  mgmt->add_option("--cdw12", pt.cdw12, "passthru: command dword 12")->check(nh::WholeNumber());
  mgmt->add_option("--cdw13", pt.cdw13, "passthru: command dword 13")->check(nh::WholeNumber());
  mgmt->add_option("--cdw14", pt.cdw14, "passthru: command dword 14")->check(nh::WholeNumber());
  mgmt->add_option("--cdw15", pt.cdw15, "passthru: command dword 15")->check(nh::WholeNumber());
  mgmt->add_option("-l,--data-len", pt.data_len, "passthru: data length in bytes")
      ->check(nh::WholeNumber());
  mgmt->add_flag("-r,--read", pt.read, "passthru: the command returns data");
  mgmt->add_flag("-w,--write", pt.write, "passthru: the command sends data (--input-file)");
  mgmt->add_option("-i,--input-file", input_file, "passthru: data to send")
      ->check(CLI::ExistingFile);
  mgmt->add_option("--state", mreq.zone_state, "nvme-zns-info: only zones in this state");
  mgmt->add_option("--blocks", mreq.blocks, "nvme-zns-create: size in logical blocks")
      ->check(nh::WholeNumber());
  mgmt->add_option("--args", mreq.args, "nvme-multipath-config: \"policy=latency ...\"");
  mgmt->add_option("--path", mreq.path, "nvme-multipath-failover: path to move I/O off");
  mgmt->add_flag("--restore", mreq.restore, "nvme-multipath-failover: put the path back");
  nh::WorkloadOptions& wl = mreq.workload;
  mgmt->add_option("--bs", wl.block_bytes, "optimizer commands: block size in bytes (4096)")
      ->check(nh::WholeNumber());
  mgmt->add_option("--qd", wl.queue_depth, "optimizer commands: queue depth 1..1024 (32)")
      ->check(nh::WholeNumber());
  mgmt->add_option("--read-pct", wl.read_percent, "optimizer commands: percent reads (70)")
      ->check(nh::WholeNumber());
  CLI::Option* ios_option =
      mgmt->add_option("--ios", wl.ios,
                       "optimizer / thermal commands: I/Os to run (20000); "
                       "nvme-performance-predict: I/Os in its measured 5-round window");
  ios_option->check(nh::WholeNumber());
  mgmt->add_option("--goal", wl.goal, "nvme-adaptive-tune: latency or throughput");
  mgmt->add_option("--target-p99", wl.target_p99_us,
                   "nvme-ai-optimize / nvme-adaptive-tune: p99 goal in us");

  CLI::App* bench =
      app.add_subcommand("bench", "Run an fio job file against a device profile in simulated time");
  nh::BenchCli bench_cli;
  nh::AddBenchOptions(bench, bench_cli);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help); a usage error exits 2 like every
    // other input error, not with CLI11's own codes.
    return app.exit(e) == 0 ? 0 : 2;
  }

  if (*bench) return nh::RunBenchCommand(bench_cli);

  if (*mgmt) {
    std::optional<nh::ScenarioSpec> s = Load(mgmt_path);
    if (!s) return 2;
    if (!input_file.empty()) {
      std::ifstream in(input_file, std::ios::binary);
      pt.input.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    mreq.load = ios_option->count() > 0;
    if (namespace_id) pt.nsid = mreq.nsid = *namespace_id;
    nh::MgmtResult r = nh::RunMgmtCommand(*s, mreq);
    if (!r.error.empty()) {
      std::fprintf(stderr, "nvmesim mgmt: %s\n", r.error.c_str());
      return 2;
    }
    std::printf("%s", r.text.c_str());
    return r.ok ? 0 : 1;
  }

  if (*run) return Run(path, seed, fidelity, json, junit, trace, quiet);
  if (*check) {
    std::optional<nh::ScenarioSpec> s = Load(check_path);
    if (!s) return 2;
    // What the run would refuse when it builds the system, found here too.
    const nh::SystemBuild build = nh::BuildSystemSpec(*s, s->info.fidelity);
    if (!build.ok()) {
      for (const std::string& e : build.errors) std::fprintf(stderr, "error: %s\n", e.c_str());
      return 2;
    }
    std::printf(
        "%s: valid (%zu controller(s), %zu namespace(s), %zu job(s), %zu fault(s), %zu "
        "expectation(s))\n",
        check_path.c_str(), s->controllers.size(), s->namespaces.size(), s->jobs.size(),
        s->faults.size(), s->expectations.size());
    return 0;
  }
  if (*faults) {
    std::printf("%s", nh::FormatFaultCatalogue().c_str());
    return 0;
  }
  return 2;
}
