#include "driver/namespace_manager.h"

#include <cstring>
#include <string>

#include "driver/commands.h"
#include "driver/internal/nvme_defs.h"
#include "spec/identify.h"

namespace nvmesim::driver {

namespace {
constexpr uint32_t kListEntries = 1024;  // Identify Controller, base 5.17 CNS 02h: up to 1024 NSIDs
}

NamespaceManager::NamespaceManager(AdminChannel* admin, uint32_t max_namespaces)
    : admin_(admin), max_namespaces_(max_namespaces) {}

NamespaceManager::~NamespaceManager() {
  if (page_.valid()) admin_->dma()->Free(page_);
}

bool NamespaceManager::EnsurePage() {
  if (!page_.valid()) page_ = admin_->dma()->Allocate(nvme::kIdentifyBytes, 4096);
  return page_.valid();
}

NamespaceInfo NamespaceManager::ParseIdentifyNamespace(uint32_t nsid, const uint8_t* p) {
  const auto id = nvme::ParsePage<spec::IdentifyNamespace>(p);
  NamespaceInfo ns;
  ns.nsid = nsid;
  ns.nsze = id.nsze;
  ns.ncap = id.ncap;
  ns.nuse = id.nuse;
  ns.nsfeat = id.nsfeat;
  ns.nmic = id.nmic;
  ns.anagrpid = id.anagrpid;
  // FLBAS bits 3:0 low and 6:5 high index of the format in use (Identify Namespace, NVM 4.1.5).
  ns.lba_format = id.FormatIndex();
  const spec::LbaFormat& f = id.lbaf[ns.lba_format < 64 ? ns.lba_format : 0];
  ns.metadata_size = f.ms;
  ns.lba_size =
      (f.lbads >= 9 && f.lbads < 32) ? (1u << f.lbads) : 0;  // LBADS >= 9 (LBA Format, NVM 4.1.5)
  return ns;
}

void NamespaceManager::Scan(Done done) {
  if (done) waiters_.push_back(std::move(done));
  if (scanning_) {
    again_ = true;
    return;
  }
  if (!EnsurePage()) {
    FinishScan(spec::GenericStatus::kInternalError);
    return;
  }
  scanning_ = true;
  again_ = false;
  found_.clear();
  skipped_ = 0;
  next_.clear();
  ListFrom(0);
}

void NamespaceManager::ListFrom(uint32_t start) {
  const spec::Sqe sqe = commands::Identify(nvme::kCnsActiveNamespaceList, start, 0, 0, page_.bus);
  const spec::Status s = admin_->SubmitAdmin(sqe, [this](const spec::Cqe& cqe) {
    const spec::Status st = cqe.status_value();
    if (!st.ok()) return FinishScan(st);
    uint32_t last = 0;
    uint32_t n = 0;
    for (; n < kListEntries; ++n) {
      const uint32_t nsid = nvme::Load<uint32_t>(page_.cpu, 4 * n);
      if (nsid == 0) break;     // the list ends at the first zero entry
      if (nsid <= last) break;  // must be increasing; stop at garbage
      last = nsid;
      if (found_.size() < max_namespaces_) {
        found_.push_back(nsid);
      } else {
        ++skipped_;
      }
    }
    if (n == kListEntries && last < 0xFFFFFFFEu && skipped_ == 0) {
      return ListFrom(last);  // more NSIDs above the last one listed
    }
    if (skipped_ > 0) {
      admin_->log()->Write(hal::LogLevel::kWarning,
                           "namespace scan stopped at controller_max_namespaces = " +
                               std::to_string(max_namespaces_) + "; further namespaces not used");
    }
    IdentifyNext(0);
  });
  if (!s.ok()) FinishScan(s);
}

void NamespaceManager::IdentifyNext(size_t index) {
  if (index >= found_.size()) return FinishScan(spec::Status::Ok());
  const uint32_t nsid = found_[index];
  const spec::Sqe sqe = commands::Identify(nvme::kCnsNamespace, nsid, 0, 0, page_.bus);
  const spec::Status s = admin_->SubmitAdmin(sqe, [this, index, nsid](const spec::Cqe& cqe) {
    const spec::Status st = cqe.status_value();
    if (st.ok()) {
      NamespaceInfo ns = ParseIdentifyNamespace(nsid, page_.cpu);
      if (ns.lba_size == 0 || ns.nsze == 0) {
        admin_->log()->Write(
            hal::LogLevel::kWarning,
            "namespace " + std::to_string(nsid) + " ignored: zero size or invalid LBA format");
      } else {
        next_[nsid] = ns;
        return IdentifyCsi(index, nsid);
      }
    } else {
      admin_->log()->Write(hal::LogLevel::kWarning, "Identify Namespace " + std::to_string(nsid) +
                                                        " failed: " + st.ToString());
    }
    IdentifyNext(index + 1);
  });
  if (!s.ok()) FinishScan(s);
}

// The command set of a namespace from its Namespace Identification
// Descriptor list (CNS 03h, base 2.0 5.17: type, length,
// 2 reserved bytes, then the identifier; CSI is type 4h, length 1).
// A controller that refuses CNS 03h leaves the namespace as NVM.
void NamespaceManager::IdentifyCsi(size_t index, uint32_t nsid) {
  constexpr uint8_t kCnsDescriptors = static_cast<uint8_t>(spec::Cns::kNamespaceIdDescriptorList);
  std::memset(page_.cpu, 0, nvme::kIdentifyBytes);
  const spec::Sqe sqe = commands::Identify(kCnsDescriptors, nsid, 0, 0, page_.bus);
  const spec::Status s = admin_->SubmitAdmin(sqe, [this, index, nsid](const spec::Cqe& cqe) {
    if (cqe.status_value().ok()) {
      uint32_t off = 0;
      while (off + 4 <= nvme::kIdentifyBytes) {
        const uint8_t type = page_.cpu[off], len = page_.cpu[off + 1];
        if (type == 0 || len == 0 || off + 4 + len > nvme::kIdentifyBytes) break;
        if (type == static_cast<uint8_t>(spec::NamespaceIdDescriptorType::kCsi) && len == 1) {
          auto it = next_.find(nsid);
          if (it != next_.end()) it->second.csi = page_.cpu[off + 4];
        }
        off += 4 + len;
      }
    }
    IdentifyNext(index + 1);
  });
  if (!s.ok()) FinishScan(s);
}

void NamespaceManager::FinishScan(spec::Status status) {
  if (status.ok()) {
    std::map<uint32_t, NamespaceInfo> old;
    old.swap(table_);
    table_.swap(next_);
    auto notify = [this](const NamespaceInfo& ns, bool present) {
      if (on_change_) on_change_(ns, present);
      for (const ChangeHandler& l : listeners_) l(ns, present);
    };
    if (on_change_ || !listeners_.empty()) {
      for (const auto& [nsid, ns] : old) {
        if (table_.find(nsid) == table_.end()) notify(ns, false);
      }
      for (const auto& [nsid, ns] : table_) {
        auto it = old.find(nsid);
        if (it == old.end() || it->second.nsze != ns.nsze || it->second.lba_size != ns.lba_size) {
          notify(ns, true);
        }
      }
    }
  }
  scanning_ = false;
  if (again_) {
    again_ = false;
    Scan(nullptr);
    return;
  }
  std::vector<Done> waiters;
  waiters.swap(waiters_);
  for (auto& w : waiters) w(status);
}

void NamespaceManager::Create(const NamespaceCreateParams& p,
                              std::function<void(spec::Status, uint32_t)> done) {
  hal::DmaBuffer page = admin_->dma()->Allocate(nvme::kIdentifyBytes, 4096);
  if (!page.valid()) return done(spec::GenericStatus::kInternalError, 0);
  // Host-specified fields of the create data structure (Namespace Management data, base 5.21).
  spec::IdentifyNamespace create;
  create.nsze = p.nsze;
  create.ncap = p.ncap;
  create.flbas = p.flbas;
  create.nmic = p.nmic;
  create.anagrpid = p.anagrpid;
  std::memcpy(page.cpu, &create, sizeof create);
  const spec::Status s = admin_->SubmitAdmin(
      commands::NamespaceCreate(p.csi, page.bus), [this, page, done](const spec::Cqe& cqe) {
        admin_->dma()->Free(page);
        done(cqe.status_value(), cqe.status_value().ok() ? cqe.dw0 : 0);  // DW0: new NSID
      });
  if (!s.ok()) {
    admin_->dma()->Free(page);
    done(s, 0);
  }
}

void NamespaceManager::Delete(uint32_t nsid, Done done) {
  const spec::Status s = admin_->SubmitAdmin(
      commands::NamespaceDelete(nsid), [done](const spec::Cqe& cqe) { done(cqe.status_value()); });
  if (!s.ok()) done(s);
}

void NamespaceManager::Attach(uint32_t nsid, const std::vector<uint16_t>& controllers, bool attach,
                              Done done) {
  if (controllers.empty() || controllers.size() > 2047) {  // Controller List: up to 2047 ids
    return done(spec::CommandSpecificStatus::kControllerListInvalid);
  }
  hal::DmaBuffer page = admin_->dma()->Allocate(nvme::kIdentifyBytes, 4096);
  if (!page.valid()) return done(spec::GenericStatus::kInternalError);
  const uint16_t count = static_cast<uint16_t>(controllers.size());
  std::memcpy(page.cpu, &count, 2);  // Controller List, base 4.6: count then identifiers
  std::memcpy(page.cpu + 2, controllers.data(), 2 * controllers.size());
  const spec::Status s = admin_->SubmitAdmin(commands::NamespaceAttach(nsid, attach, page.bus),
                                             [this, page, done](const spec::Cqe& cqe) {
                                               admin_->dma()->Free(page);
                                               done(cqe.status_value());
                                             });
  if (!s.ok()) {
    admin_->dma()->Free(page);
    done(s);
  }
}

}  // namespace nvmesim::driver
