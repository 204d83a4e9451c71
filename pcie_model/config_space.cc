#include "pcie_model/config_space.h"

#include <sstream>
#include <stdexcept>

#include "spec/pcie.h"

namespace nvmesim::pcie {
namespace {

bool IsPowerOfTwo(uint64_t v) { return v && !(v & (v - 1)); }

}  // namespace

std::string ValidateConfigSpaceConfig(const ConfigSpaceConfig& c) {
  std::ostringstream os;
  const uint64_t table_bytes = uint64_t(c.msix_vectors) * sizeof(spec::MsixTableEntry);
  const uint64_t pba_bytes = (uint64_t(c.msix_vectors) + 63) / 64 * 8;  // 7.7.2: QWORD array
  if (!IsPowerOfTwo(c.bar0_size) || c.bar0_size < 128) {
    // 7.5.1.2.1: memory BARs size as powers of two; 128 bytes is the smallest
    // recommended (4 KiB for a function's registers in practice).
    os << "pcie config: bar0_size " << c.bar0_size << " is not a power of two >= 128";
  } else if (c.bar0_size > (uint64_t(1) << 40)) {
    os << "pcie config: bar0_size " << c.bar0_size << " exceeds 1 TiB";
  } else if (c.msix_vectors < 1 || c.msix_vectors > spec::kMsixMaxVectors) {
    os << "pcie config: msix_vectors " << c.msix_vectors << " is not 1..2048 (PCIe 5.0 7.7.2.2)";
  } else if ((c.msix_table_offset & 7) || (c.msix_pba_offset & 7)) {
    os << "pcie config: msix_table_offset / msix_pba_offset must be 8-byte aligned (PCIe 5.0 "
          "7.7.2.3)";
  } else if (c.msix_table_offset + table_bytes > c.bar0_size) {
    os << "pcie config: MSI-X table [" << c.msix_table_offset << ", +" << table_bytes
       << ") does not fit in bar0_size " << c.bar0_size;
  } else if (c.msix_pba_offset + pba_bytes > c.bar0_size) {
    os << "pcie config: MSI-X PBA [" << c.msix_pba_offset << ", +" << pba_bytes
       << ") does not fit in bar0_size " << c.bar0_size;
  } else if (c.msix_pba_offset < c.msix_table_offset + table_bytes &&
             c.msix_table_offset < c.msix_pba_offset + pba_bytes) {
    os << "pcie config: MSI-X table and PBA overlap";
  } else if (spec::PayloadBytesToEncoding(c.max_payload_supported) < 0) {
    os << "pcie config: max_payload_supported " << c.max_payload_supported
       << " is not 128..4096, a power of two (PCIe 5.0 7.5.3.3)";
  } else if (c.max_link_generation < 1 || c.max_link_generation > 5) {
    os << "pcie config: max_link_generation " << c.max_link_generation << " is not 1..5";
  } else if (c.max_link_width != 1 && c.max_link_width != 2 && c.max_link_width != 4 &&
             c.max_link_width != 8 && c.max_link_width != 16) {
    os << "pcie config: max_link_width x" << c.max_link_width << " is not x1/x2/x4/x8/x16";
  }
  return os.str();
}

ConfigSpace::ConfigSpace(const ConfigSpaceConfig& config) : config_(config) {
  const std::string error = ValidateConfigSpaceConfig(config);
  if (!error.empty()) throw std::invalid_argument(error);
  Reset();
  SetLinkStatus(config.max_link_generation, config.max_link_width);
}

void ConfigSpace::Set8(uint32_t off, uint8_t v, uint8_t wmask, uint8_t w1c) {
  data_[off] = v;
  wmask_[off] = wmask;
  w1cmask_[off] = w1c;
}
void ConfigSpace::Set16(uint32_t off, uint16_t v, uint16_t wmask, uint16_t w1c) {
  Set8(off, v & 0xFF, wmask & 0xFF, w1c & 0xFF);
  Set8(off + 1, v >> 8, wmask >> 8, w1c >> 8);
}
void ConfigSpace::Set32(uint32_t off, uint32_t v, uint32_t wmask, uint32_t w1c) {
  Set16(off, v & 0xFFFF, wmask & 0xFFFF, w1c & 0xFFFF);
  Set16(off + 2, v >> 16, wmask >> 16, w1c >> 16);
}
uint16_t ConfigSpace::Get16(uint32_t off) const {
  return static_cast<uint16_t>(data_[off] | data_[off + 1] << 8);
}
uint32_t ConfigSpace::Get32(uint32_t off) const {
  return Get16(off) | static_cast<uint32_t>(Get16(off + 2)) << 16;
}

void ConfigSpace::Reset() {
  // Keep the trained link status across a function reset.
  const uint16_t link_status = Get16(kPcieCapOffset + spec::kPcieLinkStatus);
  data_.fill(0);
  wmask_.fill(0);
  w1cmask_.fill(0);
  flr_requested_ = false;
  const auto& c = config_;
  using namespace spec;
  // --- Type 0 header (7.5.1).
  Set16(kCfgVendorId, c.vendor_id);
  Set16(kCfgDeviceId, c.device_id);
  Set16(kCfgCommand, 0,
        kCommandMemorySpace | kCommandBusMaster | kCommandParityErrorResponse | kCommandSerrEnable |
            kCommandInterruptDisable);
  Set16(kCfgStatus, kStatusCapabilitiesList, 0,
        kStatusSignaledTargetAbort | kStatusReceivedTargetAbort | kStatusReceivedMasterAbort |
            kStatusSignaledSystemError | kStatusDetectedParityError);
  Set8(kCfgRevisionId, c.revision_id);
  Set8(kCfgClassCode + 0, kNvmeClassCode & 0xFF);          // prog-if 02h
  Set8(kCfgClassCode + 1, (kNvmeClassCode >> 8) & 0xFF);   // sub-class 08h
  Set8(kCfgClassCode + 2, (kNvmeClassCode >> 16) & 0xFF);  // base class 01h
  Set8(0x0C, 0, 0xFF);                                     // cache line size (RW, no effect)
  Set8(kCfgHeaderType, 0x00);                              // type 0, single function
  // BAR0/1: 64-bit memory BAR; address bits below the size read as zero (7.5.1.2.1).
  const uint64_t addr_mask = ~(c.bar0_size - 1);
  Set32(kCfgBar0, kBarMemoryType64, static_cast<uint32_t>(addr_mask) & ~kBarMemoryFlagsMask);
  Set32(kCfgBar1, 0, static_cast<uint32_t>(addr_mask >> 32));
  Set16(kCfgSubsystemVendorId, c.subsystem_vendor_id);
  Set16(kCfgSubsystemId, c.subsystem_id);
  Set8(kCfgCapabilitiesPointer, kPmCapOffset);
  Set8(kCfgInterruptLine, 0xFF, 0xFF);
  Set8(kCfgInterruptPin, 0x01);  // INTA# (NVMe functions also support INTx)

  // --- Power Management (7.5.2).
  Set8(kPmCapOffset, kPowerManagement);
  Set8(kPmCapOffset + 1, kMsixCapOffset);
  Set16(kPmCapOffset + 2, kPmcVersion3);
  Set16(kPmCapOffset + 4, kPmcsrNoSoftReset, kPmcsrPowerStateMask);

  // --- MSI-X (7.7.2): table and PBA in BAR0 (BIR 0).
  Set8(kMsixCapOffset, kMsix);
  Set8(kMsixCapOffset + 1, kPcieCapOffset);
  Set16(kMsixCapOffset + kMsixMessageControl, (c.msix_vectors - 1) & kMsixTableSizeMask,
        kMsixEnable | kMsixFunctionMask);
  Set32(kMsixCapOffset + kMsixTableOffset, c.msix_table_offset | 0);
  Set32(kMsixCapOffset + kMsixPbaOffset, c.msix_pba_offset | 0);

  // --- PCI Express capability, endpoint, version 2 (7.5.3).
  const uint32_t p = kPcieCapOffset;
  Set8(p, kPciExpress);
  Set8(p + 1, 0);  // end of list
  Set16(p + kPcieCapabilities, kPcieCapVersion2 | kPcieTypeEndpoint);
  Set32(p + kPcieDeviceCapabilities,
        static_cast<uint32_t>(PayloadBytesToEncoding(c.max_payload_supported)) |
            (c.flr_capable ? kDevCapFlr : 0));
  // Device Control defaults (7.5.3.4): MPS 128 (000b), MRRS 512 (010b),
  // Enable Relaxed Ordering bit 4 and No Snoop bit 11 set.
  Set16(p + kPcieDeviceControl, (2u << kDevCtlMrrsShift) | (1u << 4) | (1u << 11),
        0x7FFF | (c.flr_capable ? kDevCtlInitiateFlr : 0));
  Set16(p + kPcieDeviceStatus, 0, 0, 0x000F);  // error detected bits RW1C (7.5.3.5)
  Set32(p + kPcieLinkCapabilities,
        c.max_link_generation | (c.max_link_width << kLinkCapWidthShift));
  Set16(p + kPcieLinkControl, 0, 0x01FB);  // incl. RCB bit 3 (7.5.3.7)
  Set16(p + kPcieLinkStatus, link_status);
  // Completion Timeout Ranges A-D supported, disable supported (7.5.3.15).
  Set32(p + kPcieDeviceCapabilities2, 0xF | (1u << 4));
  Set16(p + kPcieDeviceControl2, 0, 0x001F);
  uint32_t speeds = 0;
  for (unsigned g = 1; g <= c.max_link_generation; ++g)
    speeds |= 1u << (g - 1 + kLinkCap2SpeedsShift);
  Set32(p + kPcieLinkCapabilities2, speeds);
  Set16(p + kPcieLinkControl2, c.max_link_generation, 0x000F);  // Target Link Speed
}

uint32_t ConfigSpace::Read(uint32_t offset, unsigned size) const {
  if ((size != 1 && size != 2 && size != 4) || offset >= data_.size() || (offset & 3) + size > 4) {
    return 0;
  }
  uint32_t v = 0;
  for (unsigned i = 0; i < size; ++i) v |= static_cast<uint32_t>(data_[offset + i]) << (8 * i);
  return v;
}

bool ConfigSpace::Write(uint32_t offset, unsigned size, uint32_t value) {
  if ((size != 1 && size != 2 && size != 4) || offset >= data_.size() || (offset & 3) + size > 4) {
    return false;
  }
  for (unsigned i = 0; i < size; ++i) {
    const uint8_t b = static_cast<uint8_t>(value >> (8 * i));
    const uint32_t o = offset + i;
    data_[o] = static_cast<uint8_t>((data_[o] & ~wmask_[o]) | (b & wmask_[o]));
    data_[o] &= static_cast<uint8_t>(~(b & w1cmask_[o]));
  }
  const uint32_t flr_byte = kPcieCapOffset + spec::kPcieDeviceControl + 1;
  if (data_[flr_byte] & 0x80) {  // Initiate FLR always reads as zero (7.5.3.4)
    data_[flr_byte] &= 0x7F;
    flr_requested_ = true;
  }
  return true;
}

bool ConfigSpace::TakeFlrRequest() {
  const bool r = flr_requested_;
  flr_requested_ = false;
  return r;
}

uint64_t ConfigSpace::Bar0Base() const {
  return (static_cast<uint64_t>(Get32(spec::kCfgBar1)) << 32 | Get32(spec::kCfgBar0)) &
         ~uint64_t(spec::kBarMemoryFlagsMask);
}

bool ConfigSpace::Bar0Contains(uint64_t address, uint64_t length) const {
  const uint64_t base = Bar0Base();
  return address >= base && length <= config_.bar0_size &&
         address - base <= config_.bar0_size - length;
}

bool ConfigSpace::MemorySpaceEnabled() const {
  return Get16(spec::kCfgCommand) & spec::kCommandMemorySpace;
}
bool ConfigSpace::BusMasterEnabled() const {
  return Get16(spec::kCfgCommand) & spec::kCommandBusMaster;
}
bool ConfigSpace::MsixEnabled() const {
  return Get16(kMsixCapOffset + spec::kMsixMessageControl) & spec::kMsixEnable;
}
bool ConfigSpace::MsixFunctionMasked() const {
  return Get16(kMsixCapOffset + spec::kMsixMessageControl) & spec::kMsixFunctionMask;
}
uint32_t ConfigSpace::MaxPayloadSize() const {
  return spec::PayloadEncodingToBytes(
      (Get16(kPcieCapOffset + spec::kPcieDeviceControl) & spec::kDevCtlMpsMask) >>
      spec::kDevCtlMpsShift);
}
uint32_t ConfigSpace::MaxReadRequestSize() const {
  return spec::PayloadEncodingToBytes(
      (Get16(kPcieCapOffset + spec::kPcieDeviceControl) & spec::kDevCtlMrrsMask) >>
      spec::kDevCtlMrrsShift);
}
uint32_t ConfigSpace::ReadCompletionBoundary() const {
  return (Get16(kPcieCapOffset + spec::kPcieLinkControl) & spec::kLinkCtlRcb128) ? 128 : 64;
}
unsigned ConfigSpace::PowerState() const {
  return Get16(kPmCapOffset + 4) & spec::kPmcsrPowerStateMask;
}

void ConfigSpace::SetLinkStatus(unsigned generation, unsigned width) {
  const uint32_t off = kPcieCapOffset + spec::kPcieLinkStatus;
  const uint16_t v =
      static_cast<uint16_t>((generation & spec::kLinkStaSpeedMask) |
                            ((width << spec::kLinkStaWidthShift) & spec::kLinkStaWidthMask));
  data_[off] = v & 0xFF;
  data_[off + 1] = v >> 8;
}

}  // namespace nvmesim::pcie
