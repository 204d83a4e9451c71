#include "device_model/subsystem.h"

#include <algorithm>
#include <stdexcept>

namespace nvmesim::device {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;

Namespace::Namespace(const NamespaceConfig& cfg)
    : nsid_(cfg.nsid),
      csi_(cfg.csi),
      lba_bytes_(cfg.lba_bytes),
      size_lbas_(cfg.size_lbas),
      ana_group_(cfg.ana_group),
      shared_(cfg.shared),
      vwc_(cfg.volatile_write_cache),
      store_(cfg.size_lbas * cfg.lba_bytes) {
  // NGUID and EUI64 derived from the NSID: unique within the subsystem.
  for (int i = 0; i < 4; ++i) nguid_[12 + i] = static_cast<uint8_t>(nsid_ >> (24 - 8 * i));
  nguid_[0] = 0x4E;  // 'N'
  eui64_ = 0x00A0B0C000000000ull | nsid_;
}

void Namespace::Format(uint32_t lba_bytes) {
  const uint64_t bytes = size_lbas_ * lba_bytes_;
  lba_bytes_ = lba_bytes;
  size_lbas_ = bytes / lba_bytes;
  store_.Resize(size_lbas_ * lba_bytes_);
  uncorrectable_.Clear();
}

uint64_t Namespace::nuse_lbas() const {
  const uint64_t chunks = store_.durable_chunks() + store_.cached_chunks();
  return std::min(size_lbas_, chunks * DataStore::kChunkBytes / lba_bytes_);
}

Subsystem::Subsystem(const SubsystemConfig& cfg) : cfg_(cfg) {
  const std::string err = ValidateSubsystemConfig(cfg);
  if (!err.empty()) throw std::invalid_argument("SubsystemConfig: " + err);
  for (const auto& n : cfg.namespaces) {
    ns_[n.nsid] = std::make_unique<Namespace>(n);
    attached_[n.nsid] = n.attached;
    std::sort(attached_[n.nsid].begin(), attached_[n.nsid].end());
  }
}

uint64_t Subsystem::allocated_bytes() const {
  uint64_t used = 0;
  for (const auto& [id, n] : ns_) used += n->size_lbas() * n->lba_bytes();
  return used;
}

void Subsystem::RegisterController(uint16_t cntlid, SubsystemListener* l) {
  controllers_[cntlid] = l;
  // Namespaces configured with "every controller" attach to newcomers too.
  for (const auto& n : cfg_.namespaces) {
    if (n.attached.empty() && ns_.count(n.nsid)) {
      auto& v = attached_[n.nsid];
      if (!std::binary_search(v.begin(), v.end(), cntlid)) {
        v.insert(std::lower_bound(v.begin(), v.end(), cntlid), cntlid);
      }
    }
  }
}

void Subsystem::UnregisterController(uint16_t cntlid) { controllers_.erase(cntlid); }

std::vector<uint16_t> Subsystem::Controllers() const {
  std::vector<uint16_t> v;
  for (const auto& [id, l] : controllers_) v.push_back(id);
  return v;
}

Namespace* Subsystem::Find(uint32_t nsid) {
  auto it = ns_.find(nsid);
  return it == ns_.end() ? nullptr : it->second.get();
}

bool Subsystem::IsAttached(uint32_t nsid, uint16_t cntlid) const {
  auto it = attached_.find(nsid);
  return it != attached_.end() && std::binary_search(it->second.begin(), it->second.end(), cntlid);
}

std::vector<uint32_t> Subsystem::ActiveNamespaces(uint16_t cntlid) const {
  std::vector<uint32_t> v;
  for (const auto& [nsid, n] : ns_) {
    if (IsAttached(nsid, cntlid)) v.push_back(nsid);
  }
  return v;
}

std::vector<uint16_t> Subsystem::AttachedControllers(uint32_t nsid) const {
  auto it = attached_.find(nsid);
  return it == attached_.end() ? std::vector<uint16_t>{} : it->second;
}

Status Subsystem::CreateNamespace(const NamespaceConfig& req, uint32_t* nsid_out) {
  NamespaceConfig n = req;
  if (n.lba_bytes != 512 && n.lba_bytes != 4096)
    return Status(CommandSpecificStatus::kInvalidFormat, true);
  if (n.csi != 0 && n.csi != 2)
    return Status(CommandSpecificStatus::kIoCommandSetNotSupported, true);
  if (n.size_lbas == 0) return Status(GenericStatus::kInvalidField, true);
  if (n.ana_group > cfg_.ana_groups)
    return Status(CommandSpecificStatus::kAnaGroupIdentifierInvalid, true);
  // Capacity check without overflow (Base 2.0 5.20: Namespace Insufficient Capacity).
  const uint64_t free_bytes =
      cfg_.capacity_bytes - std::min(cfg_.capacity_bytes, allocated_bytes());
  if (n.size_lbas > free_bytes / n.lba_bytes)
    return Status(CommandSpecificStatus::kNamespaceInsufficientCapacity, true);
  uint32_t nsid = 0;
  for (uint32_t id = 1; id <= cfg_.max_namespaces; ++id) {
    if (!ns_.count(id)) {
      nsid = id;
      break;
    }
  }
  if (nsid == 0) return Status(CommandSpecificStatus::kNamespaceIdUnavailable, true);
  n.nsid = nsid;
  n.attached = {};
  ns_[nsid] = std::make_unique<Namespace>(n);
  attached_[nsid] = {};
  *nsid_out = nsid;
  return Status::Ok();
}

Status Subsystem::DeleteNamespace(uint32_t nsid) {
  if (nsid == 0xFFFFFFFFu) {
    std::vector<uint32_t> ids;
    for (const auto& [id, n] : ns_) ids.push_back(id);
    for (uint32_t id : ids) DeleteNamespace(id);
    return Status::Ok();
  }
  auto it = ns_.find(nsid);
  if (it == ns_.end()) return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
  const std::vector<uint16_t> ctrls = attached_[nsid];
  ns_.erase(it);
  attached_.erase(nsid);
  for (uint16_t c : ctrls) {
    auto l = controllers_.find(c);
    if (l != controllers_.end() && l->second) l->second->OnNamespaceAttributeChanged(nsid);
  }
  return Status::Ok();
}

Status Subsystem::Attach(uint32_t nsid, uint16_t cntlid) {
  Namespace* n = Find(nsid);
  if (!n) return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
  if (!controllers_.count(cntlid))
    return Status(CommandSpecificStatus::kControllerListInvalid, true);
  auto& v = attached_[nsid];
  if (std::binary_search(v.begin(), v.end(), cntlid))
    return Status(CommandSpecificStatus::kNamespaceAlreadyAttached, true);
  if (!n->shared() && !v.empty()) return Status(CommandSpecificStatus::kNamespaceIsPrivate, true);
  v.insert(std::lower_bound(v.begin(), v.end(), cntlid), cntlid);
  if (auto* l = controllers_[cntlid]) l->OnNamespaceAttributeChanged(nsid);
  return Status::Ok();
}

Status Subsystem::Detach(uint32_t nsid, uint16_t cntlid) {
  if (!Find(nsid)) return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
  if (!controllers_.count(cntlid))
    return Status(CommandSpecificStatus::kControllerListInvalid, true);
  auto& v = attached_[nsid];
  auto it = std::lower_bound(v.begin(), v.end(), cntlid);
  if (it == v.end() || *it != cntlid)
    return Status(CommandSpecificStatus::kNamespaceNotAttached, true);
  v.erase(it);
  if (auto* l = controllers_[cntlid]) l->OnNamespaceAttributeChanged(nsid);
  return Status::Ok();
}

AnaState Subsystem::GetAnaState(uint32_t group, uint16_t cntlid) const {
  auto it = ana_.find({group, cntlid});
  return it == ana_.end() ? AnaState::kOptimized : it->second;
}

void Subsystem::SetAnaState(uint32_t group, uint16_t cntlid, AnaState state) {
  if (GetAnaState(group, cntlid) == state) return;
  ana_[{group, cntlid}] = state;
  ++ana_change_count_;
  auto it = controllers_.find(cntlid);
  if (it != controllers_.end() && it->second) it->second->OnAnaChange();
}

void Subsystem::NotifySubsystemReset() {
  for (auto& [id, l] : controllers_) {
    if (l) l->OnSubsystemReset();
  }
}

void Subsystem::NotifyNamespaceChanged(uint32_t nsid) {
  for (uint16_t c : AttachedControllers(nsid)) {
    auto it = controllers_.find(c);
    if (it != controllers_.end() && it->second) it->second->OnNamespaceAttributeChanged(nsid);
  }
}

}  // namespace nvmesim::device
