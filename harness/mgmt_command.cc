#include "harness/mgmt_command.h"

#include <memory>

#include "driver/multipath/management.h"
#include "driver/multipath/manager.h"
#include "driver/zoned/zns_commands.h"
#include "driver/zoned/zone_io.h"
#include "driver/zoned/zone_manager.h"
#include "harness/runner/scenario_to_system.h"
#include "harness/scenario/diagnostic.h"
#include "harness/system/sim_system.h"

namespace nvmesim::harness {

const std::vector<std::pair<std::string, std::string>>& MgmtCommands() {
  static const std::vector<std::pair<std::string, std::string>> kCommands = {
      {"nvme-advanced-controller-info",
       "identity, capabilities and queue layout the driver set up"},
      {"nvme-advanced-controller-reset", "reset the controller on request and re-initialise it"},
      {"nvme-advanced-stats", "driver, per-queue and recovery counters"},
      {"nvme-thermal-stats",
       "temperatures, throttling, APST state; history through the driver's thermal manager "
       "when it runs (--ios N: run a workload first)"},
      {"nvme-ai-optimize",
       "run a workload with the coalescing / depth tuner on; print what it changed (--bs, --qd, "
       "--read-pct, --ios, --target-p99)"},
      {"nvme-adaptive-tune",
       "the tuner epoch by epoch, queue depth applied (--goal latency|throughput, --target-p99)"},
      {"nvme-performance-predict",
       "predict IOPS / p99 for a workload (--bs, --qd, --read-pct), then measure it (--ios)"},
      {"nvme-predictive-stats",
       "predictive maintenance: remaining life, failure probability, SMART trends"},
      {"nvme-zns-info",
       "zone geometry, limits, state counts and the zone report (--namespace-id, --state)"},
      {"nvme-zns-create", "create and attach a zoned namespace (--blocks)"},
      {"nvme-zns-delete", "detach and delete a namespace (--namespace-id)"},
      {"nvme-multipath-info", "subsystems, paths, ANA states, policy and per-path counters"},
      {"nvme-multipath-config",
       "set the path policy and its parameters (--args \"policy=latency\")"},
      {"nvme-multipath-failover", "move I/O off a path by hand (--path nvme0 [--restore])"},
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
    std::vector<std::string> names;
    for (const auto& [name, help] : MgmtCommands()) names.push_back(name);
    out.error = "unknown management command `" + request.command + "`" +
                DidYouMean(request.command, names) + " (see `nvmesim mgmt --help`)";
    return out;
  }
  if (!request.zone_state.empty() && !driver::zoned::ParseZoneStateName(request.zone_state)) {
    out.error = "--state " + request.zone_state +
                ": expected a zone state (empty, imp_opened, exp_opened, closed, readonly, full, "
                "offline)";
    return out;
  }
  int index = request.controller.empty() ? 0 : ControllerIndex(scenario, request.controller);
  if (index < 0 || static_cast<size_t>(index) >= scenario.controllers.size()) {
    out.error = "no controller `" + request.controller + "` in " + scenario.path;
    return out;
  }
  if (std::string e = CheckWorkloadOptions(request.workload, 0); !e.empty()) {
    out.error = e;
    return out;
  }
  if (request.command == "nvme-zns-create" && request.blocks == 0) {
    out.error =
        "nvme-zns-create: --blocks is required (the namespace size in logical blocks, 1 or more)";
    return out;
  }
  if (request.command == "nvme-multipath-failover" && request.path.empty()) {
    out.error =
        "nvme-multipath-failover: --path is required (a path name such as nvme0; see "
        "nvme-multipath-info)";
    return out;
  }
  if (request.command == "admin-passthru" || request.command == "io-passthru") {
    driver::mgmt::Passthru p = request.passthru;
    p.admin = request.command == "admin-passthru";
    if (std::string e = driver::mgmt::CheckPassthru(p); !e.empty()) {
      out.error = request.command + ": " + e;
      return out;
    }
  }
  SystemBuild build = BuildSystemSpec(scenario, scenario.info.fidelity);
  if (!build.ok()) {
    out.error = build.errors.front();
    return out;
  }
  EnableFeaturesFor(request.command, request.workload, build.spec);
  std::unique_ptr<SimSystem> system;
  try {
    system = std::make_unique<SimSystem>(build.spec);
  } catch (const std::exception& e) {
    out.error = e.what();
    return out;
  }
  bool finished = false;
  // Layers a command builds on the booted drivers; they outlive the command.
  std::unique_ptr<driver::zoned::ControllerZoneIo> zone_io;
  std::unique_ptr<driver::zoned::ZoneManager> zones;
  std::unique_ptr<driver::multipath::MultipathManager> multipath;
  auto stop = [&] {
    finished = true;
    system->cpu().Halt();
    sc_core::sc_stop();
  };
  auto done = [&](const std::string& text, spec::Status s) {
    out.text = text;
    out.ok = s.ok();
    stop();
  };
  // Ends with an error and no text: a request the booted system shows to be
  // wrong (a namespace or path that is not there), or a bring-up that failed.
  auto refuse = [&](const std::string& why) {
    out.error = why;
    stop();
  };
  auto RunOne = [&](driver::Controller& ctrl) {
    driver::Controller* c = &ctrl;
    const std::string& cmd = request.command;
    if (cmd == "nvme-zns-info" || cmd == "nvme-zns-delete") {
      const std::string why =
          driver::zoned::ZonedNamespaceError(cmd.c_str(), c->namespaces(), request.nsid);
      if (!why.empty()) return refuse(why);
    }
    if (cmd == "nvme-advanced-controller-info") {
      done(driver::mgmt::ControllerInfo(*c), spec::Status::Ok());
    } else if (cmd == "nvme-advanced-stats") {
      done(driver::mgmt::AdvancedStats(*c), spec::Status::Ok());
    } else if (cmd == "nvme-advanced-controller-reset") {
      driver::mgmt::ControllerReset(*c, system->clock(), done);
    } else if (cmd == "nvme-thermal-stats") {
      driver::advanced::AdvancedFeatures* adv = system->advanced(static_cast<size_t>(index));
      if (adv == nullptr || adv->thermal() == nullptr) {
        driver::mgmt::ThermalStats(*c, done);
      } else if (!request.load) {
        done(adv->thermal()->FormatStats(true), spec::Status::Ok());
      } else {
        RunThermalLoad(request.workload, *system, static_cast<size_t>(index), done);
      }
    } else if (IsOptimizerCommand(cmd)) {
      RunOptimizerCommand(cmd, request.workload, *system, static_cast<size_t>(index), done);
    } else if (cmd == "nvme-zns-info") {
      zone_io = std::make_unique<driver::zoned::ControllerZoneIo>(*c, &system->clock());
      driver::zoned::ZoneManagerOptions zo;
      zo.config = system->spec().driver.config;
      zo.zone_notices_supported = (c->info().oaes >> 27) & 1;  // OAES bit 27 (ZNS 1.1)
      zones = std::make_unique<driver::zoned::ZoneManager>(zone_io.get(), zo);
      zones->Discover([&, c](spec::Status st) {
        if (!st.ok()) {
          done("zoned namespace discovery failed: " + st.ToString() + "\n", st);
          return;
        }
        driver::zoned::ZnsInfoOptions o;
        if (!request.zone_state.empty())
          o.state = driver::zoned::ParseZoneStateName(request.zone_state);  // checked above
        std::string error;
        std::string text = driver::zoned::ZnsInfoText(*zones, request.nsid, o, &error);
        done(error.empty() ? text : error + "\n",
             error.empty() ? spec::Status::Ok()
                           : spec::Status(spec::GenericStatus::kInvalidNamespaceOrFormat));
        (void)c;
      });
    } else if (cmd == "nvme-zns-create") {
      driver::zoned::ZnsCreateParams p;
      p.blocks = request.blocks;
      p.attach_to = {c->info().cntlid};
      driver::zoned::ZnsCreate(
          c->namespaces(), p,
          [&](spec::Status st, uint32_t, const std::string& text) { done(text + "\n", st); });
    } else if (cmd == "nvme-zns-delete") {
      driver::zoned::ZnsDelete(
          c->namespaces(), request.nsid, {c->info().cntlid},
          [&](spec::Status st, const std::string& text) { done(text + "\n", st); });
    } else if (cmd.rfind("nvme-multipath-", 0) == 0) {
      multipath = std::make_unique<driver::multipath::MultipathManager>(
          system->clock(), driver::multipath::OptionsFromConfig(system->spec().driver.config));
      for (size_t i = 0; i < system->controller_count(); ++i) {
        if (system->driver(i))
          multipath->AddController({system->driver(i), "nvme" + std::to_string(i), "", 0});
      }
      multipath->Discover([&](spec::Status st) {
        if (!st.ok()) {
          done("multipath discovery failed: " + st.ToString() + "\n", st);
          return;
        }
        bool ok = true;
        std::string text;
        if (cmd == "nvme-multipath-info") {
          text = driver::multipath::MultipathInfo(*multipath);
        } else if (cmd == "nvme-multipath-config") {
          text = driver::multipath::MultipathConfig(*multipath, request.args, &ok);
        } else {
          text =
              driver::multipath::MultipathFailover(*multipath, request.path, request.restore, &ok);
        }
        if (!ok) return refuse(cmd + ": " + text);  // the reason alone
        done(text, spec::Status::Ok());
      });
    } else {
      driver::mgmt::Passthru p = request.passthru;
      p.admin = cmd == "admin-passthru";
      driver::mgmt::SendPassthru(*c, p, done);
    }
  };
  system->Boot([&](spec::Status s) {
    driver::Controller* c = system->driver(static_cast<size_t>(index));
    if (!s.ok() || c == nullptr) {
      return refuse("driver bring-up failed: " + s.ToString());
    }
    // The command runs as its own host task, after bring-up has fully returned.
    system->cpu().Post(sc_core::SC_ZERO_TIME, [&, c] { RunOne(*c); });
  });
  sc_core::sc_start(sc_core::sc_time::from_value(scenario.info.time_limit_ps));
  if (!finished && out.error.empty())
    out.error = "the command did not finish within the time limit";
  return out;
}

}  // namespace nvmesim::harness
