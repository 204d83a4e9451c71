// Simulation speed of the whole stack: driver core + HAL shim + PCIe model +
// device model, 4 KiB random reads at queue depth 128 on 4 I/O queues, with
// the NAND/FTL/cache timing of a device profile (--profile; the namespace is
// filled first so every read finds mapped data on NAND) or with media timing
// off (--profile none). Prints simulated commands per host second for each
// fidelity level (each level in its own process: one SystemC simulation per
// process). "Host second" is CPU time of the measuring process (the machine is
// shared; wall time is printed beside it).
//
//   bazel run -c opt //bench:stack_bench [-- --commands N] [--fidelity
//   functional|approximate|cycle] [--profile PATH|none]
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "bench/in_child.h"
#include "device_model/media/media_model.h"
#include "device_model/media/profile_loader.h"
#include "harness/system/sim_system.h"

namespace {

using namespace nvmesim;

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Result {
  double commands_per_second = 0;
  double commands_per_wall_second = 0;
  double simulated_iops = 0;
  uint64_t commands = 0;
  // Per completed command: how often each layer was entered (after boot).
  double engine_activations = 0;
  double interrupts = 0;
  double cpu_tasks = 0;
};

constexpr uint64_t kNamespaceLbas = uint64_t{1} << 20;  // 4 GiB of 4 KiB blocks (sparse)

Result Measure(pcie::Fidelity fidelity, uint64_t total, const std::string& profile_path) {
  harness::SimSystemSpec spec;
  spec.fidelity = fidelity;
  device::SubsystemConfig sub;
  sub.namespaces[0].size_lbas = kNamespaceLbas;
  spec.subsystems.push_back(sub);
  harness::SimControllerSpec ctrl;
  ctrl.device.name = "ctrl0";
  if (profile_path != "none") {
    const device::media::ProfileLoad load = device::media::LoadProfile(profile_path);
    if (!load.ok()) {
      std::fprintf(stderr, "%s\n", load.error.c_str());
      std::exit(1);
    }
    auto model = std::make_shared<device::media::MediaModel>(load.profile);
    model->Fill(1, 0, kNamespaceLbas, 4096);  // reads find data on NAND
    ctrl.media = model;
  }
  spec.controllers.push_back(ctrl);
  spec.driver.config.queue_count = 4;
  spec.driver.config.queue_depth = 256;
  harness::SimSystem system(spec);

  constexpr uint32_t kDepth = 128;
  struct Slot {
    driver::hal::DmaBuffer buf;
    driver::DataSegment seg;
    driver::BlockRequest req;
  };
  std::vector<Slot> slots(kDepth);
  std::chrono::steady_clock::time_point t0;
  double cpu0 = 0;
  uint64_t sim_start_ps = 0;
  uint64_t activations0 = 0, interrupts0 = 0, tasks0 = 0;
  // The closed loop's state sits behind one pointer so each completion
  // callback captures two pointers and fits std::function without a heap
  // allocation, as a block-layer caller's would.
  struct Loop {
    harness::SimSystem* system;
    uint64_t total;
    uint64_t issued = 0, completed = 0, lcg = 12345, sim_end_ps = 0;
    void Issue(Slot& s) {
      lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
      s.req.slba = (lcg >> 20) % kNamespaceLbas;
      ++issued;
      system->driver(0)->Submit(
          s.req, [loop = this, sp = &s](const driver::BlockResult&) { loop->Completed(*sp); });
    }
    void Completed(Slot& s) {
      ++completed;
      if (issued < total) {
        Issue(s);
      } else if (completed == total) {
        sim_end_ps = static_cast<uint64_t>(sc_core::sc_time_stamp().value());
        system->cpu().Halt();
        sc_core::sc_stop();
      }
    }
  } loop{&system, total};
  system.Boot([&](spec::Status st) {
    if (!st.ok()) {
      std::fprintf(stderr, "boot failed: %s\n", st.ToString().c_str());
      std::exit(1);
    }
    for (size_t i = 0; i < slots.size(); ++i) {
      Slot& s = slots[i];
      // Four submitters of QD 32, each on its own queue (a job per CPU):
      // a completion's next read goes to the queue it came from.
      s.req.queue = static_cast<uint16_t>(i % 4);
      s.buf = system.dma().Allocate(4096, 4096);
      s.seg = {s.buf.bus, 4096};
      s.req.op = driver::BlockOp::kRead;
      s.req.blocks = 1;
      s.req.segments = &s.seg;
      s.req.segment_count = 1;
    }
    t0 = std::chrono::steady_clock::now();
    cpu0 = CpuSeconds();
    sim_start_ps = static_cast<uint64_t>(sc_core::sc_time_stamp().value());
    activations0 = system.device(0).stats().engine_activations;
    interrupts0 = system.device(0).stats().interrupts_sent;
    tasks0 = system.cpu().tasks_run();
    system.driver(0)->BeginBatch();
    for (auto& s : slots) loop.Issue(s);
    system.driver(0)->EndBatch();
  });
  sc_core::sc_start();
  const double cpu_s = CpuSeconds() - cpu0;
  const double host_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Result r;
  r.commands = loop.completed;
  r.commands_per_second = static_cast<double>(loop.completed) / cpu_s;
  r.commands_per_wall_second = static_cast<double>(loop.completed) / host_s;
  const double sim_s = static_cast<double>(loop.sim_end_ps - sim_start_ps) / 1e12;
  r.simulated_iops = sim_s > 0 ? static_cast<double>(loop.completed) / sim_s : 0;
  const double n = loop.completed > 0 ? static_cast<double>(loop.completed) : 1;
  r.engine_activations =
      static_cast<double>(system.device(0).stats().engine_activations - activations0) / n;
  r.interrupts = static_cast<double>(system.device(0).stats().interrupts_sent - interrupts0) / n;
  r.cpu_tasks = static_cast<double>(system.cpu().tasks_run() - tasks0) / n;
  return r;
}

// The data movement every 4 KiB read must do however fast the rest is: one
// 4 KiB copy into one of the benchmark's 128 host buffers (a 512 KiB set),
// in CPU nanoseconds. A floor for any fidelity's cost per command.
double CopyFloorNs() {
  constexpr size_t kBuffers = 128, kBytes = 4096, kCopies = 2'000'000;
  std::vector<uint8_t> host(kBuffers * kBytes), source(kBytes, 0x5A);
  const double t0 = CpuSeconds();
  for (size_t i = 0; i < kCopies; ++i) {
    std::memcpy(&host[(i * 37 % kBuffers) * kBytes], source.data(), kBytes);
    asm volatile("" : : "r"(host.data()) : "memory");  // keep every copy
  }
  return (CpuSeconds() - t0) * 1e9 / kCopies;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t commands = 400000;
  const char* only = nullptr;
  std::string profile = "scenarios/profiles/target.toml";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--commands") == 0) commands = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--fidelity") == 0) only = argv[i + 1];
    if (std::strcmp(argv[i], "--profile") == 0) profile = argv[i + 1];
  }
  std::printf(
      "whole stack: 4 KiB random reads, QD 128 over 4 queues, media timing: %s, %llu commands\n",
      profile == "none" ? "off" : profile.c_str(), static_cast<unsigned long long>(commands));
  const double floor_ns = CopyFloorNs();
  std::printf(
      "floor: one 4 KiB copy into the 128 host buffers takes %.0f ns (%.1f M copies / CPU "
      "second)\n",
      floor_ns, 1e3 / floor_ns);
  std::printf("%-12s %22s %22s %20s\n", "fidelity", "commands/CPU second", "commands/wall second",
              "simulated IOPS");
  const struct {
    const char* name;
    pcie::Fidelity f;
  } levels[] = {{"functional", pcie::Fidelity::kFunctional},
                {"approximate", pcie::Fidelity::kApproximate},
                {"cycle", pcie::Fidelity::kCycle}};
  for (const auto& level : levels) {
    if (only != nullptr && std::strcmp(only, level.name) != 0) continue;
    const std::optional<Result> got =
        nvmesim::bench::RunInChild<Result>([&] { return Measure(level.f, commands, profile); });
    if (!got) {
      std::printf("%-12s %22s\n", level.name, "failed");
      continue;
    }
    const Result& r = *got;
    std::printf("%-12s %22.0f %22.0f %20.0f\n", level.name, r.commands_per_second,
                r.commands_per_wall_second, r.simulated_iops);
    std::printf("%-12s per command: %.3f engine activations, %.3f MSI-X, %.3f host CPU tasks\n", "",
                r.engine_activations, r.interrupts, r.cpu_tasks);
  }
  return 0;
}
