// A simulated machine with one controller and one zoned namespace (NSID 1):
// the ZNS command set attached to the device model, the driver booted
// through PCIe, and the zoned namespace manager discovered on top.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "device_model/zns/zns_command_set.h"
#include "driver/zoned/zone_io.h"
#include "driver/zoned/zone_manager.h"
#include "harness/system/sim_system.h"

namespace nvmesim::testing {

struct ZnsRigOptions {
  uint32_t zones = 16;
  uint64_t zone_lbas = 1024;  // 4 MiB zones of 4 KiB blocks
  uint64_t zone_cap = 1024;
  uint32_t mor = 4, mar = 8;  // counts (Identify reports them 0's based)
  uint32_t queues = 8, depth = 64;
  bool volatile_cache = false;
  uint64_t reset_ps = 0;  // media erase per zone reset
  pcie::Fidelity fidelity = pcie::Fidelity::kApproximate;
  device::MediaTiming* media = nullptr;
};

class ZnsRig {
 public:
  explicit ZnsRig(const ZnsRigOptions& o) : options_(o) {
    harness::SimSystemSpec spec;
    spec.fidelity = o.fidelity;
    device::SubsystemConfig sub;
    sub.namespaces[0].size_lbas = uint64_t{o.zones} * o.zone_lbas;
    sub.namespaces[0].lba_bytes = 4096;
    sub.namespaces[0].csi = 2;  // Zoned (Base 2.0 Figure 286)
    sub.namespaces[0].volatile_write_cache = o.volatile_cache;
    spec.subsystems.push_back(sub);
    harness::SimControllerSpec ctrl;
    ctrl.device.name = "ctrl0";
    ctrl.device.media = o.media;
    spec.controllers.push_back(ctrl);
    spec.driver.config.queue_count = o.queues;
    spec.driver.config.queue_depth = o.depth;
    spec.echo = stderr;
    system_ = std::make_unique<harness::SimSystem>(spec);
    device::zns::ZnsCommandSetConfig zc;
    zc.defaults.zone_size_lbas = o.zone_lbas;
    zc.defaults.zone_capacity_lbas = o.zone_cap;
    zc.defaults.max_open_zones = o.mor;
    zc.defaults.max_active_zones = o.mar;
    if (o.reset_ps != 0) {
      const uint64_t ps = o.reset_ps;
      zc.media.reset = [ps](uint32_t, uint64_t, uint64_t) { return ps; };
    }
    zns_ = std::make_unique<device::zns::ZnsCommandSet>(system_->subsystem(0), zc);
    zns_->Attach(system_->device(0));
  }

  // Boots, discovers the zoned namespace, then runs `body` on the host CPU.
  void Run(std::function<void()> body, double seconds = 10) {
    system_->Boot([this, body](spec::Status s) {
      boot_status_ = s;
      if (!s.ok()) return system_->cpu().Halt();
      io_ =
          std::make_unique<driver::zoned::ControllerZoneIo>(*system_->driver(0), &system_->clock());
      driver::zoned::ZoneManagerOptions zo;
      zo.config.zns_enabled = true;
      zo.config.zns_zone_size = options_.zone_lbas * 4096;
      zo.zone_notices_supported =
          (system_->driver(0)->info().oaes >> 27) & 1;  // OAES bit 27 (ZNS 1.1)
      manager_ = std::make_unique<driver::zoned::ZoneManager>(io_.get(), zo);
      system_->driver(0)->SetAsyncEventHandler(
          [this](uint32_t dw0) { manager_->OnAsyncEvent(dw0); });
      manager_->Discover([this, body](spec::Status d) {
        discover_status_ = d;
        if (!d.ok()) return system_->cpu().Halt();
        body();
      });
    });
    sc_core::sc_start(sc_core::sc_time(seconds, sc_core::SC_SEC));
  }
  void Halt() { system_->cpu().Halt(); }

  harness::SimSystem& system() { return *system_; }
  device::zns::ZnsCommandSet& zns() { return *zns_; }
  driver::zoned::ZoneManager& manager() { return *manager_; }
  driver::Controller& driver() { return *system_->driver(0); }
  const spec::Status& boot_status() const { return boot_status_; }
  const spec::Status& discover_status() const { return discover_status_; }
  // One 4 KiB block of DMA memory per slot.
  driver::hal::DmaBuffer Alloc(size_t bytes) { return system_->dma().Allocate(bytes, 4096); }

 private:
  ZnsRigOptions options_;
  std::unique_ptr<harness::SimSystem> system_;
  std::unique_ptr<device::zns::ZnsCommandSet> zns_;
  std::unique_ptr<driver::zoned::ControllerZoneIo> io_;
  std::unique_ptr<driver::zoned::ZoneManager> manager_;
  spec::Status boot_status_{spec::GenericStatus::kInternalError};
  spec::Status discover_status_{spec::GenericStatus::kInternalError};
};

// Block stamp: the tag (who wrote it) in every 8-byte word of the block.
inline void Stamp(uint8_t* block, uint64_t tag) {
  for (int i = 0; i < 4096 / 8; ++i) std::memcpy(block + 8 * i, &tag, 8);
}
inline bool HasStamp(const uint8_t* block, uint64_t tag) {
  for (int i = 0; i < 4096 / 8; ++i) {
    if (std::memcmp(block + 8 * i, &tag, 8) != 0) return false;
  }
  return true;
}

}  // namespace nvmesim::testing
