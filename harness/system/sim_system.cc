#include "harness/system/sim_system.h"

#include <stdexcept>
#include <utility>

#include "device_model/media/media_model.h"
#include "device_model/zns/zns_media.h"

namespace nvmesim::harness {

std::string ValidateSystemSpec(const SimSystemSpec& spec) {
  if (spec.controllers.empty()) return "system: at least one controller is required";
  if (spec.subsystems.empty()) return "system: at least one subsystem is required";
  for (size_t i = 0; i < spec.subsystems.size(); ++i) {
    if (std::string e = device::ValidateSubsystemConfig(spec.subsystems[i]); !e.empty()) {
      return "subsystem " + std::to_string(i) + ": " + e;
    }
  }
  for (size_t i = 0; i < spec.controllers.size(); ++i) {
    const SimControllerSpec& c = spec.controllers[i];
    const std::string who = "controller " + std::to_string(i) + " (" + c.device.name + ")";
    if (c.subsystem >= spec.subsystems.size()) {
      return who + ": subsystem index " + std::to_string(c.subsystem) + " does not exist";
    }
    if (std::string e = device::ValidateControllerConfig(c.device); !e.empty()) {
      return who + ": " + e;
    }
    if (std::string e = pcie::ValidateLinkConfig(c.link); !e.empty()) return who + ": " + e;
    if (c.thermal) {
      if (std::string e = device::thermal::ValidateThermalConfig(*c.thermal); !e.empty()) {
        return who + ": thermal: " + e;
      }
    }
    if (c.thermal_manager && c.thermal_manager->tmt1 != 0 && c.thermal_manager->tmt2 != 0 &&
        c.thermal_manager->tmt1 >= c.thermal_manager->tmt2) {
      // With both set TMT1 < TMT2 (base 2.0 5.27.1.16).
      return who + ": thermal manager: tmt1 must be below tmt2";
    }
    for (size_t j = 0; j < i; ++j) {
      const SimControllerSpec& o = spec.controllers[j];
      if (o.subsystem == c.subsystem && o.device.cntlid == c.device.cntlid) {
        return who + ": cntlid " + std::to_string(c.device.cntlid) +
               " is already used in its subsystem";
      }
    }
  }
  return "";
}

SimSystem::SimSystem(const SimSystemSpec& spec) : spec_(spec) {
  if (std::string e = ValidateSystemSpec(spec_); !e.empty()) throw std::invalid_argument(e);
  cpu_ = std::make_unique<HostCpu>("host0_cpu");
  pcie::RootComplexConfig rc_cfg = spec_.root_complex;
  rc_cfg.ports = static_cast<unsigned>(spec_.controllers.size());
  rc_ = std::make_unique<pcie::RootComplex>("host0_rc", rc_cfg, spec_.trace);
  bus_ = std::make_unique<CpuBus>("host0_bus");
  bus_->socket.bind(rc_->cpu_target);
  enumerator_ = std::make_unique<pcie::Enumerator>(*rc_);
  dma_ = std::make_unique<SimDmaMemory>(rc_->memory());
  clock_ = std::make_unique<SimClock>(*cpu_);
  for (const auto& s : spec_.subsystems)
    subsystems_.push_back(std::make_unique<device::Subsystem>(s));

  slots_.resize(spec_.controllers.size());
  for (size_t i = 0; i < spec_.controllers.size(); ++i) {
    const SimControllerSpec& c = spec_.controllers[i];
    Slot& slot = slots_[i];
    pcie::LinkConfig link_cfg = c.link;
    link_cfg.fidelity = spec_.fidelity;
    const std::string& link_name = names_.emplace_back("link" + std::to_string(i));
    slot.link = std::make_unique<pcie::Link>(link_name.c_str(), link_cfg, spec_.trace);
    device::ControllerConfig dev_cfg = c.device;
    if (dev_cfg.trace == nullptr) dev_cfg.trace = spec_.trace;
    // Loosely timed levels post the completions of one engine quantum
    // together; cycle posts each at its own time.
    dev_cfg.completion_window_ps =
        spec_.fidelity == pcie::Fidelity::kCycle ? 0 : device::kEngineQuantumPs;
    if (c.media) dev_cfg.media = c.media.get();
    if (c.thermal) {
      slot.thermal = std::make_unique<device::thermal::ThermalModel>(*c.thermal);
      dev_cfg.thermal = slot.thermal.get();
    }
    slot.device = std::make_unique<device::NvmeController>(dev_cfg.name.c_str(), dev_cfg,
                                                           *subsystems_[c.subsystem]);
    rc_->port(static_cast<unsigned>(i)).downstream.bind(slot.link->down_target);
    slot.link->down_initiator.bind(slot.device->pcie_target);
    slot.device->pcie_initiator.bind(slot.link->up_target);
    slot.link->up_initiator.bind(rc_->port(static_cast<unsigned>(i)).upstream);
  }
  for (const auto& [index, cfg] : spec_.zns) {
    if (index >= subsystems_.size())
      throw std::invalid_argument("zns: no subsystem " + std::to_string(index));
    device::zns::ZnsCommandSetConfig zcfg = cfg;
    // A NAND/FTL media model behind the subsystem lays zones on whole
    // superblocks: a zone reset erases them, a finish programs what is buffered.
    for (size_t i = 0; i < slots_.size(); ++i) {
      auto* model = dynamic_cast<device::media::MediaModel*>(spec_.controllers[i].media.get());
      if (spec_.controllers[i].subsystem != index || model == nullptr) continue;
      for (const auto& [nsid, ns] : subsystems_[index]->namespaces()) {
        if (ns->csi() != device::zns::kCsiZoned) continue;
        auto it = zcfg.per_namespace.find(nsid);
        const uint64_t zone_lbas = it != zcfg.per_namespace.end() ? it->second.zone_size_lbas
                                                                  : zcfg.defaults.zone_size_lbas;
        if (zone_lbas != 0) model->ConfigureZoned(nsid, zone_lbas, ns->lba_bytes());
      }
      zcfg.media = device::zns::MediaModelZoneCost(*model);
      break;
    }
    auto set = std::make_unique<device::zns::ZnsCommandSet>(*subsystems_[index], zcfg);
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (spec_.controllers[i].subsystem == index) set->Attach(*slots_[i].device);
    }
    zns_.emplace(index, std::move(set));
  }
  rc_->SetMsiSink([this](unsigned port, uint64_t address, uint32_t data, uint64_t at_ps) {
    if (port < slots_.size() && slots_[port].interrupts) {
      slots_[port].interrupts->OnMessageAt(address, data, at_ps);
    }
  });
}

SimSystem::~SimSystem() {
  // Drivers free their DMA memory as they go: revoke the devices' direct
  // memory grants while every link is still there to carry the revocation.
  rc_->RevokeAllDmi();
}

void SimSystem::Boot(std::function<void(spec::Status)> done) {
  cpu_->Post(sc_core::SC_ZERO_TIME,
             [this, done = std::move(done)]() mutable { BootOnCpu(std::move(done)); });
}

void SimSystem::BootOnCpu(std::function<void(spec::Status)> done) {
  struct Progress {
    size_t waiting;
    spec::Status first_failure;
    bool failed = false;
    std::function<void(spec::Status)> done;
  };
  auto progress = std::make_shared<Progress>();
  progress->waiting = slots_.size();
  progress->done = std::move(done);

  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    const SimControllerSpec& c = spec_.controllers[i];
    pcie::EnumerationResult r = enumerator_->Enumerate(
        static_cast<unsigned>(i), c.link.max_payload_size, c.link.max_read_request_size);
    const std::string& name = names_.emplace_back("nvme" + std::to_string(i));
    slot.log = std::make_unique<SimLog>(*cpu_, name, spec_.trace, &log_lines_, spec_.echo_level,
                                        spec_.echo);
    if (!r.error.empty()) {
      slot.log->Write(driver::hal::LogLevel::kError, "enumeration failed: " + r.error);
      progress->failed = true;
      progress->first_failure = spec::Status(spec::GenericStatus::kInternalError, true);
      if (--progress->waiting == 0) progress->done(progress->first_failure);
      continue;
    }
    slot.function = r.function;
    slot.mmio = std::make_unique<SimMmio>(*cpu_, *bus_, slot.function);
    slot.interrupts = std::make_unique<SimInterrupts>(*cpu_, *enumerator_, slot.function);
    driver::hal::Platform platform;
    platform.mmio = slot.mmio.get();
    platform.dma = dma_.get();
    platform.interrupts = slot.interrupts.get();
    platform.clock = clock_.get();
    platform.log = slot.log.get();
    driver::ControllerOptions options = spec_.driver;
    options.name = name.c_str();
    slot.driver = std::make_unique<driver::Controller>(platform, options);
    driver::advanced::AdvancedOptions adv =
        driver::advanced::AdvancedOptions::FromConfig(spec_.driver.config, slot.thermal != nullptr);
    {
      // Enable bits from [advanced_nvme]; the tunables from the spec.
      const driver::advanced::AdvancedOptions& t = spec_.advanced;
      driver::thermal::ThermalManagerOptions to =
          c.thermal_manager ? *c.thermal_manager : t.thermal_options;
      to.thermal_monitoring = adv.thermal_options.thermal_monitoring;
      to.advanced_power_management = adv.thermal_options.advanced_power_management;
      to.predictive_thermal_management = adv.thermal_options.predictive_thermal_management;
      to.adaptive_power_optimization = adv.thermal_options.adaptive_power_optimization;
      to.name = name.c_str();
      adv.thermal_options = to;
      driver::optimizer::OptimizerSettings os = t.optimizer_settings;
      const driver::optimizer::OptimizerSettings& on = adv.optimizer_settings;
      os.predict_latency = on.predict_latency;
      os.tune = on.tune;
      os.adaptive_depth = on.adaptive_depth;
      os.steering = on.steering;
      os.maintenance = on.maintenance;
      if (t.optimizer_settings.epoch_ns == driver::optimizer::OptimizerSettings{}.epoch_ns) {
        os.epoch_ns = on.epoch_ns;  // not set explicitly: real_time_optimization decides
      }
      adv.optimizer_settings = os;
      adv.initial_knobs = t.initial_knobs;
      adv.initial_knobs.coalescing_threshold = options.coalescing_threshold;
      adv.initial_knobs.coalescing_time_100us = options.coalescing_time_100us;
      adv.initial_knobs.queue_depth = options.config.queue_depth;
      adv.maintenance_hours_per_second = t.maintenance_hours_per_second;
    }
    slot.driver->Start([this, i, adv, progress](spec::Status s) {
      Slot& sl = slots_[i];
      if (s.ok() && adv.any() && !sl.advanced) {
        sl.advanced =
            std::make_unique<driver::advanced::AdvancedFeatures>(*sl.driver, *clock_, adv);
        sl.advanced->Start([progress](spec::Status a) {
          if (!a.ok() && !progress->failed) {
            progress->failed = true;
            progress->first_failure = a;
          }
          if (--progress->waiting == 0) {
            progress->done(progress->failed ? progress->first_failure : spec::Status::Ok());
          }
        });
        return;
      }
      if (!s.ok() && !progress->failed) {
        progress->failed = true;
        progress->first_failure = s;
      }
      if (--progress->waiting == 0) {
        progress->done(progress->failed ? progress->first_failure : spec::Status::Ok());
      }
    });
  }
}

}  // namespace nvmesim::harness
