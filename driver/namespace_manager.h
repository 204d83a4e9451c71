// Namespace manager: active namespace discovery (Identify CNS 02h), Identify
// Namespace (CNS 00h) with LBA format, size and capacity, rescans on a
// Namespace Attribute Changed notice, and namespace create/delete/attach/
// detach (base 2.0 5.20 Namespace Attachment, 5.21 Namespace Management).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "driver/hal/hal.h"
#include "driver/seams.h"
#include "spec/status.h"

namespace nvmesim::driver {

struct NamespaceInfo {
  uint32_t nsid = 0;
  uint64_t nsze = 0, ncap = 0, nuse = 0;  // logical blocks (Identify Namespace, NVM 4.1.5)
  uint32_t lba_size = 512;                // 2^LBADS of the format in use
  uint16_t metadata_size = 0;
  uint8_t lba_format = 0;  // FLBAS index
  uint8_t nsfeat = 0, nmic = 0;
  uint32_t anagrpid = 0;
  uint8_t csi = 0;  // command set (0 NVM, 2 Zoned)
};

// Host-supplied fields of a Namespace Management create (Namespace Management data, base 5.21).
struct NamespaceCreateParams {
  uint64_t nsze = 0;
  uint64_t ncap = 0;
  uint8_t flbas = 0;
  uint8_t nmic = 0;
  uint32_t anagrpid = 0;
  uint8_t csi = 0;
};

class NamespaceManager {
 public:
  using Done = std::function<void(spec::Status)>;
  // Seam for the zoned namespace manager and the block layer above.
  using ChangeHandler = std::function<void(const NamespaceInfo& ns, bool present)>;

  NamespaceManager(AdminChannel* admin, uint32_t max_namespaces);
  ~NamespaceManager();

  // Rediscovers the active namespaces. Calls done once the table is updated.
  // A scan requested while one runs is folded into a second pass.
  void Scan(Done done);
  bool scanning() const { return scanning_; }
  const NamespaceInfo* Find(uint32_t nsid) const {
    auto it = table_.find(nsid);
    return it == table_.end() ? nullptr : &it->second;
  }
  const std::map<uint32_t, NamespaceInfo>& table() const { return table_; }
  void SetChangeHandler(ChangeHandler h) { on_change_ = std::move(h); }
  // Further listeners (e.g. the multipath manager): each sees every change
  // after the handler above.
  void AddChangeListener(ChangeHandler h) { listeners_.push_back(std::move(h)); }

  void Create(const NamespaceCreateParams& params,
              std::function<void(spec::Status, uint32_t nsid)> done);
  void Delete(uint32_t nsid, Done done);
  // Attach (or detach) nsid to the controllers listed.
  void Attach(uint32_t nsid, const std::vector<uint16_t>& controllers, bool attach, Done done);

  // Parses an Identify Namespace page (Identify Namespace, NVM 4.1.5).
  static NamespaceInfo ParseIdentifyNamespace(uint32_t nsid, const uint8_t* page);

 private:
  void ListFrom(uint32_t start);
  void IdentifyNext(size_t index);
  void IdentifyCsi(size_t index, uint32_t nsid);
  void FinishScan(spec::Status status);
  bool EnsurePage();

  AdminChannel* admin_;
  uint32_t max_namespaces_;
  hal::DmaBuffer page_;
  std::map<uint32_t, NamespaceInfo> table_;
  std::vector<uint32_t> found_;
  uint32_t skipped_ = 0;  // active NSIDs beyond max_namespaces_ in this scan
  std::map<uint32_t, NamespaceInfo> next_;
  bool scanning_ = false;
  bool again_ = false;
  std::vector<Done> waiters_;
  ChangeHandler on_change_;
  std::vector<ChangeHandler> listeners_;
};

}  // namespace nvmesim::driver
