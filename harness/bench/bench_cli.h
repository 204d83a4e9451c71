// The `nvmesim bench` command line: options, their validation and the run.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "harness/bench/bench_run.h"
#include "harness/bench_command.h"

namespace nvmesim::harness {

struct BenchCli {
  BenchRequest request;
  BenchOptions options;
  std::string size;  // --size as given ("" = default)
  std::string fidelity;
  std::string json;
  std::string plot_dir;
  std::string interval = "10ms";
  std::string round;           // --round as given
  std::string media_capacity;  // --media-capacity as given
  bool quiet = false;
  bool latency_breakdown = false;
};

// Adds the bench options to `bench` (the subcommand), bound to `cli`.
void AddBenchOptions(CLI::App* bench, BenchCli& cli);

// Checks and converts the options given as text (sizes, durations) into
// cli.request / cli.options. "" or an error naming the option and what was expected.
std::string ResolveBenchOptions(BenchCli& cli);

// Runs the bench: fio-style text (and the preconditioning summary and the time
// series) on stdout, JSON and plots when asked. Exit code: 0 passed, 1 failed, 2 bad input.
int RunBenchCommand(BenchCli& cli);

}  // namespace nvmesim::harness
