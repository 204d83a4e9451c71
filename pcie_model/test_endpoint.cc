#include "pcie_model/test_endpoint.h"

#include <cstring>

namespace nvmesim::pcie {

TestEndpoint::TestEndpoint(sc_core::sc_module_name name, const ConfigSpaceConfig& config,
                           uint64_t bar_latency_ps)
    : sc_core::sc_module(name),
      pcie_target("pcie_target"),
      pcie_initiator("pcie_initiator"),
      config_(config),
      msix_(config_),
      bar0_(config.bar0_size, 0),
      bar_latency_(static_cast<double>(bar_latency_ps), sc_core::SC_PS) {
  pcie_target.register_b_transport(this, &TestEndpoint::Transport);
}

void TestEndpoint::Transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const unsigned len = trans.get_data_length();
  uint8_t* data = trans.get_data_ptr();
  if (IsConfigRequest(trans)) {
    const uint32_t off = static_cast<uint32_t>(trans.get_address());
    if (trans.is_read()) {
      ++counters_.config_reads;
      const uint32_t v = config_.Read(off, len);
      std::memcpy(data, &v, len);
    } else {
      ++counters_.config_writes;
      uint32_t v = 0;
      std::memcpy(&v, data, len);
      config_.Write(off, len, v);
      SendMessages(msix_.CollectReleased(), delay);  // function mask may have cleared
    }
    SetCompletion(trans, CompletionStatus::kSuccessful);
    return;
  }
  const uint64_t addr = trans.get_address();
  if (!config_.MemorySpaceEnabled() || !config_.Bar0Contains(addr, len)) {
    ++counters_.unsupported;  // 2.3.1: the function does not claim it
    SetCompletion(trans, CompletionStatus::kUnsupportedRequest);
    return;
  }
  const uint64_t off = addr - config_.Bar0Base();
  delay += bar_latency_;
  if (msix_.Claims(off, len)) {
    uint64_t v = 0;
    if (trans.is_read()) {
      msix_.Read(off, len, &v);
      std::memcpy(data, &v, len);
    } else {
      std::memcpy(&v, data, len);
      msix_.Write(off, len, v);
      SendMessages(msix_.CollectReleased(), delay);
    }
  } else if (trans.is_read()) {
    ++counters_.bar_reads;
    std::memcpy(data, bar0_.data() + off, len);
  } else {
    ++counters_.bar_writes;
    std::memcpy(bar0_.data() + off, data, len);
  }
  SetCompletion(trans, CompletionStatus::kSuccessful);
}

tlm::tlm_response_status TestEndpoint::DmaWrite(uint64_t bus, const void* data, uint32_t length,
                                                sc_core::sc_time& delay) {
  if (!config_.BusMasterEnabled()) return tlm::TLM_COMMAND_ERROR_RESPONSE;  // 7.5.1.1.3
  dma_.set_command(tlm::TLM_WRITE_COMMAND);
  dma_.set_address(bus);
  dma_.set_data_ptr(const_cast<uint8_t*>(static_cast<const uint8_t*>(data)));
  dma_.set_data_length(length);
  dma_.set_streaming_width(length);
  dma_.set_byte_enable_ptr(nullptr);
  dma_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  pcie_initiator->b_transport(dma_, delay);
  return dma_.get_response_status();
}

tlm::tlm_response_status TestEndpoint::DmaRead(uint64_t bus, void* data, uint32_t length,
                                               sc_core::sc_time& delay) {
  if (!config_.BusMasterEnabled()) return tlm::TLM_COMMAND_ERROR_RESPONSE;
  dma_.set_command(tlm::TLM_READ_COMMAND);
  dma_.set_address(bus);
  dma_.set_data_ptr(static_cast<uint8_t*>(data));
  dma_.set_data_length(length);
  dma_.set_streaming_width(length);
  dma_.set_byte_enable_ptr(nullptr);
  dma_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  pcie_initiator->b_transport(dma_, delay);
  return dma_.get_response_status();
}

MsixOutcome TestEndpoint::SignalMsix(uint16_t vector, sc_core::sc_time& delay) {
  const MsixSignal s = msix_.Signal(vector);
  if (s.outcome == MsixOutcome::kSend) SendMessages({s.message}, delay);
  if (s.outcome == MsixOutcome::kPending) ++counters_.msix_pending;
  return s.outcome;
}

void TestEndpoint::SendMessages(const std::vector<MsixMessage>& messages, sc_core::sc_time& delay) {
  for (const MsixMessage& m : messages) {
    uint32_t data = m.data;
    ++counters_.msix_sent;
    DmaWrite(m.address, &data, 4, delay);  // 6.1.4.3: an MSI is a DWORD memory write
  }
}

}  // namespace nvmesim::pcie
