// The host side: root complex with host memory, root ports and a CPU-side target.
//
//   CPU / harness --> cpu_target [RootComplex] port(i).downstream --> Link::down_target
//                                              port(i).upstream  <-- Link::up_initiator
//
// CPU side (cpu_target, or CpuTransport()):
//   - ECAM: [ecam_base, ecam_base + 256 MiB) is configuration space (PCI
//     Firmware Spec 3.2 MCFG / PCIe 5.0 7.2.2 enhanced configuration access):
//     offset = bus << 20 | device << 15 | function << 12 | register. Port i
//     leads to bus i + 1, device 0, function 0. Reads of absent functions
//     return all ones (7.2.2 / 2.3.2: UR to a config read returns all ones).
//   - memory: an access inside a port's window (SetPortWindow, what a root
//     port's Memory Base/Limit holds after enumeration) goes down that port
//     with its bus address unchanged. Reads that end in a completion timeout
//     or any error (device removed, link down) return all ones.
// Device side (each port's upstream socket):
//   - a write to [0xFEE00000, 0xFEEFFFFF] is an MSI-X message: the handler is
//     called from a process of the root complex at the simulated arrival time.
//   - other memory requests go to HostMemory; a request outside every mapped
//     region is an Unsupported Request (TLM_ADDRESS_ERROR_RESPONSE and
//     CompletionStatus::kUnsupportedRequest), counted, recorded, traced, and
//     touches no memory.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pcie_model/fw_target.h"
#include "pcie_model/host_memory.h"
#include "pcie_model/sim_time.h"
#include "pcie_model/tlp.h"
#include "spec/trace.h"

namespace nvmesim::pcie {

inline constexpr uint64_t kMsiWindowBase = 0xFEE00000;  // x86 MSI address range (Intel SDM 10.11.1)
inline constexpr uint64_t kMsiWindowEnd = 0xFEEFFFFF;   // inclusive

struct RootComplexConfig {
  unsigned ports = 1;
  uint64_t ecam_base = 0xE0000000;
  uint64_t memory_read_latency_ps = 80'000;  // completer latency for DMA reads of host memory
  uint64_t memory_write_latency_ps = 0;      // posted: only delays the memory update
  uint64_t msi_latency_ps = 0;               // interrupt controller delivery after arrival
  uint64_t cpu_access_latency_ps = 0;        // CPU core to root port, each way
};

struct DmaFault {
  unsigned port = 0;
  uint64_t address = 0;
  uint64_t length = 0;
  bool write = false;
  uint64_t time_ps = 0;
};

struct RootComplexCounters {
  uint64_t dma_reads = 0, dma_read_bytes = 0;
  uint64_t dma_writes = 0, dma_write_bytes = 0;
  uint64_t unsupported_requests = 0;  // DMA outside mapped host memory
  uint64_t msi_messages = 0;
  uint64_t mmio_reads = 0, mmio_writes = 0;
  uint64_t mmio_failed_reads = 0;  // answered with all ones (timeout, removed, error)
  uint64_t master_aborts = 0;      // CPU access that no port window or ECAM claims
  uint64_t config_reads = 0, config_writes = 0;
};

class RootComplex;

class RootPort : public sc_core::sc_module {
 public:
  RootPort(sc_core::sc_module_name name, RootComplex& rc, unsigned index);
  tlm_utils::simple_initiator_socket<RootPort> downstream;  // bind to Link::down_target
  tlm::tlm_target_socket<> upstream;                        // Link::up_initiator binds here

 private:
  void Upstream(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  bool GetDmi(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  RootComplex& rc_;
  unsigned index_;
  FwTarget<RootPort, &RootPort::Upstream, &RootPort::GetDmi> upstream_fw_{*this};
};

class RootComplex : public sc_core::sc_module {
 public:
  using MsiHandler = std::function<void(unsigned port, uint64_t address, uint32_t data)>;
  // Told of each message as it is received, with the time it reaches the
  // interrupt controller (arrival + msi_latency_ps): for a host that schedules
  // the delivery itself, which saves the root complex a timed event per MSI.
  using MsiSink =
      std::function<void(unsigned port, uint64_t address, uint32_t data, uint64_t deliver_at_ps)>;

  RootComplex(sc_core::sc_module_name name, const RootComplexConfig& config = {},
              spec::TraceSink* trace = nullptr);
  ~RootComplex() override;

  // Optional binding: a harness may instead call CpuTransport() directly.
  tlm::tlm_target_socket<32, tlm::tlm_base_protocol_types, 1, sc_core::SC_ZERO_OR_MORE_BOUND>
      cpu_target;
  RootPort& port(unsigned i) { return *ports_.at(i); }
  unsigned port_count() const { return static_cast<unsigned>(ports_.size()); }

  HostMemory& memory() { return memory_; }
  // Delivery at the arrival time from the root complex's own process...
  void SetMsiHandler(MsiHandler handler) { msi_handler_ = std::move(handler); }
  // ...or hand-off on receipt (takes precedence when set).
  void SetMsiSink(MsiSink sink) { msi_sink_ = std::move(sink); }
  // The memory window routed to port i (what enumeration programs into the
  // root port's Memory Base/Limit). size 0 closes it. "" or an error (overlap).
  std::string SetPortWindow(unsigned port, uint64_t base, uint64_t size);
  uint64_t EcamAddress(unsigned bus, unsigned device, unsigned function, uint32_t reg) const;
  unsigned PortBus(unsigned port) const { return port + 1; }

  // The CPU-side entry, same as cpu_target's b_transport.
  void CpuTransport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  const RootComplexCounters& counters() const { return counters_; }
  const std::vector<DmaFault>& dma_faults() const { return dma_faults_; }  // first 1024
  const RootComplexConfig& config() const { return config_; }

 private:
  friend class RootPort;
  struct Window {
    uint64_t base = 0, size = 0;
  };
  struct PendingMsi {
    uint64_t at_ps;
    uint64_t seq;
    unsigned port;
    uint64_t address;
    uint32_t data;
  };

  void Upstream(unsigned port, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  // TLM-2.0 DMI into host memory: the whole mapped region holding the
  // address, read and write, with the memory latencies; never the MSI
  // window. Revoked on every port that was granted one when its region is
  // unmapped.
  bool GetDmi(unsigned port, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  void RevokeDmi(uint64_t first, uint64_t last);  // inclusive
 public:
  // Revokes every DMI grant and forgets them: call before tearing down the
  // links, so later unmaps do not reach modules that are gone.
  void RevokeAllDmi();

 private:
  void ConfigAccess(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void DeliverMsis();
  void TraceMsi(uint64_t at_ps, unsigned port, uint64_t address, uint32_t data);
  static void FillOnes(tlm::tlm_generic_payload& trans);
  uint64_t ToPs(const sc_core::sc_time& t) const { return ps_clock_.ToPs(t); }
  sc_core::sc_time Ps(uint64_t ps) const { return ps_clock_.Time(ps); }

  RootComplexConfig config_;
  spec::TraceSink* trace_;
  PsClock ps_clock_;
  sc_core::sc_time read_latency_, write_latency_, cpu_latency_;
  std::vector<std::unique_ptr<RootPort>> ports_;
  std::vector<Window> windows_;
  HostMemory memory_;
  std::vector<bool> dmi_granted_;  // per port: a DMI grant may be live
  MsiHandler msi_handler_;
  MsiSink msi_sink_;
  std::vector<PendingMsi> msi_queue_;  // min-heap on (at_ps, seq)
  uint64_t msi_seq_ = 0;
  sc_core::sc_event msi_event_;
  RootComplexCounters counters_;
  std::vector<DmaFault> dma_faults_;
  tlm::tlm_generic_payload config_payload_;
  TlpExtension* config_ext_;  // owned by config_payload_
  FwTarget<RootComplex, &RootComplex::CpuTransport> cpu_fw_{*this};
};

}  // namespace nvmesim::pcie
