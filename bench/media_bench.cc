// Modelled device performance per profile (scenarios/profiles/*.toml): the six
// headline figures of each profile against its datasheet, the link ceiling of
// the unlimited profile against the analytic formula, and the random-write
// knee after preconditioning; then the media model's own speed (Google
// Benchmark).
//   bazel run -c opt //bench:media_bench              # full report + benchmarks
//   bazel run -c opt //bench:media_bench -- --quick   # CI-sized report
// Flags: --quick, --report_only, --profiles=DIR (default scenarios/profiles).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "device_model/media/closed_loop.h"
#include "device_model/media/media_model.h"
#include "device_model/media/profile_loader.h"
#include "pcie_model/link_timing.h"

namespace nvmesim::device::media {
namespace {

constexpr uint64_t kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024;

bool g_quick = false;
std::string g_dir = "scenarios/profiles";
std::string g_only;  // --only=NAME: one report section (a profile, "unlimited" or "steady")
bool Want(const char* what) { return g_only.empty() || g_only == what; }

// Datasheet figures and the conditions they are measured under. These live
// here, never in the profiles: a profile states physics only.
struct Datasheet {
  const char* profile;
  double seq_read_gbs, seq_write_gbs;            // 10^9 bytes/s, 128 KiB
  double rand_read_iops, rand_write_iops;        // 4 KiB
  double cached_read_us_max, write_back_us_max;  // QD 1 bounds (0 = not stated)
  uint32_t qd_random, qd_seq;
  double tolerance;
};

const Datasheet kSheets[] = {
    {"target", 8.0, 7.5, 2.0e6, 1.8e6, 8.0, 12.0, 256, 8, 0.05},
    {"pcie4_990pro", 7.45, 6.9, 1.40e6, 1.55e6, 0, 0, 512, 32, 0.10},
    {"pcie5_t705", 14.5, 12.7, 1.55e6, 1.80e6, 0, 0, 512, 32, 0.10},
};

pcie::LinkTiming LinkOf(const MediaProfile& p) {
  pcie::LinkConfig c;
  c.generation = p.link.generation;
  c.width = p.link.width;
  c.max_payload_size = p.link.max_payload_size;
  c.max_read_request_size = p.link.max_read_request_size;
  return pcie::LinkTiming(c);
}

std::unique_ptr<MediaTiming> Make(const MediaProfile& p) {
  std::string e;
  auto m = MakeMediaTiming(p, &e);
  if (!m) {
    std::fprintf(stderr, "%s\n", e.c_str());
    std::exit(1);
  }
  return m;
}

void Fill(MediaTiming& m, uint64_t bytes) {
  if (auto* mm = dynamic_cast<MediaModel*>(&m)) mm->Fill(1, 0, bytes / 4096, 4096);
}

uint64_t Scale(uint64_t n) { return g_quick ? std::max<uint64_t>(n / 10, 1000) : n; }

LoopResult Measure(const MediaProfile& p, bool write, bool random, uint32_t block, uint32_t qd,
                   uint64_t span, uint64_t ios, bool fill) {
  auto m = Make(p);
  if (fill) Fill(*m, span);
  ClosedLoop loop(*m, LinkOf(p));
  LoopWorkload w;
  w.write = write;
  w.random = random;
  w.block_bytes = block;
  w.queue_depth = qd;
  w.span_bytes = span;
  w.ios = ios;
  // Warm-up: queues full and, for writes, the write buffer full (its drain
  // rate is the sustained rate).
  w.warmup_ios = std::max<uint64_t>(2 * qd, write ? 8 * p.cache.bytes / block + 1000 : 2 * qd);
  return loop.Run(w);
}

struct Headline {
  double seq_read_gbs, seq_write_gbs, rand_read_iops, rand_write_iops, cached_read_us, wb_write_us;
};

Headline Measure(const MediaProfile& p, const Datasheet& d) {
  Headline h{};
  h.seq_read_gbs = Measure(p, false, false, 128 * kKiB, d.qd_seq, 8 * kGiB, Scale(40'000), true)
                       .bytes_per_second /
                   1e9;
  h.seq_write_gbs = Measure(p, true, false, 128 * kKiB, d.qd_seq, 64 * kGiB, Scale(40'000), false)
                        .bytes_per_second /
                    1e9;
  h.rand_read_iops =
      Measure(p, false, true, 4 * kKiB, d.qd_random, 32 * kGiB, Scale(600'000), true).iops;
  h.rand_write_iops =
      Measure(p, true, true, 4 * kKiB, d.qd_random, 64 * kGiB, Scale(600'000), false).iops;
  // QD 1: a 4 KiB write followed by a read of the same block (still in the
  // write buffer), and QD 1 random writes acknowledged by the buffer.
  auto m = Make(p);
  ClosedLoop loop(*m, LinkOf(p));
  uint64_t sum = 0;
  const int n = 200;
  for (int i = 0; i < n; ++i) {
    LoopWorkload w;
    w.random = false;
    w.start_byte = uint64_t(i) * 4096;
    w.span_bytes = 4096;
    w.ios = 1;
    w.write = true;
    loop.Run(w);
    w.write = false;
    sum += loop.Run(w).mean_ps;
  }
  h.cached_read_us = static_cast<double>(sum) / n / 1e6;
  LoopWorkload w;
  w.write = true;
  w.span_bytes = 1 * kGiB;
  w.ios = 2000;
  h.wb_write_us = static_cast<double>(loop.Run(w).mean_ps) / 1e6;
  return h;
}

bool Row(const char* what, double model, double sheet, double tol, const char* unit, double div) {
  const double dev = (model - sheet) / sheet;
  const bool ok = std::fabs(dev) <= tol;
  std::printf("  %-24s %12.3f %12.3f %s %+7.2f%%  %s\n", what, model / div, sheet / div, unit,
              100 * dev, ok ? "ok" : "OUT OF TOLERANCE");
  return ok;
}

bool Bound(const char* what, double model, double bound) {
  if (bound == 0) {
    std::printf("  %-24s %12.3f %12s us   (not stated)\n", what, model, "-");
    return true;
  }
  const bool ok = model < bound;
  std::printf("  %-24s %12.3f %12s us   %s\n", what, model,
              (std::string("< ") + std::to_string(int(bound))).c_str(), ok ? "ok" : "ABOVE BOUND");
  return ok;
}

bool ReportProfile(const Datasheet& d) {
  const ProfileLoad l = LoadProfile(g_dir + "/" + d.profile + ".toml");
  if (!l.ok()) {
    std::printf("%s\n", l.error.c_str());
    return false;
  }
  const Headline h = Measure(l.profile, d);
  std::printf("\nprofile %s (tolerance %.0f%%; random QD %u, sequential QD %u)\n", d.profile,
              d.tolerance * 100, d.qd_random, d.qd_seq);
  std::printf("  %-24s %12s %12s\n", "figure", "model", "datasheet");
  bool ok = true;
  ok &= Row("128K seq read", h.seq_read_gbs * 1e9, d.seq_read_gbs * 1e9, d.tolerance, "GB/s", 1e9);
  ok &=
      Row("128K seq write", h.seq_write_gbs * 1e9, d.seq_write_gbs * 1e9, d.tolerance, "GB/s", 1e9);
  ok &= Row("4K random read", h.rand_read_iops, d.rand_read_iops, d.tolerance, "MIOPS", 1e6);
  ok &= Row("4K random write", h.rand_write_iops, d.rand_write_iops, d.tolerance, "MIOPS", 1e6);
  ok &= Bound("QD1 cached read", h.cached_read_us, d.cached_read_us_max);
  ok &= Bound("QD1 write-back write", h.wb_write_us, d.write_back_us_max);
  return ok;
}

bool ReportUnlimited() {
  const ProfileLoad l = LoadProfile(g_dir + "/unlimited.toml");
  if (!l.ok()) {
    std::printf("%s\n", l.error.c_str());
    return false;
  }
  const pcie::LinkTiming link = LinkOf(l.profile);
  const uint32_t mps = l.profile.link.max_payload_size;
  std::printf("\nprofile unlimited: PCIe %u.0 x%u, MPS %u, against the analytic ceiling (1%%)\n",
              l.profile.link.generation, l.profile.link.width, mps);
  bool ok = true;
  struct Case {
    const char* what;
    bool write;
    uint32_t block, qd;
  } cases[] = {{"128K seq read", false, 128 * 1024, 64},
               {"4K random read", false, 4096, 256},
               {"128K seq write", true, 128 * 1024, 64},
               {"4K random write", true, 4096, 256}};
  for (const Case& c : cases) {
    const LoopResult r = Measure(l.profile, c.write, c.block == 4096, c.block, c.qd, 64 * kGiB,
                                 Scale(c.block == 4096 ? 500'000 : 50'000), false);
    const double ceil = (c.write ? ClosedLoop::WriteIopsCeiling(link, c.block)
                                 : ClosedLoop::ReadIopsCeiling(link, c.block));
    const double dev = (r.iops - ceil) / ceil;
    const bool good = std::fabs(dev) <= 0.01;
    ok &= good;
    std::printf(
        "  %-18s model %10.0f IOPS %7.3f GB/s  analytic %10.0f IOPS %7.3f GB/s  %+6.2f%%  %s\n",
        c.what, r.iops, r.bytes_per_second / 1e9, ceil, ceil * c.block / 1e9, 100 * dev,
        good ? "ok" : "OFF");
  }
  return ok;
}

// Random-write steady state: precondition (sequential fill of the whole user
// capacity), then 4 KiB random writes over it; per chunk the IOPS, the write
// amplification of that chunk and GC relocations. The capacity is scaled down
// (fewer, shorter blocks) so the run reaches steady state quickly; every
// timing and the over-provisioning ratio are the profile's.
bool ReportSteadyState(const char* name, uint32_t qd) {
  ProfileLoad l = LoadProfile(g_dir + "/" + name + ".toml");
  if (!l.ok()) return false;
  MediaProfile p = l.profile;
  // Blocks 1/96 as long (erase time scaled alike, so erase cost per page is
  // kept), 500 of them per plane.
  const uint32_t pages = 4 * p.nand.pages_per_program;
  p.nand.t_erase_ns = p.nand.t_erase_ns * pages / p.nand.pages_per_block;
  p.nand.pages_per_block = pages;
  p.nand.blocks_per_plane = 500;
  const std::string e = ValidateProfile(p);
  if (!e.empty()) {
    std::printf("%s\n", e.c_str());
    return false;
  }
  MediaModel m(p);
  const uint64_t user = m.UserCapacityBytes() / 4096 * 4096;
  m.Fill(1, 0, user / 4096, 4096);
  ClosedLoop loop(m, LinkOf(p));
  const uint64_t units = user / 4096;
  const uint64_t chunk = std::max<uint64_t>(units / 40, 20'000);
  const int chunks = g_quick ? 60 : 120;
  std::printf(
      "\nprofile %s: random-write knee (capacity scaled to %.2f GiB user, OP %.0f%%, QD %u)\n",
      name, static_cast<double>(user) / kGiB, p.ftl.over_provisioning * 100, qd);
  std::printf("  %5s %10s %10s %8s %12s\n", "chunk", "time_ms", "MIOPS", "WA", "gc_units");
  MediaStats prev = m.Stats();
  std::vector<double> iops, wa;
  for (int i = 0; i < chunks; ++i) {
    LoopWorkload w;
    w.write = true;
    w.random = true;
    w.queue_depth = qd;
    w.span_bytes = user;
    w.ios = chunk;
    w.seed = 1000 + i;
    const LoopResult r = loop.Run(w);
    const MediaStats s = m.Stats();
    const double host = static_cast<double>(s.ftl.host_units - prev.ftl.host_units);
    const double gc = static_cast<double>(s.ftl.gc_units - prev.ftl.gc_units);
    const double pad = static_cast<double>(s.ftl.pad_units - prev.ftl.pad_units);
    const double a = host ? (host + gc + pad) / host : 1.0;
    iops.push_back(r.iops);
    wa.push_back(a);
    if (i < 16 || i % 4 == 0 || i == chunks - 1)
      std::printf("  %5d %10.2f %10.3f %8.2f %12.0f\n", i, static_cast<double>(loop.now_ps()) / 1e9,
                  r.iops / 1e6, a, gc);
    prev = s;
  }
  // FOB: the first chunks, before GC starts; steady: the last quarter.
  double fob = 0;
  for (int i = 0; i < 3; ++i) fob = std::max(fob, iops[i]);
  double st = 0, swa = 0;
  const int q = chunks / 4;
  for (int i = chunks - q; i < chunks; ++i) {
    st += iops[i] / q;
    swa += wa[i] / q;
  }
  const double predicted = fob / swa;
  const double dev = (st - predicted) / predicted;
  std::printf(
      "  FOB %.3f MIOPS, steady %.3f MIOPS (FOB/steady %.2f), steady WA %.2f (cumulative "
      "%.2f): FOB/WA = %.3f MIOPS, steady is %+.1f%% of that (the rest: GC reads on the "
      "channels and dies)\n",
      fob / 1e6, st / 1e6, fob / st, swa, m.Stats().ftl.WriteAmplification(), predicted / 1e6,
      100 * dev);
  // Steady state is at least WA times below FOB (GC reads cost extra on top).
  return st <= predicted * 1.05 && st >= predicted * 0.5;
}

// --- simulator speed ---------------------------------------------------------

MediaProfile TargetProfile() {
  ProfileLoad l = LoadProfile(g_dir + "/target.toml");
  if (!l.ok()) {
    std::fprintf(stderr, "%s\n", l.error.c_str());
    std::exit(1);
  }
  return l.profile;
}

void BM_MediaRandomRead(benchmark::State& state) {
  MediaModel m(TargetProfile());
  m.Fill(1, 0, (4 * kGiB) / 4096, 4096);
  uint64_t now = 0, x = 1;
  MediaOp op;
  op.kind = MediaOp::Kind::kRead;
  op.nsid = 1;
  op.nlb = 1;
  op.bytes = 4096;
  for (auto _ : state) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    op.slba = (x >> 20) % ((4 * kGiB) / 4096);
    benchmark::DoNotOptimize(m.LatencyPs(op, now));
    now += 500'000;  // 2M commands per simulated second
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MediaRandomRead);

void BM_MediaRandomWrite(benchmark::State& state) {
  MediaModel m(TargetProfile());
  uint64_t now = 0, x = 1;
  MediaOp op;
  op.kind = MediaOp::Kind::kWrite;
  op.nsid = 1;
  op.nlb = 1;
  op.bytes = 4096;
  for (auto _ : state) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    op.slba = (x >> 20) % ((16 * kGiB) / 4096);
    benchmark::DoNotOptimize(m.LatencyPs(op, now));
    now += 550'000;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["WA"] = m.Stats().ftl.WriteAmplification();
}
BENCHMARK(BM_MediaRandomWrite);

// LatencyPs per 4 KiB command on the target profile with 4 GiB filled (as the
// whole-stack benchmark sets it up): random reads and writes over the filled
// span, `range(0)` percent of them reads, 2M commands per simulated second.
void BM_MediaFilledRandom(benchmark::State& state) {
  const uint64_t span = (4 * kGiB) / 4096;
  MediaModel m(TargetProfile());
  m.Fill(1, 0, span, 4096);
  const uint64_t read_pct = static_cast<uint64_t>(state.range(0));
  uint64_t now = 0, x = 7;
  MediaOp op;
  op.nsid = 1;
  op.nlb = 1;
  op.bytes = 4096;
  for (auto _ : state) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    op.slba = (x >> 20) % span;
    op.kind = (x >> 56) % 100 < read_pct ? MediaOp::Kind::kRead : MediaOp::Kind::kWrite;
    benchmark::DoNotOptimize(m.LatencyPs(op, now));
    now += 500'000;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["WA"] = m.Stats().ftl.WriteAmplification();
}
BENCHMARK(BM_MediaFilledRandom)->Arg(100)->Arg(0)->Arg(70);

// Whole closed loop (link + media), 4 KiB random reads at QD 128.
void BM_ClosedLoopRandomReadQd128(benchmark::State& state) {
  MediaModel m(TargetProfile());
  m.Fill(1, 0, (4 * kGiB) / 4096, 4096);
  ClosedLoop loop(m, LinkOf(m.profile()));
  LoopWorkload w;
  w.queue_depth = 128;
  w.span_bytes = 4 * kGiB;
  w.ios = 10'000;
  for (auto _ : state) {
    ++w.seed;
    benchmark::DoNotOptimize(loop.Run(w).iops);
  }
  state.SetItemsProcessed(state.iterations() * w.ios);
}
BENCHMARK(BM_ClosedLoopRandomReadQd128);

}  // namespace
}  // namespace nvmesim::device::media

int main(int argc, char** argv) {
  using namespace nvmesim::device::media;
  bool report_only = false;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      g_quick = true;
    } else if (!std::strcmp(argv[i], "--report_only")) {
      report_only = true;
    } else if (!std::strncmp(argv[i], "--only=", 7)) {
      g_only = argv[i] + 7;
    } else if (!std::strncmp(argv[i], "--profiles=", 11)) {
      g_dir = argv[i] + 11;
    } else {
      rest.push_back(argv[i]);
    }
  }
  bool ok = true;
  for (const Datasheet& d : kSheets)
    if (Want(d.profile)) ok &= ReportProfile(d);
  if (Want("unlimited")) ok &= ReportUnlimited();
  if (Want("steady")) ok &= ReportSteadyState("target", 256);
  std::printf("\nmodel vs datasheet: %s\n\n",
              ok ? "all within tolerance" : "SOME OUT OF TOLERANCE");
  if (report_only) return ok ? 0 : 1;
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  return ok ? 0 : 1;
}
