// Device-side PCI configuration space of one NVMe function (plain C++).
//
// Layout (PCIe 5.0 7.5.1 type 0 header, capability list from 34h):
//   00h-3Fh type 0 header; BAR0/BAR1 = one 64-bit non-prefetchable memory BAR
//   40h     Power Management capability (7.5.2)          -> next 50h
//   50h     MSI-X capability (7.7.2), table + PBA in BAR0 -> next 60h
//   60h     PCI Express capability v2, endpoint (7.5.3)   -> end of list
//   100h    no extended capabilities (header reads 0, 7.6.2)
// Writes honour per-bit write masks (read-only, read-write, write-1-to-clear);
// BAR0 sizing works the way hosts do it (write all ones, read back the mask).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace nvmesim::pcie {

struct ConfigSpaceConfig {
  uint16_t vendor_id = 0x1B36;  // example vendor id (QEMU's range)
  uint16_t device_id = 0x0010;
  uint16_t subsystem_vendor_id = 0x1B36;
  uint16_t subsystem_id = 0x0010;
  uint8_t revision_id = 0x02;
  uint64_t bar0_size = 0x4000;           // power of two, >= 128 bytes (7.5.1.2.1)
  uint16_t msix_vectors = 65;            // 1..2048 (7.7.2.2)
  uint32_t msix_table_offset = 0x2000;   // in BAR0, 8-byte aligned (7.7.2.3)
  uint32_t msix_pba_offset = 0x3000;     // in BAR0, 8-byte aligned (7.7.2.4)
  uint32_t max_payload_supported = 512;  // 128..4096 (7.5.3.3)
  unsigned max_link_generation = 5;      // 1..5 (7.5.3.6 Max Link Speed)
  unsigned max_link_width = 4;           // 1,2,4,8,16 (7.5.3.6 Maximum Link Width)
  bool flr_capable = true;               // 7.5.3.3 Function Level Reset capability
};

// "" or a message naming the field and its limit.
std::string ValidateConfigSpaceConfig(const ConfigSpaceConfig& config);

class ConfigSpace {
 public:
  static constexpr uint32_t kPmCapOffset = 0x40;
  static constexpr uint32_t kMsixCapOffset = 0x50;
  static constexpr uint32_t kPcieCapOffset = 0x60;

  // The config must be valid (ValidateConfigSpaceConfig); an invalid one throws
  // std::invalid_argument with that message.
  explicit ConfigSpace(const ConfigSpaceConfig& config = {});

  // size 1, 2 or 4; the access must not cross a dword. Out-of-range or
  // misaligned accesses read as zero / are ignored (and return false).
  uint32_t Read(uint32_t offset, unsigned size) const;
  bool Write(uint32_t offset, unsigned size, uint32_t value);

  // Back to power-on values (conventional reset / FLR); link status is kept.
  void Reset();

  uint64_t Bar0Base() const;  // the assigned address, flags stripped
  uint64_t Bar0Size() const { return config_.bar0_size; }
  bool Bar0Contains(uint64_t address, uint64_t length) const;
  bool MemorySpaceEnabled() const;
  bool BusMasterEnabled() const;
  bool MsixEnabled() const;
  bool MsixFunctionMasked() const;
  uint32_t MaxPayloadSize() const;          // bytes, from Device Control
  uint32_t MaxReadRequestSize() const;      // bytes, from Device Control
  uint32_t ReadCompletionBoundary() const;  // 64 or 128, from Link Control
  unsigned PowerState() const;              // 0 = D0 .. 3 = D3hot
  // True once after software set Initiate FLR (7.5.3.4 bit 15); the caller resets the function.
  bool TakeFlrRequest();

  // Link Status as trained (the link model reports changes through the device).
  void SetLinkStatus(unsigned generation, unsigned width);

  const ConfigSpaceConfig& config() const { return config_; }

 private:
  void Set8(uint32_t off, uint8_t v, uint8_t wmask = 0, uint8_t w1c = 0);
  void Set16(uint32_t off, uint16_t v, uint16_t wmask = 0, uint16_t w1c = 0);
  void Set32(uint32_t off, uint32_t v, uint32_t wmask = 0, uint32_t w1c = 0);
  uint16_t Get16(uint32_t off) const;
  uint32_t Get32(uint32_t off) const;

  ConfigSpaceConfig config_;
  std::array<uint8_t, 4096> data_{};
  std::array<uint8_t, 4096> wmask_{};
  std::array<uint8_t, 4096> w1cmask_{};
  bool flr_requested_ = false;
};

}  // namespace nvmesim::pcie
