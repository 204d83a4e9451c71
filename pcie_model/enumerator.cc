#include "pcie_model/enumerator.h"

#include <sstream>

#include "spec/pcie.h"

namespace nvmesim::pcie {

using namespace spec;

Enumerator::Enumerator(RootComplex& rc, uint64_t mmio_base, uint64_t mmio_limit)
    : rc_(rc), next_(mmio_base), limit_(mmio_limit), elapsed_(sc_core::SC_ZERO_TIME) {}

uint64_t Enumerator::Access(bool write, uint64_t address, unsigned size, uint64_t value) {
  uint8_t buf[8] = {};
  for (unsigned i = 0; i < size; ++i) buf[i] = static_cast<uint8_t>(value >> (8 * i));
  tlm::tlm_generic_payload p;
  p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  p.set_address(address);
  p.set_data_ptr(buf);
  p.set_data_length(size);
  p.set_streaming_width(size);
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  // Each access starts when the previous one has finished.
  rc_.CpuTransport(p, elapsed_);
  uint64_t v = 0;
  for (unsigned i = 0; i < size; ++i) v |= uint64_t(buf[i]) << (8 * i);
  return v;
}

uint32_t Enumerator::ConfigRead(unsigned port, uint32_t reg, unsigned size) {
  return static_cast<uint32_t>(
      Access(false, rc_.EcamAddress(rc_.PortBus(port), 0, 0, reg), size, 0));
}
void Enumerator::ConfigWrite(unsigned port, uint32_t reg, unsigned size, uint32_t value) {
  Access(true, rc_.EcamAddress(rc_.PortBus(port), 0, 0, reg), size, value);
}
uint64_t Enumerator::MemRead(uint64_t address, unsigned size) {
  return Access(false, address, size, 0);
}
void Enumerator::MemWrite(uint64_t address, unsigned size, uint64_t value) {
  Access(true, address, size, value);
}

EnumerationResult Enumerator::Enumerate(unsigned port, uint32_t mps, uint32_t mrrs) {
  EnumerationResult r;
  EnumeratedFunction& f = r.function;
  std::ostringstream err;
  const int mps_enc = PayloadBytesToEncoding(mps);
  const int mrrs_enc = PayloadBytesToEncoding(mrrs);
  if (port >= rc_.port_count()) {
    err << "enumerate: port " << port << " does not exist";
  } else if (mps_enc < 0 || mrrs_enc < 0) {
    err << "enumerate: max_payload_size " << mps << " / max_read_request_size " << mrrs
        << " must be 128..4096, a power of two (PCIe 5.0 7.5.3.4)";
  }
  if (!err.str().empty()) {
    r.error = err.str();
    return r;
  }
  f.port = port;
  f.bus = rc_.PortBus(port);
  // 1. Anything there? (7.5.1.1.1: all ones = no function)
  f.vendor_id = static_cast<uint16_t>(ConfigRead(port, kCfgVendorId, 2));
  if (f.vendor_id == 0xFFFF) {
    err << "enumerate: no function behind port " << port << " (vendor id reads 0xFFFF)";
    r.error = err.str();
    return r;
  }
  f.device_id = static_cast<uint16_t>(ConfigRead(port, kCfgDeviceId, 2));
  f.class_code = ConfigRead(port, kCfgRevisionId, 4) >> 8;
  if ((ConfigRead(port, kCfgHeaderType, 1) & 0x7F) != 0) {
    r.error = "enumerate: not a type 0 (endpoint) header";
    return r;
  }
  // 2. Size BAR0 (7.5.1.2.1): memory decode off, write all ones, read back, restore.
  const uint16_t cmd = static_cast<uint16_t>(ConfigRead(port, kCfgCommand, 2));
  ConfigWrite(port, kCfgCommand, 2, cmd & ~(kCommandMemorySpace | kCommandIoSpace));
  const uint32_t lo = ConfigRead(port, kCfgBar0, 4);
  if ((lo & 1) || (lo & 0x6) != kBarMemoryType64) {
    r.error = "enumerate: BAR0 is not a 64-bit memory BAR";
    return r;
  }
  const uint32_t hi = ConfigRead(port, kCfgBar1, 4);
  ConfigWrite(port, kCfgBar0, 4, 0xFFFFFFFF);
  ConfigWrite(port, kCfgBar1, 4, 0xFFFFFFFF);
  const uint64_t mask = uint64_t(ConfigRead(port, kCfgBar1, 4)) << 32 |
                        (ConfigRead(port, kCfgBar0, 4) & ~kBarMemoryFlagsMask);
  ConfigWrite(port, kCfgBar0, 4, lo);
  ConfigWrite(port, kCfgBar1, 4, hi);
  f.bar0_size = ~mask + 1;
  if (mask == 0 || (f.bar0_size & (f.bar0_size - 1))) {
    r.error = "enumerate: BAR0 sizing read back no size";
    return r;
  }
  // 3. Assign: naturally aligned from the MMIO pool.
  const uint64_t base = (next_ + f.bar0_size - 1) & ~(f.bar0_size - 1);
  if (base + f.bar0_size > limit_) {
    err << "enumerate: BAR0 of 0x" << std::hex << f.bar0_size
        << " bytes does not fit the MMIO pool";
    r.error = err.str();
    return r;
  }
  ConfigWrite(port, kCfgBar0, 4, static_cast<uint32_t>(base));
  ConfigWrite(port, kCfgBar1, 4, static_cast<uint32_t>(base >> 32));
  f.bar0_base = base;
  next_ = base + f.bar0_size;
  r.error = rc_.SetPortWindow(port, base, f.bar0_size);
  if (!r.error.empty()) return r;
  // 4. Capabilities (7.5.1.1.10 list; at most 48 entries in 192 bytes).
  uint32_t ptr = ConfigRead(port, kCfgCapabilitiesPointer, 1) & 0xFC;
  for (int guard = 0; ptr && guard < 48; ++guard) {
    const uint32_t id = ConfigRead(port, ptr, 1);
    if (id == kPowerManagement) f.pm_cap = static_cast<uint8_t>(ptr);
    if (id == kPciExpress) f.pcie_cap = static_cast<uint8_t>(ptr);
    if (id == kMsix) f.msix_cap = static_cast<uint8_t>(ptr);
    ptr = ConfigRead(port, ptr + 1, 1) & 0xFC;
  }
  if (f.pcie_cap) {
    const uint32_t devcap = ConfigRead(port, f.pcie_cap + kPcieDeviceCapabilities, 4);
    const int supported = static_cast<int>(devcap & kDevCapMpsMask);
    const int use_mps = mps_enc < supported ? mps_enc : supported;
    uint16_t ctl = static_cast<uint16_t>(ConfigRead(port, f.pcie_cap + kPcieDeviceControl, 2));
    ctl = static_cast<uint16_t>((ctl & ~(kDevCtlMpsMask | kDevCtlMrrsMask | kDevCtlInitiateFlr)) |
                                (use_mps << kDevCtlMpsShift) | (mrrs_enc << kDevCtlMrrsShift));
    ConfigWrite(port, f.pcie_cap + kPcieDeviceControl, 2, ctl);
    const uint32_t sta = ConfigRead(port, f.pcie_cap + kPcieLinkStatus, 2);
    f.link_generation = sta & kLinkStaSpeedMask;
    f.link_width = (sta & kLinkStaWidthMask) >> kLinkStaWidthShift;
  }
  if (f.msix_cap) {
    const uint32_t ctl = ConfigRead(port, f.msix_cap + kMsixMessageControl, 2);
    f.msix_vectors = static_cast<uint16_t>((ctl & kMsixTableSizeMask) + 1);
    const uint32_t t = ConfigRead(port, f.msix_cap + kMsixTableOffset, 4);
    const uint32_t p = ConfigRead(port, f.msix_cap + kMsixPbaOffset, 4);
    f.msix_table_bir = t & kMsixBirMask;
    f.msix_table_offset = t & ~kMsixBirMask;
    f.msix_pba_bir = p & kMsixBirMask;
    f.msix_pba_offset = p & ~kMsixBirMask;
    if (f.msix_table_bir != 0 || f.msix_pba_bir != 0) {
      r.error = "enumerate: MSI-X table or PBA outside BAR0 is not supported";
      return r;
    }
  }
  // 5. Decode memory and allow DMA (7.5.1.1.3).
  ConfigWrite(port, kCfgCommand, 2,
              (cmd & ~kCommandIoSpace) | kCommandMemorySpace | kCommandBusMaster);
  return r;
}

void Enumerator::ProgramMsixVector(const EnumeratedFunction& fn, uint16_t vector, uint64_t address,
                                   uint32_t data, bool masked) {
  const uint64_t e = fn.bar0_base + fn.msix_table_offset + 16ull * vector;
  MemWrite(e + 12, 4, kMsixVectorMasked);  // mask while the entry changes (6.1.4.5)
  MemWrite(e + 0, 4, address & 0xFFFFFFFF);
  MemWrite(e + 4, 4, address >> 32);
  MemWrite(e + 8, 4, data);
  MemWrite(e + 12, 4, masked ? kMsixVectorMasked : 0);
}

void Enumerator::SetMsixVectorMasked(const EnumeratedFunction& fn, uint16_t vector, bool masked) {
  MemWrite(fn.bar0_base + fn.msix_table_offset + 16ull * vector + 12, 4,
           masked ? kMsixVectorMasked : 0);
}

void Enumerator::SetMsixControl(const EnumeratedFunction& fn, bool enable, bool function_mask) {
  ConfigWrite(fn.port, fn.msix_cap + kMsixMessageControl, 2,
              (enable ? kMsixEnable : 0) | (function_mask ? kMsixFunctionMask : 0));
}

}  // namespace nvmesim::pcie
