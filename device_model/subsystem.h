// NVM subsystem: the NQN, namespaces shared between controllers (CMIC/NMIC,
// NVMe Base 2.0 section 3.2), namespace attachment, ANA groups with a state
// per controller (section 8.1), and capacity for Namespace Management.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "device_model/config.h"
#include "device_model/data_store.h"
#include "spec/status.h"

namespace nvmesim::device {

// ANA states (Base 2.0 section 8.1.3, Figure 215).
enum class AnaState : uint8_t {
  kOptimized = 0x1,
  kNonOptimized = 0x2,
  kInaccessible = 0x3,
  kPersistentLoss = 0x4,
  kChange = 0xF,
};

class Namespace {
 public:
  Namespace(const NamespaceConfig& cfg);

  uint32_t nsid() const { return nsid_; }
  uint8_t csi() const { return csi_; }
  uint32_t lba_bytes() const { return lba_bytes_; }
  uint8_t lbads() const { return lba_bytes_ == 512 ? 9 : 12; }
  uint8_t format_index() const { return lba_bytes_ == 512 ? 0 : 1; }
  uint64_t size_lbas() const { return size_lbas_; }
  uint32_t ana_group() const { return ana_group_; }
  bool shared() const { return shared_; }
  bool volatile_write_cache() const { return vwc_; }
  const uint8_t* nguid() const { return nguid_; }
  uint64_t eui64() const { return eui64_; }

  // Format NVM: new LBA size, all data erased (Base 2.0 5.14).
  void Format(uint32_t lba_bytes);

  DataStore& store() { return store_; }
  const DataStore& store() const { return store_; }
  LbaRangeSet& uncorrectable() { return uncorrectable_; }  // Write Uncorrectable
  LbaRangeSet& media_errors() { return media_errors_; }    // injected faults
  const LbaRangeSet& uncorrectable() const { return uncorrectable_; }
  const LbaRangeSet& media_errors() const { return media_errors_; }
  uint64_t nuse_lbas() const;

 private:
  uint32_t nsid_;
  uint8_t csi_;
  uint32_t lba_bytes_;
  uint64_t size_lbas_;
  uint32_t ana_group_;
  bool shared_;
  bool vwc_;
  uint8_t nguid_[16] = {};
  uint64_t eui64_ = 0;
  DataStore store_;
  LbaRangeSet uncorrectable_;
  LbaRangeSet media_errors_;
};

// Controllers register to hear about subsystem-wide changes (namespace
// attribute changes, ANA transitions) so they can raise async events.
class SubsystemListener {
 public:
  virtual ~SubsystemListener() = default;
  virtual void OnNamespaceAttributeChanged(uint32_t nsid) = 0;
  virtual void OnAnaChange() = 0;
  virtual void OnSubsystemReset() = 0;
};

class Subsystem {
 public:
  // Throws std::invalid_argument when ValidateSubsystemConfig() fails.
  explicit Subsystem(const SubsystemConfig& cfg);

  const std::string& nqn() const { return cfg_.nqn; }
  uint32_t max_namespaces() const { return cfg_.max_namespaces; }
  uint32_t ana_groups() const { return cfg_.ana_groups; }
  uint64_t capacity_bytes() const { return cfg_.capacity_bytes; }
  uint64_t allocated_bytes() const;

  void RegisterController(uint16_t cntlid, SubsystemListener* l);
  void UnregisterController(uint16_t cntlid);
  std::vector<uint16_t> Controllers() const;

  Namespace* Find(uint32_t nsid);  // allocated namespace or nullptr
  const std::map<uint32_t, std::unique_ptr<Namespace>>& namespaces() const { return ns_; }
  bool IsAttached(uint32_t nsid, uint16_t cntlid) const;
  // NSIDs attached to cntlid, ascending.
  std::vector<uint32_t> ActiveNamespaces(uint16_t cntlid) const;
  std::vector<uint16_t> AttachedControllers(uint32_t nsid) const;

  // Namespace Management (Base 2.0 section 5.20) and Attachment (5.19).
  spec::Status CreateNamespace(const NamespaceConfig& requested, uint32_t* nsid_out);
  spec::Status DeleteNamespace(uint32_t nsid);  // nsid FFFFFFFFh: all
  spec::Status Attach(uint32_t nsid, uint16_t cntlid);
  spec::Status Detach(uint32_t nsid, uint16_t cntlid);

  // ANA (Base 2.0 section 8.1). Groups are 1..ana_groups.
  AnaState GetAnaState(uint32_t group, uint16_t cntlid) const;
  void SetAnaState(uint32_t group, uint16_t cntlid, AnaState state);  // raises events
  uint64_t ana_change_count() const { return ana_change_count_; }

  // NVM Subsystem Reset: every registered controller resets.
  void NotifySubsystemReset();
  void NotifyNamespaceChanged(uint32_t nsid);

 private:
  SubsystemConfig cfg_;
  std::map<uint32_t, std::unique_ptr<Namespace>> ns_;
  std::map<uint32_t, std::vector<uint16_t>> attached_;  // nsid -> sorted cntlids
  std::map<uint16_t, SubsystemListener*> controllers_;
  std::map<std::pair<uint32_t, uint16_t>, AnaState> ana_;  // default optimized
  uint64_t ana_change_count_ = 0;
};

}  // namespace nvmesim::device
