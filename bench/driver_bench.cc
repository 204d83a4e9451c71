// Driver core speed in host nanoseconds: the submit path (build SQE + PRP,
// CID allocation, SQ write, doorbell) and the completion path (CQE phase
// check, CID match, retry rules, callback, CQ doorbell). The device side is
// the driver's test controller behind a direct (non-mock) MMIO; its work is
// excluded from the timed regions. Targets: submit <= 300 ns, completion
// <= 200 ns per command.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

#include "driver/controller.h"
#include "driver/testing/fake_controller.h"
#include "driver/testing/fake_platform.h"

namespace nvmesim::driver {
namespace {

class DirectMmio final : public hal::Mmio {
 public:
  explicit DirectMmio(testing::FakeNvmeController* dev) : dev_(dev) {}
  uint32_t Read32(uint64_t o) override { return dev_->Read32(o); }
  uint64_t Read64(uint64_t o) override { return dev_->Read64(o); }
  void Write32(uint64_t o, uint32_t v) override { dev_->Write32(o, v); }
  void Write64(uint64_t o, uint64_t v) override { dev_->Write64(o, v); }

 private:
  testing::FakeNvmeController* dev_;
};

class NullLog final : public hal::Log {
 public:
  void Write(hal::LogLevel, std::string_view) override {}
  void Trace(const spec::TraceEvent&) override {}
};

constexpr int kBatch = 1024;

struct Bench {
  Bench() {
    testing::FakeControllerConfig cfg;
    cfg.mqes = 4095;
    cfg.nsze = 1 << 20;
    cfg.lba_shift = 12;
    dev = std::make_unique<testing::FakeNvmeController>(dma, clock, irq, cfg);
    mmio = std::make_unique<DirectMmio>(dev.get());
    ControllerOptions opt;
    opt.config.queue_count = 1;
    opt.config.queue_depth = 4096;
    opt.use_interrupts = false;
    opt.register_poll_ns = 1000;
    ctrl = std::make_unique<Controller>(hal::Platform{mmio.get(), &dma, &irq, &clock, &log}, opt);
    bool ready = false;
    ctrl->Start([&](spec::Status s) { ready = s.ok(); });
    while (!ready) {
      dev->Process();
      ctrl->Poll();
      if (!ready && clock.has_timers()) clock.FireNext();
    }
    data = dma.Allocate(4096, 4096);
    seg = {data.bus, 4096};
    req.op = BlockOp::kRead;
    req.blocks = 1;
    req.segments = &seg;
    req.segment_count = 1;
  }
  void Drain() {
    dev->Process();
    ctrl->Poll();
  }

  testing::FakeClock clock;
  testing::FakeDma dma;
  testing::FakeInterrupts irq{0};
  NullLog log;
  std::unique_ptr<testing::FakeNvmeController> dev;
  std::unique_ptr<DirectMmio> mmio;
  std::unique_ptr<Controller> ctrl;
  hal::DmaBuffer data;
  DataSegment seg;
  BlockRequest req;
  uint64_t completed = 0;
};

void BM_Submit4KRead(benchmark::State& state) {
  Bench b;
  const bool batched = state.range(0) != 0;
  for (auto _ : state) {
    if (batched) b.ctrl->BeginBatch();
    for (int i = 0; i < kBatch; ++i) {
      b.req.slba = static_cast<uint64_t>(i);
      b.ctrl->Submit(b.req, [&b](const BlockResult&) { ++b.completed; });
    }
    if (batched) b.ctrl->EndBatch();
    state.PauseTiming();
    b.Drain();
    state.ResumeTiming();
  }
  if (b.completed != static_cast<uint64_t>(state.iterations()) * kBatch) {
    state.SkipWithError("not every submitted command completed");
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["ns_per_submit"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kBatch),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Submit4KRead)->Arg(0)->Arg(1);

void BM_Complete4KRead(benchmark::State& state) {
  Bench b;
  for (auto _ : state) {
    state.PauseTiming();
    b.ctrl->BeginBatch();
    for (int i = 0; i < kBatch; ++i) {
      b.ctrl->Submit(b.req, [&b](const BlockResult&) { ++b.completed; });
    }
    b.ctrl->EndBatch();
    b.dev->Process();  // CQEs posted, not yet reaped
    state.ResumeTiming();
    benchmark::DoNotOptimize(b.ctrl->Poll());
  }
  if (b.completed != static_cast<uint64_t>(state.iterations()) * kBatch) {
    state.SkipWithError("not every submitted command completed");
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["ns_per_completion"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kBatch),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Complete4KRead);

}  // namespace
}  // namespace nvmesim::driver

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf(
      "targets: submit <= 300 ns per command, completion <= 200 ns per command "
      "(ns_per_submit / ns_per_completion counters, in seconds)\n");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
