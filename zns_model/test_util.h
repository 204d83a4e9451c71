// Helpers shared by the zns_model tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "zns_model/zoned_namespace.h"

namespace nvmesim::zns::testing {

// 8 zones of 64 LBAs, capacity 48, MOR 2, MAR 3, no ZRWA.
inline ZonedNamespaceConfig SmallConfig() {
  ZonedNamespaceConfig c;
  c.zone_count = 8;
  c.zone_size_lbas = 64;
  c.zone_capacity_lbas = 48;
  c.max_open_zones = 2;
  c.max_active_zones = 3;
  return c;
}

inline std::unique_ptr<ZonedNamespace> Make(const ZonedNamespaceConfig& c) {
  std::string error;
  auto ns = ZonedNamespace::Create(c, &error);
  if (!ns) throw std::runtime_error("bad test config: " + error);
  return ns;
}

// Everything observable about a namespace, for "nothing changed" checks.
struct Snapshot {
  std::vector<uint64_t> words;
  bool operator==(const Snapshot&) const = default;
};

inline void TakeInto(const ZonedNamespace& ns, Snapshot& s) {
  s.words.clear();
  for (uint32_t z = 0; z < ns.zone_count(); ++z) {
    const ZoneInfo i = ns.Zone(z);
    const ZoneStats& st = ns.Stats(z);
    s.words.push_back(static_cast<uint64_t>(i.state));
    s.words.push_back(i.attributes);
    s.words.push_back(i.wp);
    s.words.push_back(st.lbas_written);
    s.words.push_back(st.resets);
    s.words.push_back(st.finishes);
    const auto ext = ns.DescriptorExtension(z);
    for (size_t i = 0; i < ext.size(); i += 8) {
      uint64_t w = 0;
      std::memcpy(&w, ext.data() + i, 8);  // extensions are multiples of 64 bytes
      s.words.push_back(w);
    }
  }
  s.words.push_back(ns.open_zones());
  s.words.push_back(ns.active_zones());
  s.words.push_back(ns.zrwa_in_use());
}

inline Snapshot Take(const ZonedNamespace& ns) {
  Snapshot s;
  TakeInto(ns, s);
  return s;
}

inline spec::Status Send(ZonedNamespace& ns, spec::ZoneSendAction a, uint64_t slba,
                         bool all = false, bool zrwaa = false) {
  ZoneSendRequest r;
  r.action = a;
  r.slba = slba;
  r.select_all = all;
  r.zrwa_allocate = zrwaa;
  return ns.ZoneSend(r);
}

}  // namespace nvmesim::zns::testing
