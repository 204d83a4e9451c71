// Device-side MSI-X table and Pending Bit Array (PCIe 5.0 7.7.2), plain C++.
//
// The table and PBA live in BAR0 at the offsets the ConfigSpace advertises.
// Signal(vector) answers what the function must do now: send the message (a
// posted 4-byte memory write of msg_data to the 64-bit msg address), hold it
// pending (vector or function masked: 6.1.4.5), or drop it (MSI-X disabled).
// After any table write or MSI-X control change, CollectReleased() returns
// the pending messages whose masks are now clear (each sent once).
#pragma once

#include <cstdint>
#include <vector>

#include "pcie_model/config_space.h"
#include "spec/pcie.h"

namespace nvmesim::pcie {

struct MsixMessage {
  uint16_t vector = 0;
  uint64_t address = 0;
  uint32_t data = 0;
};

enum class MsixOutcome { kSend, kPending, kDisabled, kInvalidVector };

struct MsixSignal {
  MsixOutcome outcome = MsixOutcome::kDisabled;
  MsixMessage message;  // valid when outcome == kSend
};

class MsixTable {
 public:
  // Sized and placed from config.config() (vectors, table and PBA offsets);
  // MSI-X Enable and Function Mask are read live from `config`.
  explicit MsixTable(const ConfigSpace& config);

  uint16_t vectors() const { return static_cast<uint16_t>(entries_.size()); }
  // True when [bar_offset, +size) falls in the table or the PBA.
  bool Claims(uint64_t bar_offset, unsigned size) const;
  // size 4 or 8, naturally aligned (7.7.2: DWORD or QWORD accesses). Return
  // false (and do nothing) for accesses the table does not claim.
  bool Read(uint64_t bar_offset, unsigned size, uint64_t* value) const;
  bool Write(uint64_t bar_offset, unsigned size, uint64_t value);  // PBA is read-only

  MsixSignal Signal(uint16_t vector);
  std::vector<MsixMessage> CollectReleased();

  bool Pending(uint16_t vector) const;
  bool VectorMasked(uint16_t vector) const;
  const spec::MsixTableEntry& Entry(uint16_t vector) const { return entries_.at(vector); }
  void Reset();  // entries zero with Mask set (7.7.2.8), no pending bits

 private:
  MsixMessage MessageFor(uint16_t vector) const;

  const ConfigSpace& config_;
  uint64_t table_offset_;
  uint64_t pba_offset_;
  std::vector<spec::MsixTableEntry> entries_;
  std::vector<uint64_t> pba_;
};

}  // namespace nvmesim::pcie
