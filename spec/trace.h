// The shape of one trace event. Every layer (PCIe link, device, driver)
// emits events at each hop into a TraceSink the harness provides; the harness
// appends them to the ordered event log behind the trace hash and the
// Perfetto trace. No behaviour here: a sink may be absent (nullptr).
#pragma once

#include <cstdint>

namespace nvmesim::spec {

struct TraceEvent {
  uint64_t time_ps = 0;          // simulated time of the hop
  const char* source = "";       // emitting instance, e.g. "ctrl0", "link0.up", "driver.q3"
  const char* name = "";         // static event name, e.g. "sq_doorbell", "tlp_mwr", "cqe_post"
  uint64_t a = 0, b = 0, c = 0;  // event-specific arguments (queue id, cid, bytes ...)
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void Emit(const TraceEvent& event) = 0;
};

}  // namespace nvmesim::spec
