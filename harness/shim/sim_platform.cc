#include "harness/shim/sim_platform.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace nvmesim::harness {

// ---------------------------------------------------------------- SimMmio

SimMmio::SimMmio(HostCpu& cpu, CpuBus& bus, const pcie::EnumeratedFunction& fn)
    : cpu_(cpu), bus_(bus), bar_base_(fn.bar0_base), bar_size_(fn.bar0_size) {}

uint64_t SimMmio::Access(tlm::tlm_command cmd, uint64_t offset, unsigned size, uint64_t value) {
  if (offset + size > bar_size_ || offset + size < offset) {
    ++out_of_bar_;  // a driver bug: answer like a master abort, touch nothing
    return ~uint64_t{0};
  }
  uint8_t data[8] = {};
  std::memcpy(data, &value, size);  // little-endian host, as on the bus
  trans_.set_command(cmd);
  trans_.set_address(bar_base_ + offset);
  trans_.set_data_ptr(data);
  trans_.set_data_length(size);
  trans_.set_streaming_width(size);
  trans_.set_byte_enable_ptr(nullptr);
  trans_.set_dmi_allowed(false);
  trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  bus_.socket->b_transport(trans_, cpu_.local_offset());
  if (cmd == tlm::TLM_WRITE_COMMAND) return 0;
  if (trans_.get_response_status() != tlm::TLM_OK_RESPONSE) return ~uint64_t{0};
  uint64_t out = 0;
  std::memcpy(&out, data, size);
  return out;
}

uint32_t SimMmio::Read32(uint64_t offset) {
  return static_cast<uint32_t>(Access(tlm::TLM_READ_COMMAND, offset, 4, 0));
}
uint64_t SimMmio::Read64(uint64_t offset) { return Access(tlm::TLM_READ_COMMAND, offset, 8, 0); }
void SimMmio::Write32(uint64_t offset, uint32_t value) {
  Access(tlm::TLM_WRITE_COMMAND, offset, 4, value);
}
void SimMmio::Write64(uint64_t offset, uint64_t value) {
  Access(tlm::TLM_WRITE_COMMAND, offset, 8, value);
}

// ----------------------------------------------------------- SimDmaMemory

driver::hal::DmaBuffer SimDmaMemory::Allocate(size_t size, size_t align) {
  if (size == 0 || align == 0 || (align & (align - 1)) != 0) return {};
  const auto key = std::make_pair(size, align);
  uint64_t bus = 0;
  auto it = free_.find(key);
  if (it != free_.end() && !it->second.empty()) {
    bus = it->second.back();
    it->second.pop_back();
  } else {
    bus = (next_bus_ + align - 1) & ~(static_cast<uint64_t>(align) - 1);
    // Round the footprint up to 4 KiB so every buffer starts a fresh host page.
    next_bus_ = bus + ((size + 4095) & ~size_t{4095});
  }
  std::string error;
  uint8_t* cpu = memory_.Map(bus, size, &error);
  if (cpu == nullptr) return {};
  sizes_[bus] = key;
  ++live_;
  live_bytes_ += size;
  return {cpu, bus, size};
}

void SimDmaMemory::Free(const driver::hal::DmaBuffer& buffer) {
  auto it = sizes_.find(buffer.bus);
  if (it == sizes_.end()) return;  // not ours, or freed twice: ignore
  memory_.Unmap(buffer.bus);
  free_[it->second].push_back(buffer.bus);
  live_bytes_ -= it->second.first;
  --live_;
  sizes_.erase(it);
}

// ---------------------------------------------------------- SimInterrupts

SimInterrupts::SimInterrupts(HostCpu& cpu, pcie::Enumerator& enumerator,
                             const pcie::EnumeratedFunction& fn)
    : cpu_(cpu), enumerator_(enumerator), fn_(fn) {}

uint32_t SimInterrupts::Allocate(uint32_t count) {
  const uint32_t granted = std::min<uint32_t>(count, fn_.msix_vectors);
  vectors_.resize(granted);
  if (granted == 0) return 0;
  // Like a host's PCI core: function-mask, program each entry (address in the
  // MSI window, data = vector number), then enable with the function unmasked.
  enumerator_.SetMsixControl(fn_, /*enable=*/true, /*function_mask=*/true);
  for (uint32_t v = 0; v < granted; ++v) {
    enumerator_.ProgramMsixVector(fn_, static_cast<uint16_t>(v), pcie::kMsiWindowBase, v,
                                  /*masked=*/false);
  }
  enumerator_.SetMsixControl(fn_, /*enable=*/true, /*function_mask=*/false);
  return granted;
}

void SimInterrupts::SetHandler(uint32_t vector, Handler handler) {
  if (vector >= vectors_.size()) return;
  vectors_[vector].handler = std::move(handler);
}

void SimInterrupts::Mask(uint32_t vector) {
  if (vector < vectors_.size())
    enumerator_.SetMsixVectorMasked(fn_, static_cast<uint16_t>(vector), true);
}

void SimInterrupts::Unmask(uint32_t vector) {
  if (vector < vectors_.size())
    enumerator_.SetMsixVectorMasked(fn_, static_cast<uint16_t>(vector), false);
}

void SimInterrupts::OnMessageAt(uint64_t address, uint32_t data, uint64_t deliver_at_ps) {
  ++messages_;
  if (address != pcie::kMsiWindowBase || data >= vectors_.size()) {
    ++spurious_;  // a message we never programmed: count it, run nothing
    return;
  }
  Vector& v = vectors_[data];
  // Already latched: the pending handler runs no later than this message
  // would and reaps whatever this one announces too.
  if (v.pending) return;
  v.pending = true;
  cpu_.PostAt(sc_core::sc_time::from_value(deliver_at_ps), [this, data] {
    Vector& vec = vectors_[data];
    vec.pending = false;
    if (vec.handler) vec.handler();
  });
}

}  // namespace nvmesim::harness
