// Get Log Page (NVMe Base 2.0 section 5.16): error information, SMART /
// health, firmware slot, changed namespace list, commands supported and
// effects, ANA. Offsets and lengths are validated against each log's size.
#include <algorithm>
#include <cstring>

#include "device_model/controller.h"
#include "device_model/thermal/thermal_model.h"
#include "spec/opcodes.h"

namespace nvmesim::device {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;

namespace {
// Log page identifiers (Base 2.0 Figure 202).
enum Lid : uint8_t {
  kErrorInformation = 0x01,
  kSmartHealth = 0x02,
  kFirmwareSlot = 0x03,
  kChangedNamespaceList = 0x04,
  kCommandsSupportedAndEffects = 0x05,
  kAsymmetricNamespaceAccess = 0x0C,
};
void Put32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }
void Put64(uint8_t* p, uint64_t v) { std::memcpy(p, &v, 8); }
}  // namespace

Status NvmeController::GetLogPage(Command& c) {
  const spec::Sqe& s = c.sqe;
  const uint8_t lid = static_cast<uint8_t>(s.cdw10 & 0xFF);
  const uint8_t lsp = (s.cdw10 >> 8) & 0x7F;
  const bool rae = (s.cdw10 >> 15) & 1u;  // Retain Asynchronous Event
  const uint64_t numd = ((uint64_t{s.cdw11} & 0xFFFF) << 16) | (s.cdw10 >> 16);  // 0's based dwords
  const uint64_t len = (numd + 1) * 4;
  const uint64_t offset = (uint64_t{s.cdw13} << 32) | s.cdw12;
  if (offset & 3u)
    return Status(GenericStatus::kInvalidField, true);  // LPOL dword aligned (Figure 198)
  Status st = CheckMdts(len);
  if (!st.ok()) return st;

  // Build the whole log in a scratch area (largest: 4 KiB, or ANA).
  std::vector<uint8_t>& log = log_scratch_;
  uint8_t event_type_to_clear = 0xFF;
  switch (lid) {
    case kErrorInformation:  // Figure 205: 64-byte entries, newest first
      log.assign(health_.ErrorLogBytes(), 0);
      health_.FillErrorLog(log.data());
      event_type_to_clear = 0;
      break;
    case kSmartHealth:  // Figure 207: 512 bytes, controller scope (LPA bit 0 clear)
      if (s.nsid != 0 && s.nsid != 0xFFFFFFFFu) return Status(GenericStatus::kInvalidField, true);
      log.assign(512, 0);
      health_.busy_ps = std::max(health_.busy_ps, uint64_t{0});
      health_.power_on_ps = NowPs();
      if (thermal_) {
        ThermalPoll();
      }
      health_.FillSmartLog(log.data(), temp_threshold_over_, cfg_.critical_kelvin);
      if (thermal_) thermal_->FillSmartBytes(log.data());  // temperature fields and counters
      event_type_to_clear = 1;
      break;
    case kFirmwareSlot: {  // Figure 209: AFI, then FRS1..FRS7
      log.assign(512, 0);
      log[0] = static_cast<uint8_t>((fw_active_slot_ & 7u) | ((fw_next_slot_ & 7u) << 4));
      for (size_t i = 0; i < fw_slots_.size(); ++i) {
        if (fw_slots_[i].empty()) continue;
        std::memset(&log[8 + 8 * i], ' ', 8);
        std::memcpy(&log[8 + 8 * i], fw_slots_[i].data(), std::min<size_t>(8, fw_slots_[i].size()));
      }
      event_type_to_clear = 2;
      break;
    }
    case kChangedNamespaceList:  // Figure 210: up to 1024 NSIDs
      log.assign(4096, 0);
      for (size_t i = 0; i < changed_ns_.size() && i < 1024; ++i)
        Put32(&log[4 * i], changed_ns_[i]);
      if (!rae) changed_ns_.clear();
      event_type_to_clear = 2;
      break;
    case kCommandsSupportedAndEffects: {  // Figure 211/212
      log.assign(4096, 0);
      constexpr uint32_t kCsupp = 1u << 0, kLbcc = 1u << 1, kNcc = 1u << 2, kNic = 1u << 3,
                         kCcc = 1u << 4;
      using A = spec::AdminOpcode;
      const std::pair<A, uint32_t> admin[] = {{A::kDeleteIoSq, kCsupp},
                                              {A::kCreateIoSq, kCsupp},
                                              {A::kGetLogPage, kCsupp},
                                              {A::kDeleteIoCq, kCsupp},
                                              {A::kCreateIoCq, kCsupp},
                                              {A::kIdentify, kCsupp},
                                              {A::kAbort, kCsupp},
                                              {A::kSetFeatures, kCsupp},
                                              {A::kGetFeatures, kCsupp},
                                              {A::kAsyncEventRequest, kCsupp},
                                              {A::kNamespaceManagement, kCsupp | kNcc | kNic},
                                              {A::kFirmwareCommit, kCsupp | kCcc},
                                              {A::kFirmwareImageDownload, kCsupp},
                                              {A::kNamespaceAttachment, kCsupp | kNcc | kNic},
                                              {A::kKeepAlive, kCsupp},
                                              {A::kFormatNvm, kCsupp | kLbcc | kNcc | kNic}};
      for (const auto& [op, bits] : admin) Put32(&log[4 * static_cast<uint8_t>(op)], bits);
      using N = spec::NvmOpcode;
      const std::pair<N, uint32_t> io[] = {{N::kFlush, kCsupp | kLbcc},
                                           {N::kWrite, kCsupp | kLbcc},
                                           {N::kRead, kCsupp},
                                           {N::kWriteUncorrectable, kCsupp | kLbcc},
                                           {N::kCompare, kCsupp},
                                           {N::kWriteZeroes, kCsupp | kLbcc},
                                           {N::kDatasetManagement, kCsupp | kLbcc},
                                           {N::kVerify, kCsupp},
                                           {N::kCopy, kCsupp | kLbcc}};
      for (const auto& [op, bits] : io) Put32(&log[1024 + 4 * static_cast<uint8_t>(op)], bits);
      break;
    }
    case kAsymmetricNamespaceAccess: {    // Figures 217-219
      const bool groups_only = lsp & 1u;  // RGO
      log.assign(16, 0);
      Put64(&log[0], subsystem_.ana_change_count());
      uint16_t ndesc = 0;
      const auto active = subsystem_.ActiveNamespaces(cfg_.cntlid);
      for (uint32_t g = 1; g <= subsystem_.ana_groups(); ++g) {
        std::vector<uint32_t> members;
        for (uint32_t nsid : active) {
          if (subsystem_.Find(nsid)->ana_group() == g) members.push_back(nsid);
        }
        const size_t at = log.size();
        log.resize(at + 32 + (groups_only ? 0 : 4 * members.size()), 0);
        Put32(&log[at], g);
        Put32(&log[at + 4], groups_only ? 0 : static_cast<uint32_t>(members.size()));
        Put64(&log[at + 8], subsystem_.ana_change_count());
        log[at + 16] = static_cast<uint8_t>(subsystem_.GetAnaState(g, cfg_.cntlid));
        if (!groups_only) {
          for (size_t i = 0; i < members.size(); ++i) Put32(&log[at + 32 + 4 * i], members[i]);
        }
        ++ndesc;
      }
      std::memcpy(&log[8], &ndesc, 2);
      event_type_to_clear = 2;
      break;
    }
    default: {
      // Command set specific log pages (e.g. ZNS Changed Zone List, BFh).
      bool owned = false;
      for (IoCommandSetHandler* h : command_sets_) {
        Status hs;
        if (h && h->GetLogPage(lid, s.nsid, rae, &log, &hs, &event_type_to_clear)) {
          if (!hs.ok()) return hs;
          owned = true;
          break;
        }
      }
      if (!owned) return Status(CommandSpecificStatus::kInvalidLogPage, true);
      break;
    }
  }
  // An offset at or past the end of the log is invalid (5.16, LPOL).
  if (offset >= log.size()) return Status(GenericStatus::kInvalidField, true);
  // Requested bytes past the end of the log read as zero: nothing stale
  // reaches the host.
  uint8_t* out = bounce_.data();
  const uint64_t avail = std::min<uint64_t>(len, log.size() - offset);
  std::memcpy(out, log.data() + offset, avail);
  std::memset(out + avail, 0, len - avail);
  st = ToHostBuffer(s, out, len, false);
  if (!st.ok()) return st;
  if (!rae && event_type_to_clear != 0xFF) {
    masked_event_types_ &= ~(1u << event_type_to_clear);
    deliver_events_after_ = true;  // after this command's own completion
  }
  return Status::Ok();
}

}  // namespace nvmesim::device
