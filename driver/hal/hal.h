// The driver's only door to hardware. A backend (the simulator's PCIe shim,
// QEMU through qtest, VFIO on a real machine) implements these five small
// interfaces; the driver core never knows which one it talks to.
//
// Contract every backend keeps:
//  * No HAL call ever invokes a driver callback (interrupt handler or timer
//    callback) from inside itself. The platform calls them later, from its
//    own loop, one at a time, never concurrently with another driver call.
//  * All values are little-endian as on the bus; Read/Write of BAR0 offsets
//    are single accesses of the stated width (NVMe 2.0 base 3.1.3: 64-bit
//    registers may be accessed as one 64-bit or two 32-bit accesses).
//  * Time is monotonic nanoseconds of whatever clock drives the platform
//    (simulated time under the simulator). The driver reads no other clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "spec/trace.h"

namespace nvmesim::driver::hal {

// Memory-mapped controller registers (BAR0 of the NVMe function). Offsets are
// byte offsets from the BAR base. A device that is gone reads all ones.
class Mmio {
 public:
  virtual ~Mmio() = default;
  virtual uint32_t Read32(uint64_t offset) = 0;
  virtual uint64_t Read64(uint64_t offset) = 0;
  virtual void Write32(uint64_t offset, uint32_t value) = 0;
  virtual void Write64(uint64_t offset, uint64_t value) = 0;
};

// One coherent DMA allocation: the CPU sees it at `cpu`, the device at `bus`.
struct DmaBuffer {
  uint8_t* cpu = nullptr;
  uint64_t bus = 0;
  size_t size = 0;
  bool valid() const { return cpu != nullptr; }
};

// Coherent memory the device may read and write. Allocate returns an invalid
// buffer (cpu == nullptr) when it cannot satisfy the request. `align` is a
// power of two; both cpu and bus addresses honour it. Memory is zeroed.
class DmaMemory {
 public:
  virtual ~DmaMemory() = default;
  virtual DmaBuffer Allocate(size_t size, size_t align) = 0;
  virtual void Free(const DmaBuffer& buffer) = 0;
};

// MSI-X vectors of the function. Allocate(n) asks for n vectors and returns
// how many were granted (0: no interrupts, the driver polls). Vectors are
// numbered 0..granted-1 and map 1:1 to NVMe interrupt vectors (IV).
class Interrupts {
 public:
  using Handler = std::function<void()>;
  virtual ~Interrupts() = default;
  virtual uint32_t Allocate(uint32_t count) = 0;
  // Installs (or, with an empty handler, removes) the handler of a vector.
  virtual void SetHandler(uint32_t vector, Handler handler) = 0;
  virtual void Mask(uint32_t vector) = 0;
  virtual void Unmask(uint32_t vector) = 0;
};

// Monotonic time and one-shot timers. StartTimer returns a non-zero id; the
// callback runs once, at or after NowNs() + delay_ns, unless cancelled first.
// CancelTimer of an id that already fired or was cancelled does nothing.
class Clock {
 public:
  using TimerId = uint64_t;
  using Callback = std::function<void()>;
  static constexpr TimerId kNoTimer = 0;
  virtual ~Clock() = default;
  virtual uint64_t NowNs() = 0;
  virtual TimerId StartTimer(uint64_t delay_ns, Callback callback) = 0;
  virtual void CancelTimer(TimerId id) = 0;
};

enum class LogLevel : uint8_t { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

constexpr const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "?";
}

// Human-readable log lines and machine trace events (one per hop; the
// harness appends them to the ordered event log behind the trace hash). The
// driver leaves TraceEvent::time_ps at 0; the Log stamps it with its clock.
class Log {
 public:
  virtual ~Log() = default;
  virtual void Write(LogLevel level, std::string_view message) = 0;
  virtual void Trace(const spec::TraceEvent& event) = 0;
};

// Everything one controller instance needs, owned by the backend; the driver
// keeps the pointers, never ownership. All five must outlive the driver.
struct Platform {
  Mmio* mmio = nullptr;
  DmaMemory* dma = nullptr;
  Interrupts* interrupts = nullptr;
  Clock* clock = nullptr;
  Log* log = nullptr;
  bool complete() const {
    return mmio != nullptr && dma != nullptr && interrupts != nullptr && clock != nullptr &&
           log != nullptr;
  }
};

}  // namespace nvmesim::driver::hal
