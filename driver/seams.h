// Seams for layers built on top of the controller manager: the multipath
// manager (ANA, path policies, failover) and the zoned namespace manager.
// Both are separate components; the controller only reports to them.
#pragma once

#include <cstdint>
#include <functional>

#include "driver/hal/hal.h"
#include "spec/command.h"
#include "spec/status.h"

namespace nvmesim::driver {

enum class PathEventKind : uint8_t {
  kPathStatus,       // a command completed with path-related status (SCT 3h)
  kAnaChange,        // Asymmetric Namespace Access Change notice (base 2.0 8.1.1)
  kControllerReady,  // (re)initialisation finished: this path can carry I/O
  kControllerDown,   // resetting, failed or removed: route I/O elsewhere
};

struct PathEvent {
  PathEventKind kind = PathEventKind::kPathStatus;
  uint32_t nsid = 0;
  spec::Status status;
};

// Installed by the multipath layer. With a handler installed, path-related
// status is not retried on this controller: the request completes with that
// status so the multipath layer can resubmit it on another path.
using PathEventHandler = std::function<void(const PathEvent&)>;

// Admin access for managers layered on one controller (namespace, zoned,
// multipath/ANA log reads).
class AdminChannel {
 public:
  virtual ~AdminChannel() = default;
  virtual spec::Status SubmitAdmin(const spec::Sqe& sqe, std::function<void(const spec::Cqe&)> done,
                                   uint64_t timeout_ns = 0) = 0;
  virtual hal::DmaMemory* dma() = 0;
  virtual hal::Log* log() = 0;
};

// Observer and gate on the block I/O path, for the thermal manager and the
// performance optimizer layered on one controller. Installed with
// Controller::SetIoHooks; with none installed the I/O path pays one branch.
class IoHooks {
 public:
  virtual ~IoHooks() = default;
  // Asked once per request before its commands are issued (in submission
  // order; a request held back holds every later one). Returns 0 to admit it
  // now, or the platform-clock time (ns) to ask again.
  virtual uint64_t AdmitAt(uint64_t now_ns, uint64_t bytes) = 0;
  // The request was admitted and its commands go to queue `qid`.
  // Returns a token handed back to OnFinished (e.g. the load it saw).
  virtual uint32_t OnIssued(uint64_t now_ns, uint16_t qid, uint64_t bytes, bool write) = 0;
  // The request finished; `latency_ns` runs from admission to completion.
  virtual void OnFinished(uint64_t now_ns, uint16_t qid, uint64_t bytes, bool write,
                          uint64_t latency_ns, uint32_t token, const spec::Status& status) = 0;
};

}  // namespace nvmesim::driver
