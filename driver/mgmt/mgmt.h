// The driver's management commands, as text shaped like nvme-cli's output:
//   nvme-advanced-controller-info   identity, capabilities and queue layout
//   nvme-advanced-controller-reset  a controller reset on request, timed
//   nvme-advanced-stats             driver, per-queue and recovery counters
//   nvme-thermal-stats              SMART temperatures and thermal counters
//   admin-passthru / io-passthru    one raw command; status by name, DW0/DW1, data
// Asynchronous like the rest of the driver: each takes a callback that
// receives the text (and the status of the command behind it).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "driver/controller.h"
#include "driver/hal/hal.h"
#include "spec/status.h"

namespace nvmesim::driver::mgmt {

using Done = std::function<void(const std::string& text, spec::Status status)>;

std::string ControllerInfo(const Controller& controller);
std::string AdvancedStats(const Controller& controller);
void ControllerReset(Controller& controller, hal::Clock& clock, Done done);
void ThermalStats(Controller& controller, Done done);

// nvme-cli's passthrough options. Exactly one of `read` / `write` when data_len > 0.
struct Passthru {
  bool admin = true;
  uint8_t opcode = 0;
  uint8_t flags = 0;
  uint32_t nsid = 0;
  uint32_t cdw2 = 0, cdw3 = 0;
  uint32_t cdw10 = 0, cdw11 = 0, cdw12 = 0, cdw13 = 0, cdw14 = 0, cdw15 = 0;
  uint32_t data_len = 0;
  bool read = false;   // controller to host
  bool write = false;  // host to controller: `input` holds the bytes (zero-padded)
  std::vector<uint8_t> input;
  uint64_t timeout_ns = 0;  // 0 = the driver's default
};

// "" or what is wrong with the request (e.g. admin data above 8 KiB, both directions).
std::string CheckPassthru(const Passthru& p);
// Sends the command through the driver's passthrough path; the text has the
// completion ("NVMe command result:00000000" or the status by name) and a hex
// dump of returned data, like nvme-cli.
void SendPassthru(Controller& controller, const Passthru& p, Done done);

// nvme-cli's hex dump: offset, 16 bytes, ASCII.
std::string HexDump(const uint8_t* data, size_t length);

}  // namespace nvmesim::driver::mgmt
