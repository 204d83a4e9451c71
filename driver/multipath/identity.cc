#include "driver/multipath/identity.h"

#include <cstring>

#include "spec/identify.h"
#include "spec/identify_controller.h"
#include "spec/identify_namespace.h"
#include "spec/log_pages.h"

namespace nvmesim::driver::multipath {

namespace {
template <size_t N>
bool AnyNonZero(const std::array<uint8_t, N>& a) {
  for (uint8_t b : a) {
    if (b != 0) return true;
  }
  return false;
}
uint32_t Get32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t Get64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
}  // namespace

ControllerIdentity ParseControllerIdentity(const uint8_t* page) {
  ControllerIdentity id;
  char nqn[sizeof(spec::IdentifyController::subnqn) + 1] = {};
  std::memcpy(nqn, page + offsetof(spec::IdentifyController, subnqn), sizeof nqn - 1);
  id.subnqn = nqn;
  std::memcpy(&id.cntlid, page + offsetof(spec::IdentifyController, cntlid), 2);
  id.cmic = page[offsetof(spec::IdentifyController, cmic)];
  id.anatt = page[offsetof(spec::IdentifyController, anatt)];
  return id;
}

bool NamespaceIds::has_nguid() const { return AnyNonZero(nguid); }
bool NamespaceIds::has_eui64() const { return AnyNonZero(eui64); }
bool NamespaceIds::has_uuid() const { return AnyNonZero(uuid); }

std::string NamespaceIds::ToString() const {
  static const char* hex = "0123456789abcdef";
  auto put = [](std::string& s, const uint8_t* b, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      s += hex[b[i] >> 4];
      s += hex[b[i] & 0xF];
    }
  };
  std::string s;
  if (has_nguid()) s += "nguid ", put(s, nguid.data(), nguid.size());
  if (has_eui64()) s += (s.empty() ? "" : " "), s += "eui64 ", put(s, eui64.data(), eui64.size());
  if (has_uuid()) s += (s.empty() ? "" : " "), s += "uuid ", put(s, uuid.data(), uuid.size());
  return s.empty() ? "no identifiers" : s;
}

void ParseIdentifyNamespaceIds(const uint8_t* page, NamespaceIds* ids) {
  std::memcpy(ids->nguid.data(), page + offsetof(spec::IdentifyNamespace, nguid), 16);
  std::memcpy(ids->eui64.data(), page + offsetof(spec::IdentifyNamespace, eui64), 8);
  ids->anagrpid = Get32(page + offsetof(spec::IdentifyNamespace, anagrpid));
  ids->nmic = page[offsetof(spec::IdentifyNamespace, nmic)];
}

bool ParseDescriptorList(const uint8_t* page, NamespaceIds* ids) {
  constexpr size_t kListBytes = 4096;  // Base 2.0 5.17.2.3: the list is 4096 bytes
  size_t at = 0;
  while (at + sizeof(spec::NamespaceIdDescriptorHeader) <= kListBytes) {
    const uint8_t nidt = page[at], nidl = page[at + 1];
    if (nidl == 0) return true;  // end of list
    const size_t body = at + sizeof(spec::NamespaceIdDescriptorHeader);
    if (body + nidl > kListBytes) return false;
    const auto type = static_cast<spec::NamespaceIdDescriptorType>(nidt);
    const uint8_t want = spec::NamespaceIdLength(type);
    if (want != 0 && nidl != want) return false;
    switch (type) {
      case spec::NamespaceIdDescriptorType::kEui64:
        std::memcpy(ids->eui64.data(), page + body, 8);
        break;
      case spec::NamespaceIdDescriptorType::kNguid:
        std::memcpy(ids->nguid.data(), page + body, 16);
        break;
      case spec::NamespaceIdDescriptorType::kUuid:
        std::memcpy(ids->uuid.data(), page + body, 16);
        break;
      default:
        break;  // CSI and reserved types carry no identity
    }
    at = body + nidl;
  }
  return true;
}

bool SameNamespace(const NamespaceIds& a, const NamespaceIds& b) {
  if (a.has_nguid() != b.has_nguid() || a.has_eui64() != b.has_eui64() ||
      a.has_uuid() != b.has_uuid()) {
    return false;
  }
  return a.nguid == b.nguid && a.eui64 == b.eui64 && a.uuid == b.uuid;
}

std::string ParseAnaLog(const uint8_t* log, size_t size, AnaLog* out) {
  if (size < sizeof(spec::AnaLogHeader)) return "ANA log shorter than its 16-byte header";
  out->change_count = Get64(log);
  uint16_t n;
  std::memcpy(&n, log + 8, 2);
  out->groups.clear();
  size_t at = sizeof(spec::AnaLogHeader);
  for (uint16_t i = 0; i < n; ++i) {
    if (at + sizeof(spec::AnaGroupDescriptor) > size) {
      return "ANA group descriptor " + std::to_string(i) + " runs past the log (" +
             std::to_string(size) + " bytes)";
    }
    const uint32_t grp = Get32(log + at);
    const uint32_t nnsids = Get32(log + at + 4);
    const uint8_t state = log[at + 16] & 0xF;  // Figure 219 byte 16 bits 3:0
    if (state != 0x1 && state != 0x2 && state != 0x3 && state != 0x4 && state != 0xF) {
      return "ANA group " + std::to_string(grp) + ": reserved state " + std::to_string(state);
    }
    out->groups[grp] = static_cast<AnaState>(state);
    at += sizeof(spec::AnaGroupDescriptor) + 4 * size_t{nnsids};
    if (at > size) return "ANA group " + std::to_string(grp) + ": NSID list runs past the log";
  }
  return "";
}

}  // namespace nvmesim::driver::multipath
