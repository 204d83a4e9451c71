// What `nvmesim bench` prints and writes beyond fio's shape: the
// preconditioning summary (FOB round, fill, rounds, steady-state check, knee)
// and the per-interval time series, as compact text and as the "nvmesim"
// extras of the fio JSON document ("precondition", "time_series"; fio tools
// ignore keys they do not know).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/bench/bench_run.h"
#include "harness/report/job_stats.h"

namespace nvmesim::harness {

// Job instances merged per job name (numjobs), as fio reports them.
std::vector<JobStats> MergeBenchJobs(const std::vector<JobRecord>& records);

// Preconditioning summary ("" without --precondition).
std::string FormatPreconditionText(const BenchResult& r);
// The time series, at most `max_lines` rows (evenly thinned; the knee row always kept).
std::string FormatTimeSeriesText(const BenchResult& r, size_t max_lines = 40);

nlohmann::json PreconditionJson(const BenchResult& r);
nlohmann::json TimeSeriesJson(const BenchResult& r);
nlohmann::json SampleJson(const BenchSample& s);

}  // namespace nvmesim::harness
