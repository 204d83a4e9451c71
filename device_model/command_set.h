// The seam where an I/O command set other than NVM plugs into the controller
// (NVMe Base 2.0 section 5.17 / Figure 286, CSI). The controller resolves the
// namespace, checks the path (ANA) and then hands every I/O command for a
// namespace of that CSI to the registered handler. The handler moves data
// and asks for media time through IoServices, and returns the status; it
// may set the completion's DW0/DW1 (e.g. Zone Append's assigned LBA).
#pragma once

#include <cstdint>
#include <vector>

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
  // Adds a latency the command set computed itself (e.g. a zone reset's
  // erase from the media profile). Default: ignored.
  virtual void AddLatencyPs(uint64_t ps) { (void)ps; }
  // Volatile write cache enabled (Set Features 06h, Base 2.0 5.27.1.4):
  // non-FUA writes may then stay volatile until Flush.
  virtual bool WriteCacheEnabled() const { return false; }
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

  // Optional admin-side parts of a command set (defaults: not supported).
  // Identify CNS 05h for a namespace of this CSI / CNS 06h (Base 2.0
  // Figure 273): fill the 4096-byte page.
  virtual spec::Status IdentifyNamespace(Namespace& ns, uint8_t* page) {
    (void)ns, (void)page;
    return spec::Status(spec::GenericStatus::kInvalidField, true);
  }
  virtual spec::Status IdentifyController(uint8_t* page) {
    (void)page;
    return spec::Status(spec::GenericStatus::kInvalidField, true);
  }
  // A log page of this command set (e.g. ZNS Changed Zone List, BFh).
  // Returns false when the command set does not own `lid`; else fills *log
  // and *status, and sets *event_type to the async event type the read
  // clears (0xFF for none).
  virtual bool GetLogPage(uint8_t lid, uint32_t nsid, bool rae, std::vector<uint8_t>* log,
                          spec::Status* status, uint8_t* event_type) {
    (void)lid, (void)nsid, (void)rae, (void)log, (void)status, (void)event_type;
    return false;
  }
  // Namespace Management: a namespace of this CSI was deleted.
  virtual void OnNamespaceDeleted(uint32_t nsid) { (void)nsid; }
  // Power loss: volatile state of the command set is lost.
  virtual void OnPowerLoss() {}
};

}  // namespace nvmesim::device
