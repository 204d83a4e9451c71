// One simulated machine: a host CPU and root complex, and behind each root
// port a PCIe link and an NVMe controller of some subsystem. Elaborated in the
// constructor (before sc_start); Boot() then runs on the host CPU the way a
// real host would: enumerate every function (BAR sizing, bus mastering,
// MSI-X), build the driver's HAL over it and start one driver per controller.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "device_model/config.h"
#include "device_model/controller.h"
#include "device_model/subsystem.h"
#include "device_model/thermal/thermal_model.h"
#include "device_model/zns/zns_command_set.h"
#include "driver/advanced/advanced_features.h"
#include "driver/controller.h"
#include "harness/shim/host_cpu.h"
#include "harness/shim/sim_clock.h"
#include "harness/shim/sim_log.h"
#include "harness/shim/sim_platform.h"
#include "pcie_model/enumerator.h"
#include "pcie_model/link.h"
#include "pcie_model/root_complex.h"
#include "spec/status.h"
#include "spec/trace.h"

namespace nvmesim::harness {

struct SimControllerSpec {
  device::ControllerConfig device;
  // Media timing from a device profile (NAND/FTL/cache); null = zero-cost media.
  // Shared so the spec stays copyable; the system keeps it alive.
  std::shared_ptr<device::MediaTiming> media;
  pcie::LinkConfig link;
  size_t subsystem = 0;  // index into SimSystemSpec::subsystems
  // Thermal and power model of the device (device_model/thermal); null = none
  // (the controller keeps its fixed SMART temperature).
  std::shared_ptr<const device::thermal::ThermalConfig> thermal;
  // Settings of this controller's driver thermal manager (HCTM thresholds of
  // the drive in its slot); unset = SimSystemSpec::advanced.thermal_options.
  // Which features run still follows driver.config ([advanced_nvme]).
  std::optional<driver::thermal::ThermalManagerOptions> thermal_manager;
};

struct SimSystemSpec {
  pcie::Fidelity fidelity = pcie::Fidelity::kApproximate;
  std::vector<device::SubsystemConfig> subsystems;
  std::vector<SimControllerSpec> controllers;
  driver::ControllerOptions driver;  // applied to every controller's driver
  // Settings of the driver's thermal manager and optimizer (poll period,
  // forecaster, tuner goal, maintenance). Which of them run follows
  // driver.config ([advanced_nvme]) and whether the device models temperature.
  driver::advanced::AdvancedOptions advanced;
  pcie::RootComplexConfig root_complex;
  // Zoned command set per subsystem index that has zoned namespaces.
  std::map<size_t, device::zns::ZnsCommandSetConfig> zns;
  spec::TraceSink* trace = nullptr;  // the run's event log (may be null)
  driver::hal::LogLevel echo_level = driver::hal::LogLevel::kWarning;
  std::FILE* echo = nullptr;  // where log lines at/above echo_level go
};

// "" or the first problem with the spec (cross references and each part's own checks).
std::string ValidateSystemSpec(const SimSystemSpec& spec);

class SimSystem {
 public:
  // Elaborates every module. Throws std::invalid_argument on a bad spec.
  explicit SimSystem(const SimSystemSpec& spec);
  ~SimSystem();
  SimSystem(const SimSystem&) = delete;
  SimSystem& operator=(const SimSystem&) = delete;

  // Posts the boot sequence on the host CPU; `done` runs on the CPU once every
  // driver is ready (ok) or with the first failure.
  void Boot(std::function<void(spec::Status)> done);

  HostCpu& cpu() { return *cpu_; }
  pcie::RootComplex& root_complex() { return *rc_; }
  SimDmaMemory& dma() { return *dma_; }
  SimClock& clock() { return *clock_; }
  size_t controller_count() const { return slots_.size(); }
  pcie::Link& link(size_t i) { return *slots_.at(i).link; }
  device::NvmeController& device(size_t i) { return *slots_.at(i).device; }
  device::Subsystem& subsystem(size_t i) { return *subsystems_.at(i); }
  // The zoned command set of subsystem i, or null when it has no zoned namespaces.
  device::zns::ZnsCommandSet* zns(size_t i) {
    auto it = zns_.find(i);
    return it == zns_.end() ? nullptr : it->second.get();
  }
  // Valid once Boot() has enumerated (null before).
  driver::Controller* driver(size_t i) { return slots_.at(i).driver.get(); }
  // The driver's thermal / optimizer features on controller i (null when none run).
  driver::advanced::AdvancedFeatures* advanced(size_t i) { return slots_.at(i).advanced.get(); }
  // The device's thermal model of controller i (null when it has none).
  device::thermal::ThermalModel* thermal(size_t i) { return slots_.at(i).thermal.get(); }
  const pcie::EnumeratedFunction& function(size_t i) const { return slots_.at(i).function; }
  SimInterrupts* interrupts(size_t i) { return slots_.at(i).interrupts.get(); }
  std::vector<LogLine>& log_lines() { return log_lines_; }
  const SimSystemSpec& spec() const { return spec_; }

 private:
  struct Slot {
    std::unique_ptr<device::thermal::ThermalModel> thermal;  // outlives the device
    std::unique_ptr<pcie::Link> link;
    std::unique_ptr<device::NvmeController> device;
    pcie::EnumeratedFunction function;
    std::unique_ptr<SimMmio> mmio;
    std::unique_ptr<SimInterrupts> interrupts;
    std::unique_ptr<SimLog> log;
    std::unique_ptr<driver::Controller> driver;
    std::unique_ptr<driver::advanced::AdvancedFeatures> advanced;  // destroyed before the driver
  };
  void BootOnCpu(std::function<void(spec::Status)> done);

  SimSystemSpec spec_;
  std::unique_ptr<HostCpu> cpu_;
  std::unique_ptr<pcie::RootComplex> rc_;
  std::unique_ptr<CpuBus> bus_;
  std::unique_ptr<pcie::Enumerator> enumerator_;
  std::unique_ptr<SimDmaMemory> dma_;
  std::unique_ptr<SimClock> clock_;
  std::vector<std::unique_ptr<device::Subsystem>> subsystems_;
  std::vector<Slot> slots_;
  std::map<size_t, std::unique_ptr<device::zns::ZnsCommandSet>> zns_;
  std::deque<std::string> names_;  // stable storage for the static-string names drivers keep
  std::vector<LogLine> log_lines_;
};

}  // namespace nvmesim::harness
