#include "harness/mgmt_command.h"

#include <memory>

#include "harness/runner/scenario_to_system.h"
#include "harness/system/sim_system.h"

namespace nvmesim::harness {

const std::vector<std::pair<std::string, std::string>>& MgmtCommands() {
  static const std::vector<std::pair<std::string, std::string>> kCommands = {
      {"nvme-advanced-controller-info", "identity, capabilities and queue layout the driver set up"},
      {"nvme-advanced-controller-reset", "reset the controller on request and re-initialise it"},
      {"nvme-advanced-stats", "driver, per-queue and recovery counters"},
      {"nvme-thermal-stats", "SMART temperatures and thermal management counters"},
      {"admin-passthru", "one raw admin command (--opcode, --cdw10.., --data-len, --read/--write)"},
      {"io-passthru", "one raw I/O command on the first I/O queue"},
  };
  return kCommands;
}

MgmtResult RunMgmtCommand(const ScenarioSpec& scenario, const MgmtRequest& request) {
  MgmtResult out;
  bool known = false;
  for (const auto& [name, help] : MgmtCommands()) known |= name == request.command;
  if (!known) {
    out.error = "unknown management command `" + request.command + "` (see `nvmesim mgmt --help`)";
    return out;
  }
  int index = request.controller.empty() ? 0 : ControllerIndex(scenario, request.controller);
  if (index < 0 || static_cast<size_t>(index) >= scenario.controllers.size()) {
    out.error = "no controller `" + request.controller + "` in " + scenario.path;
    return out;
  }
  SystemBuild build = BuildSystemSpec(scenario, scenario.info.fidelity);
  if (!build.ok()) {
    out.error = build.errors.front();
    return out;
  }
  std::unique_ptr<SimSystem> system;
  try {
    system = std::make_unique<SimSystem>(build.spec);
  } catch (const std::exception& e) {
    out.error = e.what();
    return out;
  }
  bool finished = false;
  auto done = [&](const std::string& text, spec::Status s) {
    out.text = text;
    out.ok = s.ok();
    finished = true;
    system->cpu().Halt();
    sc_core::sc_stop();
  };
  auto RunOne = [&](driver::Controller& ctrl) {
    driver::Controller* c = &ctrl;
    const std::string& cmd = request.command;
    if (cmd == "nvme-advanced-controller-info") {
      done(driver::mgmt::ControllerInfo(*c), spec::Status::Ok());
    } else if (cmd == "nvme-advanced-stats") {
      done(driver::mgmt::AdvancedStats(*c), spec::Status::Ok());
    } else if (cmd == "nvme-advanced-controller-reset") {
      driver::mgmt::ControllerReset(*c, system->clock(), done);
    } else if (cmd == "nvme-thermal-stats") {
      driver::mgmt::ThermalStats(*c, done);
    } else {
      driver::mgmt::Passthru p = request.passthru;
      p.admin = cmd == "admin-passthru";
      driver::mgmt::SendPassthru(*c, p, done);
    }
  };
  system->Boot([&](spec::Status s) {
    driver::Controller* c = system->driver(static_cast<size_t>(index));
    if (!s.ok() || c == nullptr) {
      out.error = "driver bring-up failed: " + s.ToString();
      finished = true;
      system->cpu().Halt();
      sc_core::sc_stop();
      return;
    }
    // The command runs as its own host task, after bring-up has fully returned.
    system->cpu().Post(sc_core::SC_ZERO_TIME, [&, c] { RunOne(*c); });
  });
  sc_core::sc_start(sc_core::sc_time::from_value(scenario.info.time_limit_ps));
  if (!finished && out.error.empty()) out.error = "the command did not finish within the time limit";
  return out;
}

}  // namespace nvmesim::harness
