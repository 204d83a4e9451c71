// Namespace Management and Attachment (NVMe Base 2.0 sections 5.20, 5.19),
// Format NVM (5.14), Firmware Image Download / Commit (5.12, 5.11).
#include <algorithm>
#include <cstring>

#include "device_model/controller.h"
#include "spec/identify.h"

namespace nvmesim::device {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;

Status NvmeController::NamespaceManagement(Command& c) {
  const spec::Sqe& s = c.sqe;
  const uint8_t sel = s.cdw10 & 0xF;
  const uint8_t csi = static_cast<uint8_t>(s.cdw11 >> 24);
  if (sel == 0) {  // create: host-specified fields of Identify Namespace (Figure 297)
    if (s.nsid != 0) return Status(GenericStatus::kInvalidField, true);
    uint8_t* buf = bounce_.data();
    Status st = FromHost(s, buf, 4096);
    if (!st.ok()) return st;
    spec::IdentifyNamespace id;
    std::memcpy(static_cast<void*>(&id), buf, sizeof id);
    if (id.nsze != id.ncap)
      return Status(CommandSpecificStatus::kThinProvisioningNotSupported, true);
    const uint8_t fmt = id.FormatIndex();
    if (fmt > 1 || id.dps != 0) return Status(CommandSpecificStatus::kInvalidFormat, true);
    // A command set needs its handler (CSI, Base 2.0 Figure 298).
    if (csi != 0 && !command_sets_[csi])
      return Status(CommandSpecificStatus::kIoCommandSetNotSupported, true);
    NamespaceConfig n;
    n.size_lbas = id.nsze;
    n.lba_bytes = fmt == 0 ? 512 : 4096;
    n.csi = csi;
    n.shared = id.nmic & 1u;
    n.ana_group = id.anagrpid ? id.anagrpid : 1;
    if (n.size_lbas == 0 || n.size_lbas > (uint64_t{1} << 48))
      return Status(GenericStatus::kInvalidField, true);
    uint32_t nsid = 0;
    st = subsystem_.CreateNamespace(n, &nsid);
    if (!st.ok()) return st;
    c.dw0 = nsid;  // created NSID (Figure 296)
    Trace("ns_create", nsid, n.size_lbas, csi);
    return Status::Ok();
  }
  if (sel == 1) {  // delete
    if (s.nsid == 0) return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
    Trace("ns_delete", s.nsid);
    Status st = subsystem_.DeleteNamespace(s.nsid);
    if (st.ok()) {
      for (IoCommandSetHandler* h : command_sets_) {
        if (h) h->OnNamespaceDeleted(s.nsid);
      }
    }
    return st;
  }
  return Status(GenericStatus::kInvalidField, true);
}

Status NvmeController::NamespaceAttachment(Command& c) {
  const spec::Sqe& s = c.sqe;
  const uint8_t sel = s.cdw10 & 0xF;  // 0 attach, 1 detach (Figure 293)
  if (sel > 1) return Status(GenericStatus::kInvalidField, true);
  if (s.nsid == 0 || s.nsid == 0xFFFFFFFFu)
    return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
  if (!subsystem_.Find(s.nsid)) return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
  auto* list = new (bounce_.data()) spec::ControllerList();
  Status st = FromHost(s, list, sizeof *list);
  if (!st.ok()) return st;
  if (list->count == 0 || list->count > 2047)
    return Status(CommandSpecificStatus::kControllerListInvalid, true);
  for (uint16_t i = 0; i < list->count; ++i) {
    st = sel == 0 ? subsystem_.Attach(s.nsid, list->cntlid[i])
                  : subsystem_.Detach(s.nsid, list->cntlid[i]);
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

Status NvmeController::FormatNvm(Command& c) {
  const spec::Sqe& s = c.sqe;
  const uint8_t lbaf = (s.cdw10 & 0xF) | (((s.cdw10 >> 12) & 0x3) << 4);
  const uint8_t pi = (s.cdw10 >> 5) & 0x7;
  const uint8_t ses = (s.cdw10 >> 9) & 0x7;
  if (lbaf > 1 || pi != 0) return Status(CommandSpecificStatus::kInvalidFormat, true);
  if (ses > 1) return Status(GenericStatus::kInvalidField, true);  // crypto erase unsupported
  std::vector<uint32_t> targets;
  if (s.nsid == 0xFFFFFFFFu) {
    targets = subsystem_.ActiveNamespaces(cfg_.cntlid);
  } else {
    if (s.nsid == 0 || !subsystem_.Find(s.nsid) || !subsystem_.IsAttached(s.nsid, cfg_.cntlid))
      return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
    targets.push_back(s.nsid);
  }
  for (uint32_t nsid : targets) {
    Namespace* ns = subsystem_.Find(nsid);
    if (ns->csi() != 0) continue;
    ns->Format(lbaf == 0 ? 512 : 4096);
    ns->media_errors().Clear();
    Trace("format", nsid, lbaf);
  }
  return Status::Ok();
}

Status NvmeController::FirmwareDownload(Command& c) {
  const spec::Sqe& s = c.sqe;
  const uint64_t bytes = (uint64_t{s.cdw10} + 1) * 4;  // NUMD 0's based (Figure 185)
  const uint64_t offset = uint64_t{s.cdw11} * 4;       // OFST in dwords
  constexpr uint64_t kMaxImage = 16u << 20;
  Status st = CheckMdts(bytes);
  if (!st.ok()) return st;
  if (offset != fw_image_.size() && offset != 0) return Status(GenericStatus::kInvalidField, true);
  if (offset + bytes > kMaxImage) return Status(GenericStatus::kInvalidField, true);
  if (offset == 0) fw_image_.clear();
  const size_t at = fw_image_.size();
  fw_image_.resize(at + bytes);
  st = FromHost(s, fw_image_.data() + at, bytes);
  if (!st.ok()) {
    fw_image_.resize(at);
    return st;
  }
  return Status::Ok();
}

Status NvmeController::FirmwareCommit(Command& c) {
  const spec::Sqe& s = c.sqe;
  uint8_t fs = s.cdw10 & 0x7;               // Firmware Slot (Figure 182)
  const uint8_t ca = (s.cdw10 >> 3) & 0x7;  // Commit Action
  if (fs > cfg_.firmware_slots) return Status(CommandSpecificStatus::kInvalidFirmwareSlot, true);
  if (fs == 0)
    fs = fw_active_slot_ == cfg_.firmware_slots ? 1 : static_cast<uint8_t>(fw_active_slot_ + 1);
  switch (ca) {
    case 0:    // replace in slot
    case 1:    // replace and activate at next reset
    case 3: {  // replace and activate now: needs a reset here
      if (fw_image_.empty()) return Status(CommandSpecificStatus::kInvalidFirmwareImage, true);
      // The image's revision: first 8 bytes (ASCII); blank ones keep a derived name.
      std::string rev(reinterpret_cast<const char*>(fw_image_.data()),
                      std::min<size_t>(8, fw_image_.size()));
      rev.erase(std::find(rev.begin(), rev.end(), '\0'), rev.end());
      if (rev.empty()) rev = "FW" + std::to_string(fs);
      fw_slots_[fs - 1] = rev;
      fw_image_.clear();
      if (ca == 0) return Status::Ok();
      fw_next_slot_ = fs;
      if (ca == 3) return Status(CommandSpecificStatus::kFirmwareActivationRequiresReset);
      return Status::Ok();
    }
    case 2:  // activate the image in slot at next reset
      if (fw_slots_[fs - 1].empty())
        return Status(CommandSpecificStatus::kInvalidFirmwareImage, true);
      fw_next_slot_ = fs;
      return Status::Ok();
    default:
      return Status(GenericStatus::kInvalidField, true);
  }
}

}  // namespace nvmesim::device
