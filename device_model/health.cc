#include "device_model/health.h"

namespace nvmesim::device {

namespace {
void Put16(uint8_t* p, uint16_t v) { std::memcpy(p, &v, 2); }
void Put128(uint8_t* p, uint64_t v) {  // 128-bit little-endian counters (Figure 207)
  std::memcpy(p, &v, 8);
  std::memset(p + 8, 0, 8);
}
uint64_t DataUnits(uint64_t bytes) {  // thousands of 512-byte units, rounded up (Figure 207)
  const uint64_t units512 = (bytes + 511) / 512;
  return (units512 + 999) / 1000;
}
}  // namespace

void Health::AddError(uint16_t sqid, uint16_t cid, uint16_t status_field, uint32_t nsid,
                      uint64_t lba, uint16_t param_location) {
  ++error_log_entries;
  ErrorLogEntry& e = ring_[next_];
  e = ErrorLogEntry{};
  e.error_count = error_log_entries;  // unique, incrementing (Figure 205)
  e.sqid = sqid;
  e.cid = cid;
  e.status = status_field;
  e.param_location = param_location;
  e.lba = lba;
  e.nsid = nsid;
  next_ = (next_ + 1) % kErrorLogEntries;
}

void Health::FillErrorLog(uint8_t* out) const {
  for (size_t i = 0; i < kErrorLogEntries; ++i) {
    const size_t idx = (next_ + kErrorLogEntries - 1 - i) % kErrorLogEntries;
    std::memcpy(out + i * sizeof(ErrorLogEntry), &ring_[idx], sizeof(ErrorLogEntry));
  }
}

void Health::FillSmartLog(uint8_t* out, uint16_t warning_k, uint16_t critical_k) const {
  std::memset(out, 0, 512);
  uint8_t cw = critical_warning;
  if (temperature_kelvin >= warning_k) cw |= 1u << 1;  // temperature (Figure 207 bit 1)
  out[0] = cw;
  Put16(out + 1, temperature_kelvin);  // composite temperature, Kelvin
  out[3] = available_spare;
  out[4] = spare_threshold;
  out[5] = percentage_used;
  Put128(out + 32, DataUnits(read_bytes));
  Put128(out + 48, DataUnits(write_bytes));
  Put128(out + 64, host_read_commands);
  Put128(out + 80, host_write_commands);
  Put128(out + 96, busy_ps / 60'000'000'000'000ull);  // controller busy time, minutes
  Put128(out + 112, power_cycles);
  Put128(out + 128, power_on_ps / 3'600'000'000'000'000ull);  // power on hours
  Put128(out + 144, unsafe_shutdowns);
  Put128(out + 160, media_errors);
  Put128(out + 176, error_log_entries);
  const uint32_t wmin = static_cast<uint32_t>(warning_temp_ps / 60'000'000'000'000ull);
  const uint32_t cmin = static_cast<uint32_t>(critical_temp_ps / 60'000'000'000'000ull);
  std::memcpy(out + 192, &wmin, 4);      // warning composite temperature time, minutes
  std::memcpy(out + 196, &cmin, 4);      // critical composite temperature time
  Put16(out + 200, temperature_kelvin);  // temperature sensor 1
  (void)critical_k;
}

}  // namespace nvmesim::device
