// Zone state machine speed: writes, appends and resets over 65,536 zones
// (and 1,024 / 1,048,576 zones to show the cost does not grow with the zone
// count), plus Report Zones, which is O(zones reported).
//   bazel run -c opt //bench:zns_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "zns_model/zoned_namespace.h"

namespace nvmesim::zns {
namespace {

std::unique_ptr<ZonedNamespace> MakeNamespace(uint32_t zones, uint32_t mor, uint32_t mar) {
  ZonedNamespaceConfig c;
  c.zone_count = zones;
  c.zone_size_lbas = 1u << 16;  // 256 MiB zones of 4 KiB LBAs
  c.zone_capacity_lbas = (1u << 16) - 4096;
  c.max_open_zones = mor;
  c.max_active_zones = mar;
  c.descriptor_extension_bytes = 0;
  std::string error;
  auto ns = ZonedNamespace::Create(c, &error);
  if (!ns) std::fprintf(stderr, "bad bench config: %s\n", error.c_str());
  return ns;
}

void Report(benchmark::State& state, const ZonedNamespace& ns) {
  state.SetItemsProcessed(state.iterations());
  state.counters["zones"] = ns.zone_count();
  state.counters["bytes_per_zone"] = static_cast<double>(ns.BytesPerZone());
  state.counters["model_MiB"] =
      static_cast<double>(ns.BytesPerZone()) * ns.zone_count() / (1024.0 * 1024.0);
}

// A zone that filled up is reset (rare: once per ZCAP / NLB operations);
// anything else is a failure of the model.
void ResetFullZone(benchmark::State& state, ZonedNamespace& ns, uint32_t z) {
  if (ns.Zone(z).state != spec::ZoneState::kFull) {
    state.SkipWithError("operation failed on a zone that is not Full");
    return;
  }
  ZoneSendRequest r;
  r.action = spec::ZoneSendAction::kReset;
  r.slba = ns.ZoneStart(z);
  if (!ns.ZoneSend(r).ok()) state.SkipWithError("reset failed");
}

// Writes of 8 LBAs at the write pointer, round-robin over every zone (each
// zone stays Implicitly Opened; MOR/MAR unlimited).
void BM_Write(benchmark::State& state) {
  const uint32_t zones = static_cast<uint32_t>(state.range(0));
  auto ns = MakeNamespace(zones, 0, 0);
  uint32_t z = 0;
  for (auto _ : state) {
    const spec::Status s = ns->Write(ns->Zone(z).wp, 8);
    benchmark::DoNotOptimize(s);
    if (!s.ok()) ResetFullZone(state, *ns, z);
    if (++z == zones) z = 0;
  }
  Report(state, *ns);
}
BENCHMARK(BM_Write)->Arg(1 << 10)->Arg(1 << 16)->Arg(1 << 20);

// Writes round-robin over 64 zones with MOR 14 / MAR 64: every write re-opens
// a Closed zone and the controller closes the oldest implicitly opened one.
void BM_WriteAutoClose(benchmark::State& state) {
  auto ns = MakeNamespace(1 << 16, 14, 64);
  uint32_t z = 0;
  for (auto _ : state) {
    const spec::Status s = ns->Write(ns->Zone(z).wp, 1);
    benchmark::DoNotOptimize(s);
    if (!s.ok()) ResetFullZone(state, *ns, z);
    if (++z == 64) z = 0;
  }
  Report(state, *ns);
}
BENCHMARK(BM_WriteAutoClose);

// Zone Append of 8 LBAs round-robin over every zone.
void BM_Append(benchmark::State& state) {
  const uint32_t zones = static_cast<uint32_t>(state.range(0));
  auto ns = MakeNamespace(zones, 0, 0);
  uint32_t z = 0;
  uint64_t lba = 0;
  for (auto _ : state) {
    const spec::Status s = ns->Append(ns->ZoneStart(z), 8, &lba);
    benchmark::DoNotOptimize(lba);
    if (!s.ok()) ResetFullZone(state, *ns, z);
    if (++z == zones) z = 0;
  }
  Report(state, *ns);
}
BENCHMARK(BM_Append)->Arg(1 << 10)->Arg(1 << 16)->Arg(1 << 20);

// Reset Zone of a zone holding data, round-robin; when every zone has been
// reset the namespace is refilled (one LBA per zone) outside the timing.
void BM_Reset(benchmark::State& state) {
  const uint32_t zones = static_cast<uint32_t>(state.range(0));
  auto ns = MakeNamespace(zones, 0, 0);
  auto fill = [&] {
    for (uint32_t z = 0; z < zones; ++z) (void)ns->Write(ns->ZoneStart(z), 1);
  };
  fill();
  ZoneSendRequest r;
  r.action = spec::ZoneSendAction::kReset;
  uint32_t z = 0;
  for (auto _ : state) {
    r.slba = ns->ZoneStart(z);
    const spec::Status s = ns->ZoneSend(r);
    benchmark::DoNotOptimize(s);
    if (++z == zones) {
      z = 0;
      state.PauseTiming();
      fill();
      state.ResumeTiming();
    }
  }
  Report(state, *ns);
}
BENCHMARK(BM_Reset)->Arg(1 << 10)->Arg(1 << 16)->Arg(1 << 20);

// Report Zones (partial) of N descriptors from a random start over 65,536 zones.
void BM_ReportZones(benchmark::State& state) {
  auto ns = MakeNamespace(1 << 16, 0, 0);
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<uint8_t> buf(64 + 64 * n);
  ReportRequest req;
  req.partial = true;
  uint32_t z = 0;
  for (auto _ : state) {
    req.slba = ns->ZoneStart(z);
    ReportResult r;
    benchmark::DoNotOptimize(ns->Report(req, buf, &r));
    z = (z + 7919) & 0xFFFF;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));  // descriptors
}
BENCHMARK(BM_ReportZones)->Arg(16)->Arg(256)->Arg(4096);

}  // namespace
}  // namespace nvmesim::zns

BENCHMARK_MAIN();
