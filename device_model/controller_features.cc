// Set Features / Get Features (NVMe Base 2.0 sections 5.27 and 5.15; feature
// table Figure 317, per-feature layouts Figures 320-345).
#include <algorithm>
#include <cstring>

#include "device_model/controller.h"
#include "device_model/thermal/thermal_model.h"

namespace nvmesim::device {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;

namespace {
// Feature identifiers (Base 2.0 Figure 317).
enum Fid : uint8_t {
  kArbitration = 0x01,
  kPowerManagement = 0x02,
  kTemperatureThreshold = 0x04,
  kErrorRecovery = 0x05,
  kVolatileWriteCache = 0x06,
  kNumberOfQueues = 0x07,
  kInterruptCoalescing = 0x08,
  kInterruptVectorConfig = 0x09,
  kAsyncEventConfig = 0x0B,
  kAutonomousPowerState = 0x0C,
  kTimestamp = 0x0E,
  kKeepAliveTimer = 0x0F,
  kHostBehaviorSupport = 0x16,
  kIoCommandSetProfile = 0x19,
};
// Supported Capabilities bits for SEL = 011b (Figure 333).
constexpr uint32_t kCapChangeable = 1u << 2;
constexpr uint32_t kCapNamespaceSpecific = 1u << 1;
}  // namespace

Status NvmeController::SetFeatures(Command& c) {
  const spec::Sqe& s = c.sqe;
  const uint8_t fid = static_cast<uint8_t>(s.cdw10 & 0xFF);
  const bool save = s.cdw10 >> 31;
  const uint32_t v = s.cdw11;
  if (save) return Status(CommandSpecificStatus::kFeatureIdNotSaveable, true);  // no saved values
  Status handled;
  if (ThermalSetFeature(fid, c, &handled)) return handled;
  switch (fid) {
    case kArbitration:  // AB 2:0, LPW 15:8, MPW 23:16, HPW 31:24 (Figure 320)
      arb_.burst_log2 = v & 7u;
      arb_.low_weight = static_cast<uint8_t>(v >> 8);
      arb_.medium_weight = static_cast<uint8_t>(v >> 16);
      arb_.high_weight = static_cast<uint8_t>(v >> 24);
      arb_.mechanism = cc_.ams();
      arbiter_.Configure(arb_);
      return Status::Ok();
    case kPowerManagement:  // PS 4:0 within NPSS (Figure 321)
      if ((v & 0x1F) > 0) return Status(GenericStatus::kInvalidField, true);
      power_state_ = v & 0x1F;
      return Status::Ok();
    case kTemperatureThreshold: {  // TMPTH 15:0, TMPSEL 19:16, THSEL 21:20 (Figure 323)
      const uint8_t tmpsel = (v >> 16) & 0xF;
      const uint8_t thsel = (v >> 20) & 0x3;
      if (tmpsel != 0 && tmpsel != 1) return Status(GenericStatus::kInvalidField, true);
      if (thsel == 0) {
        temp_threshold_over_ = static_cast<uint16_t>(v);
      } else if (thsel == 1) {
        temp_threshold_under_ = static_cast<uint16_t>(v);
      } else {
        return Status(GenericStatus::kInvalidField, true);
      }
      SetTemperatureOverride(health_.temperature_overridden, health_.temperature_kelvin);
      return Status::Ok();
    }
    case kErrorRecovery:  // TLER 15:0, DULBE 16 (Figure 325); DULBE unsupported
      if (v & (1u << 16)) return Status(GenericStatus::kInvalidField, true);
      error_recovery_ = v & 0xFFFF;
      return Status::Ok();
    case kVolatileWriteCache: {  // WCE bit 0 (Figure 326); needs VWC present
      bool any = false;
      for (const auto& [id, ns] : subsystem_.namespaces()) any |= ns->volatile_write_cache();
      if (!any) return Status(GenericStatus::kInvalidField, true);
      vwc_enabled_ = v & 1u;
      if (!vwc_enabled_) {
        for (const auto& [id, ns] : subsystem_.namespaces()) ns->store().Flush();
      }
      return Status::Ok();
    }
    case kNumberOfQueues: {  // NSQR 15:0, NCQR 31:16, 0's based (Figure 327)
      const uint16_t nsqr = static_cast<uint16_t>(v), ncqr = static_cast<uint16_t>(v >> 16);
      if (nsqr == 0xFFFF || ncqr == 0xFFFF) return Status(GenericStatus::kInvalidField, true);
      // Only before any I/O queue exists (5.27.1.7).
      if (io_queues_created_) return Status(GenericStatus::kCommandSequenceError, true);
      nsqa_ = std::min<uint16_t>(nsqr, static_cast<uint16_t>(cfg_.max_io_queues - 1));
      ncqa_ = std::min<uint16_t>(ncqr, static_cast<uint16_t>(cfg_.max_io_queues - 1));
      c.dw0 = uint32_t{nsqa_} | (uint32_t{ncqa_} << 16);
      return Status::Ok();
    }
    case kInterruptCoalescing:  // THR 7:0, TIME 15:8 in 100 us (Figure 328)
      coalesce_thr_ = static_cast<uint8_t>(v);
      coalesce_time_ = static_cast<uint8_t>(v >> 8);
      return Status::Ok();
    case kInterruptVectorConfig: {  // IV 15:0, CD 16 (Figure 329)
      const uint16_t iv = static_cast<uint16_t>(v);
      if (iv >= cfg_.msix_vectors) return Status(GenericStatus::kInvalidField, true);
      if (iv == 0 && (v & (1u << 16)))
        return Status(GenericStatus::kInvalidField, true);  // admin vector
      coalesce_disable_[iv] = (v >> 16) & 1u;
      return Status::Ok();
    }
    case kAsyncEventConfig:  // SMART 7:0, NAN 8, FA 9, TLN 10, ANACN 11 (Figure 330); ZDCN 27 (ZNS)
      async_event_config_ = v & 0x08000FFFu;
      return Status::Ok();
    case kAutonomousPowerState: {  // APSTE bit 0 + 256-byte table (Figure 331)
      uint8_t table[256];
      Status st = FromHost(s, table, sizeof table);
      if (!st.ok()) return st;
      apst_ = v & 1u;
      return Status::Ok();
    }
    case kTimestamp: {  // 8-byte data: timestamp 47:0 in ms (Figure 335)
      uint8_t data[8];
      Status st = FromHost(s, data, sizeof data);
      if (!st.ok()) return st;
      uint64_t ts = 0;
      std::memcpy(&ts, data, 6);
      timestamp_ms_ = ts;
      timestamp_set_ps_ = NowPs();
      timestamp_set_ = true;
      return Status::Ok();
    }
    case kKeepAliveTimer: {  // KATO in ms (Figure 336), rounded up to KAS (100 ms)
      uint32_t kato = v;
      if (kato % 100) kato += 100 - kato % 100;
      kato_ms_ = kato;
      last_keep_alive_ps_ = NowPs();
      if (kato_ms_) {
        keep_alive_event_.notify(sc_core::sc_time(static_cast<double>(kato_ms_), sc_core::SC_MS));
      } else {
        keep_alive_event_.cancel();
      }
      return Status::Ok();
    }
    case kHostBehaviorSupport: {  // 512-byte data structure (Figure 343)
      uint8_t data[512];
      Status st = FromHost(s, data, sizeof data);
      if (!st.ok()) return st;
      std::memcpy(host_behavior_.data(), data, sizeof data);
      return Status::Ok();
    }
    case kIoCommandSetProfile:  // IOCSCI 8:0 (Figure 344): combination 0 only
      if ((v & 0x1FF) != 0)
        return Status(CommandSpecificStatus::kIoCommandSetCombinationRejected, true);
      io_command_set_profile_ = v & 0x1FF;
      return Status::Ok();
    default:
      return Status(GenericStatus::kInvalidField, true);
  }
}

Status NvmeController::GetFeatures(Command& c) {
  const spec::Sqe& s = c.sqe;
  const uint8_t fid = static_cast<uint8_t>(s.cdw10 & 0xFF);
  const uint8_t sel = (s.cdw10 >> 8) & 7u;  // SEL (Figure 318)
  if (sel > 3) return Status(GenericStatus::kInvalidField, true);
  const bool dflt = sel == 1 || sel == 2;  // no saved values: saved reads default
  switch (fid) {
    case kArbitration:
    case kPowerManagement:
    case kTemperatureThreshold:
    case kErrorRecovery:
    case kVolatileWriteCache:
    case kNumberOfQueues:
    case kInterruptCoalescing:
    case kInterruptVectorConfig:
    case kAsyncEventConfig:
    case kAutonomousPowerState:
    case kTimestamp:
    case kKeepAliveTimer:
    case kHostBehaviorSupport:
    case kIoCommandSetProfile:
      break;
    case 0x10:  // Host Controlled Thermal Management: only with a thermal model
      if (thermal_) break;
      return Status(GenericStatus::kInvalidField, true);
    default:
      return Status(GenericStatus::kInvalidField, true);
  }
  Status handled;
  if (sel != 3 && ThermalGetFeature(fid, sel, c, &handled)) return handled;
  if (sel == 3) {
    c.dw0 = kCapChangeable | (fid == kErrorRecovery ? kCapNamespaceSpecific : 0);
    return Status::Ok();
  }
  switch (fid) {
    case kArbitration: {
      const ArbitrationSettings a = dflt ? ArbitrationSettings{} : arb_;
      c.dw0 = (a.burst_log2 & 7u) | (uint32_t{a.low_weight} << 8) |
              (uint32_t{a.medium_weight} << 16) | (uint32_t{a.high_weight} << 24);
      break;
    }
    case kPowerManagement:
      c.dw0 = dflt ? 0 : power_state_;
      break;
    case kTemperatureThreshold: {
      const uint8_t thsel = (s.cdw11 >> 20) & 3u;
      const uint8_t tmpsel = (s.cdw11 >> 16) & 0xFu;
      if (thsel > 1 || tmpsel > 1) return Status(GenericStatus::kInvalidField, true);
      const uint16_t t = thsel == 0 ? (dflt ? cfg_.warning_kelvin : temp_threshold_over_)
                                    : (dflt ? 0 : temp_threshold_under_);
      c.dw0 = t | (uint32_t{tmpsel} << 16) | (uint32_t{thsel} << 20);
      break;
    }
    case kErrorRecovery:
      c.dw0 = dflt ? 0 : error_recovery_;
      break;
    case kVolatileWriteCache:
      c.dw0 = dflt ? 0 : (vwc_enabled_ ? 1 : 0);
      break;
    case kNumberOfQueues:
      c.dw0 = uint32_t{nsqa_} | (uint32_t{ncqa_} << 16);
      break;
    case kInterruptCoalescing:
      c.dw0 = dflt ? 0 : (uint32_t{coalesce_thr_} | (uint32_t{coalesce_time_} << 8));
      break;
    case kInterruptVectorConfig: {
      const uint16_t iv = static_cast<uint16_t>(s.cdw11);
      if (iv >= cfg_.msix_vectors) return Status(GenericStatus::kInvalidField, true);
      c.dw0 = iv | ((dflt ? 0u : uint32_t{coalesce_disable_[iv]}) << 16);
      break;
    }
    case kAsyncEventConfig:
      c.dw0 = dflt ? 0 : async_event_config_;
      break;
    case kAutonomousPowerState: {
      uint8_t table[256] = {};
      c.dw0 = dflt ? 0 : apst_;
      return ToHostBuffer(s, table, sizeof table, false);
    }
    case kTimestamp: {
      // Timestamp 47:0, Synch bit 48 clear, origin 51:49 (001b: set by host) (Figure 335).
      uint8_t data[8] = {};
      uint64_t ts = 0;
      uint64_t attrs = 0;
      if (timestamp_set_) {
        ts = timestamp_ms_ + (NowPs() - timestamp_set_ps_) / 1'000'000'000ull;
        attrs = 1u << 1;
      } else {
        ts = NowPs() / 1'000'000'000ull;  // ms since controller reset
      }
      std::memcpy(data, &ts, 6);
      data[6] = static_cast<uint8_t>(attrs);
      return ToHostBuffer(s, data, sizeof data, false);
    }
    case kKeepAliveTimer:
      c.dw0 = dflt ? 0 : kato_ms_;
      break;
    case kHostBehaviorSupport: {
      std::array<uint8_t, 512> zero{};
      return ToHostBuffer(s, dflt ? zero.data() : host_behavior_.data(), 512, false);
    }
    case kIoCommandSetProfile:
      c.dw0 = dflt ? 0 : io_command_set_profile_;
      break;
    default:
      break;
  }
  return Status::Ok();
}

}  // namespace nvmesim::device
