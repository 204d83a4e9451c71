// A minimal PCIe endpoint for tests, benchmarks and bring-up of the harness
// before the NVMe controller is attached: configuration space (ConfigSpace),
// BAR0 backed by plain memory, MSI-X table/PBA in BAR0 (MsixTable), and DMA
// helpers that issue requests upstream the way a device does. It answers
// like a PCIe function: BAR accesses with Memory Space disabled or outside
// BAR0 are Unsupported Requests; DMA with Bus Master disabled is refused.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <vector>

#include "pcie_model/config_space.h"
#include "pcie_model/msix.h"
#include "pcie_model/tlp.h"

namespace nvmesim::pcie {

struct TestEndpointCounters {
  uint64_t config_reads = 0, config_writes = 0;
  uint64_t bar_reads = 0, bar_writes = 0;
  uint64_t unsupported = 0;
  uint64_t msix_sent = 0, msix_pending = 0;
};

class TestEndpoint : public sc_core::sc_module {
 public:
  TestEndpoint(sc_core::sc_module_name name, const ConfigSpaceConfig& config = {},
               uint64_t bar_latency_ps = 0);

  tlm_utils::simple_target_socket<TestEndpoint> pcie_target;        // from Link::down_initiator
  tlm_utils::simple_initiator_socket<TestEndpoint> pcie_initiator;  // to Link::up_target

  // Device-initiated requests, timed by `delay` (LT): returns the TLM status.
  tlm::tlm_response_status DmaWrite(uint64_t bus, const void* data, uint32_t length,
                                    sc_core::sc_time& delay);
  tlm::tlm_response_status DmaRead(uint64_t bus, void* data, uint32_t length,
                                   sc_core::sc_time& delay);
  // Signals an MSI-X vector: sends the message (posted write) or leaves it pending.
  MsixOutcome SignalMsix(uint16_t vector, sc_core::sc_time& delay);

  ConfigSpace& config() { return config_; }
  MsixTable& msix() { return msix_; }
  uint8_t* bar0() { return bar0_.data(); }  // register backing store
  const TestEndpointCounters& counters() const { return counters_; }

 private:
  void Transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void SendMessages(const std::vector<MsixMessage>& messages, sc_core::sc_time& delay);

  ConfigSpace config_;
  MsixTable msix_;
  std::vector<uint8_t> bar0_;
  sc_core::sc_time bar_latency_;
  TestEndpointCounters counters_;
  tlm::tlm_generic_payload dma_;
};

}  // namespace nvmesim::pcie
