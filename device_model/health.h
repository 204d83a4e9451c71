// SMART / Health Information counters (NVMe Base 2.0 section 5.16.1.3,
// Figure 207), a simple thermal state and the Error Information log ring
// (section 5.16.1.2, Figure 205).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace nvmesim::device {

struct ErrorLogEntry {  // Base 2.0 Figure 205 (64 bytes)
  uint64_t error_count = 0;
  uint16_t sqid = 0;
  uint16_t cid = 0;
  uint16_t status = 0;  // status field (bit 0 = phase tag, as in the CQE)
  uint16_t param_location = 0;
  uint64_t lba = 0;
  uint32_t nsid = 0;
  uint8_t vendor = 0;
  uint8_t trtype = 0;
  uint8_t reserved0[2] = {};
  uint64_t cmd_specific = 0;
  uint16_t trtype_specific = 0;
  uint8_t reserved1[22] = {};
};
static_assert(sizeof(ErrorLogEntry) == 64);

class Health {
 public:
  static constexpr size_t kErrorLogEntries = 64;  // ELPE + 1 (Figure 275)

  // Counters (Figure 207). Data units are 1000 x 512 bytes, rounded up.
  uint64_t read_bytes = 0, write_bytes = 0;
  uint64_t host_read_commands = 0, host_write_commands = 0;
  uint64_t busy_ps = 0;
  uint64_t power_cycles = 1, power_on_ps = 0, unsafe_shutdowns = 0;
  uint64_t media_errors = 0, error_log_entries = 0;
  uint8_t critical_warning = 0;  // bit 1 temperature, bit 2 reliability, bit 3 read only
  uint8_t available_spare = 100, spare_threshold = 10, percentage_used = 0;
  uint16_t temperature_kelvin = 308;  // composite temperature
  bool temperature_overridden = false;
  uint64_t warning_temp_ps = 0, critical_temp_ps = 0;

  void AddError(uint16_t sqid, uint16_t cid, uint16_t status_field, uint32_t nsid, uint64_t lba,
                uint16_t param_location);
  // Entries newest first (Figure 205: entry 0 is the most recent).
  size_t ErrorLogBytes() const { return kErrorLogEntries * sizeof(ErrorLogEntry); }
  void FillErrorLog(uint8_t* out) const;  // kErrorLogEntries * 64 bytes
  void FillSmartLog(uint8_t* out, uint16_t warning_k, uint16_t critical_k) const;  // 512 bytes

 private:
  std::array<ErrorLogEntry, kErrorLogEntries> ring_{};
  size_t next_ = 0;
};

}  // namespace nvmesim::device
