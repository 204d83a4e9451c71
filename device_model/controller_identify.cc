// Identify (NVMe Base 2.0 section 5.17): controller, namespaces, lists,
// namespace identification descriptors, I/O command set structures.
#include <algorithm>
#include <cstring>
#include <new>

#include "device_model/controller.h"
#include "device_model/thermal/thermal_model.h"
#include "spec/identify.h"

namespace nvmesim::device {

using spec::Cns;
using spec::GenericStatus;
using spec::Status;

namespace {
void CopyPadded(char* dst, size_t n, const std::string& s) {
  std::memset(dst, ' ', n);  // ASCII, space padded (Figure 275 SN/MN/FR)
  std::memcpy(dst, s.data(), std::min(n, s.size()));
}
}  // namespace

Status NvmeController::Identify(Command& c) {
  const spec::Sqe& s = c.sqe;
  const Cns cns = spec::IdentifyCns(s.cdw10);
  const uint16_t cntid = spec::IdentifyCntid(s.cdw10);
  const uint8_t csi = static_cast<uint8_t>(spec::IdentifyCsi(s.cdw11));
  const uint32_t nsid = s.nsid;
  static_assert(spec::kIdentifyDataSize == 4096);
  uint8_t* buf = bounce_.data();
  std::memset(buf, 0, spec::kIdentifyDataSize);  // reserved bytes read as zero

  auto active_list = [&](bool by_csi, bool allocated) -> Status {
    // NSIDs greater than CDW1.NSID; FFFFFFFEh and FFFFFFFFh are invalid here (Figure 274).
    if (nsid >= 0xFFFFFFFEu) return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
    auto* list = new (buf) spec::NamespaceList();
    size_t n = 0;
    for (const auto& [id, ns] : subsystem_.namespaces()) {
      if (id <= nsid) continue;
      if (!allocated && !subsystem_.IsAttached(id, cfg_.cntlid)) continue;
      if (by_csi && ns->csi() != csi) continue;
      if (n < 1024) list->nsid[n++] = id;
    }
    return Status::Ok();
  };

  switch (cns) {
    case Cns::kController: {
      auto* id = new (buf) spec::IdentifyController();
      id->vid = cfg_.vendor_id;
      id->ssvid = cfg_.vendor_id;
      CopyPadded(id->sn, sizeof id->sn, cfg_.serial);
      CopyPadded(id->mn, sizeof id->mn, cfg_.model);
      CopyPadded(id->fr, sizeof id->fr, fw_slots_[fw_active_slot_ - 1]);
      id->rab = 6;  // recommended arbitration burst 64
      id->ieee[0] = 0x00;
      id->ieee[1] = 0x54;
      id->ieee[2] = 0x52;
      // CMIC: several controllers, ANA reporting (Figure 275).
      id->cmic = spec::kCmicMultiController | spec::kCmicAnaReporting;
      id->mdts = cfg_.mdts;
      id->cntlid = cfg_.cntlid;
      id->ver = spec::kNvmeVersion2_0;
      id->oaes = spec::kOaesNamespaceAttributeNotices | spec::kOaesFirmwareActivationNotices |
                 spec::kOaesAnaChangeNotices;
      // With the Zoned command set: Zone Descriptor Changed Notices (ZNS 1.1,
      // Identify Controller OAES bit 27), which the controller sends.
      if (command_sets_[static_cast<uint8_t>(spec::CommandSetIdentifier::kZoned)])
        id->oaes |= spec::kOaesZoneDescriptorChangedNotices;
      id->cntrltype = static_cast<uint8_t>(spec::ControllerType::kIo);
      id->oacs = spec::kOacsFormatNvm | spec::kOacsFirmware | spec::kOacsNamespaceManagement;
      id->acl = cfg_.acl;
      id->aerl = cfg_.aerl;
      id->frmw = spec::FrmwMake(cfg_.firmware_slots, false, false);
      id->lpa = spec::kLpaCommandsSupportedEffects | spec::kLpaExtendedData;
      id->elpe = static_cast<uint8_t>(Health::kErrorLogEntries - 1);
      id->npss = 0;
      id->apsta = spec::kApstaSupported;
      id->wctemp = cfg_.warning_kelvin;
      id->cctemp = cfg_.critical_kelvin;
      id->kas = 1;  // Keep Alive granularity 100 ms (Figure 275 KAS)
      id->anatt = 10;
      id->anacap = spec::kAnacapOptimized | spec::kAnacapNonOptimized | spec::kAnacapInaccessible |
                   spec::kAnacapPersistentLoss | spec::kAnacapChange |
                   spec::kAnacapNonZeroGroupIdInNsManagement;
      id->anagrpmax = subsystem_.ana_groups();
      id->nanagrpid = subsystem_.ana_groups();
      id->sqes = spec::EntrySizes(spec::kSqesLog2, spec::kSqesLog2);
      id->cqes = spec::EntrySizes(spec::kCqesLog2, spec::kCqesLog2);
      id->nn = subsystem_.max_namespaces();
      id->oncs = spec::kOncsCompare | spec::kOncsWriteUncorrectable | spec::kOncsDatasetManagement |
                 spec::kOncsWriteZeroes | spec::kOncsTimestamp | spec::kOncsVerify |
                 spec::kOncsCopy;
      id->fna = 0;  // Format NVM applies per namespace
      bool any_vwc = false;
      for (const auto& [nid, ns] : subsystem_.namespaces()) any_vwc |= ns->volatile_write_cache();
      id->vwc = any_vwc ? (spec::kVwcPresent | spec::kVwcFlushBroadcastSupported) : 0;
      id->ocfs = 1;  // Copy format 0h
      id->sgls = cfg_.sgl_support ? (spec::kSglsSupportedNoAlignment | spec::kSglsBitBucket) : 0;
      id->mnan = subsystem_.max_namespaces();
      std::strncpy(id->subnqn, subsystem_.nqn().c_str(), sizeof id->subnqn - 1);
      // One power state: 25 W max (units of 0.01 W, Figure 276), unless the
      // thermal model provides the power state table and thermal fields.
      id->psd[0].mp = 2500;
      if (thermal_) thermal_->FillIdentify(*id);
      break;
    }
    case Cns::kNamespace:
    case Cns::kAllocatedNamespace: {
      if (nsid == 0 || (nsid == 0xFFFFFFFFu && cns == Cns::kAllocatedNamespace))
        return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
      auto* id = new (buf) spec::IdentifyNamespace();
      auto fill_formats = [&]() {
        id->nlbaf = 1;  // formats 0 (512 B) and 1 (4 KiB), NVM 1.0 Figure 97
        id->lbaf[0].lbads = 9;
        id->lbaf[1].lbads = 12;
      };
      if (nsid == 0xFFFFFFFFu) {
        fill_formats();  // capabilities common to all namespaces
        id->dlfeat = 0x1;
        break;
      }
      if (nsid > subsystem_.max_namespaces())
        return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
      Namespace* ns = subsystem_.Find(nsid);
      // Inactive (unallocated or not attached) NSIDs return zeroes (5.17.2.1).
      // Command sets built on NVM (Zoned, ZNS 1.1 section 4) share CNS 00h.
      if (!ns || (ns->csi() != 0 && !command_sets_[ns->csi()])) break;
      if (cns == Cns::kNamespace && !subsystem_.IsAttached(nsid, cfg_.cntlid)) break;
      id->nsze = id->ncap = ns->size_lbas();
      id->nuse = ns->nuse_lbas();
      id->nsfeat = 0;  // UIDREUSE clear: a recreated NSID reuses its NGUID/EUI64
      fill_formats();
      id->SetFormatIndex(ns->format_index());
      id->nmic = ns->shared() ? 1 : 0;
      id->dlfeat = 0x1 | (1u << 3);  // deallocated reads zero; Write Zeroes deallocates
      id->anagrpid = ns->ana_group();
      std::memcpy(id->nguid, ns->nguid(), 16);
      const uint64_t eui = ns->eui64();
      for (int i = 0; i < 8; ++i) id->eui64[i] = static_cast<uint8_t>(eui >> (56 - 8 * i));
      id->mssrl = 0xFFFF;
      id->mcl = 0xFFFFFFFFu;
      id->msrc = 127;  // 128 source ranges (0's based)
      break;
    }
    case Cns::kActiveNamespaceList: {
      Status st = active_list(false, false);
      if (!st.ok()) return st;
      break;
    }
    case Cns::kIoCommandSetActiveNamespaceList: {
      Status st = active_list(true, false);
      if (!st.ok()) return st;
      break;
    }
    case Cns::kAllocatedNamespaceList:
    case Cns::kIoCommandSetAllocatedNamespaceList: {
      Status st = active_list(cns == Cns::kIoCommandSetAllocatedNamespaceList, true);
      if (!st.ok()) return st;
      break;
    }
    case Cns::kNamespaceIdDescriptorList: {
      Namespace* ns = subsystem_.Find(nsid);
      if (!ns || !subsystem_.IsAttached(nsid, cfg_.cntlid))
        return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
      size_t off = 0;
      auto add = [&](spec::NamespaceIdDescriptorType t, const void* data) {
        spec::NamespaceIdDescriptorHeader h;
        h.nidt = static_cast<uint8_t>(t);
        h.nidl = spec::NamespaceIdLength(t);
        std::memcpy(buf + off, &h, sizeof h);
        std::memcpy(buf + off + sizeof h, data, h.nidl);
        off += sizeof h + h.nidl;
      };
      uint8_t eui[8];
      for (int i = 0; i < 8; ++i) eui[i] = static_cast<uint8_t>(ns->eui64() >> (56 - 8 * i));
      add(spec::NamespaceIdDescriptorType::kEui64, eui);
      add(spec::NamespaceIdDescriptorType::kNguid, ns->nguid());
      const uint8_t csi_value = ns->csi();
      add(spec::NamespaceIdDescriptorType::kCsi, &csi_value);
      break;
    }
    case Cns::kIoCommandSetNamespace: {
      // NVM-specific data for CSI 0 is the CNS 00h structure's NVM part; the
      // Zoned structure belongs to the ZNS command set (not attached yet).
      Namespace* ns = subsystem_.Find(nsid);
      if (!ns || !subsystem_.IsAttached(nsid, cfg_.cntlid))
        return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
      if (csi != ns->csi()) return Status(GenericStatus::kInvalidField, true);
      if (csi != 0) {
        if (!command_sets_[csi]) return Status(GenericStatus::kInvalidField, true);
        Status st = command_sets_[csi]->IdentifyNamespace(*ns, buf);
        if (!st.ok()) return st;
      }
      break;  // NVM command set: no fields beyond CNS 00h (NVM 1.0 4.1.5.2)
    }
    case Cns::kIoCommandSetController: {
      if (csi != 0) {
        if (!command_sets_[csi]) return Status(GenericStatus::kInvalidField, true);
        Status st = command_sets_[csi]->IdentifyController(buf);
        if (!st.ok()) return st;
        break;
      }
      auto* id = new (buf) spec::IdentifyControllerNvm();
      id->vsl = cfg_.mdts;
      id->wzsl = 0;
      id->wusl = cfg_.mdts;
      id->dmrl = 0;  // 256 ranges
      break;
    }
    case Cns::kIoCommandSetIndependentNamespace: {
      Namespace* ns = subsystem_.Find(nsid);
      if (!ns || !subsystem_.IsAttached(nsid, cfg_.cntlid)) break;
      auto* id = new (buf) spec::IoCommandSetIndependentIdentifyNamespace();
      id->nsfeat = 0;  // UIDREUSE clear (identifiers derive from the NSID)
      id->nmic = ns->shared() ? 1 : 0;
      id->anagrpid = ns->ana_group();
      id->nstat = spec::kNstatNamespaceReady;
      break;
    }
    case Cns::kNamespaceAttachedControllerList:
    case Cns::kControllerList: {
      auto* list = new (buf) spec::ControllerList();
      std::vector<uint16_t> ids;
      if (cns == Cns::kNamespaceAttachedControllerList) {
        if (!subsystem_.Find(nsid)) return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
        ids = subsystem_.AttachedControllers(nsid);
      } else {
        ids = subsystem_.Controllers();
      }
      for (uint16_t id : ids) {
        if (id >= cntid && list->count < 2047) list->cntlid[list->count++] = id;
      }
      break;
    }
    case Cns::kIoCommandSet: {
      auto* id = new (buf) spec::IdentifyIoCommandSet();
      // Combination 0: NVM only (the Zoned set joins with the ZNS command set).
      id->vector[0] = spec::IoCommandSetBit(spec::CommandSetIdentifier::kNvm);
      if (command_sets_[static_cast<uint8_t>(spec::CommandSetIdentifier::kZoned)])
        id->vector[0] |= spec::IoCommandSetBit(spec::CommandSetIdentifier::kZoned);
      break;
    }
    default:
      return Status(GenericStatus::kInvalidField, true);  // unsupported CNS (Figure 273)
  }
  return ToHostBuffer(s, buf, spec::kIdentifyDataSize, false);
}

}  // namespace nvmesim::device
