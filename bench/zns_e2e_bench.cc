// Zone Append vs Write throughput in simulated time, end to end (driver
// zoned manager -> PCIe model -> device ZNS command set). Writes are limited
// to one in flight per zone (the zone write lock); appends run at the depth
// asked for. Each case runs in its own process (one SystemC simulation per
// process) and prints simulated MB/s and IOPS.
//
//   bazel run -c opt //bench:zns_e2e_bench [-- --blocks N]

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/in_child.h"
#include "device_model/media/media_model.h"
#include "device_model/media/profile_loader.h"
#include "device_model/media_timing.h"
#include "device_model/zns/zns_command_set.h"
#include "device_model/zns/zns_media.h"
#include "driver/zoned/zone_io.h"
#include "driver/zoned/zone_manager.h"
#include "harness/system/sim_system.h"

namespace {

using namespace nvmesim;

struct Case {
  const char* name;
  bool append;
  uint32_t zones;
  uint32_t depth_per_zone;
};

struct Result {
  double mb_per_s = 0, iops = 0, sim_ms = 0;
  uint64_t ops = 0, errors = 0;
};

constexpr uint64_t kZoneLbas = 16384;  // 64 MiB zones of 4 KiB blocks
constexpr uint32_t kBlocksPerOp = 16;  // 64 KiB per command
// Media cost per command (modelled, not a spec figure): 20 us per write,
// charged once per command with no die contention (device::FixedMediaTiming),
// so the figures show the protocol effect: one write in flight per zone
// against appends at depth. Reads are not measured.
constexpr uint64_t kWritePs = 20'000'000;

// nand: the NAND/FTL media model of scenarios/profiles/target.toml instead of
// the fixed per-command cost.
Result Measure(const Case& c, uint64_t ops_per_zone, bool nand) {
  harness::SimSystemSpec spec;
  device::SubsystemConfig sub;
  sub.namespaces[0].size_lbas = kZoneLbas * 8;
  sub.namespaces[0].csi = 2;
  spec.subsystems.push_back(sub);
  device::FixedMediaTiming fixed(0, kWritePs);
  std::unique_ptr<device::media::MediaModel> model;
  if (nand) {
    const device::media::ProfileLoad load =
        device::media::LoadProfile("scenarios/profiles/target.toml");
    if (!load.ok()) {
      std::fprintf(stderr, "%s\n", load.error.c_str());
      std::exit(1);
    }
    model = std::make_unique<device::media::MediaModel>(load.profile);
    model->ConfigureZoned(1, kZoneLbas, 4096);
  }
  harness::SimControllerSpec ctrl;
  ctrl.device.name = "ctrl0";
  ctrl.device.media = nand ? static_cast<device::MediaTiming*>(model.get()) : &fixed;
  spec.controllers.push_back(ctrl);
  spec.driver.config.queue_count = 8;
  spec.driver.config.queue_depth = 64;
  harness::SimSystem system(spec);
  device::zns::ZnsCommandSetConfig zc;
  zc.defaults.zone_size_lbas = kZoneLbas;
  zc.defaults.zone_capacity_lbas = kZoneLbas;
  zc.defaults.max_open_zones = 8;
  zc.defaults.max_active_zones = 8;
  if (nand) zc.media = device::zns::MediaModelZoneCost(*model);
  device::zns::ZnsCommandSet zns(system.subsystem(0), zc);
  zns.Attach(system.device(0));

  std::unique_ptr<driver::zoned::ControllerZoneIo> io;
  std::unique_ptr<driver::zoned::ZoneManager> zm;
  driver::hal::DmaBuffer buf;
  driver::DataSegment seg{};
  Result r;
  uint64_t start_ns = 0, end_ns = 0, remaining = 0;
  std::vector<uint64_t> left(c.zones, ops_per_zone);
  std::function<void(uint32_t, uint16_t)> issue = [&](uint32_t z, uint16_t q) {
    if (left[z] == 0) {
      if (--remaining == 0) {
        end_ns = system.clock().NowNs();
        system.cpu().Halt();
      }
      return;
    }
    --left[z];
    auto done = [&, z, q](spec::Status st, uint64_t) {
      ++r.ops;
      if (!st.ok()) ++r.errors;
      issue(z, q);
    };
    if (c.append) {
      zm->Append(1, z, kBlocksPerOp, &seg, 1, q, done);
    } else {
      zm->WriteAtPointer(1, z, kBlocksPerOp, &seg, 1, done);
    }
  };
  system.Boot([&](spec::Status s) {
    if (!s.ok()) return system.cpu().Halt();
    io = std::make_unique<driver::zoned::ControllerZoneIo>(*system.driver(0), &system.clock());
    driver::zoned::ZoneManagerOptions zo;
    zo.config.zns_enabled = true;
    zo.config.zns_zone_size = kZoneLbas * 4096;
    zo.zone_notices_supported = (system.driver(0)->info().oaes >> 27) & 1;  // OAES bit 27 (ZNS 1.1)
    zm = std::make_unique<driver::zoned::ZoneManager>(io.get(), zo);
    buf = system.dma().Allocate(kBlocksPerOp * 4096, 4096);
    seg = {buf.bus, static_cast<uint32_t>(buf.size)};
    zm->Discover([&](spec::Status d) {
      if (!d.ok()) return system.cpu().Halt();
      start_ns = system.clock().NowNs();
      remaining = uint64_t{c.zones} * c.depth_per_zone;
      for (uint32_t z = 0; z < c.zones; ++z) {
        for (uint32_t k = 0; k < c.depth_per_zone; ++k)
          issue(z, static_cast<uint16_t>(z * c.depth_per_zone + k));
      }
    });
  });
  sc_core::sc_start(sc_core::sc_time(100, sc_core::SC_SEC));
  const double secs = static_cast<double>(end_ns - start_ns) / 1e9;
  if (end_ns > start_ns) {
    r.sim_ms = secs * 1e3;
    r.iops = static_cast<double>(r.ops) / secs;
    r.mb_per_s = r.iops * kBlocksPerOp * 4096 / 1e6;
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t ops = 512;  // per zone: 32 MiB, half a zone
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--blocks") == 0)
      ops = std::strtoull(argv[i + 1], nullptr, 10) / kBlocksPerOp;
  }
  const Case cases[] = {
      {"write  QD1/zone, 1 zone ", false, 1, 1}, {"append QD1/zone, 1 zone ", true, 1, 1},
      {"write  QD1/zone, 4 zones", false, 4, 1}, {"append QD1/zone, 4 zones", true, 4, 1},
      {"append QD8/zone, 1 zone ", true, 1, 8},  {"append QD8/zone, 4 zones", true, 4, 8},
  };
  for (const bool nand : {false, true}) {
    if (nand) {
      std::printf("\nmedia: NAND/FTL model, scenarios/profiles/target.toml\n");
    } else {
      std::printf(
          "64 KiB commands, %llu per zone; media: fixed %.0f us per write command (modelled)\n",
          static_cast<unsigned long long>(ops), kWritePs / 1e6);
    }
    std::printf("%-26s %12s %12s %10s %8s\n", "case", "MB/s (sim)", "IOPS (sim)", "sim ms",
                "errors");
    for (const Case& c : cases) {
      // The zone's streams share its ops.
      const std::optional<Result> got =
          nvmesim::bench::RunInChild<Result>([&] { return Measure(c, ops, nand); });
      if (!got) {
        std::printf("%-26s failed\n", c.name);
        continue;
      }
      const Result& r = *got;
      std::printf("%-26s %12.1f %12.0f %10.2f %8llu\n", c.name, r.mb_per_s, r.iops, r.sim_ms,
                  static_cast<unsigned long long>(r.errors));
    }
  }
  return 0;
}
