// Host-style enumeration of the function behind each root port, done entirely
// with CPU accesses through the root complex (ECAM config cycles and BAR0
// memory writes), the way a host's PCI core does it:
//   1. read Vendor ID (all ones = nothing there) and class code;
//   2. size BAR0/BAR1 (64-bit): write all ones, read back, restore (7.5.1.2.1);
//   3. assign an address from the MMIO pool, aligned to the BAR size, and open
//      the root port's window on it;
//   4. walk the capability list: PCI Express (program MPS, MRRS), PM, MSI-X
//      (table size, table / PBA BIR and offset);
//   5. enable Memory Space and Bus Master (7.5.1.1.3).
// The accesses take simulated time; the total is returned in `elapsed`.
#pragma once

#include <systemc>

#include <cstdint>
#include <string>

#include "pcie_model/root_complex.h"

namespace nvmesim::pcie {

struct EnumeratedFunction {
  unsigned port = 0;
  unsigned bus = 0;
  uint16_t vendor_id = 0, device_id = 0;
  uint32_t class_code = 0;
  uint64_t bar0_base = 0, bar0_size = 0;
  uint8_t pm_cap = 0, pcie_cap = 0, msix_cap = 0;  // config offsets, 0 = absent
  uint16_t msix_vectors = 0;
  uint8_t msix_table_bir = 0, msix_pba_bir = 0;
  uint32_t msix_table_offset = 0, msix_pba_offset = 0;
  unsigned link_generation = 0, link_width = 0;  // from Link Status
};

struct EnumerationResult {
  std::string error;  // "" on success
  EnumeratedFunction function;
};

class Enumerator {
 public:
  // BARs are assigned from [mmio_base, mmio_limit).
  Enumerator(RootComplex& rc, uint64_t mmio_base = 0xC0000000, uint64_t mmio_limit = 0xE0000000);

  // Max Payload Size and Max Read Request Size to program (bytes, 128..4096).
  EnumerationResult Enumerate(unsigned port, uint32_t max_payload_size = 256,
                              uint32_t max_read_request_size = 512);

  // MSI-X through config and BAR writes (7.7.2).
  void ProgramMsixVector(const EnumeratedFunction& fn, uint16_t vector, uint64_t address,
                         uint32_t data, bool masked = false);
  void SetMsixVectorMasked(const EnumeratedFunction& fn, uint16_t vector, bool masked);
  void SetMsixControl(const EnumeratedFunction& fn, bool enable, bool function_mask);

  uint32_t ConfigRead(unsigned port, uint32_t reg, unsigned size);
  void ConfigWrite(unsigned port, uint32_t reg, unsigned size, uint32_t value);
  uint64_t MemRead(uint64_t address, unsigned size);
  void MemWrite(uint64_t address, unsigned size, uint64_t value);

  const sc_core::sc_time& elapsed() const { return elapsed_; }

 private:
  uint64_t Access(bool write, uint64_t address, unsigned size, uint64_t value);
  RootComplex& rc_;
  uint64_t next_;
  uint64_t limit_;
  sc_core::sc_time elapsed_;
};

}  // namespace nvmesim::pcie
