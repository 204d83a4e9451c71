// One path of a multipath namespace: a controller of the NVM subsystem through
// which the namespace is reachable, its ANA state for the namespace's ANA
// group (NVMe Base 2.0 section 8.1), whether the controller can carry I/O,
// and the counters the path policies and the management commands read.
#pragma once

#include <cstdint>
#include <string>

#include "driver/block.h"
#include "spec/status.h"

namespace nvmesim::driver::multipath {

// ANA states as reported in the ANA log's group descriptor (Base 2.0 8.1.3,
// Figure 215 / ANA Group Descriptor bits 3:0).
enum class AnaState : uint8_t {
  kOptimized = 0x1,
  kNonOptimized = 0x2,
  kInaccessible = 0x3,
  kPersistentLoss = 0x4,
  kChange = 0xF,
};
const char* AnaStateName(AnaState s);  // "optimized", "non-optimized", ...

// The I/O door of one path. A real path forwards to driver::Controller; unit
// tests plug in fakes. Submit follows the block API contract: on success the
// callback runs exactly once, later, never from inside Submit; on refusal it
// never runs.
class PathTarget {
 public:
  virtual ~PathTarget() = default;
  virtual spec::Status Submit(const BlockRequest& request, BlockCallback done) = 0;
  // The controller behind the path is live (initialised, I/O accepted).
  virtual bool Live() const = 0;
};

// What the management commands and tests see of a path.
struct PathCounters {
  uint64_t submitted = 0;  // commands sent down this path
  uint64_t completed_ok = 0;
  uint64_t path_errors = 0;   // completed (or refused) with path-related status (SCT 3h)
  uint64_t other_errors = 0;  // any other failure: returned to the caller as is
  uint64_t moved_off = 0;     // requests that failed here and were re-queued elsewhere
  uint64_t bytes = 0;         // data moved by successful Read/Write/Compare
  uint64_t down_events = 0;   // times the path went from usable to unusable
  uint64_t up_events = 0;     // ... and back
};

// Static description of a path, given when it is added.
struct PathDescriptor {
  std::string name;        // controller name, e.g. "nvme0"
  std::string address;     // transport address, e.g. PCIe BDF "0000:01:00.0"
  uint16_t cntlid = 0;     // Identify Controller CNTLID (Base 2.0 Figure 275)
  uint32_t numa_node = 0;  // host node the controller's root port hangs off
  PathTarget* target = nullptr;
};

}  // namespace nvmesim::driver::multipath
