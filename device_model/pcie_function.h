// The controller's PCIe function: pcie_model's ConfigSpace (type-0 header,
// 64-bit BAR0, PM / MSI-X / PCIe capabilities) and MsixTable (table and PBA
// in BAR0 above the doorbells), behind the few calls the controller needs.
#pragma once

#include <cstdint>
#include <vector>

#include "pcie_model/config_space.h"
#include "pcie_model/msix.h"

namespace nvmesim::device {

struct MsixMessage {
  bool send = false;  // false: vector masked (pending bit set) or MSI-X off
  uint64_t addr = 0;
  uint32_t data = 0;
};

class PcieFunction {
 public:
  explicit PcieFunction(const pcie::ConfigSpaceConfig& cfg) : config_(cfg), msix_(config_) {}

  uint32_t ConfigRead(uint32_t offset, unsigned size) const { return config_.Read(offset, size); }
  void ConfigWrite(uint32_t offset, unsigned size, uint32_t value) {
    config_.Write(offset, size, value);
  }
  bool TakeFlrRequest() { return config_.TakeFlrRequest(); }

  uint64_t Bar0Base() const { return config_.Bar0Base(); }
  bool MemorySpaceEnabled() const { return config_.MemorySpaceEnabled(); }
  bool BusMasterEnabled() const { return config_.BusMasterEnabled(); }
  bool MsixEnabled() const { return config_.MsixEnabled(); }
  uint16_t msix_vectors() const { return msix_.vectors(); }

  bool IsMsixOffset(uint32_t bar_offset) const { return msix_.Claims(bar_offset, 1); }
  uint64_t MsixRead(uint32_t bar_offset, unsigned size) const {
    uint64_t v = 0;
    return msix_.Read(bar_offset, size, &v) ? v : 0;
  }
  void MsixWrite(uint32_t bar_offset, unsigned size, uint64_t value,
                 std::vector<MsixMessage>& released) {
    msix_.Write(bar_offset, size, value);
    ReleasePending(released);
  }
  // Messages for pending vectors whose masks are now clear.
  void ReleasePending(std::vector<MsixMessage>& out) {
    for (const pcie::MsixMessage& m : msix_.CollectReleased())
      out.push_back({true, m.address, m.data});
  }
  MsixMessage Signal(uint16_t vector) {
    const pcie::MsixSignal s = msix_.Signal(vector);
    if (s.outcome != pcie::MsixOutcome::kSend) return {};
    return {true, s.message.address, s.message.data};
  }
  bool Pending(uint16_t vector) const { return msix_.Pending(vector); }
  // Function Level Reset: configuration space and MSI-X back to power-on.
  void ResetFunction() {
    config_.Reset();
    msix_.Reset();
  }

  pcie::ConfigSpace& config_space() { return config_; }
  pcie::MsixTable& msix() { return msix_; }

 private:
  pcie::ConfigSpace config_;
  pcie::MsixTable msix_;
};

}  // namespace nvmesim::device
