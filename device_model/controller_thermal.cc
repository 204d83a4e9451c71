// Glue to the thermal and power model (device_model/thermal): power state,
// temperature threshold, APST and host controlled thermal management
// features; temperature events as SMART / Health async events (Base 2.0
// Figure 148: type 1, information 01h, log 02h); critical shutdown.
#include <cstring>

#include "device_model/controller.h"
#include "device_model/thermal/thermal_model.h"
#include "spec/features.h"

namespace nvmesim::device {

using spec::GenericStatus;
using spec::Status;

void NvmeController::ThermalProcess() {
  if (!thermal_) return;
  local_ = sc_core::SC_ZERO_TIME;
  ThermalPoll();
}

void NvmeController::ThermalPoll() {
  if (!thermal_) return;
  thermal_->Tick(NowPs());
  health_.temperature_kelvin = thermal_->composite_kelvin();
  for (const thermal::ThermalEvent& e : thermal_->TakeEvents()) {
    Trace("thermal_event", static_cast<uint64_t>(e.kind), e.kelvin, e.value);
    if (thermal::IsTemperatureThresholdEvent(e.kind)) {
      health_.critical_warning |= 1u << 1;  // temperature (Figure 207)
      QueueAsyncEvent(1, 0x01, 0x02);
    } else if (e.kind == thermal::ThermalEventKind::kOverThresholdCleared ||
               e.kind == thermal::ThermalEventKind::kUnderThresholdCleared) {
      health_.critical_warning &= static_cast<uint8_t>(~(1u << 1));
    } else if (e.kind == thermal::ThermalEventKind::kShutdown) {
      InjectFatal();  // critical-temperature shutdown: the host must reset
    }
  }
  // Wake up at the model's next crossing (none pending: stay idle, so an
  // idle simulation still runs out of events).
  const uint64_t next = thermal_->NextEventPs();
  const uint64_t now = NowPs();
  if (next != UINT64_MAX && next > now) {
    thermal_event_.notify(sc_core::sc_time(static_cast<double>(next - now), sc_core::SC_PS));
  }
}

bool NvmeController::ThermalSetFeature(uint8_t fid, Command& c, Status* st) {
  if (!thermal_) return false;
  const uint32_t v = c.sqe.cdw11;
  const uint64_t now = NowPs();
  switch (fid) {
    case 0x02:  // Power Management: PS 4:0 (Figure 321)
      *st = thermal_->SetPowerState(now, v & 0x1F);
      break;
    case 0x04: {  // Temperature Threshold (Figure 323): composite sensor only
      const uint8_t tmpsel = (v >> 16) & 0xF, thsel = (v >> 20) & 0x3;
      if (tmpsel != 0 || thsel > 1) {
        *st = Status(GenericStatus::kInvalidField, true);
        break;
      }
      *st = thermal_->SetTemperatureThreshold(now,
                                              thsel == 0 ? spec::ThresholdType::kOverTemperature
                                                         : spec::ThresholdType::kUnderTemperature,
                                              static_cast<uint16_t>(v));
      break;
    }
    case 0x0C: {  // Autonomous Power State Transition (Figure 331)
      spec::ApstData table;
      *st = FromHost(c.sqe, &table, sizeof table);
      if (st->ok()) *st = thermal_->SetApst(now, v & 1u, table);
      break;
    }
    case 0x10:  // Host Controlled Thermal Management: TMT1 31:16, TMT2 15:0 (Figure 338)
      *st = thermal_->SetHostThermalManagement(now, static_cast<uint16_t>(v >> 16),
                                               static_cast<uint16_t>(v));
      break;
    default:
      return false;
  }
  ThermalPoll();
  return true;
}

bool NvmeController::ThermalGetFeature(uint8_t fid, uint8_t sel, Command& c, Status* st) {
  if (!thermal_ || sel == 1 || sel == 2) return false;  // defaults: the built-in values
  *st = Status::Ok();
  switch (fid) {
    case 0x02:
      c.dw0 = thermal_->power_state();
      return true;
    case 0x04: {
      const uint8_t thsel = (c.sqe.cdw11 >> 20) & 3u;
      if (thsel > 1 || ((c.sqe.cdw11 >> 16) & 0xFu) != 0) {
        *st = Status(GenericStatus::kInvalidField, true);
        return true;
      }
      c.dw0 = (thsel == 0 ? thermal_->over_threshold() : thermal_->under_threshold()) |
              (uint32_t{thsel} << 20);
      return true;
    }
    case 0x0C:
      c.dw0 = thermal_->apst_enabled() ? 1 : 0;
      *st = ToHostBuffer(c.sqe, &thermal_->apst_table(), sizeof(spec::ApstData), false);
      return true;
    case 0x10:
      c.dw0 = (uint32_t{thermal_->tmt1()} << 16) | thermal_->tmt2();
      return true;
    default:
      return false;
  }
}

}  // namespace nvmesim::device
