// The seam where an I/O command set other than NVM plugs into the controller
// (NVMe Base 2.0 section 5.17 / Figure 286, CSI). The controller resolves the
// namespace, checks the path (ANA) and then hands every I/O command for a
// namespace of that CSI to the registered handler. The handler moves data
// and asks for media time through IoServices, and returns the status; it
// may set the completion's DW0/DW1 (e.g. Zone Append's assigned LBA).
#pragma once

#include <cstdint>

#include "device_model/media_timing.h"
#include "spec/command.h"
#include "spec/status.h"

namespace nvmesim::device {

class Namespace;

class IoServices {
 public:
  virtual ~IoServices() = default;
  // Data pointer (PRP or SGL) of the command <-> a device buffer.
  virtual spec::Status ToHost(const spec::Sqe& sqe, const void* data, uint64_t len) = 0;
  virtual spec::Status FromHost(const spec::Sqe& sqe, void* data, uint64_t len) = 0;
  virtual spec::Status CheckMdts(uint64_t bytes) const = 0;
  // Adds media latency to the command's completion.
  virtual void AddMediaTime(const MediaOp& op) = 0;
  virtual uint64_t NowPs() const = 0;
};

struct IoCommand {
  const spec::Sqe& sqe;
  Namespace& ns;
  uint16_t sqid;
  uint32_t dw0 = 0;
  uint32_t dw1 = 0;
};

class IoCommandSetHandler {
 public:
  virtual ~IoCommandSetHandler() = default;
  virtual spec::Status Execute(IoCommand& cmd, IoServices& io) = 0;
};

}  // namespace nvmesim::device
