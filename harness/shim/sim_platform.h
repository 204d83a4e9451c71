// The driver's HAL over the simulated PCIe world, one instance per NVMe
// function the host enumerated:
//   SimMmio        BAR0 accesses as CPU transactions into the root complex
//   SimDmaMemory   coherent buffers mapped into the root complex's host memory
//   SimInterrupts  MSI-X vectors programmed like a host's PCI core does it;
//                  messages become tasks on the host CPU
// Together with SimClock and SimLog they make a driver::hal::Platform.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm>

#include "driver/hal/hal.h"
#include "harness/shim/host_cpu.h"
#include "pcie_model/enumerator.h"
#include "pcie_model/root_complex.h"

namespace nvmesim::harness {

// The host CPU's memory bus: an initiator bound to the root complex's CPU-side
// target. Every MMIO the driver does goes out through it.
class CpuBus : public sc_core::sc_module {
 public:
  explicit CpuBus(sc_core::sc_module_name name) : sc_module(name), socket("socket") {}
  tlm_utils::simple_initiator_socket<CpuBus> socket;
};

class SimMmio final : public driver::hal::Mmio {
 public:
  SimMmio(HostCpu& cpu, CpuBus& bus, const pcie::EnumeratedFunction& fn);
  uint32_t Read32(uint64_t offset) override;
  uint64_t Read64(uint64_t offset) override;
  void Write32(uint64_t offset, uint32_t value) override;
  void Write64(uint64_t offset, uint64_t value) override;

  uint64_t out_of_bar_accesses() const { return out_of_bar_; }

 private:
  uint64_t Access(tlm::tlm_command cmd, uint64_t offset, unsigned size, uint64_t value);

  HostCpu& cpu_;
  CpuBus& bus_;
  uint64_t bar_base_;
  uint64_t bar_size_;
  tlm::tlm_generic_payload trans_;
  uint64_t out_of_bar_ = 0;
};

// Bus addresses are handed out from a private range above 4 GiB; every buffer
// is its own mapped region, so a DMA that strays past a buffer is outside the
// DMA window and ends as an Unsupported Request instead of touching a
// neighbour. Freed buffers are reused by exact size (the I/O path allocates
// buffers of a few sizes over and over).
class SimDmaMemory final : public driver::hal::DmaMemory {
 public:
  static constexpr uint64_t kBusBase = uint64_t{1} << 32;
  explicit SimDmaMemory(pcie::HostMemory& memory) : memory_(memory) {}
  driver::hal::DmaBuffer Allocate(size_t size, size_t align) override;
  void Free(const driver::hal::DmaBuffer& buffer) override;

  uint64_t live_buffers() const { return live_; }
  uint64_t live_bytes() const { return live_bytes_; }

 private:
  pcie::HostMemory& memory_;
  uint64_t next_bus_ = kBusBase;
  // (size, align) -> freed bus addresses, reused in LIFO order.
  std::map<std::pair<size_t, size_t>, std::vector<uint64_t>> free_;
  std::map<uint64_t, std::pair<size_t, size_t>> sizes_;  // bus -> (size, align)
  uint64_t live_ = 0;
  uint64_t live_bytes_ = 0;
};

class SimInterrupts final : public driver::hal::Interrupts {
 public:
  SimInterrupts(HostCpu& cpu, pcie::Enumerator& enumerator, const pcie::EnumeratedFunction& fn);
  uint32_t Allocate(uint32_t count) override;
  void SetHandler(uint32_t vector, Handler handler) override;
  void Mask(uint32_t vector) override;
  void Unmask(uint32_t vector) override;

  // An MSI-X message for this function, handed over by the root complex on
  // receipt (RootComplex::SetMsiSink); it reaches the CPU at deliver_at_ps.
  void OnMessageAt(uint64_t address, uint32_t data, uint64_t deliver_at_ps);

  uint64_t messages() const { return messages_; }
  uint64_t spurious() const { return spurious_; }

 private:
  struct Vector {
    Handler handler;
    bool pending = false;  // queued on the CPU, not yet run (the CPU's IRR bit)
  };
  HostCpu& cpu_;
  pcie::Enumerator& enumerator_;
  pcie::EnumeratedFunction fn_;
  std::vector<Vector> vectors_;
  uint64_t messages_ = 0;
  uint64_t spurious_ = 0;
};

}  // namespace nvmesim::harness
